import ECSPolicy
import ECSStore

/// One rule as a request gives it (the legacy single-rule parameters or one `Permissions.N`),
/// before validation: field name → value, only the fields that were given.
public typealias RuleFields = [String: String]

/// The rule grammar of AuthorizeSecurityGroup(Egress) and RevokeSecurityGroup(Egress): which values
/// are valid, what they default to, how they are normalised. Pure, so it is tested without a store.
public enum SecurityGroupRules {
    /// ECS's limit of rules (ingress and egress together) in one group.
    public static let maxRulesPerGroup = 200
    /// Groups an instance may be in.
    public static let maxGroupsPerInstance = 5
    static let protocols = ["tcp": "TCP", "udp": "UDP", "icmp": "ICMP", "icmpv6": "ICMPv6", "gre": "GRE", "all": "ALL"]

    /// A protocol as rules store it (`tcp` → `TCP`), nil if ECS does not know it.
    public static func canonicalProtocol(_ raw: String) -> String? { protocols[raw.lowercased()] }

    /// Validates one rule and returns it normalised (upper-case protocol, capitalised policy,
    /// defaults filled: priority 1, policy Accept, NicType internet — intranet in a VPC group).
    /// `ingress` picks which side must name a peer. Group references are checked by the caller.
    public static func rule(_ f: RuleFields, ingress: Bool, inVpc: Bool, id: String, at now: Int64) throws(DomainError) -> SecurityGroupRule {
        guard let rawProtocol = f["IpProtocol"] else { throw .missingParameter("IpProtocol") }
        guard let proto = protocols[rawProtocol.lowercased()] else { throw .ipProtocolInvalid(rawProtocol) }
        let portRange = try Self.portRange(f["PortRange"], protocol: proto)
        var sourcePortRange = ""
        if let s = f["SourcePortRange"] {
            guard validRange(s, allowAny: true) else { throw .sourcePortRangeInvalid(s) }
            sourcePortRange = s
        }
        let sourceCidr = try v4(f["SourceCidrIp"]) { .sourceCidrInvalid($0) }
        let destCidr = try v4(f["DestCidrIp"]) { .destCidrInvalid($0) }
        let v6Source = try v6(f["Ipv6SourceCidrIp"], parameter: "Ipv6SourceCidrIp")
        let v6Dest = try v6(f["Ipv6DestCidrIp"], parameter: "Ipv6DestCidrIp")
        if ingress {
            if sourceCidr.isEmpty && v6Source.isEmpty && f["SourceGroupId"] == nil && f["SourcePrefixListId"] == nil {
                throw .ruleSourceMissing
            }
        } else if destCidr.isEmpty && v6Dest.isEmpty && f["DestGroupId"] == nil && f["DestPrefixListId"] == nil {
            throw .ruleDestMissing
        }
        var policy = "Accept"
        if let p = f["Policy"] {
            switch p.lowercased() {
            case "accept": policy = "Accept"
            case "drop": policy = "Drop"
            default: throw .policyInvalid(p)
            }
        }
        var priority = 1
        if let p = f["Priority"] {
            guard let n = Int(p) else { throw .priorityMalformed(p) }
            guard (1...100).contains(n) else { throw .priorityInvalid(p) }
            priority = n
        }
        var nicType = inVpc ? "intranet" : "internet"
        if let n = f["NicType"] {
            guard n == "internet" || n == "intranet" else { throw .nicTypeInvalid(n) }
            // ECS: in a VPC group only intranet exists, whatever the request says.
            if !inVpc { nicType = n }
        }
        let description = f["Description"] ?? ""
        if !description.isEmpty, description.count > 512 || description.hasPrefix("http://") || description.hasPrefix("https://") {
            throw .ruleDescriptionMalformed
        }
        return SecurityGroupRule(id: id, direction: ingress ? "ingress" : "egress", ipProtocol: proto, portRange: portRange,
                                 sourceCidrIp: sourceCidr, ipv6SourceCidrIp: v6Source, sourceGroupId: f["SourceGroupId"] ?? "",
                                 sourcePortRange: sourcePortRange, sourcePrefixListId: f["SourcePrefixListId"] ?? "",
                                 destCidrIp: destCidr, ipv6DestCidrIp: v6Dest, destGroupId: f["DestGroupId"] ?? "",
                                 destPrefixListId: f["DestPrefixListId"] ?? "", policy: policy, priority: priority,
                                 nicType: nicType, description: description, createdAt: now)
    }

    /// TCP and UDP: `from/to`, 1 ≤ from ≤ to ≤ 65535. The others: `-1/-1` (given or not).
    static func portRange(_ given: String?, protocol proto: String) throws(DomainError) -> String {
        let ported = proto == "TCP" || proto == "UDP"
        guard let r = given else {
            if ported { throw .missingParameter("PortRange") }
            return "-1/-1"
        }
        if ported {
            guard validRange(r, allowAny: false) else { throw .portRangeInvalid(r) }
            return r
        }
        guard r == "-1/-1" else { throw .portRangeInvalid(r) }
        return r
    }

    static func validRange(_ r: String, allowAny: Bool) -> Bool {
        if allowAny && r == "-1/-1" { return true }
        let parts = r.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 5 && $0.allSatisfy(\.isASCII) }),
              let from = Int(parts[0]), let to = Int(parts[1]) else { return false }
        return 1 <= from && from <= to && to <= 65535
    }

    /// An IPv4 address or block, as ECS keeps it (as given); "" when absent.
    static func v4(_ text: String?, _ error: (String) -> DomainError) throws(DomainError) -> String {
        guard let text else { return "" }
        guard let n = IPNetwork(text), !n.address.isV6, text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "/" }) else {
            throw error(text)
        }
        return text
    }

    static func v6(_ text: String?, parameter: String) throws(DomainError) -> String {
        guard let text else { return "" }
        guard let n = IPNetwork(text), n.address.isV6 else { throw .ipv6CidrInvalid(parameter: parameter, value: text) }
        return text
    }

    /// The ingress rules an SSH admission evaluates: Accept/Drop over TCP from an address block.
    public static func ingress(_ groups: [SecurityGroupRecord]) -> [IngressRule] {
        groups.flatMap(\.rules).filter { $0.direction == "ingress" }.map { r in
            let cidr = !r.sourceCidrIp.isEmpty ? r.sourceCidrIp : (!r.ipv6SourceCidrIp.isEmpty ? r.ipv6SourceCidrIp : nil)
            return IngressRule(ipProtocol: r.ipProtocol, portRange: r.portRange, sourceCidr: cidr,
                               policy: r.policy == "Drop" ? .drop : .accept, priority: r.priority)
        }
    }

    /// Whether a connection from `client` to TCP `port` of an instance in `groups` is admitted.
    /// An instance in no group (LocalECS lets one launch without) admits everything, as before
    /// security groups existed; in groups, ECS's evaluation decides (no matching rule: refused).
    /// `groups` nil: the instance is in no group.
    public static func admits(client: String, port: Int, groups: [SecurityGroupRecord]?) -> Bool {
        guard let groups else { return true }
        return SecurityGroupEvaluation.admitsTCP(port: port, from: client, rules: ingress(groups))
    }
}
