import ECSDomain
import ECSStore
import Testing

/// The rule grammar of Authorize/RevokeSecurityGroup(Egress): defaults, normalisation, refusals,
/// and how an instance's groups decide an SSH connection.
@Suite("Security group rules")
struct SecurityGroupRulesTests {
    func rule(_ f: RuleFields, ingress: Bool = true, inVpc: Bool = false) throws -> SecurityGroupRule {
        try SecurityGroupRules.rule(f, ingress: ingress, inVpc: inVpc, id: "sgr-x", at: 7)
    }

    func refusal(_ f: RuleFields, ingress: Bool = true) -> DomainError? {
        do { _ = try rule(f, ingress: ingress); return nil } catch { return error as? DomainError }
    }

    @Test func defaultsAndNormalisation() throws {
        let r = try rule(["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"])
        #expect(r.ipProtocol == "TCP" && r.policy == "Accept" && r.priority == 1 && r.nicType == "internet")
        #expect(r.direction == "ingress" && r.id == "sgr-x" && r.createdAt == 7)
        let v = try rule(["IpProtocol": "ALL", "SourceCidrIp": "10.0.0.0/8", "Policy": "DROP", "Priority": "100", "NicType": "internet"], inVpc: true)
        #expect(v.ipProtocol == "ALL" && v.portRange == "-1/-1" && v.policy == "Drop" && v.priority == 100 && v.nicType == "intranet")
        let e = try rule(["IpProtocol": "icmpv6", "PortRange": "-1/-1", "Ipv6DestCidrIp": "::/0"], ingress: false)
        #expect(e.ipProtocol == "ICMPv6" && e.direction == "egress" && e.ipv6DestCidrIp == "::/0")
    }

    @Test func theSameRuleHasOneIdentity() throws {
        let a = try rule(["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0", "Description": "x"])
        let b = try rule(["IpProtocol": "TCP", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0", "Policy": "accept", "Priority": "1"])
        let c = try rule(["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0", "Priority": "2"])
        #expect(a.identity == b.identity)
        #expect(a.identity != c.identity)
    }

    @Test(arguments: [
        (["PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"], DomainError.missingParameter("IpProtocol")),
        (["IpProtocol": "sctp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"], .ipProtocolInvalid("sctp")),
        (["IpProtocol": "tcp", "SourceCidrIp": "0.0.0.0/0"], .missingParameter("PortRange")),
        (["IpProtocol": "tcp", "PortRange": "22", "SourceCidrIp": "0.0.0.0/0"], .portRangeInvalid("22")),
        (["IpProtocol": "tcp", "PortRange": "0/22", "SourceCidrIp": "0.0.0.0/0"], .portRangeInvalid("0/22")),
        (["IpProtocol": "tcp", "PortRange": "23/22", "SourceCidrIp": "0.0.0.0/0"], .portRangeInvalid("23/22")),
        (["IpProtocol": "tcp", "PortRange": "1/65536", "SourceCidrIp": "0.0.0.0/0"], .portRangeInvalid("1/65536")),
        (["IpProtocol": "tcp", "PortRange": "-1/-1", "SourceCidrIp": "0.0.0.0/0"], .portRangeInvalid("-1/-1")),
        (["IpProtocol": "tcp", "PortRange": "99999999999999999999/1", "SourceCidrIp": "0.0.0.0/0"], .portRangeInvalid("99999999999999999999/1")),
        (["IpProtocol": "icmp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"], .portRangeInvalid("22/22")),
        (["IpProtocol": "tcp", "PortRange": "22/22"], .ruleSourceMissing),
        (["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "10.0.0.0/33"], .sourceCidrInvalid("10.0.0.0/33")),
        (["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "300.0.0.1"], .sourceCidrInvalid("300.0.0.1")),
        (["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "::/0"], .sourceCidrInvalid("::/0")),
        (["IpProtocol": "tcp", "PortRange": "22/22", "Ipv6SourceCidrIp": "10.0.0.1"], .ipv6CidrInvalid(parameter: "Ipv6SourceCidrIp", value: "10.0.0.1")),
        (["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0", "Policy": "allow"], .policyInvalid("allow")),
        (["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0", "Priority": "one"], .priorityMalformed("one")),
        (["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0", "Priority": "0"], .priorityInvalid("0")),
        (["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0", "Priority": "101"], .priorityInvalid("101")),
        (["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0", "NicType": "wan"], .nicTypeInvalid("wan")),
        (["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0", "SourcePortRange": "a/b"], .sourcePortRangeInvalid("a/b")),
        (["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0", "Description": "http://x"], .ruleDescriptionMalformed),
    ] as [(RuleFields, DomainError)])
    func refusals(_ f: RuleFields, _ expected: DomainError) {
        #expect(refusal(f) == expected)
    }

    @Test func egressNeedsADestination() {
        #expect(refusal(["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"], ingress: false) == .ruleDestMissing)
        #expect(refusal(["IpProtocol": "tcp", "PortRange": "22/22", "DestCidrIp": "1.2.3"], ingress: false) == .destCidrInvalid("1.2.3"))
    }

    func group(_ rules: [SecurityGroupRule]) -> SecurityGroupRecord {
        SecurityGroupRecord(accountId: "1", regionId: "cn-hangzhou", id: "sg-1", name: "", description: "", vpcId: "",
                            groupType: "normal", resourceGroupId: "", tags: [], rules: rules, createdAt: 0)
    }

    @Test func sshAdmissionFollowsTheInstancesGroups() throws {
        let ssh = try rule(["IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "127.0.0.1/32"])
        let dropAll = try rule(["IpProtocol": "all", "SourceCidrIp": "0.0.0.0/0", "Policy": "drop", "Priority": "1"])
        let lateDrop = try rule(["IpProtocol": "all", "SourceCidrIp": "0.0.0.0/0", "Policy": "drop", "Priority": "2"])
        let egress = try rule(["IpProtocol": "tcp", "PortRange": "22/22", "DestCidrIp": "0.0.0.0/0"], ingress: false)
        // In no group: everything is admitted (LocalECS launches without one).
        #expect(SecurityGroupRules.admits(client: "127.0.0.1", port: 22, groups: nil))
        // A new group (no rules): nothing from outside.
        #expect(!SecurityGroupRules.admits(client: "127.0.0.1", port: 22, groups: [group([])]))
        #expect(SecurityGroupRules.admits(client: "127.0.0.1", port: 22, groups: [group([ssh])]))
        #expect(!SecurityGroupRules.admits(client: "127.0.0.2", port: 22, groups: [group([ssh])]))
        // Egress rules never admit inbound traffic.
        #expect(!SecurityGroupRules.admits(client: "127.0.0.1", port: 22, groups: [group([egress])]))
        // Drop before accept at the same priority; a lower number wins over policy.
        #expect(!SecurityGroupRules.admits(client: "127.0.0.1", port: 22, groups: [group([ssh]), group([dropAll])]))
        #expect(SecurityGroupRules.admits(client: "127.0.0.1", port: 22, groups: [group([ssh, lateDrop])]))
    }
}
