import ECSKeys
import ECSStore

/// What RunInstances / CreateInstance were asked for, after parsing.
public struct LaunchRequest: Sendable, Equatable {
    public var region: String
    public var imageId: String?
    public var instanceType: String?
    public var keyPairName: String?
    public var password: String?
    public var passwordInherit: Bool
    public var instanceName: String?
    public var hostName: String?
    public var description: String?
    public var amount: Int
    public var clientToken: String?
    public var zoneId: String?
    public var resourceGroupId: String?
    public var tags: [ResourceTag]
    public var dryRun: Bool
    public var userData: String?
    public var systemDiskCategory: String?
    public var systemDiskSize: Int?
    public var vSwitchId: String?
    public var securityGroupId: String?
    /// `SecurityGroupIds.N`; with `securityGroupId`, the groups the instance starts in.
    public var securityGroupIds: [String]
    public var instanceChargeType: String?
    /// `DataDisk.N.*` as given, N order; `DataDisks.validate` turns them into records.
    public var dataDisks: [[String: String]]

    public init(region: String, imageId: String?, instanceType: String?, keyPairName: String? = nil, password: String? = nil,
                passwordInherit: Bool = false, instanceName: String? = nil, hostName: String? = nil, description: String? = nil,
                amount: Int = 1, clientToken: String? = nil, zoneId: String? = nil, resourceGroupId: String? = nil,
                tags: [ResourceTag] = [], dryRun: Bool = false, userData: String? = nil,
                systemDiskCategory: String? = nil, systemDiskSize: Int? = nil, vSwitchId: String? = nil,
                securityGroupId: String? = nil, instanceChargeType: String? = nil, securityGroupIds: [String] = [],
                dataDisks: [[String: String]] = []) {
        self.region = region; self.imageId = imageId; self.instanceType = instanceType; self.keyPairName = keyPairName
        self.password = password; self.passwordInherit = passwordInherit; self.instanceName = instanceName
        self.hostName = hostName; self.description = description; self.amount = amount; self.clientToken = clientToken
        self.zoneId = zoneId; self.resourceGroupId = resourceGroupId; self.tags = tags; self.dryRun = dryRun
        self.userData = userData; self.systemDiskCategory = systemDiskCategory; self.systemDiskSize = systemDiskSize
        self.vSwitchId = vSwitchId; self.securityGroupId = securityGroupId; self.instanceChargeType = instanceChargeType
        self.securityGroupIds = securityGroupIds; self.dataDisks = dataDisks
    }

    /// `SecurityGroupId` then `SecurityGroupIds.N`, each once.
    var groups: [String] {
        var seen = Set<String>()
        return ((securityGroupId.map { [$0] } ?? []) + securityGroupIds).filter { seen.insert($0).inserted }
    }

    /// What matters for idempotency, the password aside: the same token with another request is a mismatch.
    var digestFields: String {
        var fields = [region, imageId ?? "", instanceType ?? "", keyPairName ?? "", String(passwordInherit),
                      instanceName ?? "", hostName ?? "", description ?? "", String(amount), zoneId ?? "", resourceGroupId ?? "",
                      TagCodec.encode(tags)]
        // Only when given, so the digests of tokens recorded before these were kept still match.
        if userData != nil || systemDiskCategory != nil || systemDiskSize != nil {
            fields += [userData ?? "", systemDiskCategory ?? "", systemDiskSize.map(String.init) ?? ""]
        }
        if let v = vSwitchId { fields += ["vsw", v] }
        if !groups.isEmpty { fields.append(groups.joined(separator: ",")) }
        if !dataDisks.isEmpty {
            fields.append(dataDisks.map { $0.sorted { $0.key < $1.key }.map { $0.key + "=" + $0.value }.joined(separator: "\u{1E}") }
                .joined(separator: "\u{1D}"))
        }
        return fields.joined(separator: "\u{1F}")
    }

    /// The digest an idempotency record keeps: `sha256:<hex>` of the fields, then, when the
    /// request set a password, a space and its salted slow hash (`SecretHash.passwordHash`).
    /// No password is ever stored as text (issue 9). Slow: call it outside a store transaction.
    func digest() -> String {
        "sha256:" + SecretHash.sha256Hex(digestFields) + (password.map { " " + SecretHash.passwordHash($0) } ?? "")
    }

    /// Whether a stored digest was made from this request. Slow when a password is involved.
    func matches(digest stored: String) -> Bool {
        let parts = stored.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.first == "sha256:" + SecretHash.sha256Hex(digestFields) else { return false }
        switch (password, parts.count == 2 ? parts[1] : nil) {
        case (nil, nil): return true
        case (let p?, let h?): return SecretHash.verifyPassword(p, against: h)
        default: return false
        }
    }
}

/// An instance as a reader sees it at one moment: the record plus its derived status.
public struct InstanceView: Sendable {
    public var record: InstanceRecord
    public var status: InstanceStatus
    public var image: Image?
    public var type: InstanceType?
}

/// DescribeInstances filters, after parsing.
public struct InstanceFilter: Sendable {
    public var ids: [String]?
    public var keyPairName: String?
    public var status: String?
    public var instanceName: String?
    public var imageId: String?
    public var instanceType: String?
    public var zoneId: String?
    public var resourceGroupId: String?
    public var vpcId: String?
    public var vSwitchId: String?
    public var tags: [ResourceTag]
    public var securityGroupId: String?

    public init(ids: [String]? = nil, keyPairName: String? = nil, status: String? = nil, instanceName: String? = nil,
                imageId: String? = nil, instanceType: String? = nil, zoneId: String? = nil, resourceGroupId: String? = nil,
                vpcId: String? = nil, vSwitchId: String? = nil, tags: [ResourceTag] = [], securityGroupId: String? = nil) {
        self.securityGroupId = securityGroupId
        self.ids = ids; self.keyPairName = keyPairName; self.status = status; self.instanceName = instanceName
        self.imageId = imageId; self.instanceType = instanceType; self.zoneId = zoneId
        self.resourceGroupId = resourceGroupId; self.vpcId = vpcId; self.vSwitchId = vSwitchId; self.tags = tags
    }
}

/// Instances and their lifecycle: run, create, describe, start, stop, reboot, delete.
public struct InstanceService: Sendable {
    let store: any Store
    let clock: any Clock
    let config: DomainConfig

    public init(store: any Store, clock: any Clock, config: DomainConfig) {
        self.store = store; self.clock = clock; self.config = config
    }

    /// Validates a launch and returns the instances' IDs; with a known `ClientToken` and the
    /// same parameters, returns the first call's IDs and creates nothing.
    public func launch(_ caller: Caller, _ req: LaunchRequest, autoStart: Bool) async throws -> [String] {
        let region = try Validation.region(req.region)
        guard let imageId = req.imageId, !imageId.isEmpty else { throw DomainError.missingParameter("ImageId") }
        guard let typeId = req.instanceType, !typeId.isEmpty else { throw DomainError.missingParameter("InstanceType") }
        guard let image = Catalog.image(imageId) else { throw DomainError.imageNotFound(imageId) }
        guard Catalog.instanceType(typeId) != nil else { throw DomainError.instanceTypeNotFound(typeId) }
        guard (1...100).contains(req.amount) else { throw DomainError.amountInvalid(req.amount) }
        if let z = req.zoneId, !region.zones.contains(z) {
            throw DomainError.invalidParameter("ZoneId", "The zone \(z) is not in region \(region.id); see DescribeRegions.")
        }
        if let p = req.password {
            if req.passwordInherit { throw DomainError.passwordMismatch }
            guard Validation.isValidPassword(p, windows: image.isWindows) else { throw DomainError.passwordMalformed(p) }
        }
        if let n = req.instanceName, !Validation.isValidInstanceName(n) { throw DomainError.instanceNameMalformed(n) }
        if let h = req.hostName, !Validation.isValidHostName(h, windows: image.isWindows) { throw DomainError.hostNameMalformed(h) }
        if let t = req.clientToken, t.count > 64 || !t.allSatisfy(\.isASCII) { throw DomainError.clientTokenMalformed }
        if req.keyPairName != nil && image.isWindows { throw DomainError.windowsInstance(imageId) }
        try Validation.checkTags(req.tags)
        try Validation.checkResourceGroup(req.resourceGroupId)
        if let u = req.userData { try Validation.checkUserData(u) }
        let groups = req.groups
        if groups.count > SecurityGroupRules.maxGroupsPerInstance {
            throw DomainError.instanceGroupLimitExceeded(limit: SecurityGroupRules.maxGroupsPerInstance)
        }
        if let t = req.instanceChargeType, t != "PostPaid" { throw DomainError.instanceChargeTypeNotSupported(t) }
        let diskCategory = req.systemDiskCategory ?? InstanceRecord.defaultSystemDiskCategory
        guard Validation.systemDiskCategories.contains(diskCategory) else { throw DomainError.systemDiskCategoryInvalid(diskCategory) }
        // ECS's default system disk is 40 GiB, or the image's size if that is larger.
        let diskSize = req.systemDiskSize ?? max(40, image.sizeGiB)
        guard (max(20, image.sizeGiB)...2048).contains(diskSize) else {
            throw DomainError.systemDiskSizeInvalid(diskSize, minimum: max(20, image.sizeGiB))
        }

        let dataDisks = try DataDisks.validate(req.dataDisks)

        let now = clock.nowMillis()
        let step = config.transitionMillis
        let account = caller.accountId
        let action = autoStart ? "RunInstances" : "CreateInstance"
        let ids = (0..<req.amount).map { _ in IDs.instance() }
        let zone = req.zoneId ?? region.zones[0]
        // The digest's password hash is slow (PBKDF2): made and compared outside the write
        // transaction, so the single writer never waits for it.
        var digest = "", verifiedPrior: String?
        if let token = req.clientToken {
            digest = req.digest()
            if let prior = try await store.read({ try $0.idempotency(account: account, token: token, action: action) }) {
                guard req.matches(digest: prior.requestDigest) else { throw DomainError.idempotentParameterMismatch }
                verifiedPrior = prior.requestDigest
            }
        }
        let checkedDigest = verifiedPrior, newDigest = digest
        // Slow like the digest: hashed before the transaction.
        let passwordHash = req.password.map { SecretHash.passwordHash($0) }
        return try await store.write { tx in
            if let token = req.clientToken, let prior = try tx.idempotency(account: account, token: token, action: action) {
                // Written by a concurrent call since the read above: compared here, rarely.
                guard prior.requestDigest == checkedDigest || req.matches(digest: prior.requestDigest) else {
                    throw DomainError.idempotentParameterMismatch
                }
                return prior.result.split(separator: ",").map(String.init)
            }
            if let kp = req.keyPairName, try tx.keyPair(account: account, region: region.id, name: kp) == nil {
                throw DomainError.keyPairNotFoundForInstance(kp)
            }
            // In a vSwitch: its zone, and the lowest free addresses of its block. Networks are
            // locked first, so a concurrent DeleteVSwitch or launch into it waits for this one.
            var placedZone = zone
            var addresses: [String] = []
            var vpcId = "", vSwitchId = ""
            if let vsw = req.vSwitchId {
                try tx.lockNetworks(account: account, region: region.id)
                guard let s = try tx.vSwitch(account: account, region: region.id, id: vsw) else { throw DomainError.vSwitchNotFound(vsw) }
                guard NetworkStatus.at(now, availableAt: s.availableAt) == .available else { throw NetworkError.incorrectVSwitchStatus(vsw) }
                if let z = req.zoneId, z != s.zoneId { throw NetworkError.zoneMismatch(zone: z, vSwitchZone: s.zoneId) }
                guard let block = CIDRBlock(s.cidrBlock) else { throw NetworkError.cidrMalformed(s.cidrBlock) }
                var used = try tx.vSwitchAddresses(account: account, vSwitchId: vsw)
                for _ in ids {
                    guard let a = VSwitchAddresses.allocate(in: block, used: used) else { throw NetworkError.vSwitchFull(vsw) }
                    used.append(a)
                    addresses.append(a)
                }
                placedZone = s.zoneId
                vpcId = s.vpcId
                vSwitchId = vsw
            }
            // Every group must exist in the region, and all be classic or all in one VPC.
            var vpcs = Set<String>()
            for g in groups {
                guard let record = try tx.securityGroup(account: account, id: g), record.regionId == region.id else {
                    throw DomainError.securityGroupNotFound(g)
                }
                vpcs.insert(record.vpcId)
            }
            if vpcs.count > 1 { throw DomainError.securityGroupVpcMismatch }
            // In a vSwitch, every group must be one of the vSwitch's VPC (ECS: InvalidParameter.Mismatch).
            if req.vSwitchId != nil, let other = vpcs.first(where: { $0 != vpcId }) {
                throw NetworkError.securityGroupVSwitchMismatch(vpcId: vpcId, groupVpcId: other)
            }
            if req.dryRun { throw DomainError.dryRunPassed }
            // The unique index on ssh_slot turns a concurrent launch on another node into a
            // conflict, and the store runs this body again with the new maximum.
            let firstSlot = try tx.maxSSHSlot() + 1
            for (n, id) in ids.enumerated() {
                let lifecycle = autoStart ? InstanceLifecycle.run(at: now, step: step) : .create(at: now, step: step)
                var record = InstanceRecord(
                    accountId: account, regionId: region.id, zoneId: placedZone, id: id, name: req.instanceName ?? id,
                    hostName: req.hostName ?? "iZ" + id.dropFirst(2) + "Z", description: req.description ?? "",
                    imageId: image.id, instanceType: typeId, osType: image.osType, resourceGroupId: req.resourceGroupId ?? "",
                    phases: "", phaseStartedAt: 0, stepMillis: 0, boundKeyPair: req.keyPairName, effectiveKeyPair: nil,
                    passwordSet: req.password != nil || req.passwordInherit, passwordLoginEffective: false, tags: req.tags,
                    createdAt: now + Int64(n), startedAt: autoStart ? lifecycle.startingAt() ?? now : 0,
                    privateIp: addresses.isEmpty ? Self.privateIp(for: id) : addresses[n], userData: req.userData,
                    systemDiskCategory: diskCategory, systemDiskSize: diskSize,
                    sshSlot: firstSlot + Int64(n), passwordHash: passwordHash, vpcId: vpcId, vSwitchId: vSwitchId,
                    securityGroupIds: groups, dataDisks: dataDisks)
                lifecycle.apply(to: &record)
                if autoStart { record.applyBinding() }
                try tx.insertInstance(record)
            }
            if let token = req.clientToken {
                try tx.insertIdempotency(IdempotencyRecord(accountId: account, token: token, action: action,
                                                           requestDigest: newDigest, result: ids.joined(separator: ","), createdAt: now))
            }
            return ids
        }
    }

    static func privateIp(for id: String) -> String {
        var h: UInt32 = 2166136261
        for b in id.utf8 { h = (h ^ UInt32(b)) &* 16777619 }
        return "172.16.\((h >> 8) & 0xFF).\(max(h & 0xFF, 2))"
    }

    public func view(_ r: InstanceRecord, at now: Int64) -> InstanceView {
        InstanceView(record: r, status: r.status(at: now), image: Catalog.image(r.imageId), type: Catalog.instanceType(r.instanceType))
    }

    /// DescribeInstances. Status derives from time, so a Status filter is applied after the store.
    public func describe(_ caller: Caller, region: String, filter f: InstanceFilter, offset: Int, limit: Int) async throws -> Page<InstanceView> {
        _ = try Validation.region(region)
        var status: InstanceStatus?
        if let s = f.status {
            guard let st = InstanceStatus(rawValue: s) else { throw DomainError.statusNotFound(s) }
            status = st
        }
        let match: NameMatch? = f.instanceName.map { $0.utf8.contains(UInt8(ascii: "*")) ? .wildcard($0) : .exact($0) }
        var q = InstanceQuery(ids: f.ids, keyPairName: f.keyPairName, name: match, imageId: f.imageId, instanceType: f.instanceType,
                              zoneId: f.zoneId, resourceGroupId: f.resourceGroupId, vpcId: f.vpcId, vSwitchId: f.vSwitchId,
                              tags: f.tags, securityGroupId: f.securityGroupId)
        if status == nil { q.offset = offset; q.limit = limit }
        let account = caller.accountId
        let query = q
        let page = try await store.read { try $0.instances(account: account, region: region, query: query) }
        let now = clock.nowMillis()
        var views = page.items.map { view($0, at: now) }
        guard let status else { return Page(total: page.total, items: views) }
        views = views.filter { $0.status == status }
        return Page(total: views.count, items: Array(views.dropFirst(offset).prefix(limit)))
    }

    /// One instance by ID in the caller's account (and region, when given).
    public func get(_ caller: Caller, id: String, region: String?) async throws -> InstanceView {
        let account = caller.accountId
        guard let r = try await store.read({ try $0.instance(account: account, id: id) }), region == nil || r.regionId == region else {
            throw DomainError.instanceNotFound(id)
        }
        return view(r, at: clock.nowMillis())
    }

    /// The region an instance lives in, if the caller owns it (to authorize calls that carry no RegionId).
    public func region(_ caller: Caller, id: String) async throws -> String? {
        let account = caller.accountId
        return try await store.read { try $0.instance(account: account, id: id)?.regionId }
    }

    public func start(_ caller: Caller, id: String, region: String?, dryRun: Bool) async throws {
        try await transition(caller, id: id, region: region, dryRun: dryRun) { r, status, now, step in
            guard status == .stopped else { throw DomainError.incorrectInstanceStatus(id: r.id, status: status.rawValue) }
            InstanceLifecycle.start(at: now, step: step).apply(to: &r)
            r.startedAt = now
            r.applyBinding()
        }
    }

    public func stop(_ caller: Caller, id: String, region: String?, dryRun: Bool) async throws {
        try await transition(caller, id: id, region: region, dryRun: dryRun) { r, status, now, step in
            guard status == .running else { throw DomainError.incorrectInstanceStatus(id: r.id, status: status.rawValue) }
            InstanceLifecycle.stop(at: now, step: step).apply(to: &r)
        }
    }

    public func reboot(_ caller: Caller, id: String, region: String?, dryRun: Bool) async throws {
        try await transition(caller, id: id, region: region, dryRun: dryRun) { r, status, now, step in
            guard status == .running else { throw DomainError.incorrectInstanceStatus(id: r.id, status: status.rawValue) }
            InstanceLifecycle.reboot(at: now, step: step).apply(to: &r)
            r.startedAt = now
            r.applyBinding()
        }
    }

    /// Releases an instance: from Stopped, or from Running with `force`. Its key binding goes with it.
    public func delete(_ caller: Caller, id: String, region: String?, force: Bool, dryRun: Bool) async throws {
        let account = caller.accountId
        let now = clock.nowMillis()
        try await store.write { tx in
            guard let r = try tx.instancesForUpdate(account: account, ids: [id]).first, region == nil || r.regionId == region else {
                throw DomainError.instanceNotFound(id)
            }
            let status = r.status(at: now)
            switch status {
            case .stopped: break
            case .running where force: break
            case .pending: throw DomainError.instanceInitializing(id)
            default: throw DomainError.incorrectInstanceStatus(id: id, status: status.rawValue)
            }
            if dryRun { throw DomainError.dryRunPassed }
            try tx.deleteInstance(account: account, id: id)
        }
    }

    private func transition(_ caller: Caller, id: String, region: String?, dryRun: Bool,
                            _ change: @escaping @Sendable (inout InstanceRecord, InstanceStatus, Int64, Int64) throws -> Void) async throws {
        let account = caller.accountId
        let now = clock.nowMillis()
        let step = config.transitionMillis
        try await store.write { tx in
            guard var r = try tx.instancesForUpdate(account: account, ids: [id]).first, region == nil || r.regionId == region else {
                throw DomainError.instanceNotFound(id)
            }
            try change(&r, r.status(at: now), now, step)
            if dryRun { throw DomainError.dryRunPassed }
            try tx.updateInstance(r)
        }
    }
}
