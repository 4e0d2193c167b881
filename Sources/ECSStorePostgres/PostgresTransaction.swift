import ECSStore

/// The store's reads and writes on one connection, inside the transaction `PostgresStore` opened.
///
/// Semantics mirror `SQLiteTransaction` statement for statement (ordering, wildcard matching,
/// tag filtering, paging). Where SQLite is serial by construction, this type takes locks:
/// - `instancesForUpdate` locks the rows (`FOR UPDATE`, in ID order so writers cannot deadlock);
/// - `lockKeyPairs` takes the account+region advisory lock exclusively (quota, create, delete);
/// - `keyPair(…)` in a write transaction takes the same lock *shared* first, so a binder (Attach,
///   RunInstances with a key pair) and a deleter of that account and region never interleave:
///   either the delete sees the binding and refuses, or the binder sees the key pair gone.
/// Inserts use `ON CONFLICT DO NOTHING` and throw `.conflict` when nothing was inserted, so a
/// duplicate does not abort the transaction (as in SQLite) and the store can run the body again.
final class PostgresTransaction: StoreWriter {
    let db: PGConnection
    let writable: Bool
    /// An insert found its key taken: the store runs the body again if it then fails.
    private(set) var sawConflict = false
    /// The first statement error: PostgreSQL has aborted the transaction, whatever the body did next.
    private(set) var failure: (any Error)?
    /// Advisory locks held until commit, by key: true when held exclusively.
    private var heldLocks: [String: Bool] = [:]
    /// The state lock is held exclusively (`lockState`).
    var lockedState = false

    init(db: PGConnection, writable: Bool) {
        self.db = db; self.writable = writable
    }

    /// Runs one statement, remembering a failure (which aborts the whole transaction in PostgreSQL).
    @discardableResult
    func run(_ sql: String, _ params: [PGValue] = [], row: (PGRow) -> Void = { _ in }) throws -> Int {
        do {
            return try db.query(sql, params, row: row)
        } catch {
            if failure == nil { failure = error }
            throw error
        }
    }

    /// An `INSERT … ON CONFLICT DO NOTHING` of `rows` rows: throws `.conflict` when a key was taken.
    func insert(_ sql: String, _ params: [PGValue], what: String, rows: Int = 1) throws {
        if try run(sql + " ON CONFLICT DO NOTHING", params) != rows {
            sawConflict = true
            throw StoreError.conflict("\(what) exists")
        }
    }

    /// Namespace of the two-key advisory locks on key-pair sets (the one-key space holds the migration lock).
    static let keyPairLockClass: Int64 = 0x4543_5301

    /// Namespace of the advisory lock that serializes SSH number allocation (`maxSSHSlot`).
    static let sshSlotLockClass: Int64 = 0x4543_5304

    /// Namespace of the advisory locks on an account's RAM entities.
    static let ramLockClass: Int64 = 0x4543_5302

    func lockRAM(account: String) throws {
        let key = "ram/" + account
        if heldLocks[key] != nil { return }
        try run("SELECT pg_advisory_xact_lock($1::int4, hashtext($2))", [.int(Self.ramLockClass), .text(account)])
        heldLocks[key] = true
    }

    private func lockKeyPairSet(account: String, region: String, exclusive: Bool) throws {
        let key = account + "/" + region
        if let held = heldLocks[key], held || !exclusive { return }
        let fn = exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared"
        try run("SELECT \(fn)($1::int4, hashtext($2))", [.int(Self.keyPairLockClass), .text(key)])
        heldLocks[key] = exclusive
    }

    // MARK: accounts and keys

    func accessKey(id: String) throws -> AccessKeyRecord? {
        var out: AccessKeyRecord?
        try run("SELECT \(RecordColumns.accessKey) FROM access_keys WHERE id = $1", [.text(id)]) { out = RecordColumns.accessKey($0) }
        return out
    }

    func accountExists(_ accountId: String) throws -> Bool {
        try run("SELECT 1 FROM accounts WHERE id = $1", [.text(accountId)]) > 0
    }

    func insertAccount(_ accountId: String, createdAt: Int64) throws {
        try insert("INSERT INTO accounts (id, created_at) VALUES ($1, $2)", [.text(accountId), .int(createdAt)], what: "account")
    }

    func insertAccessKey(_ k: AccessKeyRecord) throws {
        try insert("INSERT INTO access_keys (\(RecordColumns.accessKey)) VALUES ($1, $2, $3, $4, $5, $6)",
                   [.text(k.id), .text(k.secret), .text(k.accountId), .optional(k.userName), .text(k.status.rawValue), .int(k.createdAt)],
                   what: "access key")
    }

    // MARK: key pairs

    func keyPair(account: String, region: String, name: String) throws -> KeyPairRecord? {
        if writable { try lockKeyPairSet(account: account, region: region, exclusive: false) }
        var out: KeyPairRecord?
        try run("SELECT \(RecordColumns.keyPair) FROM key_pairs WHERE account_id = $1 AND region_id = $2 AND name = $3",
                [.text(account), .text(region), .text(name)]) { out = RecordColumns.keyPair($0) }
        return out
    }

    func keyPairs(account: String, region: String, query q: KeyPairQuery) throws -> Page<KeyPairRecord> {
        var args = SQLArguments()
        var sql = " FROM key_pairs WHERE account_id = \(args.add(.text(account))) AND region_id = \(args.add(.text(region)))"
        switch q.name {
        case .exact(let n)?: sql += " AND name = \(args.add(.text(n)))"
        case .wildcard(let p)?: sql += " AND name LIKE \(args.add(.text(PGLike.pattern(p)))) ESCAPE '!'"
        case nil: break
        }
        if let f = q.fingerprint { sql += " AND fingerprint = \(args.add(.text(f)))" }
        if let g = q.resourceGroupId { sql += " AND resource_group_id = \(args.add(.text(g)))" }
        let order = " ORDER BY created_at, name"
        if !q.tags.isEmpty {
            var all: [KeyPairRecord] = []
            try run("SELECT \(RecordColumns.keyPair)" + sql + order, args.values) { all.append(RecordColumns.keyPair($0)) }
            let matched = all.filter { $0.tags.satisfies(q.tags) }
            return Page(total: matched.count, items: Array(matched.dropFirst(q.offset).prefix(q.limit)))
        }
        var total = 0
        try run("SELECT COUNT(*)" + sql, args.values) { total = Int($0.int(0)) }
        var items: [KeyPairRecord] = []
        if total > q.offset {
            let limit = args.add(.limit(q.limit)), offset = args.add(.offset(q.offset))
            // The page's names from the index, then only its rows (as the SQLite store does).
            try run("SELECT \(RecordColumns.keyPair) FROM key_pairs WHERE account_id = $1 AND region_id = $2 AND name IN (SELECT name"
                    + sql + order + " LIMIT \(limit) OFFSET \(offset))" + order, args.values) {
                items.append(RecordColumns.keyPair($0))
            }
        }
        return Page(total: total, items: items)
    }

    func keyPairCount(account: String, region: String) throws -> Int {
        var n = 0
        try run("SELECT COUNT(*) FROM key_pairs WHERE account_id = $1 AND region_id = $2", [.text(account), .text(region)]) {
            n = Int($0.int(0))
        }
        return n
    }

    func insertKeyPair(_ k: KeyPairRecord) throws {
        try insert("INSERT INTO key_pairs (\(RecordColumns.keyPair)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                   [.text(k.accountId), .text(k.regionId), .text(k.name), .text(k.id), .text(k.fingerprint), .text(k.publicKey),
                    .text(k.resourceGroupId), .text(TagCodec.encode(k.tags)), .int(k.createdAt)], what: "key pair \(k.name)")
    }

    func deleteKeyPairs(account: String, region: String, names: [String]) throws {
        for n in names {
            try run("DELETE FROM key_pairs WHERE account_id = $1 AND region_id = $2 AND name = $3", [.text(account), .text(region), .text(n)])
        }
    }

    func lockKeyPairs(account: String, region: String) throws {
        try lockKeyPairSet(account: account, region: region, exclusive: true)
    }

    // MARK: instances

    func instance(account: String, id: String) throws -> InstanceRecord? {
        var out: InstanceRecord?
        try run("SELECT \(RecordColumns.instance) FROM instances WHERE id = $1 AND account_id = $2", [.text(id), .text(account)]) {
            out = RecordColumns.instance($0)
        }
        return out
    }

    func instanceAnyAccount(id: String) throws -> InstanceRecord? {
        var out: InstanceRecord?
        try run("SELECT \(RecordColumns.instance) FROM instances WHERE id = $1", [.text(id)]) { out = RecordColumns.instance($0) }
        return out
    }

    func instances(account: String, region: String, query q: InstanceQuery) throws -> Page<InstanceRecord> {
        var args = SQLArguments()
        var sql = " FROM instances WHERE account_id = \(args.add(.text(account))) AND region_id = \(args.add(.text(region)))"
        if let ids = q.ids {
            if ids.isEmpty { return Page(total: 0, items: []) }
            sql += " AND id IN (" + ids.map { args.add(.text($0)) }.joined(separator: ",") + ")"
        }
        if let k = q.keyPairName { sql += " AND bound_key_pair = \(args.add(.text(k)))" }
        switch q.name {
        case .exact(let n)?: sql += " AND name = \(args.add(.text(n)))"
        case .wildcard(let p)?: sql += " AND name LIKE \(args.add(.text(PGLike.pattern(p)))) ESCAPE '!'"
        case nil: break
        }
        if let v = q.imageId { sql += " AND image_id = \(args.add(.text(v)))" }
        if let v = q.instanceType { sql += " AND instance_type = \(args.add(.text(v)))" }
        if let v = q.zoneId { sql += " AND zone_id = \(args.add(.text(v)))" }
        if let v = q.resourceGroupId { sql += " AND resource_group_id = \(args.add(.text(v)))" }
        if let v = q.vpcId { sql += " AND vpc_id = \(args.add(.text(v)))" }
        if let v = q.vSwitchId { sql += " AND vswitch_id = \(args.add(.text(v)))" }
        if let v = q.securityGroupId { sql += " AND strpos(',' || security_group_ids || ',', \(args.add(.text("," + v + ",")))) > 0" }
        let order = " ORDER BY created_at, id"
        if !q.tags.isEmpty || q.limit == nil {
            var all: [InstanceRecord] = []
            try run("SELECT \(RecordColumns.instance)" + sql + order, args.values) { all.append(RecordColumns.instance($0)) }
            let matched = q.tags.isEmpty ? all : all.filter { $0.tags.satisfies(q.tags) }
            let offset = q.offset ?? 0
            let page = q.limit.map { Array(matched.dropFirst(offset).prefix($0)) } ?? Array(matched.dropFirst(offset))
            return Page(total: matched.count, items: page)
        }
        var total = 0
        try run("SELECT COUNT(*)" + sql, args.values) { total = Int($0.int(0)) }
        var items: [InstanceRecord] = []
        let offset = q.offset ?? 0
        if total > offset, let limit = q.limit {
            let l = args.add(.limit(limit)), o = args.add(.offset(offset))
            try run("SELECT \(RecordColumns.instance) FROM instances WHERE id IN (SELECT id" + sql + order + " LIMIT \(l) OFFSET \(o))" + order,
                    args.values) {
                items.append(RecordColumns.instance($0))
            }
        }
        return Page(total: total, items: items)
    }

    func instancesBound(account: String, region: String, keyPair: String) throws -> Int {
        var n = 0
        try run("SELECT COUNT(*) FROM instances WHERE account_id = $1 AND region_id = $2 AND bound_key_pair = $3",
                [.text(account), .text(region), .text(keyPair)]) { n = Int($0.int(0)) }
        return n
    }

    func maxSSHSlot() throws -> Int64 {
        // Numbers are MAX + 1: two nodes launching at once would both read the same MAX and one
        // would meet the unique index again on every retry. One allocator at a time, until its
        // commit; READ COMMITTED lets the next one's MAX see what the previous one inserted.
        try run("SELECT pg_advisory_xact_lock($1::int4, 0)", [.int(Self.sshSlotLockClass)])
        var n: Int64 = 0
        try run("SELECT COALESCE(MAX(ssh_slot), 0) FROM instances WHERE ssh_slot > 0") { n = $0.int(0) }
        return n
    }

    func linuxInstances() throws -> [InstanceRecord] {
        var out: [InstanceRecord] = []
        try run("SELECT \(RecordColumns.instance) FROM instances WHERE os_type <> 'windows'") { out.append(RecordColumns.instance($0)) }
        return out
    }

    func insertInstance(_ i: InstanceRecord) throws {
        let placeholders = (1...RecordColumns.instanceColumnCount).map { "$\($0)" }.joined(separator: ", ")
        try insert("INSERT INTO instances (\(RecordColumns.instance)) VALUES (\(placeholders))", [
            .text(i.accountId), .text(i.regionId), .text(i.zoneId), .text(i.id), .text(i.name), .text(i.hostName),
            .text(i.description), .text(i.imageId), .text(i.instanceType), .text(i.osType), .text(i.resourceGroupId),
            .text(i.phases), .int(i.phaseStartedAt), .int(i.stepMillis), .optional(i.boundKeyPair), .optional(i.effectiveKeyPair),
            .int(i.passwordSet ? 1 : 0), .int(i.passwordLoginEffective ? 1 : 0), .text(TagCodec.encode(i.tags)),
            .int(i.createdAt), .int(i.startedAt), .text(i.privateIp), .optional(i.userData), .text(i.systemDiskCategory),
            .int(Int64(i.systemDiskSize)), .int(i.sshSlot), .optional(i.passwordHash),
            .optional(i.effectivePasswordHash), .optional(i.hostKey), .text(i.vpcId), .text(i.vSwitchId),
            .text(i.securityGroupIds.joined(separator: ",")),
            .text(DataDiskCodec.encode(i.dataDisks)),
        ], what: "instance \(i.id)")
    }

    /// Locks the rows in ID order, as the protocol asks (two writers of overlapping sets cannot
    /// deadlock), and answers in that order, each once; unknown IDs and other accounts' are skipped.
    func instancesForUpdate(account: String, ids: [String]) throws -> [InstanceRecord] {
        if ids.isEmpty { return [] }
        var args = SQLArguments()
        let sql = "SELECT \(RecordColumns.instance) FROM instances WHERE account_id = \(args.add(.text(account))) AND id IN ("
            + ids.map { args.add(.text($0)) }.joined(separator: ",") + ") ORDER BY id" + (writable ? " FOR UPDATE" : "")
        var out: [InstanceRecord] = []
        out.reserveCapacity(ids.count)
        try run(sql, args.values) { out.append(RecordColumns.instance($0)) }
        return out
    }

    func updateInstance(_ i: InstanceRecord) throws {
        try run("""
            UPDATE instances SET name = $1, host_name = $2, description = $3, phases = $4, phase_started_at = $5, step_ms = $6,
            bound_key_pair = $7, effective_key_pair = $8, password_set = $9, password_login_effective = $10, tags = $11,
            started_at = $12, password_hash = $13, effective_password_hash = $14, host_key = $15, security_group_ids = $16
            WHERE id = $17 AND account_id = $18
            """, [.text(i.name), .text(i.hostName), .text(i.description), .text(i.phases), .int(i.phaseStartedAt),
                  .int(i.stepMillis), .optional(i.boundKeyPair), .optional(i.effectiveKeyPair), .int(i.passwordSet ? 1 : 0),
                  .int(i.passwordLoginEffective ? 1 : 0), .text(TagCodec.encode(i.tags)), .int(i.startedAt),
                  .optional(i.passwordHash), .optional(i.effectivePasswordHash), .optional(i.hostKey),
                  .text(i.securityGroupIds.joined(separator: ",")), .text(i.id), .text(i.accountId)])
    }

    func deleteInstance(account: String, id: String) throws {
        try run("DELETE FROM instances WHERE id = $1 AND account_id = $2", [.text(id), .text(account)])
    }

    // MARK: idempotency

    func idempotency(account: String, token: String, action: String) throws -> IdempotencyRecord? {
        var out: IdempotencyRecord?
        try run("SELECT account_id, token, action, digest, result, created_at FROM idempotency WHERE account_id = $1 AND action = $2 AND token = $3",
                [.text(account), .text(action), .text(token)]) { r in
            out = IdempotencyRecord(accountId: r.text(0), token: r.text(1), action: r.text(2), requestDigest: r.text(3),
                                    result: r.text(4), createdAt: r.int(5))
        }
        return out
    }

    func insertIdempotency(_ r: IdempotencyRecord) throws {
        try insert("INSERT INTO idempotency (account_id, token, action, digest, result, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                   [.text(r.accountId), .text(r.token), .text(r.action), .text(r.requestDigest), .text(r.result), .int(r.createdAt)],
                   what: "client token")
    }
}

/// Numbered parameters ($1, $2, …) for a statement built piece by piece.
struct SQLArguments {
    private(set) var values: [PGValue] = []
    mutating func add(_ v: PGValue) -> String {
        values.append(v)
        return "$\(values.count)"
    }
}

/// ECS name wildcards (`*` only) as a LIKE pattern with `!` as the escape character: `%`, `_`
/// and `!` match themselves, and LIKE is case-sensitive, as SQLite's GLOB is.
enum PGLike {
    static func pattern(_ wildcard: String) -> String {
        var out = ""
        for c in wildcard {
            switch c {
            case "*": out += "%"
            case "%", "_", "!": out += "!" + String(c)
            default: out.append(c)
            }
        }
        return out
    }
}

extension PostgresStore {
    /// Runs one raw statement inside a transaction body of this store. For the store's own tests,
    /// which stall a transaction (`pg_sleep`) to have its connection killed under it.
    public static func runRaw(in tx: any StoreReader, _ sql: String) throws {
        guard let pg = tx as? PostgresTransaction else { preconditionFailure("not a PostgreSQL transaction") }
        try pg.run(sql)
    }
}
