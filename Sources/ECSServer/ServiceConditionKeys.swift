import ECSAPI
import ECSDomain

/// The service condition keys (an action's "Condition key" column) whose value LocalECS can tell
/// from the request itself, supplied to the policy evaluator beside the common `acs:` keys.
///
/// A key is supplied only for an action that declares it, so the declaration stays the one list.
/// A key whose value the request does not carry is absent, as in RAM: a positive condition on it
/// does not hold, a negated one does. Keys with several values (one per rule) hold for a positive
/// operator when any value matches, as the evaluator treats every multi-valued key.
/// The declared keys this table does not name are not evaluated (`docs/decisions.md`).
public enum ServiceConditionKeys {
    public typealias Value = @Sendable (_ input: Input, _ account: String, _ region: String) -> [String]?

    /// Each key's meaning as ECS's and VPC's "RAM authorization" references define it (2026-11-30).
    public static let evaluated: [String: Value] = [
        // "Instance specifications" (String).
        "ecs:InstanceType": { i, _, _ in i.string("InstanceType").map { [$0] } },
        // "instance specification family" (String): the family DescribeInstanceTypes reports for the
        // type; absent for a type LocalECS does not know (the call then fails on the type anyway).
        "ecs:InstanceTypeFamily": { i, _, _ in i.string("InstanceType").flatMap(Catalog.instanceType).map { [$0.family] } },
        // "Whether the security group ID is not specified" (Boolean).
        "ecs:NotSpecifySecurityGroupId": { i, _, _ in
            [String(i.string("SecurityGroupId") == nil && (i.list("SecurityGroupIds") ?? []).isEmpty)]
        },
        // "Whether a custom password is used" (Boolean).
        "ecs:PasswordCustomized": { i, _, _ in [String(!(i.string("Password") ?? "").isEmpty)] },
        // "Whether the instance inherits the image password" (Boolean).
        "ecs:PasswordInherit": { i, _, _ in [String(i.boolean("PasswordInherit") ?? false)] },
        // "Transport layer protocol with security group open" (String): each rule's protocol, as
        // the group stores it (`TCP`, `UDP`, `ICMP`, `ICMPv6`, `GRE`, `ALL`), whatever case was sent.
        "ecs:SecurityGroupIpProtocols": { i, _, _ in
            ruleValues(i, "IpProtocol").map { $0.map { SecurityGroupRules.canonicalProtocol($0) ?? $0 } }
        },
        // "The source IPv4 CIDR segment of the security group that sets access permissions" (String):
        // each rule's SourceCidrIp, as sent.
        "ecs:SecurityGroupSourceCidrIps": { i, _, _ in ruleValues(i, "SourceCidrIp") },
        // "The resource ARN of the VPC" (String), for DescribeVSwitches: the VpcId it filters on.
        "vpc:VPC": { i, account, region in i.string("VpcId").map { ["acs:vpc:\(region):\(account):vpc/\($0)"] } },
    ]

    /// The values of the keys `spec` declares and LocalECS evaluates, for `input`.
    public static func values(_ spec: ActionSpec, _ input: Input, account: String, region: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for key in spec.conditionKeys {
            if let value = evaluated[key], let v = value(input, account, region), !v.isEmpty { out[key] = v }
        }
        return out
    }

    /// A rule field from the legacy single-rule parameter and from every `Permissions.N`.
    static func ruleValues(_ i: Input, _ field: String) -> [String]? {
        let values = [i.string(field)].compactMap { $0 } + (i.records("Permissions") ?? []).compactMap { $0[field] }
        return values.isEmpty ? nil : values
    }
}
