import Foundation

/// One rule of a security group, as AuthorizeSecurityGroup(Egress) made it.
///
/// Values are kept as ECS reports them in DescribeSecurityGroupAttribute: `ipProtocol`
/// upper-case (`TCP`, `ALL`, `ICMPv6`), `policy` `Accept`/`Drop`, `direction` `ingress`/`egress`.
public struct SecurityGroupRule: Sendable, Equatable, Hashable, Codable {
    public var id: String
    public var direction: String
    public var ipProtocol: String
    public var portRange: String
    public var sourceCidrIp: String
    public var ipv6SourceCidrIp: String
    public var sourceGroupId: String
    public var sourcePortRange: String
    public var sourcePrefixListId: String
    public var destCidrIp: String
    public var ipv6DestCidrIp: String
    public var destGroupId: String
    public var destPrefixListId: String
    public var policy: String
    public var priority: Int
    public var nicType: String
    public var description: String
    public var createdAt: Int64

    public init(id: String, direction: String, ipProtocol: String, portRange: String, sourceCidrIp: String = "",
                ipv6SourceCidrIp: String = "", sourceGroupId: String = "", sourcePortRange: String = "",
                sourcePrefixListId: String = "", destCidrIp: String = "", ipv6DestCidrIp: String = "", destGroupId: String = "",
                destPrefixListId: String = "", policy: String = "Accept", priority: Int = 1, nicType: String = "intranet",
                description: String = "", createdAt: Int64) {
        self.id = id; self.direction = direction; self.ipProtocol = ipProtocol; self.portRange = portRange
        self.sourceCidrIp = sourceCidrIp; self.ipv6SourceCidrIp = ipv6SourceCidrIp; self.sourceGroupId = sourceGroupId
        self.sourcePortRange = sourcePortRange; self.sourcePrefixListId = sourcePrefixListId; self.destCidrIp = destCidrIp
        self.ipv6DestCidrIp = ipv6DestCidrIp; self.destGroupId = destGroupId; self.destPrefixListId = destPrefixListId
        self.policy = policy; self.priority = priority; self.nicType = nicType; self.description = description
        self.createdAt = createdAt
    }

    /// What makes two rules the same rule (ECS: everything but the ID, description and time).
    /// Authorizing it again changes nothing; revoking by fields removes the rule that has it.
    public var identity: String {
        [direction, ipProtocol.lowercased(), portRange, sourceCidrIp, ipv6SourceCidrIp, sourceGroupId, sourcePortRange,
         sourcePrefixListId, destCidrIp, ipv6DestCidrIp, destGroupId, destPrefixListId, policy.lowercased(),
         String(priority), nicType].joined(separator: "\u{1F}")
    }
}

/// A security group as stored, its rules with it (a group holds at most 200: one row, one write).
public struct SecurityGroupRecord: Sendable, Equatable {
    public var accountId: String
    public var regionId: String
    public var id: String
    public var name: String
    public var description: String
    /// "" for a classic group; the VPC's ID for a VPC group.
    public var vpcId: String
    /// `normal` or `enterprise`.
    public var groupType: String
    public var resourceGroupId: String
    public var tags: [ResourceTag]
    public var rules: [SecurityGroupRule]
    public var createdAt: Int64

    public init(accountId: String, regionId: String, id: String, name: String, description: String, vpcId: String,
                groupType: String, resourceGroupId: String, tags: [ResourceTag], rules: [SecurityGroupRule], createdAt: Int64) {
        self.accountId = accountId; self.regionId = regionId; self.id = id; self.name = name
        self.description = description; self.vpcId = vpcId; self.groupType = groupType
        self.resourceGroupId = resourceGroupId; self.tags = tags; self.rules = rules; self.createdAt = createdAt
    }
}

/// A DescribeSecurityGroups query: filters combine with AND.
public struct SecurityGroupQuery: Sendable, Equatable {
    public var ids: [String]?
    public var name: NameMatch?
    public var vpcId: String?
    public var groupType: String?
    public var resourceGroupId: String?
    public var tags: [ResourceTag]

    public init(ids: [String]? = nil, name: NameMatch? = nil, vpcId: String? = nil, groupType: String? = nil,
                resourceGroupId: String? = nil, tags: [ResourceTag] = []) {
        self.ids = ids; self.name = name; self.vpcId = vpcId; self.groupType = groupType
        self.resourceGroupId = resourceGroupId; self.tags = tags
    }

    /// Whether a group passes the filters the SQL did not apply (name wildcard, tags): every
    /// backend filters through this one function, so they agree.
    public func admits(_ g: SecurityGroupRecord) -> Bool {
        switch name {
        case .exact(let n)?: if g.name != n { return false }
        case .wildcard(let p)?: if !NameMatch.wildcardMatches(p, g.name) { return false }
        case nil: break
        }
        return g.tags.satisfies(tags)
    }
}

extension NameMatch {
    /// `*` matches any run of characters; everything else matches itself.
    public static func wildcardMatches(_ pattern: String, _ text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == text }
        var rest = Substring(text)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let r = rest.range(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        return rest.hasSuffix(parts.last!)
    }
}

/// Rules packed into one text column (a JSON array), shared by the SQL backends.
public enum RuleCodec {
    public static func encode(_ rules: [SecurityGroupRule]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(rules)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    public static func decode(_ text: String) -> [SecurityGroupRule] {
        (try? JSONDecoder().decode([SecurityGroupRule].self, from: Data(text.utf8))) ?? []
    }

    /// `sg-1,sg-2` ↔ `["sg-1","sg-2"]`: an instance's groups in one column.
    public static func ids(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }
}
