/// Who is calling: the account whose state the call sees, and the identity acting for it.
public struct Caller: Sendable, Equatable {
    public var accountId: String
    public var accessKeyId: String
    /// nil for the account's root credentials and for STS sessions.
    public var userName: String?
    /// The assumed role, for STS credentials (`STS.…` access keys).
    public var session: AssumedRole?

    public init(accountId: String, accessKeyId: String, userName: String? = nil, session: AssumedRole? = nil) {
        self.accountId = accountId; self.accessKeyId = accessKeyId; self.userName = userName; self.session = session
    }

    /// The account's root credentials: unrestricted in their own account.
    public var isRoot: Bool { userName == nil && session == nil }

    /// The caller's RAM ARN (`acs:ram::<uid>:user/<name>`, `…:role/<name>`, `…:root`), as trust
    /// policies name principals.
    public var principalARN: String {
        if let userName { return "acs:ram::\(accountId):user/\(userName)" }
        if let session { return "acs:ram::\(accountId):role/\(session.roleName)" }
        return "acs:ram::\(accountId):root"
    }
}

/// An STS session's role: what `AssumeRole` granted.
public struct AssumedRole: Sendable, Equatable {
    public var roleName: String
    public var roleId: String
    public var sessionName: String
    /// The session policy document given to AssumeRole, if any.
    public var policy: String?

    public init(roleName: String, roleId: String, sessionName: String, policy: String?) {
        self.roleName = roleName; self.roleId = roleId; self.sessionName = sessionName; self.policy = policy
    }
}
