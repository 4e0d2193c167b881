import ECSPolicy
import ECSStore

extension RAMService {
    // MARK: - Users

    /// CreateUser. `displayName` defaults to the user name.
    public func createUser(account: String, name: String, displayName: String?, mobilePhone: String?,
                           email: String?, comments: String?) async throws -> UserRecord {
        try Self.checkUserName(name)
        if let displayName { try Self.checkLength("DisplayName", displayName, max: 128) }
        if let mobilePhone, !Self.isValidMobilePhone(mobilePhone) { throw RAMError.invalidParameter(name: "MobilePhone", .format) }
        if let email, !Self.isValidEmail(email) { throw RAMError.invalidParameter(name: "Email", .format) }
        if let comments { try Self.checkLength("Comments", comments, max: 128) }
        let now = clock.nowMillis()
        let record = UserRecord(accountId: account, name: name, id: Self.newUserId(), displayName: displayName ?? name,
                                email: email ?? "", mobilePhone: mobilePhone ?? "", comments: comments ?? "",
                                createdAt: now, updatedAt: now)
        let limit = Self.maxUsers
        try await write(account) { tx in
            guard try tx.accountExists(account) else { throw DomainError.invalidParameter("AccountId", "No account \(account).") }
            if try tx.user(account: account, name: name) != nil { throw RAMError.userExists(name) }
            if try tx.users(account: account, after: nil, limit: limit).count >= limit { throw RAMError.userLimit(limit) }
            do { try tx.insertUser(record) } catch StoreError.conflict { throw RAMError.userExists(name) }
        }
        return record
    }

    /// GetUser.
    public func user(account: String, name: String) async throws -> UserRecord {
        try Self.checkUserName(name)
        guard let user = try await store.read({ try $0.user(account: account, name: name) }) else {
            throw RAMError.userNotFound(name)
        }
        return user
    }

    /// ListUsers: by name, `maxItems` (default 100) at a time; `marker` is the one the previous
    /// page returned (nil when the list is complete).
    public func listUsers(account: String, marker: String?, maxItems: Int?) async throws -> (users: [UserRecord], marker: String?) {
        let limit = maxItems ?? 100
        let after = marker.flatMap { $0.isEmpty ? nil : $0 }
        let users = try await store.read { try $0.users(account: account, after: after, limit: limit + 1) }
        if users.count > limit {
            let page = Array(users.prefix(limit))
            return (page, page.last?.name)
        }
        return (users, nil)
    }

    /// DeleteUser: refused while the user has access keys or attached policies.
    public func deleteUser(account: String, name: String) async throws {
        try Self.checkUserName(name)
        try await write(account) { tx in
            guard try tx.user(account: account, name: name) != nil else { throw RAMError.userNotFound(name) }
            if try !tx.accessKeys(account: account, userName: name).isEmpty { throw RAMError.userHasAccessKeys(name) }
            if try !tx.attachments(account: account, userName: name).isEmpty { throw RAMError.userHasPolicies(name) }
            try tx.deleteUser(account: account, name: name)
        }
    }

    // MARK: - Access keys

    /// The user an access-key action is about: `UserName` when given, else the calling RAM user.
    /// An account's root keys must name the user.
    public static func keyOwner(_ caller: Caller, userName: String?) throws(RAMError) -> String {
        if let userName { return userName }
        if let own = caller.userName { return own }
        throw .missingUserName
    }

    /// CreateAccessKey: an Active key with a fresh secret, at most two per user.
    public func createAccessKey(account: String, userName: String) async throws -> AccessKeyRecord {
        try Self.checkUserName(userName)
        let key = AccessKeyRecord(id: "LTAI5t" + IDs.random(18).uppercased(), secret: IDs.random(30), accountId: account,
                                  userName: userName, status: .active, createdAt: clock.nowMillis())
        let limit = Self.maxAccessKeysPerUser
        try await write(account) { tx in
            guard try tx.user(account: account, name: userName) != nil else { throw RAMError.userNotFound(userName) }
            if try tx.accessKeys(account: account, userName: userName).count >= limit { throw RAMError.accessKeyLimit(limit) }
            try tx.insertAccessKey(key)
        }
        return key
    }

    /// UpdateAccessKey: `status` is `Active` or `Inactive`. An inactive key is refused at once
    /// on every call (`InvalidAccessKeyId.Inactive`).
    public func updateAccessKey(account: String, userName: String, id: String, status: String) async throws {
        try Self.checkUserName(userName)
        guard let newStatus = AccessKeyRecord.Status(rawValue: status) else { throw RAMError.invalidStatus(status) }
        try await write(account) { tx in
            guard try tx.user(account: account, name: userName) != nil else { throw RAMError.userNotFound(userName) }
            guard try tx.accessKeys(account: account, userName: userName).contains(where: { $0.id == id }) else {
                throw RAMError.accessKeyNotFound(id)
            }
            try tx.updateAccessKeyStatus(account: account, id: id, status: newStatus)
        }
    }

    /// ListAccessKeys: the user's keys, oldest first (never their secrets).
    public func accessKeys(account: String, userName: String) async throws -> [AccessKeyRecord] {
        try Self.checkUserName(userName)
        return try await store.read { tx in
            guard try tx.user(account: account, name: userName) != nil else { throw RAMError.userNotFound(userName) }
            return try tx.accessKeys(account: account, userName: userName)
        }
    }

    /// DeleteAccessKey.
    public func deleteAccessKey(account: String, userName: String, id: String) async throws {
        try Self.checkUserName(userName)
        try await write(account) { tx in
            guard try tx.user(account: account, name: userName) != nil else { throw RAMError.userNotFound(userName) }
            guard try tx.accessKeys(account: account, userName: userName).contains(where: { $0.id == id }) else {
                throw RAMError.accessKeyNotFound(id)
            }
            try tx.deleteAccessKey(account: account, id: id)
        }
    }
}
