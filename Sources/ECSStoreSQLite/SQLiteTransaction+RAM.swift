import ECSStore

extension SQLiteTransaction {

    func user(account: String, name: String) throws -> UserRecord? {
        var out: UserRecord?
        try db.query("SELECT \(RecordColumns.user) FROM users WHERE account_id = ? AND name = ?", [.text(account), .text(name)]) { out = RecordColumns.user($0) }
        return out
    }

    func users(account: String, after: String?, limit: Int) throws -> [UserRecord] {
        var out: [UserRecord] = []
        try db.query("SELECT \(RecordColumns.user) FROM users WHERE account_id = ? AND name > ? ORDER BY name LIMIT ?",
                     [.text(account), .text(after ?? ""), .int(Int64(limit))]) { out.append(RecordColumns.user($0)) }
        return out
    }

    func accessKeys(account: String, userName: String) throws -> [AccessKeyRecord] {
        var out: [AccessKeyRecord] = []
        try db.query("SELECT \(RecordColumns.accessKey) FROM access_keys WHERE account_id = ? AND user_name = ? ORDER BY created_at, id",
                     [.text(account), .text(userName)]) { out.append(RecordColumns.accessKey($0)) }
        return out
    }

    func policy(account: String, name: String) throws -> PolicyRecord? {
        var out: PolicyRecord?
        try db.query("SELECT account_id, name, document, description, created_at, updated_at FROM policies WHERE account_id = ? AND name = ?",
                     [.text(account), .text(name)]) { out = RecordColumns.policy($0) }
        return out
    }

    func policies(account: String) throws -> [PolicyRecord] {
        var out: [PolicyRecord] = []
        try db.query("SELECT account_id, name, document, description, created_at, updated_at FROM policies WHERE account_id = ? ORDER BY name",
                     [.text(account)]) { out.append(RecordColumns.policy($0)) }
        return out
    }

    func attachments(account: String, userName: String) throws -> [PolicyAttachmentRecord] {
        var out: [PolicyAttachmentRecord] = []
        try db.query("SELECT \(RecordColumns.attachment) FROM user_policies WHERE account_id = ? AND user_name = ? ORDER BY attached_at, policy_name",
                     [.text(account), .text(userName)]) { out.append(RecordColumns.attachment($0)) }
        return out
    }

    func attachmentCount(account: String, policyType: String, policyName: String) throws -> Int {
        var n = 0
        try db.query("""
            SELECT (SELECT COUNT(*) FROM user_policies WHERE account_id = ?1 AND policy_type = ?2 AND policy_name = ?3)
                 + (SELECT COUNT(*) FROM role_policies WHERE account_id = ?1 AND policy_type = ?2 AND policy_name = ?3)
            """, [.text(account), .text(policyType), .text(policyName)]) { n = Int($0.int(0)) }
        return n
    }

    func lockRAM(account: String) throws {
        // One writer at a time already: the transaction holds SQLite's write lock.
    }

    func insertUser(_ u: UserRecord) throws {
        try db.query("INSERT INTO users (\(RecordColumns.user)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [.text(u.accountId), .text(u.name), .text(u.id), .text(u.displayName), .text(u.email), .text(u.mobilePhone),
                      .text(u.comments), .int(u.createdAt), .int(u.updatedAt)])
    }

    func deleteUser(account: String, name: String) throws {
        try db.query("DELETE FROM users WHERE account_id = ? AND name = ?", [.text(account), .text(name)])
    }

    func updateAccessKeyStatus(account: String, id: String, status: AccessKeyRecord.Status) throws {
        try db.query("UPDATE access_keys SET status = ? WHERE account_id = ? AND id = ?", [.text(status.rawValue), .text(account), .text(id)])
    }

    func deleteAccessKey(account: String, id: String) throws {
        try db.query("DELETE FROM access_keys WHERE account_id = ? AND id = ?", [.text(account), .text(id)])
    }

    func insertPolicy(_ p: PolicyRecord) throws {
        try db.query("INSERT INTO policies (account_id, name, document, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                     [.text(p.accountId), .text(p.name), .text(p.document), .text(p.description), .int(p.createdAt), .int(p.updatedAt)])
    }

    func deletePolicy(account: String, name: String) throws {
        try db.query("DELETE FROM policies WHERE account_id = ? AND name = ?", [.text(account), .text(name)])
    }

    func insertAttachment(_ a: PolicyAttachmentRecord) throws {
        try db.query("INSERT INTO user_policies (account_id, user_name, policy_type, policy_name, attached_at) VALUES (?, ?, ?, ?, ?)",
                     [.text(a.accountId), .text(a.userName), .text(a.policyType), .text(a.policyName), .int(a.attachedAt)])
    }

    func deleteAttachment(account: String, userName: String, policyType: String, policyName: String) throws {
        try db.query("DELETE FROM user_policies WHERE account_id = ? AND user_name = ? AND policy_type = ? AND policy_name = ?",
                     [.text(account), .text(userName), .text(policyType), .text(policyName)])
    }

    // MARK: Roles and STS sessions

    func role(account: String, name: String) throws -> RoleRecord? {
        var out: RoleRecord?
        try db.query("SELECT \(RecordColumns.role) FROM roles WHERE account_id = ? AND name = ?", [.text(account), .text(name)]) { out = RecordColumns.role($0) }
        return out
    }

    func roles(account: String, after: String?, limit: Int) throws -> [RoleRecord] {
        var out: [RoleRecord] = []
        try db.query("SELECT \(RecordColumns.role) FROM roles WHERE account_id = ? AND name > ? ORDER BY name LIMIT ?",
                     [.text(account), .text(after ?? ""), .int(Int64(limit))]) { out.append(RecordColumns.role($0)) }
        return out
    }

    func roleAttachments(account: String, roleName: String) throws -> [RolePolicyRecord] {
        var out: [RolePolicyRecord] = []
        try db.query("SELECT \(RecordColumns.roleAttachment) FROM role_policies WHERE account_id = ? AND role_name = ? ORDER BY attached_at, policy_name",
                     [.text(account), .text(roleName)]) { out.append(RecordColumns.roleAttachment($0)) }
        return out
    }

    func stsSession(accessKeyId: String) throws -> STSSessionRecord? {
        var out: STSSessionRecord?
        try db.query("SELECT \(RecordColumns.stsSession) FROM sts_sessions WHERE access_key_id = ?", [.text(accessKeyId)]) {
            out = RecordColumns.stsSession($0)
        }
        return out
    }

    func insertRole(_ r: RoleRecord) throws {
        try db.query("INSERT INTO roles (\(RecordColumns.role)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [.text(r.accountId), .text(r.name), .text(r.id), .text(r.description), .text(r.trustPolicy),
                      .int(r.maxSessionDuration), .int(r.createdAt), .int(r.updatedAt)])
    }

    func deleteRole(account: String, name: String) throws {
        try db.query("DELETE FROM roles WHERE account_id = ? AND name = ?", [.text(account), .text(name)])
    }

    func insertRoleAttachment(_ a: RolePolicyRecord) throws {
        try db.query("INSERT INTO role_policies (\(RecordColumns.roleAttachment)) VALUES (?, ?, ?, ?, ?)",
                     [.text(a.accountId), .text(a.roleName), .text(a.policyType), .text(a.policyName), .int(a.attachedAt)])
    }

    func deleteRoleAttachment(account: String, roleName: String, policyType: String, policyName: String) throws {
        try db.query("DELETE FROM role_policies WHERE account_id = ? AND role_name = ? AND policy_type = ? AND policy_name = ?",
                     [.text(account), .text(roleName), .text(policyType), .text(policyName)])
    }

    func insertSTSSession(_ s: STSSessionRecord) throws {
        try db.query("INSERT INTO sts_sessions (\(RecordColumns.stsSession)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [.text(s.accessKeyId), .text(s.secret), .text(s.token), .text(s.accountId), .text(s.roleName), .text(s.roleId),
                      .text(s.sessionName), .optional(s.policy), .int(s.createdAt), .int(s.expiresAt)])
    }

    func deleteSTSSessions(expiredBefore before: Int64) throws {
        try db.query("DELETE FROM sts_sessions WHERE expires_at < ?", [.int(before)])
    }
}
