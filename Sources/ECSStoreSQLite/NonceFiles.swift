import CSQLite
import Dispatch
import ECSStore
import Synchronization

/// The nonce database: two files used in turn, `PATH-nonces` and `PATH-nonces2`, so that the
/// checkpoints (and fsyncs) of the file just written happen on a background thread while requests
/// write to the other one.
///
/// Why: every signed request appends a nonce, and a random nonce dirties its own B-tree page, so
/// the WAL grows by ~4 KiB a request. With one file, the commit that crossed the autocheckpoint
/// size copied tens of MB back and fsynced them inline (60-100 ms) while every signed request
/// waited; a checkpoint from another connection never let the WAL restart under constant writes.
/// Here a file no longer written is checkpointed completely, and its WAL restarts (from the
/// beginning, no longer growing) when it becomes the written one again.
///
/// One connection holds both (the second `ATTACH`ed) and runs on the group-commit writer thread,
/// so the replay check (both files) and the insert (the active file) are one step. Its
/// transactions are `BEGIN IMMEDIATE`, which write-locks both files: two processes on one store,
/// each with its own idea of which file is active, still check and insert one at a time.
package final class NonceFiles: @unchecked Sendable {
    let writer: GroupCommitWriter
    /// Which file takes inserts. Read and changed only by jobs on the writer thread.
    private var active = 0
    private let count: Int
    private let schemas = ["main", "n2"]
    private let paths: [String]
    /// Inserts into the active file since it became active (the background thread's trigger).
    private let sinceSwap = Atomic<Int>(0)
    private let inserts = Atomic<Int>(0)
    private let swapAfterInserts: Int
    private let swapAfterMillis: Int
    private let stopping = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private let running: Bool
    private let isStopped = Atomic<Bool>(false)
    /// Background checkpoints that found the file fully copied (tests and diagnostics).
    package let completedCheckpoints = Atomic<Int>(0)

    /// - Parameters:
    ///   - path: the nonce file (`PATH-nonces`), or nil for a private in-memory one (one file, no WAL).
    ///   - swapAfterInserts / swapAfterMillis: the active file is handed over to the background
    ///     checkpoint after this many inserts, or after this long with at least one: it bounds the
    ///     WAL (~4 KiB an insert) the checkpoint must copy and fsync, and how long a nonce stays
    ///     unsynced. Each hand-over costs the request path one small fsync (SQLite syncs a
    ///     restarted WAL's header), so not too often either.
    package init(path: String?, swapAfterInserts: Int = 4_000, swapAfterMillis: Int = 1_000) throws {
        self.swapAfterInserts = max(1, swapAfterInserts)
        self.swapAfterMillis = max(1, swapAfterMillis)
        guard let path else {
            let db = try SQLiteConnection(path: ":memory:")
            try SQLiteStore.migrate(db, SQLiteSchema.nonceMigrations)
            paths = []
            count = 1
            writer = GroupCommitWriter(db)
            running = false
            return
        }
        paths = [path, path + "2"]
        count = 2
        for p in paths {
            try PrivateFiles.prepare(p)
            let db = try SQLiteConnection(path: p)
            try db.execute("PRAGMA journal_mode=WAL")
            try SQLiteStore.migrate(db, SQLiteSchema.nonceMigrations)
        }
        let db = try SQLiteConnection(path: paths[0])
        try db.query("ATTACH DATABASE ? AS n2", [.text(paths[1])])
        for s in schemas {
            // A process crash loses nothing (the WAL is written before the answer); the fsync
            // comes with the background checkpoint (README "Security model": power cuts).
            try db.execute("PRAGMA \(s).synchronous=NORMAL")
            // A WAL that grew (e.g. while the background was behind) shrinks when it restarts.
            try db.execute("PRAGMA \(s).journal_size_limit=\(32 << 20)")
        }
        // The background thread checkpoints; inline only if it falls far behind (e.g. another
        // process keeps writing the file it waits on), which keeps the files bounded.
        try db.execute("PRAGMA wal_autocheckpoint=20000")
        writer = GroupCommitWriter(db)
        running = true
        let checkpointer = NonceCheckpointer(paths: paths)
        // Weak: a store dropped without close() must not keep its thread (and files) forever.
        DispatchQueue(label: "localecs.sqlite.nonce-checkpoint", qos: .utility).async { [weak self, stopping, stopped] in
            var state = BackgroundState()
            while stopping.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
                guard let self else { break }
                self.tick(&state, checkpointer)
            }
            stopped.signal()
        }
    }

    /// Records the nonce until `expiresAt`; false if either file holds it unexpired (a replay).
    package func use(accessKeyId: String, nonce: String, expiresAt: Int64, now: Int64) async throws -> Bool {
        let purge = inserts.add(1, ordering: .relaxed).newValue % 10_000 == 0
        return try await writer.submit { [self] tx in
            if purge {
                try tx.db.query(Self.purgeSQL[active], [.int(now)])
            }
            if count == 2 {
                var held = false
                try tx.db.query(Self.liveSQL[1 - active], [.text(accessKeyId), .text(nonce), .int(now)]) { _ in held = true }
                if held { return false }
            }
            // An expired record not purged yet is taken over (changes == 1); a live one is a replay (0).
            try tx.db.query(Self.insertSQL[active], [.text(accessKeyId), .text(nonce), .int(expiresAt), .int(now)])
            guard tx.db.changes == 1 else { return false }
            sinceSwap.add(1, ordering: .relaxed)
            return true
        }
    }

    package func purge(expiredBefore now: Int64) async throws {
        try await writer.submit { [self] tx in
            for i in 0..<count { try tx.db.query(Self.purgeSQL[i], [.int(now)]) }
        }
    }

    /// Whether either file holds the nonce unexpired, read through a read-only connection (so it
    /// works on a full disk).
    package func liveOnDisk(accessKeyId: String, nonce: String, now: Int64) throws -> Bool {
        for p in paths {
            let conn = try SQLiteConnection(path: p, readOnly: true)
            var found = false
            try conn.query(Self.liveSQL[0], [.text(accessKeyId), .text(nonce), .int(now)]) { _ in found = true }
            if found { return true }
        }
        return false
    }

    /// Makes the other file the active one (for tests: two stores on one path disagreeing).
    @discardableResult
    package func swap() async throws -> Int {
        try await writer.submit { [self] _ in flip() }
    }

    /// On the writer thread only: the active file changes; returns the one handed over.
    private func flip() -> Int {
        let old = active
        active = (active + 1) % count
        sinceSwap.store(0, ordering: .relaxed)
        return old
    }

    package func stop() {
        if running && !isStopped.exchange(true, ordering: .acquiringAndReleasing) {
            stopping.signal()
            stopped.wait()
        }
        writer.stop()
    }

    deinit {
        if running && !isStopped.load(ordering: .acquiring) { stopping.signal() }
    }

    /// Every 50 ms: finish the checkpoint of the file last handed over; once it is complete, hand
    /// over the active file when it has taken enough inserts, or any after `swapAfterMillis`.
    private func tick(_ state: inout BackgroundState, _ checkpointer: NonceCheckpointer) {
        if let file = state.pending {
            guard checkpointer.checkpoint(file) else { return }
            completedCheckpoints.add(1, ordering: .relaxed)
            state.pending = nil
        }
        let n = sinceSwap.load(ordering: .relaxed)
        let elapsedMillis = (DispatchTime.now().uptimeNanoseconds - state.lastSwap.uptimeNanoseconds) / 1_000_000
        guard n >= swapAfterInserts || (n > 0 && elapsedMillis >= UInt64(swapAfterMillis)) else { return }
        // The writer runs jobs in order: once this one ran, nothing more goes to the old file.
        // Not through an async Task: close() blocks a pool thread until this thread has stopped.
        let swapped = Handover()
        writer.submitDetached({ [self] _ in swapped.file = flip() }, done: { swapped.done.signal() })
        swapped.done.wait()
        state.pending = swapped.file
        state.lastSwap = DispatchTime.now()
    }

    private static let liveSQL = ["main", "n2"].map {
        "SELECT 1 FROM \($0).nonces WHERE access_key_id = ? AND nonce = ? AND expires_at >= ?"
    }
    private static let insertSQL = ["main", "n2"].map {
        """
        INSERT INTO \($0).nonces AS n (access_key_id, nonce, expires_at) VALUES (?, ?, ?)
        ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_at = excluded.expires_at
        WHERE n.expires_at < ?
        """
    }
    private static let purgeSQL = ["main", "n2"].map { "DELETE FROM \($0).nonces WHERE expires_at < ?" }
}

private struct BackgroundState {
    var pending: Int?  // the file handed over, waiting for a complete checkpoint
    var lastSwap = DispatchTime.now()
}

/// The file a swap handed over; `done` orders the write before the read.
private final class Handover: @unchecked Sendable {
    var file: Int?
    let done = DispatchSemaphore(value: 0)
}

/// The background thread's own connections, one a file.
private final class NonceCheckpointer: @unchecked Sendable {  // used by the background thread only
    private let paths: [String]
    private var connections: [Int: SQLiteConnection] = [:]

    init(paths: [String]) { self.paths = paths }

    /// A passive checkpoint (it never takes the writer's lock): true once every frame of the
    /// file's WAL is in the database file and both are fsynced, so its next write restarts the WAL.
    func checkpoint(_ file: Int) -> Bool {
        guard let db = connection(file) else { return false }
        var log: Int32 = 0, done: Int32 = 0
        let rc = sqlite3_wal_checkpoint_v2(db.handle, "main", SQLITE_CHECKPOINT_PASSIVE, &log, &done)
        return rc == SQLITE_OK && log == done
    }

    private func connection(_ file: Int) -> SQLiteConnection? {
        if let c = connections[file] { return c }
        guard let c = try? SQLiteConnection(path: paths[file]), (try? c.execute("PRAGMA synchronous=NORMAL")) != nil else { return nil }
        // A checkpoint with synchronous=NORMAL fsyncs the WAL before copying and the database after.
        connections[file] = c
        return c
    }
}
