import ECSStore

/// The store's reads and writes on one connection, inside the transaction its caller opened.
struct SQLiteTransaction: StoreWriter {
    let db: SQLiteConnection

    // MARK: accounts and keys

    func accessKey(id: String) throws -> AccessKeyRecord? {
        var out: AccessKeyRecord?
        try db.query("SELECT \(RecordColumns.accessKey) FROM access_keys WHERE id = ?", [.text(id)]) { out = RecordColumns.accessKey($0) }
        return out
    }

    func accountExists(_ accountId: String) throws -> Bool {
        var found = false
        try db.query("SELECT 1 FROM accounts WHERE id = ?", [.text(accountId)]) { _ in found = true }
        return found
    }

    func insertAccount(_ accountId: String, createdAt: Int64) throws {
        try db.query("INSERT INTO accounts (id, created_at) VALUES (?, ?)", [.text(accountId), .int(createdAt)])
    }

    func insertAccessKey(_ k: AccessKeyRecord) throws {
        try db.query("INSERT INTO access_keys (id, secret, account_id, user_name, status, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                     [.text(k.id), .text(k.secret), .text(k.accountId), .optional(k.userName), .text(k.status.rawValue), .int(k.createdAt)])
    }

    // MARK: key pairs

    func keyPair(account: String, region: String, name: String) throws -> KeyPairRecord? {
        var out: KeyPairRecord?
        try db.query("SELECT \(RecordColumns.keyPair) FROM key_pairs WHERE account_id = ? AND region_id = ? AND name = ?",
                     [.text(account), .text(region), .text(name)]) { out = RecordColumns.keyPair($0) }
        return out
    }

    func keyPairs(account: String, region: String, query q: KeyPairQuery) throws -> Page<KeyPairRecord> {
        var sql = " FROM key_pairs WHERE account_id = ? AND region_id = ?"
        var args: [SQLValue] = [.text(account), .text(region)]
        switch q.name {
        case .exact(let n)?: sql += " AND name = ?"; args.append(.text(n))
        case .wildcard(let p)?: sql += " AND name GLOB ?"; args.append(.text(SQLiteGlob.pattern(p)))
        case nil: break
        }
        if let f = q.fingerprint { sql += " AND fingerprint = ?"; args.append(.text(f)) }
        if let g = q.resourceGroupId { sql += " AND resource_group_id = ?"; args.append(.text(g)) }
        let order = " ORDER BY created_at, name"
        if !q.tags.isEmpty {
            var all: [KeyPairRecord] = []
            try db.query("SELECT \(RecordColumns.keyPair)" + sql + order, args) { all.append(RecordColumns.keyPair($0)) }
            let matched = all.filter { $0.tags.satisfies(q.tags) }
            return Page(total: matched.count, items: Array(matched.dropFirst(q.offset).prefix(q.limit)))
        }
        var items: [KeyPairRecord] = []
        // An exact name has at most one row (W1's lookup): its own count is cheaper than an index
        // that the next name would not use.
        let index: PageIndex? = if case .exact? = q.name { nil } else { try db.pageIndex("SELECT created_at, name" + sql + order, args) }
        if let index {
            guard let seek = index.seek(q.offset) else { return Page(total: index.total, items: []) }
            let (mark, skip) = seek
            // From the nearest mark (`PageIndex`), skipping fewer than its stride of rows.
            try db.query("SELECT \(Self.keyPairColumnsOfK) FROM (SELECT name" + sql + " AND (created_at, name) >= (?, ?)" + order
                         + " LIMIT ? OFFSET ?) AS p"
                         + " CROSS JOIN key_pairs AS k ON k.account_id = ? AND k.region_id = ? AND k.name = p.name ORDER BY k.created_at, k.name",
                         args + [.int(mark.first), .text(mark.second), .int(Int64(q.limit)), .int(Int64(skip)), .text(account), .text(region)]) {
                items.append(RecordColumns.keyPair($0))
            }
            return Page(total: index.total, items: items)
        }
        var total = 0
        try db.query("SELECT COUNT(*)" + sql, args) { total = Int($0.int(0)) }
        if total > q.offset {
            // The page's names come from the index alone; only its rows are read from the table
            // (a plain OFFSET read every skipped row's page too: milliseconds deep into a big store).
            // CROSS JOIN fixes the loop order: with `name IN (…)` SQLite walked the whole ordering
            // index to spare itself sorting 50 rows.
            try db.query("SELECT \(Self.keyPairColumnsOfK) FROM (SELECT name" + sql + order + " LIMIT ? OFFSET ?) AS p"
                         + " CROSS JOIN key_pairs AS k ON k.account_id = ? AND k.region_id = ? AND k.name = p.name ORDER BY k.created_at, k.name",
                         args + [.int(Int64(q.limit)), .int(Int64(q.offset)), .text(account), .text(region)]) {
                items.append(RecordColumns.keyPair($0))
            }
        }
        return Page(total: total, items: items)
    }

    static let keyPairColumnsOfK = RecordColumns.keyPair.split(separator: ",")
        .map { "k." + $0.filter { $0 != " " } }.joined(separator: ", ")

    func keyPairCount(account: String, region: String) throws -> Int {
        var n = 0
        try db.query("SELECT n FROM key_pair_counts WHERE account_id = ? AND region_id = ?", [.text(account), .text(region)]) { n = Int($0.int(0)) }
        return n
    }

    func insertKeyPair(_ k: KeyPairRecord) throws {
        try db.query("INSERT INTO key_pairs (\(RecordColumns.keyPair)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [.text(k.accountId), .text(k.regionId), .text(k.name), .text(k.id), .text(k.fingerprint), .text(k.publicKey),
                      .text(k.resourceGroupId), .text(TagCodec.encode(k.tags)), .int(k.createdAt)])
    }

    func deleteKeyPairs(account: String, region: String, names: [String]) throws {
        for n in names {
            try db.query("DELETE FROM key_pairs WHERE account_id = ? AND region_id = ? AND name = ?", [.text(account), .text(region), .text(n)])
        }
    }

    func lockKeyPairs(account: String, region: String) throws {
        // One writer at a time already: the transaction holds SQLite's write lock.
    }

    // MARK: instances

    static func bindings(_ i: InstanceRecord) -> [SQLValue] {
        [.text(i.accountId), .text(i.regionId), .text(i.zoneId), .text(i.id), .text(i.name), .text(i.hostName),
         .text(i.description), .text(i.imageId), .text(i.instanceType), .text(i.osType), .text(i.resourceGroupId),
         .text(i.phases), .int(i.phaseStartedAt), .int(i.stepMillis), .optional(i.boundKeyPair), .optional(i.effectiveKeyPair),
         .int(i.passwordSet ? 1 : 0), .int(i.passwordLoginEffective ? 1 : 0), .text(TagCodec.encode(i.tags)),
         .int(i.createdAt), .int(i.startedAt), .text(i.privateIp), .optional(i.userData), .text(i.systemDiskCategory),
         .int(Int64(i.systemDiskSize)), .int(i.sshSlot), .optional(i.passwordHash),
         .optional(i.effectivePasswordHash), .optional(i.hostKey), .text(i.vpcId), .text(i.vSwitchId),
         .text(i.securityGroupIds.joined(separator: ",")),
         .text(DataDiskCodec.encode(i.dataDisks))]
    }

    func instance(account: String, id: String) throws -> InstanceRecord? {
        var out: InstanceRecord?
        try db.query("SELECT \(RecordColumns.instance) FROM instances WHERE id = ? AND account_id = ?", [.text(id), .text(account)]) {
            out = RecordColumns.instance($0)
        }
        return out
    }

    func instanceAnyAccount(id: String) throws -> InstanceRecord? {
        var out: InstanceRecord?
        try db.query("SELECT \(RecordColumns.instance) FROM instances WHERE id = ?", [.text(id)]) { out = RecordColumns.instance($0) }
        return out
    }

    func instances(account: String, region: String, query q: InstanceQuery) throws -> Page<InstanceRecord> {
        var sql = " FROM instances WHERE account_id = ? AND region_id = ?"
        var args: [SQLValue] = [.text(account), .text(region)]
        if let ids = q.ids {
            if ids.isEmpty { return Page(total: 0, items: []) }
            sql += " AND id IN (" + Array(repeating: "?", count: ids.count).joined(separator: ",") + ")"
            args += ids.map(SQLValue.text)
        }
        if let k = q.keyPairName { sql += " AND bound_key_pair = ?"; args.append(.text(k)) }
        switch q.name {
        case .exact(let n)?: sql += " AND name = ?"; args.append(.text(n))
        case .wildcard(let p)?: sql += " AND name GLOB ?"; args.append(.text(SQLiteGlob.pattern(p)))
        case nil: break
        }
        if let v = q.imageId { sql += " AND image_id = ?"; args.append(.text(v)) }
        if let v = q.instanceType { sql += " AND instance_type = ?"; args.append(.text(v)) }
        if let v = q.zoneId { sql += " AND zone_id = ?"; args.append(.text(v)) }
        if let v = q.resourceGroupId { sql += " AND resource_group_id = ?"; args.append(.text(v)) }
        if let v = q.vpcId { sql += " AND vpc_id = ?"; args.append(.text(v)) }
        if let v = q.vSwitchId { sql += " AND vswitch_id = ?"; args.append(.text(v)) }
        if let v = q.securityGroupId { sql += " AND instr(',' || security_group_ids || ',', ?) > 0"; args.append(.text("," + v + ",")) }
        let order = " ORDER BY created_at, id"
        if !q.tags.isEmpty || q.limit == nil {
            var all: [InstanceRecord] = []
            try db.query("SELECT \(RecordColumns.instance)" + sql + order, args) { all.append(RecordColumns.instance($0)) }
            let matched = q.tags.isEmpty ? all : all.filter { $0.tags.satisfies(q.tags) }
            let offset = q.offset ?? 0
            let page = q.limit.map { Array(matched.dropFirst(offset).prefix($0)) } ?? Array(matched.dropFirst(offset))
            return Page(total: matched.count, items: page)
        }
        var items: [InstanceRecord] = []
        let offset = q.offset ?? 0
        if let index = try db.pageIndex("SELECT created_at, id" + sql + order, args), let limit = q.limit {
            guard let seek = index.seek(offset) else { return Page(total: index.total, items: []) }
            let (mark, skip) = seek
            // From the nearest mark (`PageIndex`), skipping fewer than its stride of rows.
            try db.query("SELECT \(RecordColumns.instance) FROM instances WHERE id IN (SELECT id" + sql + " AND (created_at, id) >= (?, ?)"
                         + order + " LIMIT ? OFFSET ?)" + order,
                         args + [.int(mark.first), .text(mark.second), .int(Int64(limit)), .int(Int64(skip))]) {
                items.append(RecordColumns.instance($0))
            }
            return Page(total: index.total, items: items)
        }
        var total = 0
        try db.query("SELECT COUNT(*)" + sql, args) { total = Int($0.int(0)) }
        if total > offset, let limit = q.limit {
            // IDs from the index alone, then only the page's rows (see `keyPairs`).
            try db.query("SELECT \(RecordColumns.instance) FROM instances WHERE id IN (SELECT id" + sql + order + " LIMIT ? OFFSET ?)" + order,
                         args + [.int(Int64(limit)), .int(Int64(offset))]) { items.append(RecordColumns.instance($0)) }
        }
        return Page(total: total, items: items)
    }

    func instancesBound(account: String, region: String, keyPair: String) throws -> Int {
        var n = 0
        try db.query("SELECT COUNT(*) FROM instances WHERE account_id = ? AND region_id = ? AND bound_key_pair = ?",
                     [.text(account), .text(region), .text(keyPair)]) { n = Int($0.int(0)) }
        return n
    }

    func maxSSHSlot() throws -> Int64 {
        var n: Int64 = 0
        try db.query("SELECT COALESCE(MAX(ssh_slot), 0) FROM instances WHERE ssh_slot > 0", []) { n = $0.int(0) }
        return n
    }

    func linuxInstances() throws -> [InstanceRecord] {
        var out: [InstanceRecord] = []
        try db.query("SELECT \(RecordColumns.instance) FROM instances WHERE os_type <> 'windows'", []) { out.append(RecordColumns.instance($0)) }
        return out
    }

    func insertInstance(_ i: InstanceRecord) throws {
        try db.query("INSERT INTO instances (\(RecordColumns.instance)) VALUES (" + Array(repeating: "?", count: RecordColumns.instanceColumnCount).joined(separator: ",") + ")",
                     Self.bindings(i))
    }

    func instancesForUpdate(account: String, ids: [String]) throws -> [InstanceRecord] {
        guard !ids.isEmpty else { return [] }
        var out: [InstanceRecord] = []
        out.reserveCapacity(ids.count)
        // By primary key only: with `account_id = ?` too, SQLite may walk the account's whole
        // index instead of doing one lookup per ID.
        try db.query("SELECT \(RecordColumns.instance) FROM instances WHERE id IN ("
                     + Array(repeating: "?", count: ids.count).joined(separator: ",") + ") ORDER BY id",
                     ids.map(SQLValue.text)) { row in
            let record = RecordColumns.instance(row)
            if record.accountId == account { out.append(record) }
        }
        return out
    }

    func updateInstance(_ i: InstanceRecord) throws {
        try db.query("""
            UPDATE instances SET name = ?, host_name = ?, description = ?, phases = ?, phase_started_at = ?, step_ms = ?,
            bound_key_pair = ?, effective_key_pair = ?, password_set = ?, password_login_effective = ?, tags = ?, started_at = ?,
            password_hash = ?, effective_password_hash = ?, host_key = ?, security_group_ids = ?
            WHERE id = ? AND account_id = ?
            """, [.text(i.name), .text(i.hostName), .text(i.description), .text(i.phases), .int(i.phaseStartedAt),
                  .int(i.stepMillis), .optional(i.boundKeyPair), .optional(i.effectiveKeyPair), .int(i.passwordSet ? 1 : 0),
                  .int(i.passwordLoginEffective ? 1 : 0), .text(TagCodec.encode(i.tags)), .int(i.startedAt),
                  .optional(i.passwordHash), .optional(i.effectivePasswordHash), .optional(i.hostKey),
                  .text(i.securityGroupIds.joined(separator: ",")), .text(i.id), .text(i.accountId)])
    }

    func deleteInstance(account: String, id: String) throws {
        try db.query("DELETE FROM instances WHERE id = ? AND account_id = ?", [.text(id), .text(account)])
    }

    // MARK: idempotency

    func idempotency(account: String, token: String, action: String) throws -> IdempotencyRecord? {
        var out: IdempotencyRecord?
        try db.query("SELECT account_id, token, action, digest, result, created_at FROM idempotency WHERE account_id = ? AND action = ? AND token = ?",
                     [.text(account), .text(action), .text(token)]) { r in
            out = IdempotencyRecord(accountId: r.text(0), token: r.text(1), action: r.text(2), requestDigest: r.text(3),
                                    result: r.text(4), createdAt: r.int(5))
        }
        return out
    }

    func insertIdempotency(_ r: IdempotencyRecord) throws {
        try db.query("INSERT INTO idempotency (account_id, token, action, digest, result, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                     [.text(r.accountId), .text(r.token), .text(r.action), .text(r.requestDigest), .text(r.result), .int(r.createdAt)])
    }
}

/// ECS name wildcards (`*` only) as an SQLite GLOB pattern: the other GLOB metacharacters are escaped.
enum SQLiteGlob {
    static func pattern(_ wildcard: String) -> String {
        var out = ""
        for c in wildcard {
            switch c {
            case "?": out += "[?]"
            case "[": out += "[[]"
            default: out.append(c)
            }
        }
        return out
    }
}
