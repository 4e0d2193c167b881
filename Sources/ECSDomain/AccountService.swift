import ECSStore

/// Accounts and their root access keys.
public struct AccountService: Sendable {
    let store: any Store
    let clock: any Clock

    public init(store: any Store, clock: any Clock) { self.store = store; self.clock = clock }

    /// Creates the account with its root key unless the access key already exists.
    /// Returns true when something was created.
    @discardableResult
    public func ensureAccount(id accountId: String, accessKeyId: String, secret: String) async throws -> Bool {
        guard Self.isValidAccountId(accountId) else {
            throw DomainError.invalidParameter("AccountId", "An account ID is 16 digits.")
        }
        let now = clock.nowMillis()
        return try await store.write { tx in try Self.ensure(in: tx, id: accountId, accessKeyId: accessKeyId, secret: secret, now: now) }
    }

    /// `ensureAccount` inside a caller's transaction (a reset re-creates the root account in the
    /// same transaction that emptied the store, so nobody sees a store without it).
    /// - Throws: `DomainError.invalidParameter` if the access key belongs to another account.
    static func ensure(in tx: any StoreWriter, id accountId: String, accessKeyId: String, secret: String, now: Int64) throws -> Bool {
        if let existing = try tx.accessKey(id: accessKeyId) {
            guard existing.accountId == accountId else {
                throw DomainError.invalidParameter("AccessKeyId", "\(accessKeyId) already belongs to account \(existing.accountId).")
            }
            return false
        }
        if try !tx.accountExists(accountId) { try tx.insertAccount(accountId, createdAt: now) }
        try tx.insertAccessKey(AccessKeyRecord(id: accessKeyId, secret: secret, accountId: accountId, userName: nil,
                                               status: .active, createdAt: now))
        return true
    }

    /// What `configureRootKey` found and did.
    public enum RootKeyOutcome: Sendable, Equatable {
        case created, unchanged
        /// The key existed with another secret; the configured one replaced it.
        case secretReplaced
    }

    /// Makes the configured root key exist with the configured secret: created on a new store;
    /// on an existing one a changed secret (LOCALECS_ACCESS_KEY_SECRET) is applied, never
    /// silently ignored, so the server answers to the secret its operator just set.
    public func configureRootKey(account accountId: String, accessKeyId: String, secret: String) async throws -> RootKeyOutcome {
        guard Self.isValidAccountId(accountId) else {
            throw DomainError.invalidParameter("AccountId", "An account ID is 16 digits.")
        }
        let now = clock.nowMillis()
        return try await store.write { tx in
            guard var existing = try tx.accessKey(id: accessKeyId) else {
                if try !tx.accountExists(accountId) { try tx.insertAccount(accountId, createdAt: now) }
                try tx.insertAccessKey(AccessKeyRecord(id: accessKeyId, secret: secret, accountId: accountId, userName: nil,
                                                       status: .active, createdAt: now))
                return .created
            }
            guard existing.accountId == accountId, existing.userName == nil else {
                throw DomainError.invalidParameter("AccessKeyId", "\(accessKeyId) already belongs to account \(existing.accountId)"
                                                   + (existing.userName.map { ", user \($0)" } ?? "") + ".")
            }
            if existing.secret == secret { return .unchanged }
            existing.secret = secret
            try tx.deleteAccessKey(account: accountId, id: accessKeyId)
            try tx.insertAccessKey(existing)
            return .secretReplaced
        }
    }

    /// Creates a new account with a root key (generated when not given); returns the account ID.
    public func createAccount(accessKeyId: String?, secret: String?) async throws -> (accountId: String, accessKeyId: String, secret: String) {
        var g = SystemRandomNumberGenerator()
        let accountId = "1" + String((0..<15).map { _ in Character(String(g.next(upperBound: UInt32(10)))) })
        let akId = accessKeyId ?? "LTAI5t" + IDs.random(18).uppercased()
        let sk = secret ?? IDs.random(30)
        try await ensureAccount(id: accountId, accessKeyId: akId, secret: sk)
        return (accountId, akId, sk)
    }

    public func accessKey(_ id: String) async throws -> AccessKeyRecord? {
        try await store.read { try $0.accessKey(id: id) }
    }

    public static func isValidAccountId(_ id: String) -> Bool {
        id.count == 16 && id.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
