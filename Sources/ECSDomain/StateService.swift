import ECSStore

/// The account a new store starts with, as configured (LOCALECS_ACCOUNT_ID and its root key).
public struct RootAccount: Sendable, Equatable {
    public var id: String
    public var accessKeyId: String
    public var secret: String
    public init(id: String, accessKeyId: String, secret: String) { self.id = id; self.accessKeyId = accessKeyId; self.secret = secret }
}

/// Why a reset, export or import was refused.
public enum StateError: Error, Sendable, Equatable, CustomStringConvertible {
    case accountNotFound(String)
    /// The store holds resources and the import was not asked to replace them.
    case notEmpty
    /// An ID of the estate is taken by an account the import does not replace.
    case conflict(String)
    case estate(EstateError)

    public var description: String {
        switch self {
        case .accountNotFound(let id): return "account \(id) does not exist"
        case .notEmpty: return "the store is not empty: import with replace (--replace, ?replace=true) to discard its state"
        case .conflict(let m): return "the estate conflicts with the store: \(m)"
        case .estate(let e): return e.description
        }
    }
}

/// Reset, export and import of the whole state: what a test suite needs between tests.
///
/// Each operation is one store write transaction, so it is durable when it returns and other
/// requests see the state before or after it, never half of it. Nonces are never touched: a
/// request signed before a reset stays refused as a replay after it.
public struct StateService: Sendable {
    let store: any Store
    let clock: any Clock
    let root: RootAccount

    public init(store: any Store, clock: any Clock, root: RootAccount) {
        self.store = store; self.clock = clock; self.root = root
    }

    /// Empties the store back to a new one (the root account and its key, as configured), or,
    /// given `account`, deletes that account's resources, RAM users and client tokens, keeping
    /// the account and its root keys. The audit trail of what was deleted goes with it, once the
    /// state's transaction committed (the trail is kept apart from the state's transactions).
    /// - Throws: `StateError.accountNotFound`.
    public func reset(account: String? = nil) async throws {
        let root = root, now = clock.nowMillis()
        try await store.write { tx in
            if let account {
                guard try tx.accountExists(account) else { throw StateError.accountNotFound(account) }
                try tx.deleteState(.resources(ofAccount: account))
            } else {
                try tx.deleteState(.everything)
                // A test's injected faults must not outlive it; an import keeps them (they are configuration).
                _ = try tx.deleteFaultRules()
                _ = try AccountService.ensure(in: tx, id: root.id, accessKeyId: root.accessKeyId, secret: root.secret, now: now)
            }
        }
        try await store.deleteAuditEvents(account.map { .resources(ofAccount: $0) } ?? .everything)
    }

    /// The state of one account, or of all.
    /// - Throws: `StateError.accountNotFound`.
    public func export(account: String? = nil) async throws -> Estate {
        let records = try await store.read { tx in
            if let account, try !tx.accountExists(account) { throw StateError.accountNotFound(account) }
            return try tx.stateRecords(account: account)
        }
        return Estate(records)
    }

    /// Loads an estate. Without `replace` the store must hold no resources (accounts with only
    /// their keys, as a new store has, are fine): the estate's accounts replace any of the same
    /// ID, other accounts stay. With `replace` the whole state is discarded first. Either way the
    /// configured root account is created afterwards if the estate did not bring it.
    /// - Returns: how many records were written.
    /// - Throws: `StateError.notEmpty`, `.conflict` (an access key ID of the estate belongs to
    ///   another account of the store), `.estate` (e.g. an unknown access key status).
    @discardableResult
    public func load(_ estate: Estate, replace: Bool) async throws -> Int {
        let records: StateRecords
        do { records = try estate.records() } catch let e as EstateError { throw StateError.estate(e) }
        let root = root, now = clock.nowMillis()
        let ids = estate.accounts.map(\.id)
        let written = try await store.write { tx in
            if replace {
                try tx.deleteState(.everything)
            } else {
                guard try !tx.holdsResources() else { throw StateError.notEmpty }
                try tx.deleteState(.accounts(ids))
            }
            do {
                try tx.insertState(records)
            } catch StoreError.conflict(let m) {
                throw StateError.conflict(m)
            }
            if try tx.accessKey(id: root.accessKeyId) == nil {
                _ = try AccountService.ensure(in: tx, id: root.id, accessKeyId: root.accessKeyId, secret: root.secret, now: now)
            }
            return records.count
        }
        try await store.deleteAuditEvents(replace ? .everything : .accounts(ids))
        return written
    }
}
