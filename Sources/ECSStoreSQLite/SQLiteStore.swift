import Dispatch
import ECSStore
import Synchronization

/// The embedded store: one SQLite file in WAL mode (or a private in-memory database).
///
/// Writes go through one writer thread that commits them in groups: each waiting write runs
/// in its own SAVEPOINT inside one transaction, so a failing write rolls back alone while the
/// group shares one fsync. A caller is answered only after the COMMIT that holds its write,
/// so nothing acknowledged is lost (`synchronous=FULL` by default). Reads run on the caller's
/// thread against a pool of reader connections that see the last committed state.
public final class SQLiteStore: Store, @unchecked Sendable {
    public let description: String
    private let writer: GroupCommitWriter
    private let nonces: NonceFiles
    /// The audit trail, in a file of its own (`PATH-audit`).
    let audit: AuditFile
    /// Checkpoints the data file off the writer thread (nil in memory).
    package let checkpointer: Checkpointer?
    private let readers: Mutex<[SQLiteConnection]>
    private let path: String?
    private let spilledNonces = SpilledNonces()

    /// Opens (creating if needed) the database at `path`, or an in-memory database when nil,
    /// and applies pending migrations. Nonces live in two files of their own beside it
    /// (`PATH-nonces`, `PATH-nonces2`, see `NonceFiles`), written with `synchronous=NORMAL`: a
    /// replayed request is refused after a restart or a crash of the process; only a power cut
    /// within about two seconds after a nonce was used could forget it. The audit trail has a
    /// file of its own (`PATH-audit`, see `AuditFile`).
    /// - Parameter synchronous: SQLite's `synchronous` pragma for the data (`FULL` or `NORMAL`).
    public init(path: String?, synchronous: String = "FULL") throws {
        self.path = path
        self.description = path.map { "sqlite:" + $0 } ?? "memory"
        if let path {
            try PrivateFiles.prepare(path)
        }
        let conn = try SQLiteConnection(path: path ?? ":memory:")
        if path != nil {
            try conn.execute("PRAGMA journal_mode=WAL")
        }
        try conn.execute("PRAGMA synchronous=\(synchronous == "NORMAL" ? "NORMAL" : "FULL")")
        try Self.migrate(conn, SQLiteSchema.migrations)
        audit = try AuditFile(dataPath: path, movingEventsFrom: conn)
        checkpointer = try path.map { try Checkpointer(path: $0) }
        checkpointer?.watch(conn)
        writer = GroupCommitWriter(conn, beforeBatch: checkpointer?.beforeBatch)
        nonces = try NonceFiles(path: path.map { $0 + "-nonces" })
        readers = Mutex([])
    }

    package static func migrate(_ db: SQLiteConnection, _ migrations: [String]) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
        var current: Int64 = 0
        try db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") { current = $0.int(0) }
        for (i, sql) in migrations.enumerated() where Int64(i + 1) > current {
            try db.execute("BEGIN IMMEDIATE")
            do {
                try db.execute(sql)
                try db.query("INSERT INTO schema_migrations (version, applied_at) VALUES (?, strftime('%s','now'))", [.int(Int64(i + 1))])
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw StoreError.backend("migration \(i + 1) failed: \(error)")
            }
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        guard let path else {
            // A private in-memory database has one connection: reads queue with the writes.
            return try await writer.submit { try body($0) }
        }
        let conn = try readers.withLock { $0.popLast() } ?? Self.reader(path)
        defer { readers.withLock { $0.append(conn) } }
        try conn.query("BEGIN")
        defer { try? conn.query("COMMIT") }
        return try body(SQLiteTransaction(db: conn))
    }

    static func reader(_ path: String) throws -> SQLiteConnection {
        try SQLiteConnection(path: path, readOnly: true)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await writer.submit { try body($0) }
    }

    public func useNonce(accessKeyId: String, nonce: String, expiresAt: Int64, now: Int64) async throws -> Bool {
        // Nonces kept in memory while the nonce file could not be written are checked first.
        if spilledNonces.seen(accessKeyId: accessKeyId, nonce: nonce, now: now) == true { return false }
        do {
            return try await nonces.use(accessKeyId: accessKeyId, nonce: nonce, expiresAt: expiresAt, now: now)
        } catch StoreError.unavailable(let why) where why.contains(SQLiteConnection.storageFailurePrefix) {
            // A full disk must not stop reads, and every signed call uses a nonce: remember it in
            // memory until it expires instead (a restart before then forgets it).
            return try await nonceLiveOnDisk(accessKeyId: accessKeyId, nonce: nonce, now: now)
                ? false : spilledNonces.insert(accessKeyId: accessKeyId, nonce: nonce, expiresAt: expiresAt, now: now)
        }
    }

    /// Whether the nonce files hold the nonce, unexpired (read-only, so it works on a full disk).
    private func nonceLiveOnDisk(accessKeyId: String, nonce: String, now: Int64) async throws -> Bool {
        try nonces.liveOnDisk(accessKeyId: accessKeyId, nonce: nonce, now: now)
    }

    public func purgeNonces(expiredBefore now: Int64) async throws {
        try await nonces.purge(expiredBefore: now)
    }

    public func close() async {
        writer.stop()
        checkpointer?.stop()
        nonces.stop()
        audit.close()
        readers.withLock { $0.removeAll() }
    }
}

/// Runs write jobs on one thread, committing all jobs that waited together in one transaction.
final class GroupCommitWriter: @unchecked Sendable {
    private struct Job: @unchecked Sendable {
        /// Runs the body; says whether it succeeded and how to answer the caller once committed.
        let run: (SQLiteTransaction) -> (ok: Bool, deliver: () -> Void)
        /// Answers the caller with a failure that is not the body's own (savepoint or commit failed).
        let fail: (any Error) -> Void
    }
    private enum Admission { case queued, startDrain, refused }
    private struct State {
        var pending: [Job] = []
        var draining = false
        var stopped = false
    }

    private let db: SQLiteConnection
    /// Runs on the writer thread before each group, outside any transaction (`Checkpointer`).
    private let beforeBatch: ((SQLiteConnection) -> Void)?
    private let queue = DispatchQueue(label: "localecs.sqlite.writer", qos: .userInitiated)
    private let state = Mutex(State())

    init(_ db: SQLiteConnection, beforeBatch: ((SQLiteConnection) -> Void)? = nil) {
        self.db = db
        self.beforeBatch = beforeBatch
    }

    func submit<T: Sendable>(_ body: @escaping @Sendable (SQLiteTransaction) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<T, any Error>) in
            let job = Job(run: { tx in
                do {
                    let value = try body(tx)
                    return (true, { cont.resume(returning: value) })
                } catch {
                    return (false, { cont.resume(throwing: error) })
                }
            }, fail: { cont.resume(throwing: $0) })
            enqueue(job)
        }
    }

    /// Queues `body` without an async caller (for a thread of the store's own, which must not
    /// wait on Swift's cooperative pool); `done` runs once it is committed or has failed.
    func submitDetached(_ body: @escaping @Sendable (SQLiteTransaction) -> Void, done: @escaping @Sendable () -> Void) {
        enqueue(Job(run: { tx in body(tx); return (true, done) }, fail: { _ in done() }))
    }

    private func enqueue(_ job: Job) {
        let admission: Admission = state.withLock {
            if $0.stopped { return .refused }
            $0.pending.append(job)
            if $0.draining { return .queued }
            $0.draining = true
            return .startDrain
        }
        switch admission {
        case .refused: job.fail(StoreError.unavailable("the store is closed"))
        case .startDrain: queue.async { self.drain() }
        case .queued: break
        }
    }

    func stop() {
        state.withLock { $0.stopped = true }
        queue.sync {}
    }

    private func drain() {
        while true {
            let jobs: [Job] = state.withLock {
                let jobs = $0.pending
                $0.pending.removeAll(keepingCapacity: true)
                if jobs.isEmpty { $0.draining = false }
                return jobs
            }
            if jobs.isEmpty { return }
            runBatch(jobs)
        }
    }

    /// Runs one group. A failure that is not a job's own (begin, savepoint, rollback, commit: e.g.
    /// a full disk) rolls the whole transaction back and fails every write in it with
    /// `unavailable` (503: nothing was applied, retry); no job is answered before its COMMIT.
    private func runBatch(_ jobs: [Job]) {
        beforeBatch?(db)
        let tx = SQLiteTransaction(db: db)
        do {
            try db.query("BEGIN IMMEDIATE")
        } catch {
            for j in jobs { j.fail(StoreError.unavailable("cannot begin a transaction: \(error)")) }
            return
        }
        // Per job: nil if it already got its answer, else (its own outcome, job).
        var ran: [(ok: Bool, deliver: () -> Void, job: Job)] = []
        ran.reserveCapacity(jobs.count)
        for job in jobs {
            do {
                try db.query("SAVEPOINT job")
            } catch {
                job.fail(StoreError.unavailable("cannot open a savepoint: \(error)"))
                continue
            }
            let outcome = job.run(tx)
            do {
                if !outcome.ok { try db.query("ROLLBACK TO job") }
                try db.query("RELEASE job")
            } catch {
                // The transaction is in an unknown state: fail everything in it.
                try? db.query("ROLLBACK")
                for r in ran { r.ok ? r.job.fail(StoreError.unavailable("rolled back: \(error)")) : r.deliver() }
                outcome.ok ? job.fail(StoreError.unavailable("rolled back: \(error)")) : outcome.deliver()
                return
            }
            ran.append((outcome.ok, outcome.deliver, job))
        }
        do {
            try db.query("COMMIT")
            for r in ran { r.deliver() }
        } catch {
            try? db.query("ROLLBACK")
            for r in ran { r.ok ? r.job.fail(StoreError.unavailable("commit failed: \(error)")) : r.deliver() }
        }
    }
}
