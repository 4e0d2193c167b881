import ECSKeys
import ECSStore

/// A group as DescribeSecurityGroups shows it: the record and how many instances are in it.
public struct SecurityGroupView: Sendable {
    public var record: SecurityGroupRecord
    public var instanceCount: Int
}

/// DescribeSecurityGroups' filters, after parsing.
public struct SecurityGroupFilter: Sendable {
    public var ids: [String]?
    public var name: String?
    public var fuzzy: Bool
    public var vpcId: String?
    public var groupType: String?
    public var networkType: String?
    public var resourceGroupId: String?
    public var tags: [ResourceTag]

    public init(ids: [String]? = nil, name: String? = nil, fuzzy: Bool = false, vpcId: String? = nil, groupType: String? = nil,
                networkType: String? = nil, resourceGroupId: String? = nil, tags: [ResourceTag] = []) {
        self.ids = ids; self.name = name; self.fuzzy = fuzzy; self.vpcId = vpcId; self.groupType = groupType
        self.networkType = networkType; self.resourceGroupId = resourceGroupId; self.tags = tags
    }
}

/// Security groups: create, describe, modify, delete, their rules, and which instances are in them.
///
/// A group with a `VpcId` is a VPC group, one without a classic group (decisions.md). Every
/// check of a call happens before its one write: a refused call changes nothing.
public struct SecurityGroupService: Sendable {
    let store: any Store
    let clock: any Clock
    let config: DomainConfig

    public init(store: any Store, clock: any Clock, config: DomainConfig) {
        self.store = store; self.clock = clock; self.config = config
    }

    /// `sg-` + 20 lower-case alphanumerics; rules `sgr-` + 20.
    static func newId() -> String { "sg-" + IDs.random(20) }
    static func newRuleId() -> String { "sgr-" + IDs.random(20) }

    public func create(_ caller: Caller, region: String, name: String?, description: String?, vpcId: String?,
                       groupType: String?, resourceGroupId: String?, tags: [ResourceTag], clientToken: String?) async throws -> String {
        _ = try Validation.region(region)
        if let n = name, !Validation.isValidKeyPairName(n) { throw DomainError.securityGroupNameMalformed(n) }
        if let d = description, !Validation.isValidDescription(d) { throw DomainError.securityGroupDescriptionMalformed }
        if let v = vpcId, !Self.isVpcId(v) { throw DomainError.vpcIdMalformed(v) }
        let type = groupType ?? "normal"
        guard type == "normal" || type == "enterprise" else { throw DomainError.securityGroupTypeInvalid(type) }
        try Validation.checkTags(tags)
        try Validation.checkResourceGroup(resourceGroupId)
        if let t = clientToken, t.count > 64 || !t.allSatisfy(\.isASCII) { throw DomainError.clientTokenMalformed }
        let account = caller.accountId
        let now = clock.nowMillis()
        let quota = config.securityGroupQuota
        let digest = "sha256:" + SecretHash.sha256Hex([region, name ?? "", description ?? "", vpcId ?? "", type,
                                                        resourceGroupId ?? "", TagCodec.encode(tags)].joined(separator: "\u{1F}"))
        let record = SecurityGroupRecord(accountId: account, regionId: region, id: Self.newId(), name: name ?? "",
                                         description: description ?? "", vpcId: vpcId ?? "", groupType: type,
                                         resourceGroupId: resourceGroupId ?? "", tags: tags, rules: [], createdAt: now)
        return try await store.write { tx in
            if let token = clientToken, let prior = try tx.idempotency(account: account, token: token, action: "CreateSecurityGroup") {
                guard prior.requestDigest == digest else { throw DomainError.idempotentParameterMismatch }
                return prior.result
            }
            if try tx.securityGroupCount(account: account, region: region) >= quota {
                throw DomainError.securityGroupQuotaExceeded(limit: quota)
            }
            // The VPC must exist in the account and region. Networks are locked first, so a
            // concurrent DeleteVpc either sees this group or runs before the check.
            if let v = vpcId {
                try tx.lockNetworks(account: account, region: region)
                guard try tx.vpc(account: account, region: region, id: v) != nil else { throw NetworkError.vpcNotFound(v) }
            }
            try tx.insertSecurityGroup(record)
            if let token = clientToken {
                try tx.insertIdempotency(IdempotencyRecord(accountId: account, token: token, action: "CreateSecurityGroup",
                                                           requestDigest: digest, result: record.id, createdAt: now))
            }
            return record.id
        }
    }

    /// `vpc-` followed by lower-case letters and digits (the form; whether it exists is the VPC API's).
    static func isVpcId(_ v: String) -> Bool {
        let rest = v.dropFirst(4)
        return v.hasPrefix("vpc-") && !rest.isEmpty && rest.count <= 64 && rest.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
    }

    /// Groups oldest first; `offset`/`limit` page them.
    public func describe(_ caller: Caller, region: String, filter f: SecurityGroupFilter, offset: Int, limit: Int) async throws -> Page<SecurityGroupView> {
        _ = try Validation.region(region)
        if let n = f.networkType, n != "vpc" && n != "classic" { throw DomainError.networkTypeInvalid(n) }
        var match: NameMatch?
        if let n = f.name { match = f.fuzzy ? .wildcard("*" + n + "*") : (n.contains("*") ? .wildcard(n) : .exact(n)) }
        let query = SecurityGroupQuery(ids: f.ids, name: match, vpcId: f.vpcId, groupType: f.groupType,
                                       resourceGroupId: f.resourceGroupId, tags: f.tags)
        let account = caller.accountId
        let network = f.networkType
        return try await store.read { tx in
            var all = try tx.securityGroups(account: account, region: region, query: query)
            if let network { all = all.filter { ($0.vpcId.isEmpty ? "classic" : "vpc") == network } }
            let page = all.dropFirst(offset).prefix(limit)
            return Page(total: all.count, items: try page.map {
                SecurityGroupView(record: $0, instanceCount: try tx.instancesInSecurityGroup(account: account, id: $0.id))
            })
        }
    }

    /// One group of the caller's in the region, or `InvalidSecurityGroupId.NotFound`.
    public func get(_ caller: Caller, region: String, id: String) async throws -> SecurityGroupRecord {
        _ = try Validation.region(region)
        let account = caller.accountId
        guard let g = try await store.read({ try $0.securityGroup(account: account, id: id) }), g.regionId == region else {
            throw DomainError.securityGroupNotFound(id)
        }
        return g
    }

    /// Group names by ID (for `SourceGroupName`/`DestGroupName`), of the caller's account.
    public func names(_ caller: Caller, ids: [String]) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let account = caller.accountId
        let groups = try await store.read { try $0.securityGroups(ids: ids) }
        return Dictionary(groups.filter { $0.accountId == account }.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// Adds rules, all or none. A rule identical to one the group has is not added again (ECS
    /// treats the call as done); the group holds at most 200 rules.
    public func authorize(_ caller: Caller, region: String, id: String, rules fields: [RuleFields], ingress: Bool) async throws {
        guard !fields.isEmpty else { throw DomainError.missingParameter("IpProtocol") }
        let now = clock.nowMillis()
        try await change(caller, region: region, id: id) { tx, g in
            let inVpc = !g.vpcId.isEmpty
            var known = Set(g.rules.map(\.identity))
            for f in fields {
                let rule = try SecurityGroupRules.rule(f, ingress: ingress, inVpc: inVpc, id: Self.newRuleId(), at: now)
                try Self.checkPeer(tx, account: g.accountId, region: g.regionId, rule: rule)
                guard known.insert(rule.identity).inserted else { continue }
                g.rules.append(rule)
            }
            if g.rules.count > SecurityGroupRules.maxRulesPerGroup {
                throw DomainError.ruleLimitExceeded(limit: SecurityGroupRules.maxRulesPerGroup)
            }
        }
    }

    /// Removes rules named by ID (each must exist) or by their fields (a rule the group does not
    /// have is nothing to remove, as on ECS). All or none.
    public func revoke(_ caller: Caller, region: String, id: String, ruleIds: [String], rules fields: [RuleFields], ingress: Bool) async throws {
        guard !fields.isEmpty || !ruleIds.isEmpty else { throw DomainError.missingParameter("IpProtocol") }
        let now = clock.nowMillis()
        let direction = ingress ? "ingress" : "egress"
        try await change(caller, region: region, id: id) { _, g in
            for rid in ruleIds where !g.rules.contains(where: { $0.id == rid && $0.direction == direction }) {
                throw DomainError.ruleIdNotFound(rid)
            }
            var drop = Set<String>()
            for f in fields {
                drop.insert(try SecurityGroupRules.rule(f, ingress: ingress, inVpc: !g.vpcId.isEmpty, id: "", at: now).identity)
            }
            let ids = Set(ruleIds)
            g.rules.removeAll { ids.contains($0.id) || drop.contains($0.identity) }
        }
    }

    public func modify(_ caller: Caller, region: String, id: String, name: String?, description: String?) async throws {
        if let n = name, !Validation.isValidKeyPairName(n) { throw DomainError.securityGroupNameMalformed(n) }
        if let d = description, !Validation.isValidDescription(d) { throw DomainError.securityGroupDescriptionMalformed }
        try await change(caller, region: region, id: id) { _, g in
            if let name { g.name = name }
            if let description { g.description = description }
        }
    }

    /// Refused while an instance is in the group (`DependencyViolation`).
    public func delete(_ caller: Caller, region: String, id: String) async throws {
        _ = try Validation.region(region)
        let account = caller.accountId
        try await store.write { tx in
            guard let g = try tx.securityGroup(account: account, id: id), g.regionId == region else {
                throw DomainError.securityGroupNotFound(id)
            }
            if try tx.instancesInSecurityGroup(account: account, id: id) > 0 { throw DomainError.securityGroupInUse(id) }
            try tx.deleteSecurityGroup(account: account, id: id)
        }
    }

    /// Puts an instance in a group (Running or Stopped; at most 5 groups, all in one VPC or all classic).
    public func join(_ caller: Caller, region: String?, id: String, instanceId: String) async throws {
        try await membership(caller, region: region, id: id, instanceId: instanceId) { tx, g, r in
            if r.securityGroupIds.contains(g.id) { throw DomainError.instanceAlreadyInGroup(r.id) }
            if r.securityGroupIds.count >= SecurityGroupRules.maxGroupsPerInstance {
                throw DomainError.instanceGroupLimitExceeded(limit: SecurityGroupRules.maxGroupsPerInstance)
            }
            if let first = r.securityGroupIds.first, let other = try tx.securityGroup(account: r.accountId, id: first), other.vpcId != g.vpcId {
                throw DomainError.securityGroupVpcMismatch
            }
            // An instance in a vSwitch only joins groups of its VPC.
            if !r.vpcId.isEmpty, g.vpcId != r.vpcId {
                throw NetworkError.securityGroupVSwitchMismatch(vpcId: r.vpcId, groupVpcId: g.vpcId)
            }
            r.securityGroupIds.append(g.id)
        }
    }

    /// Takes an instance out of a group; never out of its last one (ECS: every instance is in one).
    public func leave(_ caller: Caller, region: String?, id: String, instanceId: String) async throws {
        try await membership(caller, region: region, id: id, instanceId: instanceId) { _, g, r in
            guard r.securityGroupIds.contains(g.id) else { throw DomainError.instanceNotInGroup(g.id) }
            if r.securityGroupIds.count == 1 { throw DomainError.instanceLastSecurityGroup(g.id) }
            r.securityGroupIds.removeAll { $0 == g.id }
        }
    }

    private func membership(_ caller: Caller, region: String?, id: String, instanceId: String,
                            _ body: @escaping @Sendable (any StoreWriter, SecurityGroupRecord, inout InstanceRecord) throws -> Void) async throws {
        if let region { _ = try Validation.region(region) }
        let account = caller.accountId
        let now = clock.nowMillis()
        try await store.write { tx in
            guard var r = try tx.instancesForUpdate(account: account, ids: [instanceId]).first, region == nil || r.regionId == region else {
                throw DomainError.instanceNotFound(instanceId)
            }
            guard let g = try tx.securityGroup(account: account, id: id), g.regionId == r.regionId else {
                throw DomainError.securityGroupNotFound(id)
            }
            let status = r.status(at: now)
            guard status == .running || status == .stopped else {
                throw DomainError.incorrectInstanceStatus(id: r.id, status: status.rawValue)
            }
            try body(tx, g, &r)
            try tx.updateInstance(r)
        }
    }

    private func change(_ caller: Caller, region: String, id: String,
                        _ body: @escaping @Sendable (any StoreWriter, inout SecurityGroupRecord) throws -> Void) async throws {
        _ = try Validation.region(region)
        let account = caller.accountId
        try await store.write { tx in
            guard var g = try tx.securityGroup(account: account, id: id), g.regionId == region else {
                throw DomainError.securityGroupNotFound(id)
            }
            try body(tx, &g)
            try tx.updateSecurityGroup(g)
        }
    }

    /// A rule naming another group needs that group, in the caller's account and region.
    static func checkPeer(_ tx: any StoreReader, account: String, region: String, rule: SecurityGroupRule) throws {
        if !rule.sourceGroupId.isEmpty {
            guard let p = try tx.securityGroup(account: account, id: rule.sourceGroupId), p.regionId == region else {
                throw DomainError.sourceGroupNotFound(rule.sourceGroupId)
            }
        }
        if !rule.destGroupId.isEmpty {
            guard let p = try tx.securityGroup(account: account, id: rule.destGroupId), p.regionId == region else {
                throw DomainError.destGroupNotFound(rule.destGroupId)
            }
        }
    }
}
