import ECSKeys
import ECSPolicy
import ECSStore

/// A policy attached to a role (ListPoliciesForRole).

extension RAMService {
    public static let maxRoles = 1000
    public static let minSessionDuration: Int64 = 900
    public static let defaultSessionDuration: Int64 = 3600
    public static let maxSessionPolicyLength = 1024
    public static let maxTrustPolicyLength = PolicyParser.maxTrustPolicyLength

    /// `acs:ram::<uid>:role/<name>`.
    public static func roleArn(account: String, name: String) -> String { "acs:ram::\(account):role/\(name)" }

    // MARK: - Roles

    /// 1–64 characters: letters, digits, `.`, `-`.
    public static func checkRoleName(_ name: String) throws(RAMError) {
        try checkLength("RoleName", name, max: 64)
        guard name.unicodeScalars.allSatisfy({ isAlphanumeric($0) || $0 == "." || $0 == "-" }) else {
            throw .invalidParameter(name: "RoleName", .invalidChars)
        }
    }

    /// CreateRole: the trust policy is validated as one (`MalformedPolicyDocument`).
    public func createRole(account: String, name: String, trustPolicy: String, description: String?,
                           maxSessionDuration: Int?) async throws -> RoleRecord {
        try Self.checkRoleName(name)
        if let description { try Self.checkLength("Description", description, max: 1024) }
        if trustPolicy.count > Self.maxTrustPolicyLength { throw RAMError.invalidParameter(name: "AssumeRolePolicyDocument", .length) }
        do { _ = try PolicyParser.parseTrustPolicy(trustPolicy) } catch { throw RAMError.malformedPolicyDocument(error.message) }
        let now = clock.nowMillis()
        let record = RoleRecord(accountId: account, name: name, id: Self.newRoleId(), description: description ?? "",
                                trustPolicy: trustPolicy, maxSessionDuration: Int64(maxSessionDuration ?? 3600),
                                createdAt: now, updatedAt: now)
        let limit = Self.maxRoles
        try await write(account) { tx in
            if try tx.role(account: account, name: name) != nil { throw RAMError.roleExists(name) }
            if try tx.roles(account: account, after: nil, limit: limit).count >= limit { throw RAMError.roleLimit(limit) }
            do { try tx.insertRole(record) } catch StoreError.conflict { throw RAMError.roleExists(name) }
        }
        return record
    }

    /// GetRole.
    public func role(account: String, name: String) async throws -> RoleRecord {
        try Self.checkRoleName(name)
        guard let role = try await store.read({ try $0.role(account: account, name: name) }) else { throw RAMError.roleNotFound(name) }
        return role
    }

    /// ListRoles: by name, `maxItems` (default 100) at a time, paged like ListUsers.
    public func listRoles(account: String, marker: String?, maxItems: Int?) async throws -> (roles: [RoleRecord], marker: String?) {
        let limit = maxItems ?? 100
        let after = marker.flatMap { $0.isEmpty ? nil : $0 }
        let roles = try await store.read { try $0.roles(account: account, after: after, limit: limit + 1) }
        if roles.count > limit {
            let page = Array(roles.prefix(limit))
            return (page, page.last?.name)
        }
        return (roles, nil)
    }

    /// DeleteRole: refused while policies are attached. Its STS sessions lose every permission.
    public func deleteRole(account: String, name: String) async throws {
        try Self.checkRoleName(name)
        try await write(account) { tx in
            guard try tx.role(account: account, name: name) != nil else { throw RAMError.roleNotFound(name) }
            if try !tx.roleAttachments(account: account, roleName: name).isEmpty { throw RAMError.roleHasPolicies(name) }
            try tx.deleteRole(account: account, name: name)
        }
    }

    /// A RAM role ID: 19 digits.
    static func newRoleId() -> String {
        var g = SystemRandomNumberGenerator()
        return "3" + String((0..<18).map { _ in Character(String(g.next(upperBound: UInt32(10)))) })
    }

    // MARK: - STS

    /// 2–32 characters: letters, digits, `.`, `@`, `-`, `_`.
    public static func checkRoleSessionName(_ name: String) throws(RAMError) {
        guard (2...32).contains(name.count),
              name.unicodeScalars.allSatisfy({ isAlphanumeric($0) || ".@-_".unicodeScalars.contains($0) }) else {
            throw .invalidRoleSessionName
        }
    }

    /// `acs:ram::<uid>:role/<name>` → (uid, name).
    public static func parseRoleArn(_ arn: String) throws(RAMError) -> (account: String, name: String) {
        let prefix = "acs:ram::"
        guard arn.hasPrefix(prefix) else { throw .invalidRoleArn(arn) }
        let rest = arn.dropFirst(prefix.count)
        guard let colon = rest.firstIndex(of: ":") else { throw .invalidRoleArn(arn) }
        let account = String(rest[..<colon])
        let relative = rest[rest.index(after: colon)...]
        guard !account.isEmpty, relative.hasPrefix("role/") else { throw .invalidRoleArn(arn) }
        let name = String(relative.dropFirst("role/".count))
        do { try checkRoleName(name) } catch { throw .invalidRoleArn(arn) }
        return (account, name)
    }

    /// The shape of the SecurityTokens this server issues: `CAIS` then base64 characters.
    public static func isWellFormedSecurityToken(_ token: String) -> Bool {
        token.count >= 16 && token.hasPrefix("CAIS") && token.unicodeScalars.allSatisfy {
            isAlphanumeric($0) || $0 == "+" || $0 == "/" || $0 == "="
        }
    }

    /// AssumeRole: temporary credentials for the role named by `roleArn`, if its trust policy
    /// names the caller (a RAM user or another role's session; never an account's root keys).
    /// The caller's own permission for `sts:AssumeRole` is the authorizer's business.
    public func assumeRole(caller: Caller, roleArn: String, sessionName: String, policy: String?,
                           durationSeconds: Int?) async throws -> (session: STSSessionRecord, token: String, role: RoleRecord) {
        if caller.isRoot { throw RAMError.rootMayNotAssumeRoles }
        let (account, name) = try Self.parseRoleArn(roleArn)
        try Self.checkRoleSessionName(sessionName)
        if let policy {
            do {
                let parsed = try PolicyParser.parse(policy, maxLength: Self.maxSessionPolicyLength)
                cache.insert(policy, parsed)
            } catch { throw RAMError.invalidSessionPolicy(error.message) }
        }
        guard let role = try await store.read({ try $0.role(account: account, name: name) }) else {
            throw RAMError.assumedRoleNotFound(roleArn)
        }
        let duration = Int64(durationSeconds ?? Int(Self.defaultSessionDuration))
        guard duration >= Self.minSessionDuration, duration <= role.maxSessionDuration else {
            throw RAMError.invalidDuration(max: role.maxSessionDuration)
        }
        let trust = (try? PolicyParser.parseTrustPolicy(role.trustPolicy)) ?? TrustPolicy(statements: [])
        let document = trust.document(forPrincipal: caller.principalARN, account: caller.accountId)
        let decision = PolicyEvaluator.evaluate([NamedPolicy(name: "AssumeRolePolicy", type: "AssumeRolePolicy", document: document)],
                                                RequestContext(action: "sts:AssumeRole", resources: ["*"]))
        guard decision.isAllowed else { throw RAMError.notTrusted(roleArn: roleArn) }

        let now = clock.nowMillis()
        // The token is only ever compared, never used as a key: the store keeps its SHA-256.
        let token = "CAIS" + Self.randomBase62(280)
        let session = STSSessionRecord(
            accessKeyId: "STS." + Self.randomBase62(24), secret: Self.randomBase62(44), token: Self.storedToken(token),
            accountId: account, roleName: role.name, roleId: role.id, sessionName: sessionName, policy: policy,
            createdAt: now, expiresAt: now + duration * 1000)
        try await store.write { tx in
            try tx.deleteSTSSessions(expiredBefore: now - 86_400_000)
            try tx.insertSTSSession(session)
        }
        return (session, token, role)
    }

    /// What the store keeps of a SecurityToken: `sha256:<hex>` (sessions stored by earlier
    /// versions hold the token itself and are compared as such until they expire).
    public static func storedToken(_ token: String) -> String { "sha256:" + SecretHash.sha256Hex(token) }

    /// `sent` in the form `stored` has, for a constant-time comparison with it.
    public static func comparableToken(_ sent: String, stored: String) -> String {
        stored.hasPrefix("sha256:") ? storedToken(sent) : sent
    }

    /// The STS session of an `STS.…` access key, if this server issued it.
    public func stsSession(accessKeyId: String) async throws -> STSSessionRecord? {
        try await store.read { try $0.stsSession(accessKeyId: accessKeyId) }
    }

    /// The session policy of an STS caller, parsed (nil when there is none).
    public func sessionPolicy(for caller: Caller) -> NamedPolicy? {
        guard let text = caller.session?.policy else { return nil }
        // An unparsable stored text (never accepted by AssumeRole) allows nothing.
        let document = cache.document(text) ?? PolicyDocument(statements: [])
        return NamedPolicy(name: "SessionPolicy", type: "SessionPolicy", document: document)
    }

    static let base62: [Character] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    static func randomBase62(_ n: Int) -> String {
        var g = SystemRandomNumberGenerator()
        return String((0..<n).map { _ in base62[Int(g.next(upperBound: UInt32(62)))] })
    }
}
