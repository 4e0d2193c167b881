import ECSStore
import Foundation
import Synchronization

/// The shared store: several LocalECS nodes on one PostgreSQL database.
///
/// Everything that must hold across nodes is enforced by the database: primary keys (names,
/// tokens, nonces), row locks and advisory locks (see `PostgresTransaction`). Blocking libpq
/// calls run on the pool's own threads, one connection per thread.
///
/// Isolation: writes run at READ COMMITTED with explicit locks rather than SERIALIZABLE. Under
/// SERIALIZABLE the snapshot is taken by the first statement, before a lock wait, so writers of
/// one account and region (the 500-key quota is a COUNT) would abort one another and retry
/// instead of queueing; with READ COMMITTED each statement after the lock sees what the lock
/// holder committed, which is the serial order SQLite gives. Deadlocks (40P01) and
/// serialization failures (40001) are still retried, a bounded number of times. A body that
/// failed after one of its inserts met a concurrent duplicate runs again too: it then sees the
/// winner's row and answers as it would have in that serial order (e.g. the same ClientToken
/// sent twice at once yields the first call's instances, not an error).
///
/// Reads run in a REPEATABLE READ READ ONLY transaction: one snapshot for the whole body.
/// A lost connection is `StoreError.unavailable` to that caller; the next job on the
/// connection reconnects, so the store recovers by itself once PostgreSQL is back.
public final class PostgresStore: Store, @unchecked Sendable {
    public let description: String
    let pool: PGPool
    private let nonceInserts = Atomic<Int>(0)

    /// Attempts for a transaction PostgreSQL asks to retry (40001, 40P01).
    static let maxAttempts = 10
    /// Attempts for a body that failed after an insert met a concurrent duplicate.
    static let maxConflictAttempts = 3

    private init(url: String, poolSize: Int) {
        description = Self.redacted(url)
        pool = PGPool(url: url, size: poolSize)
    }

    /// Connects and applies pending migrations (waiting for another node that is migrating).
    /// - Parameter poolSize: connections, and threads, of this node (at least 1).
    /// - Throws: `StoreError.unavailable` if PostgreSQL cannot be reached; `.backend` if a migration fails.
    public static func open(url: String, poolSize: Int) async throws -> PostgresStore {
        let store = PostgresStore(url: url, poolSize: max(1, poolSize))
        do {
            try await store.pool.run { db in
                try db.ensureOpen()
                try PostgresSchema.migrate(db)
            }
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        try await pool.run { db in try Self.transaction(db, writable: false) { try body($0) } }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await pool.run { db in try Self.transaction(db, writable: true) { try body($0) } }
    }

    public func useNonce(accessKeyId: String, nonce: String, expiresAt: Int64, now: Int64) async throws -> Bool {
        let purge = nonceInserts.add(1, ordering: .relaxed).newValue % 10_000 == 0
        return try await pool.run { db in
            try db.ensureOpen()
            if purge {
                try db.query("DELETE FROM nonces WHERE expires_at < $1", [.int(now)])
            }
            // An expired record not purged yet is taken over (1 row); a live one is a replay (0).
            let inserted = try db.query("""
                INSERT INTO nonces (access_key_id, nonce, expires_at) VALUES ($1, $2, $3)
                ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_at = excluded.expires_at
                WHERE nonces.expires_at < $4
                """, [.text(accessKeyId), .text(nonce), .int(expiresAt), .int(now)])
            return inserted == 1
        }
    }

    public func purgeNonces(expiredBefore now: Int64) async throws {
        try await pool.run { db in
            try db.ensureOpen()
            try db.query("DELETE FROM nonces WHERE expires_at < $1", [.int(now)])
        }
    }

    public func close() async {
        await pool.close()
    }

    /// Retried transactions in this process (one PostgreSQL store per process in practice).
    static let retries = Atomic<Int>(0)
    public var transactionRetries: Int { Self.retries.load(ordering: .relaxed) }

    /// Runs `body` in a transaction on `db`, retrying as the type's comment says.
    static func transaction<T>(_ db: PGConnection, writable: Bool, _ body: (PostgresTransaction) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            // Every write holds the state lock shared, in the BEGIN round trip: a reset or an
            // import takes it exclusively (`lockState`), so it waits for the writes in
            // flight and the next ones wait for it, without any lock-order deadlock between them.
            try begin(db, writable ? "BEGIN ISOLATION LEVEL READ COMMITTED; \(PostgresTransaction.sharedStateLock)"
                                   : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            let tx = PostgresTransaction(db: db, writable: writable)
            let outcome = Result { try body(tx) }
            if case .success(let value) = outcome, tx.failure == nil {
                let tag = try db.execute("COMMIT")
                guard tag == "COMMIT" else { throw StoreError.backend("PostgreSQL answered \(tag) to COMMIT") }
                return value
            }
            if !db.isBroken { _ = try? db.execute("ROLLBACK") }
            let retryable = tx.failure is PGRetryableError || outcome.failure is PGRetryableError
            if retryable && attempt < maxAttempts || tx.sawConflict && writable && attempt < maxConflictAttempts {
                retries.add(1, ordering: .relaxed)
                backoff(attempt)
                continue
            }
            if retryable { throw StoreError.unavailable("PostgreSQL kept refusing the transaction (\(attempt) attempts)") }
            switch outcome {
            case .failure(let error): throw error
            // A statement failed and the body carried on as if not: the statement's error is the answer.
            case .success: throw tx.failure ?? StoreError.backend("transaction failed")
            }
        }
    }

    /// BEGIN, reconnecting once if the connection turns out to be dead: nothing was done yet, so it is safe.
    private static func begin(_ db: PGConnection, _ sql: String) throws {
        try db.ensureOpen()
        do {
            try db.execute(sql)
        } catch StoreError.unavailable {
            try db.ensureOpen()
            try db.execute(sql)
        }
    }

    private static func backoff(_ attempt: Int) {
        let ceiling = UInt32(min(1 << attempt, 64)) * 1000
        usleep(UInt32.random(in: ceiling / 4...ceiling))
    }

    /// The URL without its password, for logs and the start-up line.
    public static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
        let userInfo = url[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + String(url[at...])
    }
}

private extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
