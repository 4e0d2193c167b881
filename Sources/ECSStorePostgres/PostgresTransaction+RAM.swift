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
        try run("""
            SELECT (SELECT COUNT(*) FROM user_policies WHERE account_id = $1 AND policy_type = $2 AND policy_name = $3)
                 + (SELECT COUNT(*) FROM role_policies WHERE account_id = $1 AND policy_type = $2 AND policy_name = $3)
            """, [.text(account), .text(policyType), .text(policyName)]) { n = Int($0.int(0)) }
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

    // MARK: Roles and STS sessions

    func role(account: String, name: String) throws -> RoleRecord? {
        var out: RoleRecord?
        try run("SELECT \(RecordColumns.role) FROM roles WHERE account_id = $1 AND name = $2", [.text(account), .text(name)]) {
            out = RecordColumns.role($0)
        }
        return out
    }

    func roles(account: String, after: String?, limit: Int) throws -> [RoleRecord] {
        var out: [RoleRecord] = []
        try run("SELECT \(RecordColumns.role) FROM roles WHERE account_id = $1 AND name > $2 ORDER BY name LIMIT $3",
                [.text(account), .text(after ?? ""), PGValue.limit(limit)]) { out.append(RecordColumns.role($0)) }
        return out
    }

    func roleAttachments(account: String, roleName: String) throws -> [RolePolicyRecord] {
        var out: [RolePolicyRecord] = []
        try run("""
            SELECT \(RecordColumns.roleAttachment) FROM role_policies
            WHERE account_id = $1 AND role_name = $2 ORDER BY attached_at, policy_name
            """, [.text(account), .text(roleName)]) { out.append(RecordColumns.roleAttachment($0)) }
        return out
    }

    func stsSession(accessKeyId: String) throws -> STSSessionRecord? {
        var out: STSSessionRecord?
        try run("SELECT \(RecordColumns.stsSession) FROM sts_sessions WHERE access_key_id = $1", [.text(accessKeyId)]) {
            out = RecordColumns.stsSession($0)
        }
        return out
    }

    func insertRole(_ r: RoleRecord) throws {
        try insert("INSERT INTO roles (\(RecordColumns.role)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                   [.text(r.accountId), .text(r.name), .text(r.id), .text(r.description), .text(r.trustPolicy),
                    .int(r.maxSessionDuration), .int(r.createdAt), .int(r.updatedAt)], what: "role \(r.name)")
    }

    func deleteRole(account: String, name: String) throws {
        try run("DELETE FROM roles WHERE account_id = $1 AND name = $2", [.text(account), .text(name)])
    }

    func insertRoleAttachment(_ a: RolePolicyRecord) throws {
        try insert("INSERT INTO role_policies (\(RecordColumns.roleAttachment)) VALUES ($1, $2, $3, $4, $5)",
                   [.text(a.accountId), .text(a.roleName), .text(a.policyType), .text(a.policyName), .int(a.attachedAt)],
                   what: "role policy attachment")
    }

    func deleteRoleAttachment(account: String, roleName: String, policyType: String, policyName: String) throws {
        try run("DELETE FROM role_policies WHERE account_id = $1 AND role_name = $2 AND policy_type = $3 AND policy_name = $4",
                [.text(account), .text(roleName), .text(policyType), .text(policyName)])
    }

    func insertSTSSession(_ s: STSSessionRecord) throws {
        try insert("INSERT INTO sts_sessions (\(RecordColumns.stsSession)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                   [.text(s.accessKeyId), .text(s.secret), .text(s.token), .text(s.accountId), .text(s.roleName), .text(s.roleId),
                    .text(s.sessionName), .optional(s.policy), .int(s.createdAt), .int(s.expiresAt)], what: "STS session")
    }

    func deleteSTSSessions(expiredBefore before: Int64) throws {
        try run("DELETE FROM sts_sessions WHERE expires_at < $1", [.int(before)])
    }
}
