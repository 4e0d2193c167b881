import ECSDomain
import ECSStore
import Testing

func vpcRecord(_ account: String, _ id: String, region: String = hz, cidr: String = "10.0.0.0/16", at: Int64 = 1) -> VpcRecord {
    VpcRecord(accountId: account, regionId: region, id: id, name: "n-" + id, description: "d", cidrBlock: cidr,
              resourceGroupId: "", tags: [ResourceTag(key: "k", value: "v")], createdAt: at, availableAt: at + 1000)
}

func vSwitchRecord(_ account: String, _ id: String, vpc: String, region: String = hz, cidr: String, at: Int64 = 1) -> VSwitchRecord {
    VSwitchRecord(accountId: account, regionId: region, id: id, vpcId: vpc, zoneId: region + "-h", name: "s-" + id, description: "",
                  cidrBlock: cidr, resourceGroupId: "rg-1", tags: [], createdAt: at, availableAt: at)
}

@Suite("VPC and vSwitch storage")
struct NetworkStoreTests {
    @Test(arguments: Backend.all)
    func roundTripLookupsDependentsAndAddresses(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount(), other = newAccount()
            let v1 = vpcRecord(a, "vpc-1" + a, at: 5), v2 = vpcRecord(a, "vpc-2" + a, at: 3), vsh = vpcRecord(a, "vpc-sh" + a, region: sh)
            let s1 = vSwitchRecord(a, "vsw-1" + a, vpc: v1.id, cidr: "10.0.1.0/24")
            try await store.write { tx throws in
                try tx.lockNetworks(account: a, region: hz)
                try tx.insertVpc(v1); try tx.insertVpc(v2); try tx.insertVpc(vsh)
                try tx.insertVSwitch(s1)
                var i1 = instance(a, "i-n1" + a); i1.vpcId = v1.id; i1.vSwitchId = s1.id; i1.privateIp = "10.0.1.1"
                var i2 = instance(a, "i-n2" + a); i2.vpcId = v1.id; i2.vSwitchId = s1.id; i2.privateIp = "10.0.1.2"
                try tx.insertInstance(i1); try tx.insertInstance(i2)
            }
            // The same address twice in one vSwitch is a conflict (the store retries the launch).
            var dup = instance(a, "i-n3" + a); dup.vpcId = v1.id; dup.vSwitchId = s1.id; dup.privateIp = "10.0.1.2"
            let duplicate = dup
            #expect(isConflict(await thrown { try await store.write { try $0.insertInstance(duplicate) } }))
            #expect(isConflict(await thrown { try await store.write { try $0.insertVpc(v1) } }))
            try await store.read { tx throws in
                #expect(try tx.vpc(account: a, region: hz, id: v1.id) == v1)
                #expect(try tx.vpc(account: a, region: sh, id: v1.id) == nil)
                #expect(try tx.vpc(account: other, region: hz, id: v1.id) == nil)
                #expect(try tx.vpcs(account: a, region: hz).map(\.id) == [v2.id, v1.id])
                #expect(try tx.vSwitch(account: a, region: hz, id: s1.id) == s1)
                #expect(try tx.vSwitch(account: other, region: hz, id: s1.id) == nil)
                #expect(try tx.vSwitches(account: a, region: hz) == [s1])
                #expect(try tx.vpcDependents(account: a, vpcId: v1.id) == VpcDependents(vSwitches: 1, instances: 2))
                #expect(try tx.vpcDependents(account: a, vpcId: v2.id) == VpcDependents(vSwitches: 0, instances: 0))
                #expect(try tx.vSwitchAddresses(account: a, vSwitchId: s1.id).sorted() == ["10.0.1.1", "10.0.1.2"])
                let q = try tx.instances(account: a, region: hz, query: InstanceQuery(vSwitchId: s1.id, offset: 0, limit: 10))
                #expect(q.total == 2)
                #expect(try tx.instances(account: a, region: hz, query: InstanceQuery(vpcId: v2.id, offset: 0, limit: 10)).total == 0)
                #expect(try tx.instance(account: a, id: "i-n1" + a)?.vSwitchId == s1.id)
                let state = try tx.stateRecords(account: a)
                #expect(Set(state.vpcs.map(\.id)) == [v1.id, v2.id, vsh.id] && state.vSwitches == [s1])
            }
            var renamed = v1
            renamed.name = "renamed"; renamed.tags = []
            let r = renamed
            try await store.write { tx throws in
                try tx.updateVpc(r)
                try tx.deleteInstance(account: a, id: "i-n1" + a)
            }
            try await store.read { tx throws in
                #expect(try tx.vpc(account: a, region: hz, id: v1.id) == r)
                #expect(try tx.vSwitchAddresses(account: a, vSwitchId: s1.id) == ["10.0.1.2"])
            }
            // A reset of the account's resources takes its networks.
            try await store.write { try $0.deleteState(.resources(ofAccount: a)) }
            try await store.read { tx throws in
                #expect(try tx.vpcs(account: a, region: hz).isEmpty && tx.vSwitches(account: a, region: hz).isEmpty)
            }
        }
    }

    @Test func estateCarriesNetworksAndOmitsThemWhenNone() throws {
        var r = StateRecords()
        let a = "1000000000000077"
        r.accounts = [AccountRecord(id: a, createdAt: 1)]
        r.vpcs = [vpcRecord(a, "vpc-b"), vpcRecord(a, "vpc-a")]
        r.vSwitches = [vSwitchRecord(a, "vsw-a", vpc: "vpc-a", cidr: "10.0.0.0/24")]
        var i = instance(a, "i-x"); i.vpcId = "vpc-a"; i.vSwitchId = "vsw-a"
        r.instances = [i]
        let estate = Estate(r)
        #expect(estate.accounts[0].vpcs?.map(\.id) == ["vpc-a", "vpc-b"])
        let back = try Estate.decode(try estate.canonicalJSON()).records()
        #expect(Set(back.vpcs.map(\.id)) == ["vpc-a", "vpc-b"] && back.vSwitches == r.vSwitches)
        #expect(back.instances[0].vSwitchId == "vsw-a" && back.instances[0].vpcId == "vpc-a")
        var bare = StateRecords()
        bare.accounts = r.accounts
        bare.instances = [instance(a, "i-y")]
        let json = String(decoding: try Estate(bare).canonicalJSON(), as: UTF8.self)
        #expect(!json.contains("vpcs") && !json.contains("vSwitch") && !json.contains("vpcId"))
    }
}
