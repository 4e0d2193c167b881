/// A tag on a stored resource.
public struct ResourceTag: Sendable, Equatable, Hashable, Codable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }
}

/// An account and the access keys that act for it (root or RAM user).
public struct AccessKeyRecord: Sendable, Equatable {
    public enum Status: String, Sendable { case active = "Active", inactive = "Inactive" }
    public var id: String
    public var secret: String
    public var accountId: String
    /// nil for the account's root keys.
    public var userName: String?
    public var status: Status
    public var createdAt: Int64

    public init(id: String, secret: String, accountId: String, userName: String?, status: Status, createdAt: Int64) {
        self.id = id; self.secret = secret; self.accountId = accountId
        self.userName = userName; self.status = status; self.createdAt = createdAt
    }
}

/// A key pair as stored: never a private key.
public struct KeyPairRecord: Sendable, Equatable {
    public var accountId: String
    public var regionId: String
    public var name: String
    public var id: String
    public var fingerprint: String
    public var publicKey: String
    public var resourceGroupId: String
    public var tags: [ResourceTag]
    /// Milliseconds since 1970.
    public var createdAt: Int64

    public init(accountId: String, regionId: String, name: String, id: String, fingerprint: String,
                publicKey: String, resourceGroupId: String, tags: [ResourceTag], createdAt: Int64) {
        self.accountId = accountId; self.regionId = regionId; self.name = name; self.id = id
        self.fingerprint = fingerprint; self.publicKey = publicKey; self.resourceGroupId = resourceGroupId
        self.tags = tags; self.createdAt = createdAt
    }
}

/// An instance as stored. Its status is not stored as such: `phases` (e.g. `Pending,Starting,Running`)
/// began at `phaseStartedAt` and advance one every `stepMillis`, so whichever node reads the row
/// next sees the right status, even if the node that started the transition is gone.
public struct InstanceRecord: Sendable, Equatable {
    public var accountId: String
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
    /// The key pair bound now (DescribeInstances `KeyPairName`).
    public var boundKeyPair: String?
    /// The key pair that logs in now: what was bound when the instance last started.
    public var effectiveKeyPair: String?
    public var passwordSet: Bool
    /// Whether password login works now (it was in effect at the last start).
    public var passwordLoginEffective: Bool
    public var tags: [ResourceTag]
    public var createdAt: Int64
    /// Last time the instance entered Starting (ms), 0 if never.
    public var startedAt: Int64
    /// Private address, stable for the instance's life.
    public var privateIp: String
    /// `UserData` as the launch gave it (base64, at most 32 KB), for DescribeUserData.
    public var userData: String?
    /// The system disk, which lives and dies with the instance (DescribeDisks derives it).
    public var systemDiskCategory: String
    /// GiB.
    public var systemDiskSize: Int
    /// The instance's number in the store (unique across accounts and nodes, never reused while
    /// it lives): its loopback public address and SSH endpoint derive from it. 0 = none yet.
    public var sshSlot: Int64
    /// Salted slow hash (`SecretHash.passwordHash`) of the password set now (applies at the next
    /// start); nil when none is set or it came from the image (`PasswordInherit`).
    public var passwordHash: String?
    /// The hash of the password that logs in now: what was set when the instance last started.
    public var effectivePasswordHash: String?
    /// The SSH host key (OpenSSH private-key text), made when the instance first served SSH.
    /// A private key cannot be a hash: it is stored as a machine keeps /etc/ssh/ssh_host_*_key.
    public var hostKey: String?
    /// The VPC and vSwitch the instance is in ("" for one launched without `VSwitchId`, whose
    /// `privateIp` then derives from its ID; see decisions.md).
    public var vpcId: String
    public var vSwitchId: String
    /// The security groups the instance is in (RunInstances' `SecurityGroupId(s)`, Join/Leave), in
    /// the order it joined them; empty for an instance launched without one.
    public var securityGroupIds: [String]
    /// The data disks made with the instance, in `DataDisk.N` order; they go with it.
    public var dataDisks: [DataDiskRecord]

    public init(accountId: String, regionId: String, zoneId: String, id: String, name: String, hostName: String,
                description: String, imageId: String, instanceType: String, osType: String, resourceGroupId: String,
                phases: String, phaseStartedAt: Int64, stepMillis: Int64, boundKeyPair: String?,
                effectiveKeyPair: String?, passwordSet: Bool, passwordLoginEffective: Bool, tags: [ResourceTag],
                createdAt: Int64, startedAt: Int64, privateIp: String, userData: String? = nil,
                systemDiskCategory: String = InstanceRecord.defaultSystemDiskCategory, systemDiskSize: Int = 40,
                sshSlot: Int64 = 0, passwordHash: String? = nil, effectivePasswordHash: String? = nil, hostKey: String? = nil,
                vpcId: String = "", vSwitchId: String = "", securityGroupIds: [String] = [], dataDisks: [DataDiskRecord] = []) {
        self.accountId = accountId; self.regionId = regionId; self.zoneId = zoneId; self.id = id; self.name = name
        self.hostName = hostName; self.description = description; self.imageId = imageId
        self.instanceType = instanceType; self.osType = osType; self.resourceGroupId = resourceGroupId
        self.phases = phases; self.phaseStartedAt = phaseStartedAt; self.stepMillis = stepMillis
        self.boundKeyPair = boundKeyPair; self.effectiveKeyPair = effectiveKeyPair; self.passwordSet = passwordSet
        self.passwordLoginEffective = passwordLoginEffective; self.tags = tags; self.createdAt = createdAt
        self.startedAt = startedAt; self.privateIp = privateIp; self.userData = userData
        self.systemDiskCategory = systemDiskCategory; self.systemDiskSize = systemDiskSize
        self.sshSlot = sshSlot
        self.passwordHash = passwordHash; self.effectivePasswordHash = effectivePasswordHash; self.hostKey = hostKey
        self.vpcId = vpcId; self.vSwitchId = vSwitchId
        self.securityGroupIds = securityGroupIds; self.dataDisks = dataDisks
    }

    /// What ECS picks when RunInstances names no `SystemDisk.Category` for an I/O-optimized type.
    public static let defaultSystemDiskCategory = "cloud_essd"
}

/// A remembered idempotent request (`ClientToken`): what it asked and what it produced.
public struct IdempotencyRecord: Sendable, Equatable {
    public var accountId: String
    public var token: String
    public var action: String
    /// A digest of the request's parameters: the same token with other parameters is a mismatch.
    public var requestDigest: String
    /// The produced resource IDs, comma-separated.
    public var result: String
    public var createdAt: Int64

    public init(accountId: String, token: String, action: String, requestDigest: String, result: String, createdAt: Int64) {
        self.accountId = accountId; self.token = token; self.action = action
        self.requestDigest = requestDigest; self.result = result; self.createdAt = createdAt
    }
}
