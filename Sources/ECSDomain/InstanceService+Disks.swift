import ECSStore

/// A disk as DescribeDisks shows it: an instance's system disk, or one of the data disks made
/// with it. Both are part of the instance's record: created with the instance and released with
/// it (ECS's default, `DeleteWithInstance=true`, the only one LocalECS takes), so neither has a
/// row of its own.
public struct DiskView: Sendable {
    public var instance: InstanceView
    /// nil for the system disk.
    public var data: DataDiskRecord?

    public init(instance: InstanceView, data: DataDiskRecord? = nil) { self.instance = instance; self.data = data }

    public var id: String {
        data.map { Self.diskId(instanceId: instance.record.id, index: $0.index) } ?? Self.diskId(instanceId: instance.record.id)
    }
    public var category: String { data?.category ?? instance.record.systemDiskCategory }
    public var size: Int { data?.size ?? instance.record.systemDiskSize }
    public var type: String { data == nil ? "system" : "data" }
    public var status: String { "In_use" }
    public var name: String { data?.name ?? "" }
    public var description: String { data?.description ?? "" }
    public var device: String { data?.device ?? "/dev/xvda" }
    /// A data disk's level as made; a system disk's ESSD is PL0 (what ECS gives by default).
    public var performanceLevel: String {
        if let d = data { return d.performanceLevel }
        return category == "cloud_essd" ? "PL0" : ""
    }

    /// `d-` and the instance ID's suffix: stable, unique, and leads back to the instance.
    public static func diskId(instanceId: String) -> String { "d-" + instanceId.dropFirst(2) }
    /// A data disk's: the system disk's ID, `-` and N of `DataDisk.N` (instance IDs hold no `-`).
    public static func diskId(instanceId: String, index: Int) -> String { diskId(instanceId: instanceId) + "-" + String(index) }
    static func instanceId(diskId: String) -> String? {
        guard diskId.hasPrefix("d-") else { return nil }
        var rest = diskId.dropFirst(2)
        if let dash = rest.lastIndex(of: "-"), !rest[rest.index(after: dash)...].isEmpty,
           rest[rest.index(after: dash)...].allSatisfy(\.isASCII), rest[rest.index(after: dash)...].allSatisfy(\.isNumber) {
            rest = rest[..<dash]
        }
        return "i-" + rest
    }

    /// The instance's disks in DescribeDisks' order: the system disk, then the data disks by N.
    static func all(of v: InstanceView) -> [DiskView] {
        [DiskView(instance: v)] + v.record.dataDisks.map { DiskView(instance: v, data: $0) }
    }
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

    /// DescribeDisks over the instances' disks, oldest instance first.
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
        let wanted: Set<String>? = f.ids.map { Set($0) }
        let all: [DiskView] = page.items.flatMap { DiskView.all(of: view($0, at: now)) }
        let disks = all.filter { (d: DiskView) -> Bool in
            if let w = wanted, !w.contains(d.id) { return false }
            if let t = f.diskType, t != "all", t != d.type { return false }
            if let c = f.category, c != d.category { return false }
            if let s = f.status, s != "All", s != d.status { return false }
            if let n = f.name, n != d.name { return false }
            // A disk carries no tags of its own (ECS does not copy the instance's).
            return f.tags.isEmpty
        }
        return Page(total: disks.count, items: Array(disks.dropFirst(offset).prefix(limit)))
    }
}
