import Testing
import ECSPolicy

@Suite("System policies")
struct SystemPoliciesTests {
    private func decide(_ policy: String, _ action: String, _ resources: [String] = ["*"]) throws -> Decision {
        let p = try #require(SystemPolicies.named(policy))
        return PolicyEvaluator.evaluate([p], RequestContext(action: action, resources: resources))
    }

    @Test("the two documented policies, as System, with the documented statements")
    func contents() throws {
        #expect(SystemPolicies.all.map(\.name) == ["AliyunECSFullAccess", "AliyunECSReadOnlyAccess"])
        #expect(SystemPolicies.all.allSatisfy { $0.type == "System" && $0.document.version == "1" })
        let full = try #require(SystemPolicies.named("AliyunECSFullAccess"))
        #expect(full.document.statements == [
            Statement(effect: .allow, actions: .actions(["ecs:*"]), resources: ["*"]),
            Statement(effect: .allow, actions: .actions(["vpc:DescribeVpcs", "vpc:DescribeVSwitches"]), resources: ["*"]),
        ])
        let ro = try #require(SystemPolicies.named("AliyunECSReadOnlyAccess"))
        #expect(ro.document.statements == [
            Statement(effect: .allow, actions: .actions(["ecs:Describe*"]), resources: ["*"]),
            Statement(effect: .allow, actions: .actions(["ecs:List*"]), resources: ["*"]),
            Statement(effect: .allow, actions: .actions(["vpc:DescribeVpcs", "vpc:DescribeVSwitches"]), resources: ["*"]),
        ])
        #expect(SystemPolicies.named("aliyunecsfullaccess") == nil)
        #expect(SystemPolicies.named("AdministratorAccess") == nil)
        #expect(SystemPolicies.documentJSON(named: "AliyunECSReadOnlyAccess")?.contains(#""ecs:List*""#) == true)
    }

    @Test("ReadOnly allows ecs:DescribeKeyPairs and denies ecs:CreateKeyPair")
    func readOnly() throws {
        let kp = "acs:ecs:cn-hangzhou:1234567890123456:keypair/k"
        #expect(try decide("AliyunECSReadOnlyAccess", "ecs:DescribeKeyPairs", [kp]) == .allow)
        #expect(try decide("AliyunECSReadOnlyAccess", "ecs:ListTagResources") == .allow)
        #expect(try decide("AliyunECSReadOnlyAccess", "vpc:DescribeVSwitches") == .allow)
        let newKey = "acs:ecs:cn-hangzhou:1234567890123456:keypair/*"
        #expect(try decide("AliyunECSReadOnlyAccess", "ecs:CreateKeyPair", [newKey]) == .implicitDeny(resource: newKey))
        #expect(try decide("AliyunECSReadOnlyAccess", "ecs:DetachKeyPair", [kp]) == .implicitDeny(resource: kp))
        #expect(try decide("AliyunECSReadOnlyAccess", "vpc:CreateVpc") == .implicitDeny(resource: "*"))
    }

    @Test("FullAccess allows every ECS action on every resource, but not other services")
    func fullAccess() throws {
        let resources = ["acs:ecs:cn-hangzhou:1:keypair/k", "acs:ecs:cn-hangzhou:1:instance/i-1"]
        #expect(try decide("AliyunECSFullAccess", "ecs:DetachKeyPair", resources) == .allow)
        #expect(try decide("AliyunECSFullAccess", "ecs:CreateKeyPair") == .allow)
        #expect(try decide("AliyunECSFullAccess", "vpc:DescribeVpcs") == .allow)
        #expect(try decide("AliyunECSFullAccess", "vpc:DeleteVpc") == .implicitDeny(resource: "*"))
        #expect(try decide("AliyunECSFullAccess", "ram:CreateUser") == .implicitDeny(resource: "*"))
    }
}
