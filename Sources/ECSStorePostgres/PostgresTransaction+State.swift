import ECSStore

/// Whole-state reads and deletes: estate export, import and reset.
extension PostgresTransaction {
    /// The tables holding an `account_id` column, children before parents.
    static let accountTables = ["audit_events", "instances", "security_groups", "vswitches", "vpcs", "key_pairs", "idempotency", "user_policies", "role_policies",
                                "sts_sessions", "users", "policies", "roles", "access_keys"]

    func stateRecords(account: String?) throws -> StateRecords {
        var r = StateRecords()
        let whereAccount = account == nil ? "" : " WHERE account_id = $1"
        let args: [PGValue] = account.map { [.text($0)] } ?? []
        try run("SELECT id, created_at FROM accounts" + (account == nil ? "" : " WHERE id = $1"), args) {
            r.accounts.append(AccountRecord(id: $0.text(0), createdAt: $0.int(1)))
        }
        try run("SELECT \(RecordColumns.accessKey) FROM access_keys" + whereAccount, args) { r.accessKeys.append(RecordColumns.accessKey($0)) }
        try run("SELECT \(RecordColumns.user) FROM users" + whereAccount, args) { r.users.append(RecordColumns.user($0)) }
        try run("SELECT \(RecordColumns.policy) FROM policies" + whereAccount, args) { r.policies.append(RecordColumns.policy($0)) }
        try run("SELECT \(RecordColumns.attachment) FROM user_policies" + whereAccount, args) { r.userPolicies.append(RecordColumns.attachment($0)) }
        try run("SELECT \(RecordColumns.role) FROM roles" + whereAccount, args) { r.roles.append(RecordColumns.role($0)) }
        try run("SELECT \(RecordColumns.roleAttachment) FROM role_policies" + whereAccount, args) {
            r.rolePolicies.append(RecordColumns.roleAttachment($0))
        }
        try run("SELECT \(RecordColumns.keyPair) FROM key_pairs" + whereAccount, args) { r.keyPairs.append(RecordColumns.keyPair($0)) }
        try run("SELECT \(RecordColumns.instance) FROM instances" + whereAccount, args) { r.instances.append(RecordColumns.instance($0)) }
        try run("SELECT \(RecordColumns.vpc) FROM vpcs" + whereAccount, args) { r.vpcs.append(RecordColumns.vpc($0)) }
        try run("SELECT \(RecordColumns.vSwitch) FROM vswitches" + whereAccount, args) { r.vSwitches.append(RecordColumns.vSwitch($0)) }
        try run("SELECT \(RecordColumns.securityGroup) FROM security_groups" + whereAccount, args) {
            r.securityGroups.append(RecordColumns.securityGroup($0))
        }
        return r
    }

    func holdsResources() throws -> Bool {
        var found = false
        try run("""
            SELECT EXISTS (SELECT 1 FROM key_pairs) OR EXISTS (SELECT 1 FROM instances) OR EXISTS (SELECT 1 FROM users)
                OR EXISTS (SELECT 1 FROM policies) OR EXISTS (SELECT 1 FROM roles) OR EXISTS (SELECT 1 FROM vpcs)
                OR EXISTS (SELECT 1 FROM security_groups)
            """) { found = $0.text(0) == "t" }
        return found
    }

    /// Namespace of the state lock (the two-key advisory space; key pairs and RAM use 0x4543_5301/02, SSH numbers 0x4543_5304).
    static let stateLockClass: Int64 = 0x4543_5303

    /// What every write transaction runs after BEGIN (see `PostgresStore.transaction`).
    static let sharedStateLock = "SELECT pg_advisory_xact_lock_shared(\(stateLockClass)::int4, 0)"

    /// Waits until no other write transaction runs, and keeps the next ones waiting until commit
    /// (readers go on, on their snapshot): at READ COMMITTED a concurrent insert could otherwise
    /// land between two of a reset's deletes and survive it, half of a request's effect kept.
    /// Every write holds the lock shared from its BEGIN; this upgrades it to exclusive.
    func lockState() throws {
        if lockedState { return }
        try run("SELECT pg_advisory_xact_lock($1::int4, 0)", [.int(Self.stateLockClass)])
        lockedState = true
    }

    func deleteState(_ scope: StateScope) throws {
        try lockState()
        switch scope {
        case .everything:
            for t in Self.accountTables { try run("DELETE FROM \(t)") }
            try run("DELETE FROM accounts")
        case .accounts(let ids):
            for id in ids {
                for t in Self.accountTables { try run("DELETE FROM \(t) WHERE account_id = $1", [.text(id)]) }
                try run("DELETE FROM accounts WHERE id = $1", [.text(id)])
            }
        case .resources(let id):
            for t in Self.accountTables where t != "access_keys" {
                try run("DELETE FROM \(t) WHERE account_id = $1", [.text(id)])
            }
            try run("DELETE FROM access_keys WHERE account_id = $1 AND user_name IS NOT NULL", [.text(id)])
        }
    }
}

extension PostgresTransaction {
    /// Key pairs and instances go in multi-row INSERTs (one round trip per few hundred rows, not
    /// per row: an estate of 10,000 of each loads in a fraction of a second); the rest row by row.
    func insertState(_ r: StateRecords) throws {
        try lockState()
        try insertAccountsAndRAM(r)
        for chunk in r.keyPairs.chunks(of: 1000) {
            try insertRows("key_pairs", RecordColumns.keyPair, columns: 9, chunk.flatMap { k -> [PGValue] in
                [.text(k.accountId), .text(k.regionId), .text(k.name), .text(k.id), .text(k.fingerprint), .text(k.publicKey),
                 .text(k.resourceGroupId), .text(TagCodec.encode(k.tags)), .int(k.createdAt)]
            }, what: "a key pair of the estate")
        }
        try insertNetworks(r)
        for chunk in r.instances.chunks(of: 500) {
            try insertRows("instances", RecordColumns.instance, columns: RecordColumns.instanceColumnCount, chunk.flatMap { i -> [PGValue] in
                [.text(i.accountId), .text(i.regionId), .text(i.zoneId), .text(i.id), .text(i.name), .text(i.hostName),
                 .text(i.description), .text(i.imageId), .text(i.instanceType), .text(i.osType), .text(i.resourceGroupId),
                 .text(i.phases), .int(i.phaseStartedAt), .int(i.stepMillis), .optional(i.boundKeyPair), .optional(i.effectiveKeyPair),
                 .int(i.passwordSet ? 1 : 0), .int(i.passwordLoginEffective ? 1 : 0), .text(TagCodec.encode(i.tags)),
                 .int(i.createdAt), .int(i.startedAt), .text(i.privateIp), .optional(i.userData), .text(i.systemDiskCategory),
                 .int(Int64(i.systemDiskSize)), .int(i.sshSlot), .optional(i.passwordHash),
                 .optional(i.effectivePasswordHash), .optional(i.hostKey), .text(i.vpcId), .text(i.vSwitchId),
                 .text(i.securityGroupIds.joined(separator: ",")),
                 .text(DataDiskCodec.encode(i.dataDisks))]
            }, what: "an instance of the estate")
        }
        for g in r.securityGroups { try insertSecurityGroup(g) }
    }

    /// `INSERT INTO table (columns) VALUES (…), (…), …` with `values.count / columns` rows.
    private func insertRows(_ table: String, _ columnList: String, columns: Int, _ values: [PGValue], what: String) throws {
        let rows = values.count / columns
        var sql = "INSERT INTO \(table) (\(columnList)) VALUES "
        for r in 0..<rows {
            sql += (r == 0 ? "(" : ", (") + (1...columns).map { "$\(r * columns + $0)" }.joined(separator: ", ") + ")"
        }
        try insert(sql, values, what: what, rows: rows)
    }
}

extension Array {
    fileprivate func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
