import ECSStore

extension SQLiteTransaction {
    static let userColumns = "account_id, name, id, display_name, email, mobile_phone, comments, created_at, updated_at"

    static func user(_ r: Row) -> UserRecord {
        UserRecord(accountId: r.text(0), name: r.text(1), id: r.text(2), displayName: r.text(3), email: r.text(4),
                   mobilePhone: r.text(5), comments: r.text(6), createdAt: r.int(7), updatedAt: r.int(8))
    }

    func user(account: String, name: String) throws -> UserRecord? {
        var out: UserRecord?
        try db.query("SELECT \(Self.userColumns) FROM users WHERE account_id = ? AND name = ?", [.text(account), .text(name)]) { out = Self.user($0) }
        return out
    }

    func users(account: String, after: String?, limit: Int) throws -> [UserRecord] {
        var out: [UserRecord] = []
        try db.query("SELECT \(Self.userColumns) FROM users WHERE account_id = ? AND name > ? ORDER BY name LIMIT ?",
                     [.text(account), .text(after ?? ""), .int(Int64(limit))]) { out.append(Self.user($0)) }
        return out
    }

    func accessKeys(account: String, userName: String) throws -> [AccessKeyRecord] {
        var out: [AccessKeyRecord] = []
        try db.query("SELECT id, secret, account_id, user_name, status, created_at FROM access_keys WHERE account_id = ? AND user_name = ? ORDER BY created_at, id",
                     [.text(account), .text(userName)]) { r in
            out.append(AccessKeyRecord(id: r.text(0), secret: r.text(1), accountId: r.text(2), userName: r.optionalText(3),
                                       status: AccessKeyRecord.Status(rawValue: r.text(4)) ?? .inactive, createdAt: r.int(5)))
        }
        return out
    }

    static func policy(_ r: Row) -> PolicyRecord {
        PolicyRecord(accountId: r.text(0), name: r.text(1), document: r.text(2), description: r.text(3), createdAt: r.int(4), updatedAt: r.int(5))
    }

    func policy(account: String, name: String) throws -> PolicyRecord? {
        var out: PolicyRecord?
        try db.query("SELECT account_id, name, document, description, created_at, updated_at FROM policies WHERE account_id = ? AND name = ?",
                     [.text(account), .text(name)]) { out = Self.policy($0) }
        return out
    }

    func policies(account: String) throws -> [PolicyRecord] {
        var out: [PolicyRecord] = []
        try db.query("SELECT account_id, name, document, description, created_at, updated_at FROM policies WHERE account_id = ? ORDER BY name",
                     [.text(account)]) { out.append(Self.policy($0)) }
        return out
    }

    func attachments(account: String, userName: String) throws -> [PolicyAttachmentRecord] {
        var out: [PolicyAttachmentRecord] = []
        try db.query("SELECT account_id, user_name, policy_type, policy_name, attached_at FROM user_policies WHERE account_id = ? AND user_name = ? ORDER BY attached_at, policy_name",
                     [.text(account), .text(userName)]) { r in
            out.append(PolicyAttachmentRecord(accountId: r.text(0), userName: r.text(1), policyType: r.text(2), policyName: r.text(3), attachedAt: r.int(4)))
        }
        return out
    }

    func attachmentCount(account: String, policyType: String, policyName: String) throws -> Int {
        var n = 0
        try db.query("SELECT COUNT(*) FROM user_policies WHERE account_id = ? AND policy_type = ? AND policy_name = ?",
                     [.text(account), .text(policyType), .text(policyName)]) { n = Int($0.int(0)) }
        return n
    }

    func lockRAM(account: String) throws {
        // One writer at a time already: the transaction holds SQLite's write lock.
    }

    func insertUser(_ u: UserRecord) throws {
        try db.query("INSERT INTO users (\(Self.userColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
}
