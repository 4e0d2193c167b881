/// An account as stored: its ID and when it was created (ms).
public struct AccountRecord: Sendable, Equatable {
    public var id: String
    public var createdAt: Int64
    public init(id: String, createdAt: Int64) { self.id = id; self.createdAt = createdAt }
}

/// Every durable record of a store, or of some of its accounts, table by table: what an
/// estate export reads and an import writes in one transaction.
///
/// Not included, on purpose: nonces (a reset keeps them, so no replay reopens), STS sessions
/// (temporary credentials; they expire within hours) and idempotency tokens (a ClientToken
/// names resources by ID and is only meaningful against the state that produced it).
public struct StateRecords: Sendable, Equatable {
    public var accounts: [AccountRecord] = []
    public var accessKeys: [AccessKeyRecord] = []
    public var users: [UserRecord] = []
    public var policies: [PolicyRecord] = []
    public var userPolicies: [PolicyAttachmentRecord] = []
    public var roles: [RoleRecord] = []
    public var rolePolicies: [RolePolicyRecord] = []
    public var keyPairs: [KeyPairRecord] = []
    public var instances: [InstanceRecord] = []
    public var vpcs: [VpcRecord] = []
    public var vSwitches: [VSwitchRecord] = []
    public var securityGroups: [SecurityGroupRecord] = []

    public init() {}

    /// How many records in all (for logs and progress lines).
    public var count: Int {
        accounts.count + accessKeys.count + users.count + policies.count + userPolicies.count + roles.count
            + rolePolicies.count + keyPairs.count + instances.count + vpcs.count + vSwitches.count + securityGroups.count
    }
}

/// What a reset or an import deletes.
public enum StateScope: Sendable, Equatable {
    /// Every account and everything in it (nonces stay).
    case everything
    /// Every record of these accounts, the accounts and all their access keys included.
    case accounts([String])
    /// The resources of one account: key pairs, instances, VPCs and vSwitches, security groups, RAM
    /// users (and their keys), policies, roles, client tokens. The account and its root access keys stay.
    case resources(ofAccount: String)
}

extension StoreWriter {
    /// Inserts every record, table by table (parents first). Throws `.conflict` on a key that
    /// exists. Backends with a faster bulk path override it.
    public func insertState(_ r: StateRecords) throws {
        try insertAccountsAndRAM(r)
        for k in r.keyPairs { try insertKeyPair(k) }
        try insertNetworks(r)
        for g in r.securityGroups { try insertSecurityGroup(g) }
        for i in r.instances { try insertInstance(i) }
    }

    /// VPCs and vSwitches, row by row (few per account; every backend does it the same way).
    public func insertNetworks(_ r: StateRecords) throws {
        for v in r.vpcs { try insertVpc(v) }
        for v in r.vSwitches { try insertVSwitch(v) }
    }

    /// Accounts, access keys and RAM entities, row by row: the part of `insertState` every
    /// backend does the same way (they are few; key pairs and instances are the bulk).
    public func insertAccountsAndRAM(_ r: StateRecords) throws {
        for a in r.accounts { try insertAccount(a.id, createdAt: a.createdAt) }
        for k in r.accessKeys { try insertAccessKey(k) }
        for u in r.users { try insertUser(u) }
        for p in r.policies { try insertPolicy(p) }
        for a in r.userPolicies { try insertAttachment(a) }
        for role in r.roles { try insertRole(role) }
        for a in r.rolePolicies { try insertRoleAttachment(a) }
    }
}
