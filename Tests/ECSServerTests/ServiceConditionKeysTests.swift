import ECSAPI
import ECSServer
import Testing

/// The service condition keys LocalECS reads from a request, for the actions that declare them.
@Suite("Service condition keys")
struct ServiceConditionKeysTests {
    static func input(_ spec: ActionSpec, _ pairs: [(String, String)]) throws -> Input {
        try InputParser.parse(spec, RPCParameters(pairs.map { (name: $0.0, value: $0.1) }))
    }

    /// An evaluator for a key no action declares would never run: the declaration is the one list.
    @Test func everyEvaluatedKeyIsDeclaredSomewhere() {
        let declared = Set(DeclarationJSON.actions.flatMap(\.conditionKeys))
        #expect(Set(ServiceConditionKeys.evaluated.keys).subtracting(declared).isEmpty)
    }

    @Test func runInstancesKeysComeFromItsParameters() throws {
        let i = try Self.input(ECSActions.runInstances, [("RegionId", "cn-hangzhou"), ("InstanceType", "ecs.g7.large"),
                                                         ("SecurityGroupIds.1", "sg-a"), ("Password", "Secret#2026")])
        let v = ServiceConditionKeys.values(ECSActions.runInstances, i, account: "1", region: "cn-hangzhou")
        #expect(v == ["ecs:InstanceType": ["ecs.g7.large"], "ecs:InstanceTypeFamily": ["ecs.g7"],
                      "ecs:NotSpecifySecurityGroupId": ["false"], "ecs:PasswordCustomized": ["true"],
                      "ecs:PasswordInherit": ["false"]])
        let bare = try Self.input(ECSActions.runInstances, [("RegionId", "cn-hangzhou"), ("InstanceType", "ecs.nosuch.large"),
                                                            ("PasswordInherit", "true")])
        let w = ServiceConditionKeys.values(ECSActions.runInstances, bare, account: "1", region: "cn-hangzhou")
        #expect(w["ecs:NotSpecifySecurityGroupId"] == ["true"] && w["ecs:PasswordInherit"] == ["true"])
        #expect(w["ecs:InstanceTypeFamily"] == nil, "an unknown type has no family: the key is absent")
    }

    @Test func ruleKeysCoverTheLegacyRuleAndEveryPermission() throws {
        let spec = SecurityGroupActions.authorizeSecurityGroup
        let i = try Self.input(spec, [("RegionId", "cn-hangzhou"), ("SecurityGroupId", "sg-a"),
                                      ("IpProtocol", "tcp"), ("PortRange", "22/22"), ("SourceCidrIp", "10.0.0.0/8"),
                                      ("Permissions.1.IpProtocol", "icmpv6"), ("Permissions.1.SourceCidrIp", "0.0.0.0/0"),
                                      ("Permissions.2.IpProtocol", "udp"), ("Permissions.2.SourceGroupId", "sg-b")])
        let v = ServiceConditionKeys.values(spec, i, account: "1", region: "cn-hangzhou")
        #expect(v["ecs:SecurityGroupIpProtocols"] == ["TCP", "ICMPv6", "UDP"])
        #expect(v["ecs:SecurityGroupSourceCidrIps"] == ["10.0.0.0/8", "0.0.0.0/0"])
        let none = try Self.input(spec, [("RegionId", "cn-hangzhou"), ("SecurityGroupId", "sg-a"),
                                         ("Permissions.1.IpProtocol", "tcp"), ("Permissions.1.SourceGroupId", "sg-b")])
        #expect(ServiceConditionKeys.values(spec, none, account: "1", region: "cn-hangzhou")["ecs:SecurityGroupSourceCidrIps"] == nil)
    }

    @Test func vpcKeyIsTheVpcArn() throws {
        let spec = VPCActions.describeVSwitches
        let i = try Self.input(spec, [("RegionId", "cn-hangzhou"), ("VpcId", "vpc-abc")])
        #expect(ServiceConditionKeys.values(spec, i, account: "123", region: "cn-hangzhou") == ["vpc:VPC": ["acs:vpc:cn-hangzhou:123:vpc/vpc-abc"]])
        let all = try Self.input(spec, [("RegionId", "cn-hangzhou")])
        #expect(ServiceConditionKeys.values(spec, all, account: "123", region: "cn-hangzhou").isEmpty)
    }

    /// An action that does not declare a key never gets it, even when the parameter is there.
    @Test func undeclaredKeysAreNotSupplied() throws {
        let spec = ECSActions.describeInstances
        let i = try Self.input(spec, [("RegionId", "cn-hangzhou"), ("InstanceType", "ecs.g7.large"), ("VpcId", "vpc-abc")])
        #expect(ServiceConditionKeys.values(spec, i, account: "1", region: "cn-hangzhou").isEmpty)
    }
}
