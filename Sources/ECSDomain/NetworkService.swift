import ECSKeys
import ECSStore

/// A VPC or vSwitch status: `Pending` for one transition step after creation, then `Available`
/// (ECS's CreateVpc and CreateVSwitch are asynchronous and show exactly these two).
public enum NetworkStatus: String, Sendable {
    case pending = "Pending", available = "Available"

    static func at(_ now: Int64, availableAt: Int64) -> NetworkStatus { now >= availableAt ? .available : .pending }
}

public struct VpcView: Sendable {
    public var record: VpcRecord
    public var status: NetworkStatus
    /// The VPC's vSwitches, oldest first.
    public var vSwitchIds: [String]
}

public struct VSwitchView: Sendable {
    public var record: VSwitchRecord
    public var status: NetworkStatus
    /// Usable addresses not held by an instance.
    public var availableIpAddressCount: Int
}

/// DescribeVpcs / DescribeVSwitches filters, after parsing.
public struct NetworkFilter: Sendable {
    public var vpcIds: [String]?
    public var vSwitchId: String?
    public var zoneId: String?
    public var name: String?
    public var isDefault: Bool?
    public var resourceGroupId: String?
    public var tags: [ResourceTag]
    /// A filter on something no LocalECS network has (a DHCP option set, IPv6, another owner).
    public var matchesNothing = false

    public init(vpcIds: [String]? = nil, vSwitchId: String? = nil, zoneId: String? = nil, name: String? = nil,
                isDefault: Bool? = nil, resourceGroupId: String? = nil, tags: [ResourceTag] = []) {
        self.vpcIds = vpcIds; self.vSwitchId = vSwitchId; self.zoneId = zoneId; self.name = name
        self.isDefault = isDefault; self.resourceGroupId = resourceGroupId; self.tags = tags
    }
}

/// What CreateVpc / CreateVSwitch were asked for.
public struct NetworkSpec: Sendable {
    public var cidrBlock: String?
    public var name: String?
    public var description: String?
    public var resourceGroupId: String?
    public var tags: [ResourceTag]
    public var dryRun: Bool

    public init(cidrBlock: String?, name: String? = nil, description: String? = nil, resourceGroupId: String? = nil,
                tags: [ResourceTag] = [], dryRun: Bool = false) {
        self.cidrBlock = cidrBlock; self.name = name; self.description = description
        self.resourceGroupId = resourceGroupId; self.tags = tags; self.dryRun = dryRun
    }
}

/// VPCs and vSwitches (VPC API 2016-04-28) and the address allocation of instances in them.
public struct NetworkService: Sendable {
    let store: any Store
    let clock: any Clock
    let config: DomainConfig

    /// ECS's default quotas: 10 VPCs per region, 150 vSwitches per VPC.
    public static let vpcQuota = 10
    public static let vSwitchQuota = 150
    /// CreateVpc without `CidrBlock` gets ECS's default block.
    public static let defaultVpcCidr = "172.16.0.0/12"

    public init(store: any Store, clock: any Clock, config: DomainConfig) {
        self.store = store; self.clock = clock; self.config = config
    }

    public static func vpcId() -> String { "vpc-" + IDs.random(20) }
    public static func vSwitchId() -> String { "vsw-" + IDs.random(20) }

    /// A VPC's name or a vSwitch's: 1-128 characters, not starting with `http://` or `https://`.
    static func isValidName(_ n: String) -> Bool {
        !n.isEmpty && n.count <= 128 && !n.hasPrefix("http://") && !n.hasPrefix("https://")
    }

    /// 1-256 characters, not starting with `http://` or `https://`.
    static func isValidDescription(_ d: String) -> Bool {
        !d.isEmpty && d.count <= 256 && !d.hasPrefix("http://") && !d.hasPrefix("https://")
    }

    /// A VPC's block: canonical, inside a private range, mask 8-28.
    public static func vpcBlock(_ text: String) throws(NetworkError) -> CIDRBlock {
        guard let b = CIDRBlock(text) else { throw .cidrMalformed(text) }
        guard (8...28).contains(b.prefix), CIDRBlock.privateRanges.contains(where: { $0.contains(b) }) else {
            throw .vpcCidrUnsupported(text)
        }
        return b
    }

    /// A vSwitch's block: canonical, mask 16-29, inside its VPC's, overlapping no sibling.
    public static func vSwitchBlock(_ text: String, vpc: CIDRBlock, siblings: [VSwitchRecord]) throws(NetworkError) -> CIDRBlock {
        guard let b = CIDRBlock(text) else { throw .cidrMalformed(text) }
        guard (16...29).contains(b.prefix) else { throw .vSwitchCidrMask(text) }
        guard vpc.contains(b) else { throw .vSwitchCidrNotInVpc(cidr: text, vpcCidr: vpc.description) }
        for s in siblings {
            if let o = CIDRBlock(s.cidrBlock), o.overlaps(b) { throw .vSwitchCidrOverlapped(cidr: text, other: s.cidrBlock) }
        }
        return b
    }

    // MARK: VPCs

    /// `ClientToken`: the same token with the same request answers the first call's resource and
    /// creates nothing; with another request it is `IdempotentParameterMismatch`.
    func replay(_ tx: any StoreWriter, account: String, token: String?, action: String, digest: String) throws -> String? {
        guard let token, let prior = try tx.idempotency(account: account, token: token, action: action) else { return nil }
        guard prior.requestDigest == digest else { throw DomainError.idempotentParameterMismatch }
        return prior.result
    }

    func remember(_ tx: any StoreWriter, account: String, token: String?, action: String, digest: String, id: String, at now: Int64) throws {
        guard let token else { return }
        try tx.insertIdempotency(IdempotencyRecord(accountId: account, token: token, action: action, requestDigest: digest,
                                                   result: id, createdAt: now))
    }

    static func digest(_ fields: [String?], tags: [ResourceTag]) -> String {
        "sha256:" + SecretHash.sha256Hex((fields.map { $0 ?? "\u{0}" } + [TagCodec.encode(tags)]).joined(separator: "\u{1F}"))
    }

    public func createVpc(_ caller: Caller, region: String, _ spec: NetworkSpec, clientToken: String? = nil) async throws -> VpcRecord {
        _ = try Validation.region(region)
        let block = try Self.vpcBlock(spec.cidrBlock ?? Self.defaultVpcCidr)
        if let n = spec.name, !Self.isValidName(n) { throw NetworkError.vpcNameMalformed }
        if let d = spec.description, !Self.isValidDescription(d) { throw NetworkError.descriptionMalformed }
        try Validation.checkTags(spec.tags)
        try Validation.checkResourceGroup(spec.resourceGroupId)
        let now = clock.nowMillis()
        let record = VpcRecord(accountId: caller.accountId, regionId: region, id: Self.vpcId(), name: spec.name ?? "",
                               description: spec.description ?? "", cidrBlock: block.description,
                               resourceGroupId: spec.resourceGroupId ?? "", tags: spec.tags, createdAt: now,
                               availableAt: now + config.transitionMillis)
        let digest = Self.digest([region, spec.cidrBlock, spec.name, spec.description, spec.resourceGroupId], tags: spec.tags)
        return try await store.write { tx in
            try tx.lockNetworks(account: record.accountId, region: region)
            if let id = try replay(tx, account: record.accountId, token: clientToken, action: "CreateVpc", digest: digest) {
                return try tx.vpc(account: record.accountId, region: region, id: id) ?? VpcRecord(
                    accountId: record.accountId, regionId: region, id: id, name: "", description: "", cidrBlock: "",
                    resourceGroupId: "", tags: [], createdAt: 0, availableAt: 0)
            }
            let count = try tx.vpcs(account: record.accountId, region: region).count
            guard count < Self.vpcQuota else { throw NetworkError.vpcQuotaExceeded(limit: Self.vpcQuota) }
            if spec.dryRun { throw DomainError.dryRunPassed }
            try tx.insertVpc(record)
            try remember(tx, account: record.accountId, token: clientToken, action: "CreateVpc", digest: digest, id: record.id, at: now)
            return record
        }
    }

    public func describeVpcs(_ caller: Caller, region: String, filter f: NetworkFilter, offset: Int, limit: Int) async throws -> Page<VpcView> {
        _ = try Validation.region(region)
        if let ids = f.vpcIds, ids.count > 20 { throw NetworkError.tooManyVpcIds }
        let account = caller.accountId
        let (vpcs, vSwitches) = try await store.read { tx in
            (try tx.vpcs(account: account, region: region), try tx.vSwitches(account: account, region: region))
        }
        let now = clock.nowMillis()
        let matched = f.matchesNothing ? [] : vpcs.filter { v in
            (f.vpcIds.map { $0.contains(v.id) } ?? true) && (f.name.map { $0 == v.name } ?? true)
                // LocalECS makes no default VPC: IsDefault=true matches none.
                && (f.isDefault != true) && (f.resourceGroupId.map { $0 == v.resourceGroupId } ?? true)
                && v.tags.satisfies(f.tags)
        }
        let items = matched.dropFirst(offset).prefix(limit).map { v in
            VpcView(record: v, status: .at(now, availableAt: v.availableAt),
                    vSwitchIds: vSwitches.filter { $0.vpcId == v.id }.map(\.id))
        }
        return Page(total: matched.count, items: Array(items))
    }

    /// Refused while the VPC is Pending or holds vSwitches or instances (ECS's order: vSwitches first).
    public func deleteVpc(_ caller: Caller, region: String, id: String, dryRun: Bool) async throws {
        let account = caller.accountId
        let now = clock.nowMillis()
        try await store.write { tx in
            try tx.lockNetworks(account: account, region: region)
            guard let v = try tx.vpc(account: account, region: region, id: id) else { throw NetworkError.vpcNotFound(id) }
            guard NetworkStatus.at(now, availableAt: v.availableAt) == .available else { throw NetworkError.incorrectVpcStatus(id) }
            let d = try tx.vpcDependents(account: account, vpcId: id)
            if d.vSwitches > 0 { throw NetworkError.dependencyVSwitch(id) }
            if d.instances > 0 { throw NetworkError.dependencyInstance(id) }
            if try tx.securityGroupCount(account: account, vpcId: id) > 0 { throw NetworkError.dependencySecurityGroup(id) }
            if dryRun { throw DomainError.dryRunPassed }
            try tx.deleteVpc(account: account, id: id)
        }
    }

    // MARK: vSwitches

    public func createVSwitch(_ caller: Caller, region: String, vpcId: String, zoneId: String, _ spec: NetworkSpec,
                              clientToken: String? = nil) async throws -> VSwitchRecord {
        let r = try Validation.region(region)
        guard r.zones.contains(zoneId) else { throw NetworkError.zoneNotFound(zoneId) }
        guard let cidr = spec.cidrBlock else { throw DomainError.missingParameter("CidrBlock") }
        if let n = spec.name, !Self.isValidName(n) { throw NetworkError.vSwitchNameMalformed }
        if let d = spec.description, !Self.isValidDescription(d) { throw NetworkError.descriptionMalformed }
        try Validation.checkTags(spec.tags)
        let account = caller.accountId
        let now = clock.nowMillis()
        let step = config.transitionMillis
        let digest = Self.digest([region, vpcId, zoneId, cidr, spec.name, spec.description], tags: spec.tags)
        return try await store.write { tx in
            try tx.lockNetworks(account: account, region: region)
            if let id = try replay(tx, account: account, token: clientToken, action: "CreateVSwitch", digest: digest) {
                return try tx.vSwitch(account: account, region: region, id: id) ?? VSwitchRecord(
                    accountId: account, regionId: region, id: id, vpcId: vpcId, zoneId: zoneId, name: "", description: "",
                    cidrBlock: cidr, resourceGroupId: "", tags: [], createdAt: 0, availableAt: 0)
            }
            guard let vpc = try tx.vpc(account: account, region: region, id: vpcId) else { throw NetworkError.vpcNotFound(vpcId) }
            guard NetworkStatus.at(now, availableAt: vpc.availableAt) == .available else { throw NetworkError.incorrectVpcStatus(vpcId) }
            let siblings = try tx.vSwitches(account: account, region: region).filter { $0.vpcId == vpcId }
            guard let vpcBlock = CIDRBlock(vpc.cidrBlock) else { throw NetworkError.cidrMalformed(vpc.cidrBlock) }
            let block = try Self.vSwitchBlock(cidr, vpc: vpcBlock, siblings: siblings)
            guard siblings.count < Self.vSwitchQuota else { throw NetworkError.vSwitchQuotaExceeded(limit: Self.vSwitchQuota) }
            if spec.dryRun { throw DomainError.dryRunPassed }
            // A vSwitch takes its VPC's resource group unless told otherwise.
            let record = VSwitchRecord(accountId: account, regionId: region, id: Self.vSwitchId(), vpcId: vpcId, zoneId: zoneId,
                                       name: spec.name ?? "", description: spec.description ?? "", cidrBlock: block.description,
                                       resourceGroupId: spec.resourceGroupId ?? vpc.resourceGroupId, tags: spec.tags,
                                       createdAt: now, availableAt: now + step)
            try tx.insertVSwitch(record)
            try remember(tx, account: account, token: clientToken, action: "CreateVSwitch", digest: digest, id: record.id, at: now)
            return record
        }
    }

    public func describeVSwitches(_ caller: Caller, region: String, vpcId: String?, filter f: NetworkFilter,
                                  offset: Int, limit: Int) async throws -> Page<VSwitchView> {
        _ = try Validation.region(region)
        let account = caller.accountId
        let (matched, used) = try await store.read { tx -> ([VSwitchRecord], [String: Int]) in
            let all = try tx.vSwitches(account: account, region: region)
            let m = f.matchesNothing ? [] : all.filter { s in
                (vpcId.map { $0 == s.vpcId } ?? true) && (f.vSwitchId.map { $0 == s.id } ?? true)
                    && (f.zoneId.map { $0 == s.zoneId } ?? true) && (f.name.map { $0 == s.name } ?? true)
                    && (f.isDefault != true) && (f.resourceGroupId.map { $0 == s.resourceGroupId } ?? true)
                    && s.tags.satisfies(f.tags)
            }
            var used: [String: Int] = [:]
            for s in m.dropFirst(offset).prefix(limit) {
                used[s.id] = try tx.vSwitchAddresses(account: account, vSwitchId: s.id).count
            }
            return (m, used)
        }
        let now = clock.nowMillis()
        let items = matched.dropFirst(offset).prefix(limit).map { s in
            VSwitchView(record: s, status: .at(now, availableAt: s.availableAt),
                        availableIpAddressCount: max(0, (CIDRBlock(s.cidrBlock).map(VSwitchAddresses.capacity) ?? 0) - (used[s.id] ?? 0)))
        }
        return Page(total: matched.count, items: Array(items))
    }

    public func deleteVSwitch(_ caller: Caller, region: String, id: String, dryRun: Bool) async throws {
        let account = caller.accountId
        let now = clock.nowMillis()
        try await store.write { tx in
            try tx.lockNetworks(account: account, region: region)
            guard let s = try tx.vSwitch(account: account, region: region, id: id) else { throw NetworkError.vSwitchNotFound(id) }
            guard NetworkStatus.at(now, availableAt: s.availableAt) == .available else { throw NetworkError.incorrectVSwitchStatus(id) }
            if try !tx.vSwitchAddresses(account: account, vSwitchId: id).isEmpty { throw NetworkError.vSwitchInUse(id) }
            if dryRun { throw DomainError.dryRunPassed }
            try tx.deleteVSwitch(account: account, id: id)
        }
    }

    // MARK: tags (the VPC API's TagResources, UnTagResources, ListTagResources)

    /// The resource types LocalECS can tag through the VPC API.
    public enum TaggedType: String, Sendable {
        case vpc = "VPC", vSwitch = "VSWITCH"
    }

    public static func taggedType(_ text: String) throws(NetworkError) -> TaggedType {
        guard let t = TaggedType(rawValue: text.uppercased()) else { throw .resourceTypeUnsupported(text) }
        return t
    }

    /// Adds or replaces tags on every named resource, all or nothing: an unknown ID, or a resource
    /// that would end with more than 20 tags, changes none.
    public func tag(_ caller: Caller, region: String, type: TaggedType, ids: [String], tags: [ResourceTag]) async throws {
        _ = try Validation.region(region)
        guard !tags.isEmpty else { throw DomainError.missingParameter("Tag.1.Key") }
        try Validation.checkTags(tags)
        try await modifyTags(caller, region: region, type: type, ids: ids) { current in
            var out = current.filter { c in !tags.contains { $0.key == c.key } }
            out += tags
            if out.count > 20 { throw DomainError.tooManyTags(out.count) }
            return out
        }
    }

    /// Removes the named keys (or, with `all`, every tag) from every named resource.
    public func untag(_ caller: Caller, region: String, type: TaggedType, ids: [String], keys: [String], all: Bool) async throws {
        _ = try Validation.region(region)
        guard all || !keys.isEmpty else { throw DomainError.missingParameter("TagKey.1") }
        try await modifyTags(caller, region: region, type: type, ids: ids) { current in
            all ? [] : current.filter { !keys.contains($0.key) }
        }
    }

    func modifyTags(_ caller: Caller, region: String, type: TaggedType, ids: [String],
                    _ change: @escaping @Sendable ([ResourceTag]) throws -> [ResourceTag]) async throws {
        let account = caller.accountId
        try await store.write { tx in
            try tx.lockNetworks(account: account, region: region)
            switch type {
            case .vpc:
                var found: [VpcRecord] = []
                for id in ids {
                    guard var v = try tx.vpc(account: account, region: region, id: id) else { throw NetworkError.resourceNotFound(id) }
                    v.tags = try change(v.tags)
                    found.append(v)
                }
                for v in found { try tx.updateVpc(v) }
            case .vSwitch:
                var found: [VSwitchRecord] = []
                for id in ids {
                    guard var v = try tx.vSwitch(account: account, region: region, id: id) else { throw NetworkError.resourceNotFound(id) }
                    v.tags = try change(v.tags)
                    found.append(v)
                }
                for v in found { try tx.updateVSwitch(v) }
            }
        }
    }

    /// One resource's tag, as ListTagResources lists it.
    public struct TagResource: Sendable, Equatable {
        public var resourceId: String
        public var key: String
        public var value: String
    }

    /// ListTagResources: the tags of the named resources, or of every resource of the type that
    /// carries all of `filter`; one row per resource and tag, by resource ID then key, `limit` per
    /// page, `next` the offset of the next page ("" when none).
    public func listTags(_ caller: Caller, region: String, type: TaggedType, ids: [String]?, filter: [ResourceTag],
                         after token: String?, limit: Int) async throws -> (rows: [TagResource], next: String) {
        _ = try Validation.region(region)
        guard ids != nil || !filter.isEmpty else { throw DomainError.missingParameter("ResourceId.1") }
        var offset = 0
        if let token, !token.isEmpty {
            guard let n = Int(token), n >= 0 else { throw DomainError.invalidParameter("NextToken", "Pass the NextToken of the previous page as it is.") }
            offset = n
        }
        let account = caller.accountId
        let resources: [(String, [ResourceTag])] = try await store.read { tx in
            switch type {
            case .vpc: return try tx.vpcs(account: account, region: region).map { ($0.id, $0.tags) }
            case .vSwitch: return try tx.vSwitches(account: account, region: region).map { ($0.id, $0.tags) }
            }
        }
        let rows = resources
            .filter { r in (ids.map { $0.contains(r.0) } ?? true) && r.1.satisfies(filter) }
            .sorted { $0.0 < $1.0 }
            .flatMap { r in r.1.sorted { $0.key < $1.key }.map { TagResource(resourceId: r.0, key: $0.key, value: $0.value) } }
        let page = Array(rows.dropFirst(offset).prefix(limit))
        let end = offset + page.count
        return (page, end < rows.count ? String(end) : "")
    }
}
