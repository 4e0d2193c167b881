import ECSStore

/// One tag of one resource, as ListTagResources lists it.
public struct TaggedResource: Sendable, Equatable {
    public var resourceType: String
    public var resourceId: String
    public var key: String
    public var value: String
}

/// TagResources, UntagResources, ListTagResources over the tags the resources' own records keep
/// (the same tags RunInstances, CreateKeyPair and CreateSecurityGroup set, and the Describe
/// calls filter on). A key pair is named by its name, as ECS's `ResourceId` for `keypair` is.
public struct TagService: Sendable {
    let store: any Store

    public init(store: any Store) { self.store = store }

    public static let resourceTypes = ["instance", "keypair", "securitygroup"]
    /// ListTagResources' page (ECS: 50 tags a page).
    public static let pageSize = 50

    static func type(_ t: String) throws(DomainError) -> String {
        let lower = t.lowercased()
        guard resourceTypes.contains(lower) else { throw .resourceTypeInvalid(t) }
        return lower
    }

    /// Adds or overwrites tags on every resource, all or none; a resource ends with at most 20.
    public func tag(_ caller: Caller, region: String, type: String, ids: [String], tags: [ResourceTag]) async throws {
        _ = try Validation.region(region)
        let kind = try Self.type(type)
        // Required, checked here: the generic parser's MissingParameter names plain parameters.
        guard !ids.isEmpty else { throw DomainError.missingParameter("ResourceId.1") }
        guard !tags.isEmpty else { throw DomainError.tagsMissing }
        try Validation.checkTags(tags)
        try await edit(caller, region: region, type: kind, ids: ids) { current in
            var out = current
            for t in tags {
                if let i = out.firstIndex(where: { $0.key == t.key }) { out[i].value = t.value } else { out.append(t) }
            }
            if out.count > 20 { throw DomainError.tooManyTags(out.count) }
            return out
        }
    }

    /// Removes the named keys (absent ones are nothing to remove), or every tag with `all`.
    public func untag(_ caller: Caller, region: String, type: String, ids: [String], keys: [String], all: Bool) async throws {
        _ = try Validation.region(region)
        let kind = try Self.type(type)
        guard !ids.isEmpty else { throw DomainError.missingParameter("ResourceId.1") }
        guard all || !keys.isEmpty else { throw DomainError.missingParameter("TagKey.1") }
        let drop = Set(keys)
        try await edit(caller, region: region, type: kind, ids: ids) { current in
            all ? [] : current.filter { !drop.contains($0.key) }
        }
    }

    private func edit(_ caller: Caller, region: String, type: String, ids: [String],
                      _ change: @escaping @Sendable ([ResourceTag]) throws -> [ResourceTag]) async throws {
        let account = caller.accountId
        try await store.write { tx in
            switch type {
            case "instance":
                let found = try tx.instancesForUpdate(account: account, ids: ids).filter { $0.regionId == region }
                if let missing = ids.first(where: { id in !found.contains { $0.id == id } }) {
                    throw DomainError.tagResourceNotFound(type: type, id: missing)
                }
                for var r in found { r.tags = try change(r.tags); try tx.updateInstance(r) }
            case "keypair":
                var found: [KeyPairRecord] = []
                for id in ids {
                    guard let k = try tx.keyPair(account: account, region: region, name: id) else {
                        throw DomainError.tagResourceNotFound(type: type, id: id)
                    }
                    found.append(k)
                }
                for k in found { try tx.updateKeyPairTags(account: account, region: region, name: k.name, tags: try change(k.tags)) }
            default:
                var found: [SecurityGroupRecord] = []
                for id in ids {
                    guard let g = try tx.securityGroup(account: account, id: id), g.regionId == region else {
                        throw DomainError.tagResourceNotFound(type: type, id: id)
                    }
                    found.append(g)
                }
                for var g in found { g.tags = try change(g.tags); try tx.updateSecurityGroup(g) }
            }
        }
    }

    /// The tags of the named resources (unknown IDs have none), or of every resource of the type
    /// that has all of `tags` and every key of `tagKeys`; one page from `offset`, and the next
    /// page's offset if more remain.
    public func list(_ caller: Caller, region: String, type: String, ids: [String]?, tags: [ResourceTag], tagKeys: [String],
                     offset: Int) async throws -> (items: [TaggedResource], next: Int?) {
        _ = try Validation.region(region)
        let kind = try Self.type(type)
        let account = caller.accountId
        let resources: [(String, [ResourceTag])] = try await store.read { tx in
            switch kind {
            case "instance":
                return try tx.instances(account: account, region: region, query: InstanceQuery(ids: ids)).items.map { ($0.id, $0.tags) }
            case "keypair":
                if let ids {
                    return try ids.compactMap { try tx.keyPair(account: account, region: region, name: $0) }.map { ($0.name, $0.tags) }
                }
                return try tx.keyPairs(account: account, region: region, query: KeyPairQuery(limit: Int.max)).items.map { ($0.name, $0.tags) }
            default:
                return try tx.securityGroups(account: account, region: region, query: SecurityGroupQuery(ids: ids)).map { ($0.id, $0.tags) }
            }
        }
        var rows: [TaggedResource] = []
        for (id, t) in resources where t.satisfies(tags) && tagKeys.allSatisfy({ k in t.contains { $0.key == k } }) {
            rows += t.map { TaggedResource(resourceType: kind, resourceId: id, key: $0.key, value: $0.value) }
        }
        let page = Array(rows.dropFirst(offset).prefix(Self.pageSize))
        let end = offset + page.count
        return (page, end < rows.count ? end : nil)
    }
}
