import ECSStore

/// Whole-state reads and deletes: estate export, import and reset.
extension SQLiteTransaction {
    /// The tables holding an `account_id` column, children before parents. The data file's
    /// `audit_events` (migration 9) stays empty: the trail lives in the audit file (`AuditFile`).
    static let accountTables = ["instances", "security_groups", "vswitches", "vpcs", "key_pairs", "key_pair_counts", "idempotency", "user_policies", "role_policies",
                                "sts_sessions", "users", "policies", "roles", "access_keys"]

    func stateRecords(account: String?) throws -> StateRecords {
        var r = StateRecords()
        let whereAccount = account == nil ? "" : " WHERE account_id = ?"
        let args: [SQLValue] = account.map { [.text($0)] } ?? []
        try db.query("SELECT id, created_at FROM accounts" + (account == nil ? "" : " WHERE id = ?"), args) {
            r.accounts.append(AccountRecord(id: $0.text(0), createdAt: $0.int(1)))
        }
        try db.query("SELECT \(RecordColumns.accessKey) FROM access_keys" + whereAccount, args) { r.accessKeys.append(RecordColumns.accessKey($0)) }
        try db.query("SELECT \(RecordColumns.user) FROM users" + whereAccount, args) { r.users.append(RecordColumns.user($0)) }
        try db.query("SELECT \(RecordColumns.policy) FROM policies" + whereAccount, args) { r.policies.append(RecordColumns.policy($0)) }
        try db.query("SELECT \(RecordColumns.attachment) FROM user_policies" + whereAccount, args) { r.userPolicies.append(RecordColumns.attachment($0)) }
        try db.query("SELECT \(RecordColumns.role) FROM roles" + whereAccount, args) { r.roles.append(RecordColumns.role($0)) }
        try db.query("SELECT \(RecordColumns.roleAttachment) FROM role_policies" + whereAccount, args) {
            r.rolePolicies.append(RecordColumns.roleAttachment($0))
        }
        try db.query("SELECT \(RecordColumns.keyPair) FROM key_pairs" + whereAccount, args) { r.keyPairs.append(RecordColumns.keyPair($0)) }
        try db.query("SELECT \(RecordColumns.instance) FROM instances" + whereAccount, args) { r.instances.append(RecordColumns.instance($0)) }
        try db.query("SELECT \(RecordColumns.vpc) FROM vpcs" + whereAccount, args) { r.vpcs.append(RecordColumns.vpc($0)) }
        try db.query("SELECT \(RecordColumns.vSwitch) FROM vswitches" + whereAccount, args) { r.vSwitches.append(RecordColumns.vSwitch($0)) }
        try db.query("SELECT \(RecordColumns.securityGroup) FROM security_groups" + whereAccount, args) {
            r.securityGroups.append(RecordColumns.securityGroup($0))
        }
        return r
    }

    func holdsResources() throws -> Bool {
        var found = false
        try db.query("""
            SELECT EXISTS (SELECT 1 FROM key_pairs) OR EXISTS (SELECT 1 FROM instances) OR EXISTS (SELECT 1 FROM users)
                OR EXISTS (SELECT 1 FROM policies) OR EXISTS (SELECT 1 FROM roles) OR EXISTS (SELECT 1 FROM vpcs)
                OR EXISTS (SELECT 1 FROM security_groups)
            """) { found = $0.int(0) != 0 }
        return found
    }

    func deleteState(_ scope: StateScope) throws {
        switch scope {
        case .everything:
            for t in Self.accountTables { try db.query("DELETE FROM \(t)") }
            try db.query("DELETE FROM accounts")
        case .accounts(let ids):
            for id in ids {
                for t in Self.accountTables { try db.query("DELETE FROM \(t) WHERE account_id = ?", [.text(id)]) }
                try db.query("DELETE FROM accounts WHERE id = ?", [.text(id)])
            }
        case .resources(let id):
            for t in Self.accountTables where t != "access_keys" {
                try db.query("DELETE FROM \(t) WHERE account_id = ?", [.text(id)])
            }
            try db.query("DELETE FROM access_keys WHERE account_id = ? AND user_name IS NOT NULL", [.text(id)])
        }
    }
}
