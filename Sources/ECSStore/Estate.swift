import Foundation

/// A LocalECS state as a versioned JSON document (`localecs state export`, `GET /_localecs/state`):
/// a test fixture, loaded with `localecs state import`, `PUT /_localecs/state` or `serve --state`.
///
/// Canonical: keys sorted, two-space indentation, every array in a fixed order (accounts by ID,
/// key pairs by region and name, instances by ID, …), times as integer milliseconds since 1970.
/// So export → import → export gives the same bytes, and a fixture diffs well under version control.
///
/// It holds secrets (access key secrets, in clear): a test fixture, never a backup to share.
///
/// Format `localecs-estate/1`. A reader refuses any other `format`; a later version that adds
/// resources (networks, security groups) gets a new number and a reader for the old one.
public struct Estate: Codable, Sendable, Equatable {
    public static let currentFormat = "localecs-estate/1"

    public var format: String
    public var accounts: [Account]

    public struct Account: Codable, Sendable, Equatable {
        public var id: String
        public var createdAt: Int64
        public var accessKeys: [AccessKey]
        public var users: [User]
        public var policies: [Policy]
        public var userPolicies: [UserPolicy]
        public var roles: [Role]
        public var rolePolicies: [RolePolicy]
        public var keyPairs: [KeyPair]
        public var instances: [Instance]
        /// Absent in estates written before VPCs (issue 12), and left out when empty, so an
        /// estate without networks keeps its bytes.
        public var vpcs: [Vpc]?
        public var vSwitches: [VSwitch]?
        /// Absent when the account has none (and in estates written before security groups).
        public var securityGroups: [SecurityGroup]?

        /// One account's records, sorted: keys by ID, RAM entities by name, attachments by
        /// holder, type and policy, key pairs by region and name, instances by ID.
        init(id: String, createdAt: Int64, _ r: StateRecords) {
            self.id = id
            self.createdAt = createdAt
            accessKeys = r.accessKeys.map(AccessKey.init).sorted { $0.id < $1.id }
            users = r.users.map(User.init).sorted { $0.name < $1.name }
            policies = r.policies.map(Policy.init).sorted { $0.name < $1.name }
            userPolicies = r.userPolicies.map(UserPolicy.init).sorted {
                ($0.userName, $0.policyType, $0.policyName) < ($1.userName, $1.policyType, $1.policyName)
            }
            roles = r.roles.map(Role.init).sorted { $0.name < $1.name }
            rolePolicies = r.rolePolicies.map(RolePolicy.init).sorted {
                ($0.roleName, $0.policyType, $0.policyName) < ($1.roleName, $1.policyType, $1.policyName)
            }
            keyPairs = r.keyPairs.map(KeyPair.init).sorted { ($0.regionId, $0.name) < ($1.regionId, $1.name) }
            instances = r.instances.map(Instance.init).sorted { $0.id < $1.id }
            let v = r.vpcs.map(Vpc.init).sorted { $0.id < $1.id }
            vpcs = v.isEmpty ? nil : v
            let s = r.vSwitches.map(VSwitch.init).sorted { $0.id < $1.id }
            vSwitches = s.isEmpty ? nil : s
            let groups = r.securityGroups.map(SecurityGroup.init).sorted { $0.id < $1.id }
            securityGroups = groups.isEmpty ? nil : groups
        }
    }

    /// `userName` absent for the account's root keys. `status`: `Active` or `Inactive`.
    public struct AccessKey: Codable, Sendable, Equatable {
        public var id: String
        public var secret: String
        public var userName: String?
        public var status: String
        public var createdAt: Int64
    }

    public struct User: Codable, Sendable, Equatable {
        public var name: String
        public var id: String
        public var displayName: String
        public var email: String
        public var mobilePhone: String
        public var comments: String
        public var createdAt: Int64
        public var updatedAt: Int64
    }

    /// A custom policy; `document` is the policy JSON as given to CreatePolicy.
    public struct Policy: Codable, Sendable, Equatable {
        public var name: String
        public var document: String
        public var description: String
        public var createdAt: Int64
        public var updatedAt: Int64
    }

    /// `policyType`: `System` or `Custom`.
    public struct UserPolicy: Codable, Sendable, Equatable {
        public var userName: String
        public var policyType: String
        public var policyName: String
        public var attachedAt: Int64
    }

    public struct Role: Codable, Sendable, Equatable {
        public var name: String
        public var id: String
        public var description: String
        public var trustPolicy: String
        public var maxSessionDuration: Int64
        public var createdAt: Int64
        public var updatedAt: Int64
    }

    public struct RolePolicy: Codable, Sendable, Equatable {
        public var roleName: String
        public var policyType: String
        public var policyName: String
        public var attachedAt: Int64
    }

    /// The public part only: LocalECS never keeps a private key.
    public struct KeyPair: Codable, Sendable, Equatable {
        public var regionId: String
        public var name: String
        public var id: String
        public var fingerprint: String
        public var publicKey: String
        public var resourceGroupId: String
        public var tags: [ResourceTag]
        public var createdAt: Int64
    }

    /// The status is not a field: `phases` (e.g. `Pending,Starting,Running`) began at
    /// `phaseStartedAt` and advance one every `stepMillis`; an empty `phases` with step 0 is a
    /// settled instance whose status is the last phase written. `boundKeyPair` is the key pair
    /// bound now, `effectiveKeyPair` the one that logs in (bound at the last start).
    public struct Instance: Codable, Sendable, Equatable {
        public var regionId: String
        public var zoneId: String
        public var id: String
        public var name: String
        public var hostName: String
        public var description: String
        public var imageId: String
        public var instanceType: String
        public var osType: String
        public var resourceGroupId: String
        public var phases: String
        public var phaseStartedAt: Int64
        public var stepMillis: Int64
        public var boundKeyPair: String?
        public var effectiveKeyPair: String?
        public var passwordSet: Bool
        public var passwordLoginEffective: Bool
        public var tags: [ResourceTag]
        public var createdAt: Int64
        public var startedAt: Int64
        public var privateIp: String
        // Optional: estates written before SSH (issue 11) lack them.
        public var sshSlot: Int64?
        public var passwordHash: String?
        public var effectivePasswordHash: String?
        public var hostKey: String?
        /// Absent in estates written before user data and disks were kept (format unchanged:
        /// the fields are optional, and their absence means no user data and ECS's default disk).
        public var userData: String?
        public var systemDisk: SystemDisk?
        /// Absent for an instance in no vSwitch (and in estates written before VPCs).
        public var vpcId: String?
        public var vSwitchId: String?
        /// The groups the instance is in, in join order; absent when none.
        public var securityGroupIds: [String]?
        /// The data disks made with the instance; absent when none.
        public var dataDisks: [DataDiskRecord]?
    }

    /// The status is not a field: `Pending` until `availableAt`, `Available` after.
    public struct Vpc: Codable, Sendable, Equatable {
        public var regionId: String
        public var id: String
        public var name: String
        public var description: String
        public var cidrBlock: String
        public var resourceGroupId: String
        public var tags: [ResourceTag]
        public var createdAt: Int64
        public var availableAt: Int64
    }

    public struct VSwitch: Codable, Sendable, Equatable {
        public var regionId: String
        public var id: String
        public var vpcId: String
        public var zoneId: String
        public var name: String
        public var description: String
        public var cidrBlock: String
        public var resourceGroupId: String
        public var tags: [ResourceTag]
        public var createdAt: Int64
        public var availableAt: Int64
    }

    /// A security group with its rules, in the order they were authorized. `vpcId` "" is a classic group.
    public struct SecurityGroup: Codable, Sendable, Equatable {
        public var regionId: String
        public var id: String
        public var name: String
        public var description: String
        public var vpcId: String
        public var groupType: String
        public var resourceGroupId: String
        public var tags: [ResourceTag]
        public var rules: [SecurityGroupRule]
        public var createdAt: Int64
    }

    public struct SystemDisk: Codable, Sendable, Equatable {
        public var category: String
        public var size: Int
        public init(category: String, size: Int) { self.category = category; self.size = size }
    }

    public init(format: String = Estate.currentFormat, accounts: [Account]) {
        self.format = format; self.accounts = accounts
    }
}

// MARK: records ↔ estate

extension Estate {
    /// The estate of `records`, every array in canonical order.
    public init(_ r: StateRecords) {
        var byAccount: [String: StateRecords] = [:]
        for k in r.accessKeys { byAccount[k.accountId, default: StateRecords()].accessKeys.append(k) }
        for u in r.users { byAccount[u.accountId, default: StateRecords()].users.append(u) }
        for p in r.policies { byAccount[p.accountId, default: StateRecords()].policies.append(p) }
        for a in r.userPolicies { byAccount[a.accountId, default: StateRecords()].userPolicies.append(a) }
        for role in r.roles { byAccount[role.accountId, default: StateRecords()].roles.append(role) }
        for a in r.rolePolicies { byAccount[a.accountId, default: StateRecords()].rolePolicies.append(a) }
        for k in r.keyPairs { byAccount[k.accountId, default: StateRecords()].keyPairs.append(k) }
        for i in r.instances { byAccount[i.accountId, default: StateRecords()].instances.append(i) }
        for v in r.vpcs { byAccount[v.accountId, default: StateRecords()].vpcs.append(v) }
        for v in r.vSwitches { byAccount[v.accountId, default: StateRecords()].vSwitches.append(v) }
        for g in r.securityGroups { byAccount[g.accountId, default: StateRecords()].securityGroups.append(g) }
        // A row whose account row is missing still belongs in the export: its account shows as created at 0.
        var created: [String: Int64] = [:]
        for a in r.accounts { created[a.id] = min(created[a.id] ?? a.createdAt, a.createdAt) }
        for id in byAccount.keys where created[id] == nil { created[id] = 0 }
        format = Estate.currentFormat
        accounts = created.keys.sorted().map { id in Account(id: id, createdAt: created[id] ?? 0, byAccount[id] ?? StateRecords()) }
    }

    /// The records to insert, account IDs filled in from the enclosing account.
    /// - Throws: `EstateError.invalid` for an access key status other than `Active`/`Inactive`.
    public func records() throws -> StateRecords {
        var r = StateRecords()
        for a in accounts {
            let id = a.id
            r.accounts.append(AccountRecord(id: id, createdAt: a.createdAt))
            for k in a.accessKeys {
                guard let status = AccessKeyRecord.Status(rawValue: k.status) else {
                    throw EstateError.invalid("access key \(k.id): status must be Active or Inactive, not \(k.status)")
                }
                r.accessKeys.append(AccessKeyRecord(id: k.id, secret: k.secret, accountId: id, userName: k.userName, status: status,
                                                    createdAt: k.createdAt))
            }
            r.users += a.users.map {
                UserRecord(accountId: id, name: $0.name, id: $0.id, displayName: $0.displayName, email: $0.email,
                           mobilePhone: $0.mobilePhone, comments: $0.comments, createdAt: $0.createdAt, updatedAt: $0.updatedAt)
            }
            r.policies += a.policies.map {
                PolicyRecord(accountId: id, name: $0.name, document: $0.document, description: $0.description,
                             createdAt: $0.createdAt, updatedAt: $0.updatedAt)
            }
            r.userPolicies += a.userPolicies.map {
                PolicyAttachmentRecord(accountId: id, userName: $0.userName, policyType: $0.policyType, policyName: $0.policyName,
                                       attachedAt: $0.attachedAt)
            }
            r.roles += a.roles.map {
                RoleRecord(accountId: id, name: $0.name, id: $0.id, description: $0.description, trustPolicy: $0.trustPolicy,
                           maxSessionDuration: $0.maxSessionDuration, createdAt: $0.createdAt, updatedAt: $0.updatedAt)
            }
            r.rolePolicies += a.rolePolicies.map {
                RolePolicyRecord(accountId: id, roleName: $0.roleName, policyType: $0.policyType, policyName: $0.policyName,
                                 attachedAt: $0.attachedAt)
            }
            r.keyPairs += a.keyPairs.map {
                KeyPairRecord(accountId: id, regionId: $0.regionId, name: $0.name, id: $0.id, fingerprint: $0.fingerprint,
                              publicKey: $0.publicKey, resourceGroupId: $0.resourceGroupId, tags: $0.tags, createdAt: $0.createdAt)
            }
            r.instances += a.instances.map {
                InstanceRecord(accountId: id, regionId: $0.regionId, zoneId: $0.zoneId, id: $0.id, name: $0.name, hostName: $0.hostName,
                               description: $0.description, imageId: $0.imageId, instanceType: $0.instanceType, osType: $0.osType,
                               resourceGroupId: $0.resourceGroupId, phases: $0.phases, phaseStartedAt: $0.phaseStartedAt,
                               stepMillis: $0.stepMillis, boundKeyPair: $0.boundKeyPair, effectiveKeyPair: $0.effectiveKeyPair,
                               passwordSet: $0.passwordSet, passwordLoginEffective: $0.passwordLoginEffective, tags: $0.tags,
                               createdAt: $0.createdAt, startedAt: $0.startedAt, privateIp: $0.privateIp, userData: $0.userData,
                               systemDiskCategory: $0.systemDisk?.category ?? InstanceRecord.defaultSystemDiskCategory,
                               systemDiskSize: $0.systemDisk?.size ?? 40,
                               sshSlot: $0.sshSlot ?? -1, passwordHash: $0.passwordHash,
                               effectivePasswordHash: $0.effectivePasswordHash, hostKey: $0.hostKey,
                               vpcId: $0.vpcId ?? "", vSwitchId: $0.vSwitchId ?? "",
                               securityGroupIds: $0.securityGroupIds ?? [], dataDisks: $0.dataDisks ?? [])
            }
            r.vpcs += (a.vpcs ?? []).map {
                VpcRecord(accountId: id, regionId: $0.regionId, id: $0.id, name: $0.name, description: $0.description,
                          cidrBlock: $0.cidrBlock, resourceGroupId: $0.resourceGroupId, tags: $0.tags, createdAt: $0.createdAt,
                          availableAt: $0.availableAt)
            }
            r.vSwitches += (a.vSwitches ?? []).map {
                VSwitchRecord(accountId: id, regionId: $0.regionId, id: $0.id, vpcId: $0.vpcId, zoneId: $0.zoneId, name: $0.name,
                              description: $0.description, cidrBlock: $0.cidrBlock, resourceGroupId: $0.resourceGroupId,
                              tags: $0.tags, createdAt: $0.createdAt, availableAt: $0.availableAt)
            }
            r.securityGroups += (a.securityGroups ?? []).map {
                SecurityGroupRecord(accountId: id, regionId: $0.regionId, id: $0.id, name: $0.name, description: $0.description,
                                    vpcId: $0.vpcId, groupType: $0.groupType, resourceGroupId: $0.resourceGroupId, tags: $0.tags,
                                    rules: $0.rules, createdAt: $0.createdAt)
            }
        }
        // Instances from an estate older than SSH (no sshSlot: -1 above) get numbers after the
        // highest one given; an explicit 0 ("none yet") stays.
        var next = max(r.instances.map(\.sshSlot).max() ?? 0, 0) + 1
        for i in r.instances.indices where r.instances[i].sshSlot < 0 {
            r.instances[i].sshSlot = next
            next += 1
        }
        return r
    }
}

// MARK: one record ↔ one element

extension Estate.AccessKey {
    init(_ k: AccessKeyRecord) {
        id = k.id; secret = k.secret; userName = k.userName; status = k.status.rawValue; createdAt = k.createdAt
    }
}

extension Estate.User {
    init(_ u: UserRecord) {
        name = u.name; id = u.id; displayName = u.displayName; email = u.email; mobilePhone = u.mobilePhone
        comments = u.comments; createdAt = u.createdAt; updatedAt = u.updatedAt
    }
}

extension Estate.Policy {
    init(_ p: PolicyRecord) {
        name = p.name; document = p.document; description = p.description; createdAt = p.createdAt; updatedAt = p.updatedAt
    }
}

extension Estate.UserPolicy {
    init(_ a: PolicyAttachmentRecord) {
        userName = a.userName; policyType = a.policyType; policyName = a.policyName; attachedAt = a.attachedAt
    }
}

extension Estate.Role {
    init(_ r: RoleRecord) {
        name = r.name; id = r.id; description = r.description; trustPolicy = r.trustPolicy
        maxSessionDuration = r.maxSessionDuration; createdAt = r.createdAt; updatedAt = r.updatedAt
    }
}

extension Estate.RolePolicy {
    init(_ a: RolePolicyRecord) {
        roleName = a.roleName; policyType = a.policyType; policyName = a.policyName; attachedAt = a.attachedAt
    }
}

extension Estate.KeyPair {
    init(_ k: KeyPairRecord) {
        regionId = k.regionId; name = k.name; id = k.id; fingerprint = k.fingerprint; publicKey = k.publicKey
        resourceGroupId = k.resourceGroupId; tags = k.tags; createdAt = k.createdAt
    }
}

extension Estate.Instance {
    init(_ i: InstanceRecord) {
        regionId = i.regionId; zoneId = i.zoneId; id = i.id; name = i.name; hostName = i.hostName
        description = i.description; imageId = i.imageId; instanceType = i.instanceType; osType = i.osType
        resourceGroupId = i.resourceGroupId; phases = i.phases; phaseStartedAt = i.phaseStartedAt; stepMillis = i.stepMillis
        boundKeyPair = i.boundKeyPair; effectiveKeyPair = i.effectiveKeyPair; passwordSet = i.passwordSet
        passwordLoginEffective = i.passwordLoginEffective; tags = i.tags; createdAt = i.createdAt; startedAt = i.startedAt
        privateIp = i.privateIp; userData = i.userData
        systemDisk = Estate.SystemDisk(category: i.systemDiskCategory, size: i.systemDiskSize)
        sshSlot = i.sshSlot; passwordHash = i.passwordHash
        effectivePasswordHash = i.effectivePasswordHash; hostKey = i.hostKey
        vpcId = i.vpcId.isEmpty ? nil : i.vpcId
        vSwitchId = i.vSwitchId.isEmpty ? nil : i.vSwitchId
        securityGroupIds = i.securityGroupIds.isEmpty ? nil : i.securityGroupIds
        dataDisks = i.dataDisks.isEmpty ? nil : i.dataDisks
    }
}

extension Estate.Vpc {
    init(_ v: VpcRecord) {
        regionId = v.regionId; id = v.id; name = v.name; description = v.description; cidrBlock = v.cidrBlock
        resourceGroupId = v.resourceGroupId; tags = v.tags; createdAt = v.createdAt; availableAt = v.availableAt
    }
}

extension Estate.VSwitch {
    init(_ v: VSwitchRecord) {
        regionId = v.regionId; id = v.id; vpcId = v.vpcId; zoneId = v.zoneId; name = v.name; description = v.description
        cidrBlock = v.cidrBlock; resourceGroupId = v.resourceGroupId; tags = v.tags; createdAt = v.createdAt
        availableAt = v.availableAt

    }
}

extension Estate.SecurityGroup {
    init(_ g: SecurityGroupRecord) {
        regionId = g.regionId; id = g.id; name = g.name; description = g.description; vpcId = g.vpcId
        groupType = g.groupType; resourceGroupId = g.resourceGroupId; tags = g.tags; rules = g.rules; createdAt = g.createdAt
    }
}

// MARK: JSON

/// Why an estate document was refused, in words for the person who wrote it.
public enum EstateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not JSON, or not the shape of the format (a missing or mistyped field).
    case malformed(String)
    /// A `format` this LocalECS does not read.
    case unknownFormat(String)
    /// Well-formed, but a value is out of range (an account ID that is not 16 digits, a duplicate).
    case invalid(String)

    public var description: String {
        switch self {
        case .malformed(let m): return "malformed estate: \(m)"
        case .unknownFormat(let f): return "unknown estate format \"\(f)\": this LocalECS reads \(Estate.currentFormat)"
        case .invalid(let m): return "invalid estate: \(m)"
        }
    }
}

extension Estate {
    /// The canonical bytes, ending with a newline.
    public func canonicalJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Parses an estate document, checking `format` before anything else.
    /// - Throws: `EstateError`.
    public static func decode(_ data: Data) throws -> Estate {
        struct Header: Decodable { var format: String? }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw EstateError.malformed("not a JSON object (\(Self.describe(error)))")
        }
        guard let format = header.format else { throw EstateError.malformed("no \"format\" field (expected \"\(currentFormat)\")") }
        guard format == currentFormat else { throw EstateError.unknownFormat(format) }
        let estate: Estate
        do {
            estate = try JSONDecoder().decode(Estate.self, from: data)
        } catch {
            throw EstateError.malformed(Self.describe(error))
        }
        try estate.validate()
        return estate
    }

    /// What the store's constraints would not say clearly: bad account IDs, accounts or IDs twice.
    func validate() throws {
        var seenAccounts = Set<String>(), seenKeys = Set<String>(), seenInstances = Set<String>(), seenSlots = Set<Int64>()
        for a in accounts {
            guard a.id.count == 16, a.id.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw EstateError.invalid("account ID \"\(a.id)\" is not 16 digits")
            }
            guard seenAccounts.insert(a.id).inserted else { throw EstateError.invalid("account \(a.id) appears twice") }
            for k in a.accessKeys where !seenKeys.insert(k.id).inserted {
                throw EstateError.invalid("access key \(k.id) appears twice")
            }
            for i in a.instances where !seenInstances.insert(i.id).inserted {
                throw EstateError.invalid("instance \(i.id) appears twice")
            }
            // Each number is one instance's address: two instances cannot share it.
            for i in a.instances {
                if let d = i.systemDisk, !(1...65536).contains(d.size) {
                    throw EstateError.invalid("instance \(i.id): systemDisk.size must be 1 to 65536 GiB, not \(d.size)")
                }
                // A data disk's ID derives from its index, and its IOPS from its size: both bounded.
                var seenIndexes = Set<Int>()
                for d in i.dataDisks ?? [] {
                    guard (1...16).contains(d.index), seenIndexes.insert(d.index).inserted else {
                        throw EstateError.invalid("instance \(i.id): a data disk's index must be 1 to 16 and unique, not \(d.index)")
                    }
                    guard (1...65536).contains(d.size) else {
                        throw EstateError.invalid("instance \(i.id): data disk \(d.index)'s size must be 1 to 65536 GiB, not \(d.size)")
                    }
                }
                if let slot = i.sshSlot, slot < 0 || (slot > 0 && !seenSlots.insert(slot).inserted) {
                    throw EstateError.invalid("instance \(i.id): sshSlot \(slot) is negative or another instance's")
                }
            }
        }
    }

    /// A DecodingError as one line: what was wrong, and where (`accounts[0].keyPairs[3].name`).
    static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var out = ""
            for k in keys {
                if let i = k.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + k.stringValue }
            }
            return out.isEmpty ? "the top level" : out
        }
        guard let e = error as? DecodingError else { return "\(error)" }
        switch e {
        case .keyNotFound(let key, let ctx):
            return "missing field \"\(key.stringValue)\" at \(path(ctx.codingPath))"
        case .typeMismatch(let type, let ctx):
            return "\(path(ctx.codingPath)) should be \(Self.jsonType(type))"
        case .valueNotFound(let type, let ctx):
            return "\(path(ctx.codingPath)) is null, should be \(Self.jsonType(type))"
        case .dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "not valid JSON" : "bad value at \(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int64.Type, is Int.Type: return "an integer"
        case is Bool.Type: return "true or false"
        default: return String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
