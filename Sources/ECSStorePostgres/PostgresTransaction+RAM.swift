import ECSStore

extension PostgresTransaction {
    static let userColumns = "account_id, name, id, display_name, email, mobile_phone, comments, created_at, updated_at"

    static func user(_ r: PGRow) -> UserRecord {
        UserRecord(accountId: r.text(0), name: r.text(1), id: r.text(2), displayName: r.text(3), email: r.text(4),
                   mobilePhone: r.text(5), comments: r.text(6), createdAt: r.int(7), updatedAt: r.int(8))
    }

    func user(account: String, name: String) throws -> UserRecord? {
        var out: UserRecord?
        try run("SELECT \(Self.userColumns) FROM users WHERE account_id = $1 AND name = $2", [.text(account), .text(name)]) {
            out = Self.user($0)
        }
        return out
    }

    func users(account: String, after: String?, limit: Int) throws -> [UserRecord] {
        var out: [UserRecord] = []
        try run("SELECT \(Self.userColumns) FROM users WHERE account_id = $1 AND name > $2 ORDER BY name LIMIT $3",
                [.text(account), .text(after ?? ""), PGValue.limit(limit)]) { out.append(Self.user($0)) }
        return out
    }

    func accessKeys(account: String, userName: String) throws -> [AccessKeyRecord] {
        var out: [AccessKeyRecord] = []
        try run("SELECT \(Self.accessKeyColumns) FROM access_keys WHERE account_id = $1 AND user_name = $2 ORDER BY created_at, id",
                [.text(account), .text(userName)]) { out.append(Self.accessKey($0)) }
        return out
    }

    static let policyColumns = "account_id, name, document, description, created_at, updated_at"

    static func policy(_ r: PGRow) -> PolicyRecord {
        PolicyRecord(accountId: r.text(0), name: r.text(1), document: r.text(2), description: r.text(3), createdAt: r.int(4), updatedAt: r.int(5))
    }

    func policy(account: String, name: String) throws -> PolicyRecord? {
        var out: PolicyRecord?
        try run("SELECT \(Self.policyColumns) FROM policies WHERE account_id = $1 AND name = $2", [.text(account), .text(name)]) {
            out = Self.policy($0)
        }
        return out
    }

    func policies(account: String) throws -> [PolicyRecord] {
        var out: [PolicyRecord] = []
        try run("SELECT \(Self.policyColumns) FROM policies WHERE account_id = $1 ORDER BY name", [.text(account)]) {
            out.append(Self.policy($0))
        }
        return out
    }

    func attachments(account: String, userName: String) throws -> [PolicyAttachmentRecord] {
        var out: [PolicyAttachmentRecord] = []
        try run("""
            SELECT account_id, user_name, policy_type, policy_name, attached_at FROM user_policies
            WHERE account_id = $1 AND user_name = $2 ORDER BY attached_at, policy_name
            """, [.text(account), .text(userName)]) { r in
            out.append(PolicyAttachmentRecord(accountId: r.text(0), userName: r.text(1), policyType: r.text(2),
                                              policyName: r.text(3), attachedAt: r.int(4)))
        }
        return out
    }

    func attachmentCount(account: String, policyType: String, policyName: String) throws -> Int {
        var n = 0
        try run("SELECT COUNT(*) FROM user_policies WHERE account_id = $1 AND policy_type = $2 AND policy_name = $3",
                [.text(account), .text(policyType), .text(policyName)]) { n = Int($0.int(0)) }
        return n
    }

    func insertUser(_ u: UserRecord) throws {
        try insert("INSERT INTO users (\(Self.userColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                   [.text(u.accountId), .text(u.name), .text(u.id), .text(u.displayName), .text(u.email), .text(u.mobilePhone),
                    .text(u.comments), .int(u.createdAt), .int(u.updatedAt)], what: "user \(u.name)")
    }

    func deleteUser(account: String, name: String) throws {
        try run("DELETE FROM users WHERE account_id = $1 AND name = $2", [.text(account), .text(name)])
    }

    func updateAccessKeyStatus(account: String, id: String, status: AccessKeyRecord.Status) throws {
        try run("UPDATE access_keys SET status = $1 WHERE account_id = $2 AND id = $3", [.text(status.rawValue), .text(account), .text(id)])
    }

    func deleteAccessKey(account: String, id: String) throws {
        try run("DELETE FROM access_keys WHERE account_id = $1 AND id = $2", [.text(account), .text(id)])
    }

    func insertPolicy(_ p: PolicyRecord) throws {
        try insert("INSERT INTO policies (\(Self.policyColumns)) VALUES ($1, $2, $3, $4, $5, $6)",
                   [.text(p.accountId), .text(p.name), .text(p.document), .text(p.description), .int(p.createdAt), .int(p.updatedAt)],
                   what: "policy \(p.name)")
    }

    func deletePolicy(account: String, name: String) throws {
        try run("DELETE FROM policies WHERE account_id = $1 AND name = $2", [.text(account), .text(name)])
    }

    func insertAttachment(_ a: PolicyAttachmentRecord) throws {
        try insert("INSERT INTO user_policies (account_id, user_name, policy_type, policy_name, attached_at) VALUES ($1, $2, $3, $4, $5)",
                   [.text(a.accountId), .text(a.userName), .text(a.policyType), .text(a.policyName), .int(a.attachedAt)],
                   what: "policy attachment")
    }

    func deleteAttachment(account: String, userName: String, policyType: String, policyName: String) throws {
        try run("DELETE FROM user_policies WHERE account_id = $1 AND user_name = $2 AND policy_type = $3 AND policy_name = $4",
                [.text(account), .text(userName), .text(policyType), .text(policyName)])
    }
}
