import ECSStore

extension PostgresTransaction {

    func user(account: String, name: String) throws -> UserRecord? {
        var out: UserRecord?
        try run("SELECT \(RecordColumns.user) FROM users WHERE account_id = $1 AND name = $2", [.text(account), .text(name)]) {
            out = RecordColumns.user($0)
        }
        return out
    }

    func users(account: String, after: String?, limit: Int) throws -> [UserRecord] {
        var out: [UserRecord] = []
        try run("SELECT \(RecordColumns.user) FROM users WHERE account_id = $1 AND name > $2 ORDER BY name LIMIT $3",
                [.text(account), .text(after ?? ""), PGValue.limit(limit)]) { out.append(RecordColumns.user($0)) }
        return out
    }

    func accessKeys(account: String, userName: String) throws -> [AccessKeyRecord] {
        var out: [AccessKeyRecord] = []
        try run("SELECT \(RecordColumns.accessKey) FROM access_keys WHERE account_id = $1 AND user_name = $2 ORDER BY created_at, id",
                [.text(account), .text(userName)]) { out.append(RecordColumns.accessKey($0)) }
        return out
    }

    func policy(account: String, name: String) throws -> PolicyRecord? {
        var out: PolicyRecord?
        try run("SELECT \(RecordColumns.policy) FROM policies WHERE account_id = $1 AND name = $2", [.text(account), .text(name)]) {
            out = RecordColumns.policy($0)
        }
        return out
    }

    func policies(account: String) throws -> [PolicyRecord] {
        var out: [PolicyRecord] = []
        try run("SELECT \(RecordColumns.policy) FROM policies WHERE account_id = $1 ORDER BY name", [.text(account)]) {
            out.append(RecordColumns.policy($0))
        }
        return out
    }

    func attachments(account: String, userName: String) throws -> [PolicyAttachmentRecord] {
        var out: [PolicyAttachmentRecord] = []
        try run("""
            SELECT \(RecordColumns.attachment) FROM user_policies
            WHERE account_id = $1 AND user_name = $2 ORDER BY attached_at, policy_name
            """, [.text(account), .text(userName)]) { out.append(RecordColumns.attachment($0)) }
        return out
    }

    func attachmentCount(account: String, policyType: String, policyName: String) throws -> Int {
        var n = 0
        try run("SELECT COUNT(*) FROM user_policies WHERE account_id = $1 AND policy_type = $2 AND policy_name = $3",
                [.text(account), .text(policyType), .text(policyName)]) { n = Int($0.int(0)) }
        return n
    }

    func insertUser(_ u: UserRecord) throws {
        try insert("INSERT INTO users (\(RecordColumns.user)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
        try insert("INSERT INTO policies (\(RecordColumns.policy)) VALUES ($1, $2, $3, $4, $5, $6)",
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
