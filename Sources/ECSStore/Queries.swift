/// How a name filter matches: exactly, or with `*` wildcards (`kp-*`, `*key*`).
public enum NameMatch: Sendable, Equatable {
    case exact(String)
    case wildcard(String)
}

/// A DescribeKeyPairs query: filters combine with AND; tags must all be present.
public struct KeyPairQuery: Sendable, Equatable {
    public var name: NameMatch?
    public var fingerprint: String?
    public var resourceGroupId: String?
    public var tags: [ResourceTag]
    public var offset: Int
    public var limit: Int

    public init(name: NameMatch? = nil, fingerprint: String? = nil, resourceGroupId: String? = nil,
                tags: [ResourceTag] = [], offset: Int = 0, limit: Int = 10) {
        self.name = name; self.fingerprint = fingerprint; self.resourceGroupId = resourceGroupId
        self.tags = tags; self.offset = offset; self.limit = limit
    }
}

/// A DescribeInstances query on stored columns. Status is derived from time, so the domain
/// filters it after the store; `offset`/`limit` nil means "all rows" for that case.
public struct InstanceQuery: Sendable, Equatable {
    public var ids: [String]?
    public var keyPairName: String?
    public var name: NameMatch?
    public var imageId: String?
    public var instanceType: String?
    public var zoneId: String?
    public var resourceGroupId: String?
    public var vpcId: String?
    public var vSwitchId: String?
    public var tags: [ResourceTag]
    /// Instances in this security group.
    public var securityGroupId: String?
    public var offset: Int?
    public var limit: Int?

    public init(ids: [String]? = nil, keyPairName: String? = nil, name: NameMatch? = nil, imageId: String? = nil,
                instanceType: String? = nil, zoneId: String? = nil, resourceGroupId: String? = nil,
                vpcId: String? = nil, vSwitchId: String? = nil,
                tags: [ResourceTag] = [], securityGroupId: String? = nil, offset: Int? = nil, limit: Int? = nil) {
        self.securityGroupId = securityGroupId
        self.ids = ids; self.keyPairName = keyPairName; self.name = name; self.imageId = imageId
        self.instanceType = instanceType; self.zoneId = zoneId; self.resourceGroupId = resourceGroupId
        self.vpcId = vpcId; self.vSwitchId = vSwitchId
        self.tags = tags; self.offset = offset; self.limit = limit
    }
}

/// One page of results and the total that matched.
public struct Page<T: Sendable>: Sendable {
    public var total: Int
    public var items: [T]
    public init(total: Int, items: [T]) { self.total = total; self.items = items }
}

extension Array where Element == ResourceTag {
    /// Whether a resource with these tags passes a Describe call's tag filters: every filter must
    /// match; a filter with a value needs exactly that tag, one without a value only the key.
    /// Every backend filters through this one function, so they agree.
    public func satisfies(_ filters: [ResourceTag]) -> Bool {
        filters.allSatisfy { f in contains { $0.key == f.key && (f.value.isEmpty || $0.value == f.value) } }
    }
}

extension Page {
    /// The `NextToken` that follows this page when it began at row `offset`: "" on the last page.
    public func nextToken(after offset: Int) -> String {
        let (end, overflow) = offset.addingReportingOverflow(items.count)
        return !overflow && end < total ? String(end) : ""
    }
}
