import ECSStore

/// A disk as DescribeDisks shows it. LocalECS keeps only system disks, and a system disk is part
/// of its instance's record: it is created with the instance and released with it (ECS's default,
/// `DeleteWithInstance=true`), so it has no row of its own.
public struct DiskView: Sendable {
    public var instance: InstanceView
    public var id: String { Self.diskId(instanceId: instance.record.id) }
    public var category: String { instance.record.systemDiskCategory }
    public var size: Int { instance.record.systemDiskSize }
    public var type: String { "system" }
    public var status: String { "In_use" }
    public var name: String { "" }
    public var device: String { "/dev/xvda" }

    /// `d-` and the instance ID's suffix: stable, unique, and leads back to the instance.
    public static func diskId(instanceId: String) -> String { "d-" + instanceId.dropFirst(2) }
    static func instanceId(diskId: String) -> String? { diskId.hasPrefix("d-") ? "i-" + diskId.dropFirst(2) : nil }
}

/// DescribeDisks filters, after parsing; all combine with AND.
public struct DiskFilter: Sendable {
    public var ids: [String]?
    public var instanceId: String?
    public var zoneId: String?
    public var diskType: String?
    public var category: String?
    public var status: String?
    public var name: String?
    public var resourceGroupId: String?
    public var tags: [ResourceTag]

    public init(ids: [String]? = nil, instanceId: String? = nil, zoneId: String? = nil, diskType: String? = nil,
                category: String? = nil, status: String? = nil, name: String? = nil, resourceGroupId: String? = nil,
                tags: [ResourceTag] = []) {
        self.ids = ids; self.instanceId = instanceId; self.zoneId = zoneId; self.diskType = diskType
        self.category = category; self.status = status; self.name = name; self.resourceGroupId = resourceGroupId
        self.tags = tags
    }
}

extension InstanceService {
    /// DescribeUserData: what the launch gave, or nil.
    public func userData(_ caller: Caller, id: String, region: String) async throws -> InstanceView {
        _ = try Validation.region(region)
        return try await get(caller, id: id, region: region)
    }

    /// DescribeDisks over the instances' system disks, oldest instance first.
    public func disks(_ caller: Caller, region: String, filter f: DiskFilter, offset: Int, limit: Int) async throws -> Page<DiskView> {
        _ = try Validation.region(region)
        if let t = f.diskType, !["all", "system", "data"].contains(t) {
            throw DomainError.invalidParameter("DiskType", "It must be all, system or data.")
        }
        var ids: Set<String>?
        if let diskIds = f.ids { ids = Set(diskIds.compactMap(DiskView.instanceId(diskId:))) }
        if let i = f.instanceId { ids = ids.map { $0.intersection([i]) } ?? [i] }
        let query = InstanceQuery(ids: ids.map { $0.sorted() }, zoneId: f.zoneId, resourceGroupId: f.resourceGroupId)
        let account = caller.accountId
        let page = try await store.read { try $0.instances(account: account, region: region, query: query) }
        let now = clock.nowMillis()
        let disks = page.items.map { DiskView(instance: view($0, at: now)) }.filter { d in
            (f.diskType == nil || f.diskType == "all" || f.diskType == d.type)
                && (f.category == nil || f.category == d.category)
                && (f.status == nil || f.status == "All" || f.status == d.status)
                && (f.name == nil || f.name == d.name)
                // A system disk carries no tags of its own (ECS does not copy the instance's).
                && f.tags.isEmpty
        }
        return Page(total: disks.count, items: Array(disks.dropFirst(offset).prefix(limit)))
    }
}
