/// Why a store call failed, in terms the domain can act on.
public enum StoreError: Error, Sendable, Equatable {
    /// A uniqueness constraint refused the write (name taken, token reused, key exists).
    case conflict(String)
    /// The backend cannot be reached now; the caller gets `ServiceUnavailable` and may retry.
    case unavailable(String)
    /// Anything else the backend reported; logged, and `InternalError` to the caller.
    case backend(String)
}

/// Reads, inside a consistent snapshot.
///
/// Every method is synchronous: a transaction body runs on a thread the store owns, so the
/// domain logic inside stays plain, testable Swift with no suspension points between reads
/// and writes.
public protocol StoreReader: RAMReader, FaultRuleReader {
    func accessKey(id: String) throws -> AccessKeyRecord?
    func accountExists(_ accountId: String) throws -> Bool

    func keyPair(account: String, region: String, name: String) throws -> KeyPairRecord?
    func keyPairs(account: String, region: String, query: KeyPairQuery) throws -> Page<KeyPairRecord>
    func keyPairCount(account: String, region: String) throws -> Int

    func instance(account: String, id: String) throws -> InstanceRecord?
    /// An instance by ID whatever its account: for the unsigned admin view only.
    func instanceAnyAccount(id: String) throws -> InstanceRecord?
    func instances(account: String, region: String, query: InstanceQuery) throws -> Page<InstanceRecord>
    /// How many instances are bound to the named key pair.
    func instancesBound(account: String, region: String, keyPair: String) throws -> Int
    /// The highest `sshSlot` of any instance in the store, 0 when there is none.
    func maxSSHSlot() throws -> Int64
    /// Every Linux instance of every account: what an SSH-serving node reconciles its endpoints with.
    func linuxInstances() throws -> [InstanceRecord]

    func idempotency(account: String, token: String, action: String) throws -> IdempotencyRecord?

    /// A VPC by ID in the account and region (the plain lookup other resources' checks use).
    func vpc(account: String, region: String, id: String) throws -> VpcRecord?
    /// Every VPC of the account in the region, oldest first (a region holds at most a quota's worth).
    func vpcs(account: String, region: String) throws -> [VpcRecord]
    func vSwitch(account: String, region: String, id: String) throws -> VSwitchRecord?
    /// Every vSwitch of the account in the region, oldest first.
    func vSwitches(account: String, region: String) throws -> [VSwitchRecord]
    /// What is in a VPC and keeps it from being deleted.
    func vpcDependents(account: String, vpcId: String) throws -> VpcDependents
    /// The private IPs the vSwitch's instances hold: its allocations.
    func vSwitchAddresses(account: String, vSwitchId: String) throws -> [String]
    /// A security group by ID in the account, whatever its region (the caller checks the region):
    /// the plain lookup RunInstances, Join/Leave and the VPC API use.
    func securityGroup(account: String, id: String) throws -> SecurityGroupRecord?
    /// The account's groups in a region that pass `query`, oldest first (creation time, then ID).
    func securityGroups(account: String, region: String, query: SecurityGroupQuery) throws -> [SecurityGroupRecord]
    /// Security groups by ID whatever their account: what an SSH-serving node evaluates admission with.
    func securityGroups(ids: [String]) throws -> [SecurityGroupRecord]
    /// How many groups the account has in the region (the quota).
    func securityGroupCount(account: String, region: String) throws -> Int
    /// How many of the account's groups are in the VPC (DeleteVpc refuses while any is).
    func securityGroupCount(account: String, vpcId: String) throws -> Int
    /// How many of the account's instances are in the group (DeleteSecurityGroup refuses while any is).
    func instancesInSecurityGroup(account: String, id: String) throws -> Int

    /// Every record of `account`, or of all accounts when nil, for an estate export (see
    /// `StateRecords` for what is left out). Order is unspecified: `Estate` sorts.
    func stateRecords(account: String?) throws -> StateRecords
    /// Whether any account holds a resource: a key pair, an instance, a RAM user, policy or role.
    /// Accounts and their root keys alone (what a new store has) do not count.
    func holdsResources() throws -> Bool
}

/// Reads and writes inside one transaction: all of it commits, or none of it.
public protocol StoreWriter: StoreReader, RAMWriter, FaultRuleWriter {
    func insertAccount(_ accountId: String, createdAt: Int64) throws
    func insertAccessKey(_ key: AccessKeyRecord) throws

    /// Throws `.conflict` if the name is taken in the account and region.
    func insertKeyPair(_ keyPair: KeyPairRecord) throws
    func deleteKeyPairs(account: String, region: String, names: [String]) throws
    /// Serializes writers of one account and region (the quota check): a no-op where the
    /// backend already runs one writer at a time.
    func lockKeyPairs(account: String, region: String) throws

    func insertInstance(_ instance: InstanceRecord) throws
    /// Reads instances for update, in ID order (so concurrent callers lock rows in one order and
    /// cannot deadlock); on backends with row locks the rows stay locked until commit.
    func instancesForUpdate(account: String, ids: [String]) throws -> [InstanceRecord]
    func updateInstance(_ instance: InstanceRecord) throws
    func deleteInstance(account: String, id: String) throws

    /// Throws `.conflict` if the ID exists.
    func insertSecurityGroup(_ group: SecurityGroupRecord) throws
    /// Writes name, description, tags and rules; ID, account, region, VPC and type never change.
    func updateSecurityGroup(_ group: SecurityGroupRecord) throws
    func deleteSecurityGroup(account: String, id: String) throws
    /// Replaces a key pair's tags (TagResources/UntagResources).
    func updateKeyPairTags(account: String, region: String, name: String, tags: [ResourceTag]) throws

    /// Throws `.conflict` if the token was recorded meanwhile.
    func insertIdempotency(_ record: IdempotencyRecord) throws

    /// Serializes writers of one account's networks in a region (CIDR overlap checks, quota,
    /// deletes against dependents, address allocation): a no-op where the backend runs one writer.
    func lockNetworks(account: String, region: String) throws
    /// Throws `.conflict` if the ID is taken.
    func insertVpc(_ vpc: VpcRecord) throws
    /// Rewrites the mutable fields (name, description, tags).
    func updateVpc(_ vpc: VpcRecord) throws
    func deleteVpc(account: String, id: String) throws
    func insertVSwitch(_ vSwitch: VSwitchRecord) throws
    func updateVSwitch(_ vSwitch: VSwitchRecord) throws
    func deleteVSwitch(account: String, id: String) throws

    /// Deletes what `scope` names, in this transaction; nonces are never deleted. Other writers
    /// wait for the commit (SQLite: one writer; PostgreSQL: an exclusive state lock), so no
    /// request sees a half-deleted state.
    func deleteState(_ scope: StateScope) throws

    /// Inserts every record (a default in `StateRecords.swift` inserts one by one).
    func insertState(_ records: StateRecords) throws
}

/// A LocalECS state store: SQLite (embedded, the default), SQLite in memory, or PostgreSQL.
///
/// Bodies run on a thread owned by the store and must not block on anything but the store.
/// `write` bodies may run more than once when the backend asks to retry (serialization
/// failures), so they must have no effect outside the transaction.
public protocol Store: Sendable {
    /// A human-readable description for logs and the start-up line (`sqlite:./x.db`).
    var description: String { get }
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T
    /// Records `(accessKeyId, nonce)` until `expiresAt` (ms): the last moment the request it came
    /// with could still pass the timestamp window. False if it is recorded and not expired at
    /// `now` (a replay); an expired record is taken over. Durable before it returns.
    func useNonce(accessKeyId: String, nonce: String, expiresAt: Int64, now: Int64) async throws -> Bool
    /// Drops nonces that expired before `now` (ms): the timestamp window refuses their requests anyway.
    func purgeNonces(expiredBefore now: Int64) async throws

    // The ActionTrail audit trail, outside the state's transactions: it records calls, it is not
    // state, and SQLite keeps it in a file of its own so that its writes never queue with the
    // data's durable commits.

    /// Appends events; an event ID already stored is skipped (a retried flush). Durable against
    /// a crash of the process when it returns (SQLite: the audit file's `synchronous=NORMAL`).
    func appendAuditEvents(_ events: [AuditEventRecord]) async throws
    /// At most `query.limit` events of one account in the query's order (LookupEvents).
    func auditEvents(_ query: AuditEventQuery) async throws -> [AuditEventRecord]
    /// Drops events older than `before` (ms): the trail's retention.
    func purgeAuditEvents(before: Int64) async throws
    /// Drops the events of the accounts `scope` names (every event for `.everything`): reset and
    /// import call it once `deleteState` committed.
    func deleteAuditEvents(_ scope: StateScope) async throws
    func close() async
    /// Transactions run again because the backend asked to (serialization failures, deadlocks,
    /// a conflict seen under concurrency), since the process started: for the metrics.
    var transactionRetries: Int { get }
}

extension Store {
    public var transactionRetries: Int { 0 }
}
