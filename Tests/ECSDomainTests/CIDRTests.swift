import ECSDomain
import ECSStore
import Testing

@Suite("CIDR arithmetic and vSwitch addresses")
struct CIDRTests {
    @Test(arguments: [
        ("10.0.0.0/8", "10.0.0.0/8"), ("192.168.1.0/24", "192.168.1.0/24"), ("0.0.0.0/0", "0.0.0.0/0"),
        ("255.255.255.255/32", "255.255.255.255/32"), ("172.16.0.0/12", "172.16.0.0/12"), ("10.1.2.8/29", "10.1.2.8/29"),
    ])
    func parsesCanonicalBlocks(_ text: String, _ printed: String) throws {
        let b = try #require(CIDRBlock(text))
        #expect(b.description == printed)
    }

    @Test(arguments: [
        "", "/", "10.0.0.0", "10.0.0.0/", "/8", "10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8", "256.0.0.0/8",
        "010.0.0.0/8", "10.0.0.0/08", "10.0.0/8", "10.0.0.0.0/8", "10..0.0/8", " 10.0.0.0/8", "10.0.0.0/8 ", "10.0.0.0/8/8",
        "a.b.c.d/8", "１0.0.0.0/8", "10.0.0.0/99999999999999999999", "99999999999999999999.0.0.0/8", "-1.0.0.0/8",
        "10.0.0.0\n/8", "0x0a.0.0.0/8", "1e1.0.0.0/8",
    ])
    func refusesEverythingElse(_ text: String) {
        #expect(CIDRBlock(text) == nil)
    }

    @Test func containmentAndOverlap() throws {
        let vpc = try #require(CIDRBlock("192.168.0.0/16"))
        let a = try #require(CIDRBlock("192.168.1.0/24")), b = try #require(CIDRBlock("192.168.1.128/25"))
        let c = try #require(CIDRBlock("192.168.2.0/24")), outside = try #require(CIDRBlock("192.169.0.0/24"))
        #expect(vpc.contains(a) && vpc.contains(b) && vpc.contains(vpc) && !vpc.contains(outside))
        #expect(!a.contains(vpc) && a.contains(b) && !b.contains(a))
        #expect(a.overlaps(b) && b.overlaps(a) && !a.overlaps(c) && !c.overlaps(b) && vpc.overlaps(a))
        #expect(CIDRBlock.privateRanges.contains { $0.contains(vpc) })
        #expect(!CIDRBlock.privateRanges.contains { $0.contains(try! #require(CIDRBlock("172.32.0.0/16"))) })
        let all = try #require(CIDRBlock("0.0.0.0/0"))
        #expect(all.size == 1 << 32 && all.contains(a) && all.broadcast == .max)
        #expect(CIDRBlock(network: 0xFFFF_FFFF, prefix: 99).prefix == 32 && CIDRBlock(network: 1, prefix: -5).network == 0)
    }

    @Test func vpcAndVSwitchRules() throws {
        #expect(try NetworkService.vpcBlock("10.0.0.0/8").description == "10.0.0.0/8")
        #expect(throws: NetworkError.vpcCidrUnsupported("10.0.0.0/29")) { try NetworkService.vpcBlock("10.0.0.0/29") }
        #expect(throws: NetworkError.vpcCidrUnsupported("8.8.0.0/16")) { try NetworkService.vpcBlock("8.8.0.0/16") }
        #expect(throws: NetworkError.cidrMalformed("x")) { try NetworkService.vpcBlock("x") }
        let vpc = try #require(CIDRBlock("10.0.0.0/16"))
        func sw(_ cidr: String) -> VSwitchRecord {
            VSwitchRecord(accountId: "a", regionId: "r", id: "vsw-" + cidr, vpcId: "v", zoneId: "z", name: "", description: "",
                          cidrBlock: cidr, resourceGroupId: "", tags: [], createdAt: 0, availableAt: 0)
        }
        let siblings = [sw("10.0.1.0/24")]
        #expect(try NetworkService.vSwitchBlock("10.0.2.0/24", vpc: vpc, siblings: siblings).prefix == 24)
        #expect(try NetworkService.vSwitchBlock("10.0.0.0/16", vpc: vpc, siblings: []).prefix == 16)
        #expect(throws: NetworkError.vSwitchCidrOverlapped(cidr: "10.0.0.0/23", other: "10.0.1.0/24")) {
            try NetworkService.vSwitchBlock("10.0.0.0/23", vpc: vpc, siblings: siblings)
        }
        #expect(throws: NetworkError.vSwitchCidrNotInVpc(cidr: "10.1.0.0/24", vpcCidr: "10.0.0.0/16")) {
            try NetworkService.vSwitchBlock("10.1.0.0/24", vpc: vpc, siblings: siblings)
        }
        #expect(throws: NetworkError.vSwitchCidrMask("10.0.3.0/30")) { try NetworkService.vSwitchBlock("10.0.3.0/30", vpc: vpc, siblings: []) }
        #expect(throws: NetworkError.vSwitchCidrMask("10.0.0.0/15")) { try NetworkService.vSwitchBlock("10.0.0.0/15", vpc: vpc, siblings: []) }
    }

    @Test func allocatesTheLowestFreeUsableAddress() throws {
        let b = try #require(CIDRBlock("192.168.1.0/24"))
        // The first and the last three are ECS's.
        #expect(VSwitchAddresses.capacity(b) == 252)
        #expect(VSwitchAddresses.usableRange(b) == 0xC0A8_0101...0xC0A8_01FC)
        #expect(VSwitchAddresses.allocate(in: b, used: []) == "192.168.1.1")
        #expect(VSwitchAddresses.allocate(in: b, used: ["192.168.1.1", "192.168.1.3", "junk", "10.0.0.2"]) == "192.168.1.2")
        let tiny = try #require(CIDRBlock("10.0.0.8/29"))
        #expect(VSwitchAddresses.capacity(tiny) == 4)
        var used: [String] = []
        while let a = VSwitchAddresses.allocate(in: tiny, used: used) { used.append(a) }
        #expect(used == ["10.0.0.9", "10.0.0.10", "10.0.0.11", "10.0.0.12"])
        // Freed in the middle: that one comes back first.
        used.remove(at: 1)
        #expect(VSwitchAddresses.allocate(in: tiny, used: used) == "10.0.0.10")
        // Blocks too small for any instance, and the largest, never trap.
        for p in 30...32 { #expect(VSwitchAddresses.capacity(CIDRBlock(network: 0x0A00_0000, prefix: p)) == 0) }
        #expect(VSwitchAddresses.capacity(CIDRBlock(network: 0, prefix: 0)) == Int(UInt32.max) - 4 + 1)
        let top = CIDRBlock(network: 0xFFFF_FFF8, prefix: 29)
        #expect(VSwitchAddresses.allocate(in: top, used: []) == "255.255.255.249")
    }

    @Test func randomTextNeverTraps() {
        var g = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789./-+ x:\u{FF11}")
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...24, using: &g)
            let s = String((0..<n).map { _ in alphabet.randomElement(using: &g)! })
            if let b = CIDRBlock(s) {
                #expect(CIDRBlock(b.description) == b)
                _ = VSwitchAddresses.allocate(in: b, used: [s])
            }
        }
    }
}
