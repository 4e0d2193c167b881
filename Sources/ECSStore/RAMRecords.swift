/// A RAM user of an account.
public struct UserRecord: Sendable, Equatable {
    public var accountId: String
    public var name: String
    public var id: String
    public var displayName: String
    public var email: String
    public var mobilePhone: String
    public var comments: String
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(accountId: String, name: String, id: String, displayName: String, email: String, mobilePhone: String,
                comments: String, createdAt: Int64, updatedAt: Int64) {
        self.accountId = accountId; self.name = name; self.id = id; self.displayName = displayName; self.email = email
        self.mobilePhone = mobilePhone; self.comments = comments; self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

/// A custom policy of an account (system policies are built in and never stored).
public struct PolicyRecord: Sendable, Equatable {
    public var accountId: String
    public var name: String
    public var document: String
    public var description: String
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(accountId: String, name: String, document: String, description: String, createdAt: Int64, updatedAt: Int64) {
        self.accountId = accountId; self.name = name; self.document = document; self.description = description
        self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

/// A policy attached to a user. `policyType` is `System` or `Custom`.
public struct PolicyAttachmentRecord: Sendable, Equatable {
    public var accountId: String
    public var userName: String
    public var policyType: String
    public var policyName: String
    public var attachedAt: Int64

    public init(accountId: String, userName: String, policyType: String, policyName: String, attachedAt: Int64) {
        self.accountId = accountId; self.userName = userName; self.policyType = policyType
        self.policyName = policyName; self.attachedAt = attachedAt
    }
}

/// RAM reads: users, their keys, custom policies and attachments.
public protocol RAMReader: RoleReader {
    func user(account: String, name: String) throws -> UserRecord?
    /// Users ordered by name, starting after `after` (a paging marker), at most `limit`.
    func users(account: String, after: String?, limit: Int) throws -> [UserRecord]
    func accessKeys(account: String, userName: String) throws -> [AccessKeyRecord]
    func policy(account: String, name: String) throws -> PolicyRecord?
    func policies(account: String) throws -> [PolicyRecord]
    func attachments(account: String, userName: String) throws -> [PolicyAttachmentRecord]
    /// How many users and roles a policy is attached to.
    func attachmentCount(account: String, policyType: String, policyName: String) throws -> Int
}

/// RAM writes. Inserts throw `StoreError.conflict` on an existing key.
public protocol RAMWriter: RAMReader, RoleWriter {
    /// Serializes the RAM writers of one account (limits, attach against delete) until commit:
    /// a no-op where the backend already runs one writer at a time.
    func lockRAM(account: String) throws
    func insertUser(_ user: UserRecord) throws
    func deleteUser(account: String, name: String) throws
    func updateAccessKeyStatus(account: String, id: String, status: AccessKeyRecord.Status) throws
    func deleteAccessKey(account: String, id: String) throws
    func insertPolicy(_ policy: PolicyRecord) throws
    func deletePolicy(account: String, name: String) throws
    func insertAttachment(_ attachment: PolicyAttachmentRecord) throws
    func deleteAttachment(account: String, userName: String, policyType: String, policyName: String) throws
}

/// A RAM role of an account: who may assume it (`trustPolicy`, the AssumeRolePolicyDocument)
/// and for how long at most.
public struct RoleRecord: Sendable, Equatable {
    public var accountId: String
    public var name: String
    public var id: String
    public var description: String
    public var trustPolicy: String
    public var maxSessionDuration: Int64
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(accountId: String, name: String, id: String, description: String, trustPolicy: String,
                maxSessionDuration: Int64, createdAt: Int64, updatedAt: Int64) {
        self.accountId = accountId; self.name = name; self.id = id; self.description = description
        self.trustPolicy = trustPolicy; self.maxSessionDuration = maxSessionDuration
        self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

/// A policy attached to a role. `policyType` is `System` or `Custom`.
public struct RolePolicyRecord: Sendable, Equatable {
    public var accountId: String
    public var roleName: String
    public var policyType: String
    public var policyName: String
    public var attachedAt: Int64

    public init(accountId: String, roleName: String, policyType: String, policyName: String, attachedAt: Int64) {
        self.accountId = accountId; self.roleName = roleName; self.policyType = policyType
        self.policyName = policyName; self.attachedAt = attachedAt
    }
}

/// An STS session (AssumeRole): temporary credentials acting as `roleName` of `accountId`,
/// optionally narrowed by a session policy, until `expiresAt` (ms).
public struct STSSessionRecord: Sendable, Equatable {
    public var accessKeyId: String
    public var secret: String
    public var token: String
    public var accountId: String
    public var roleName: String
    public var roleId: String
    public var sessionName: String
    /// The session policy document as given to AssumeRole, if any.
    public var policy: String?
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(accessKeyId: String, secret: String, token: String, accountId: String, roleName: String, roleId: String,
                sessionName: String, policy: String?, createdAt: Int64, expiresAt: Int64) {
        self.accessKeyId = accessKeyId; self.secret = secret; self.token = token; self.accountId = accountId
        self.roleName = roleName; self.roleId = roleId; self.sessionName = sessionName; self.policy = policy
        self.createdAt = createdAt; self.expiresAt = expiresAt
    }
}

/// RAM role and STS session reads.
public protocol RoleReader {
    func role(account: String, name: String) throws -> RoleRecord?
    /// Roles ordered by name, starting after `after` (a paging marker), at most `limit`.
    func roles(account: String, after: String?, limit: Int) throws -> [RoleRecord]
    /// The policies attached to a role, in the order they were attached.
    func roleAttachments(account: String, roleName: String) throws -> [RolePolicyRecord]
    func stsSession(accessKeyId: String) throws -> STSSessionRecord?
}

/// RAM role and STS session writes. Inserts throw `StoreError.conflict` on an existing key.
public protocol RoleWriter: RoleReader {
    func insertRole(_ role: RoleRecord) throws
    func deleteRole(account: String, name: String) throws
    func insertRoleAttachment(_ attachment: RolePolicyRecord) throws
    func deleteRoleAttachment(account: String, roleName: String, policyType: String, policyName: String) throws
    func insertSTSSession(_ session: STSSessionRecord) throws
    /// Drops sessions that expired before `before` (ms).
    func deleteSTSSessions(expiredBefore before: Int64) throws
}
