import CSQLite
import Dispatch
import ECSStore
import Synchronization

/// Checkpoints a WAL-mode SQLite file from a connection and a thread of its own, so that the
/// writer thread does not.
///
/// SQLite's automatic checkpoint runs on the connection that commits, after the commit that
/// takes the WAL past 1,000 pages: the writer then copies those pages into the database file and
/// fsyncs it while every write queued behind it waits (issue 15: W2's p99.9 of 39.6 ms). Here the
/// writer's automatic checkpoint is off (its WAL hook is replaced by one that only counts the
/// log's frames) and this thread copies the frames with a PASSIVE checkpoint, which runs beside
/// the writer's commits.
///
/// A WAL only starts over from its beginning when a write transaction begins while every frame
/// is already in the database file; under constant writes a checkpoint that runs beside them
/// never catches the last frames, and the log would grow without bound. So once the log passes
/// `restartFrames`, this thread asks the writer (`beforeBatch`) to checkpoint the few frames
/// committed since its own pass, between two groups: the next group then rewinds the log. If the
/// log still grows past `hardFrames` (a reader held an old snapshot, or another process writes
/// the same file), the writer checkpoints everything itself, as SQLite would have.
///
/// Nothing here weakens durability: with `synchronous=FULL` each commit is already synced in the
/// WAL; a checkpoint syncs the WAL, then copies and syncs the database file (SQLite's own
/// checkpoint, from whichever connection).
package final class Checkpointer: @unchecked Sendable {
    /// Frames in the writer's log after its last commit (the WAL hook's count).
    private let logFrames = Atomic<Int>(0)
    /// The log length this thread last checkpointed up to.
    private let checkpointedTo = Atomic<Int>(0)
    /// Who checkpoints next, so that this thread's pass and the writer's tail never meet (a
    /// PASSIVE checkpoint that meets another gives up): `idle`, `passing` (this thread),
    /// `tailWanted` (set by this thread, taken by the writer), `tailing` (the writer).
    private let turn = Atomic<Int>(Turn.idle)
    private enum Turn {
        static let idle = 0, passing = 1, tailWanted = 2, tailing = 3
    }
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let wake = DispatchSemaphore(value: 0)
    private let conn: SQLiteConnection
    private let stepFrames: Int
    private let restartFrames: Int
    private let hardFrames: Int
    private let interval: Duration

    /// Passes this thread ran, and tails the writer ran (for tests).
    package let passes = Atomic<Int>(0)
    package let tails = Atomic<Int>(0)

    /// - Parameters:
    ///   - path: the database file (WAL mode).
    ///   - stepFrames: frames appended since the last pass that start a new one. One pass per
    ///     1,000 frames for the data file: a pass every 256 re-copied the hot pages (index roots,
    ///     counters) and fsynced the database file four times as often, which lengthened the
    ///     writer's own WAL fsyncs on a busy disk (W2 p99 worse in three of three pairs).
    ///   - restartFrames: log length past which the writer is asked to finish a checkpoint so the log rewinds.
    ///   - hardFrames: log length past which the writer checkpoints in full before its next group.
    ///   - interval: how often the thread looks at the log's length.
    init(path: String, stepFrames: Int = 1_000, restartFrames: Int = 1_000, hardFrames: Int = 16_000,
         interval: Duration = .milliseconds(10)) throws {
        conn = try SQLiteConnection(path: path)
        // A connection opens the WAL at its first read; a checkpoint before that does nothing
        // (and reports -1 frames).
        try conn.query("SELECT count(*) FROM sqlite_schema")
        self.stepFrames = stepFrames; self.restartFrames = restartFrames; self.hardFrames = hardFrames
        self.interval = interval
        DispatchQueue(label: "localecs.sqlite.checkpointer", qos: .utility).async { self.loop() }
    }

    /// Replaces `writer`'s automatic checkpoint with a count of the log's frames for this thread.
    /// The WAL hook runs on the writer's thread after each commit; it only stores a number.
    func watch(_ writer: SQLiteConnection) {
        sqlite3_wal_hook(writer.handle, { context, _, _, frames in
            guard let context else { return SQLITE_OK }
            Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().logFrames.store(Int(frames), ordering: .relaxed)
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Called by the writer thread before each group (`GroupCommitWriter.beforeBatch`): finishes
    /// a checkpoint when asked, so that the group's transaction rewinds the log.
    func beforeBatch(_ writer: SQLiteConnection) {
        let asked = turn.compareExchange(expected: Turn.tailWanted, desired: Turn.tailing, ordering: .acquiring).exchanged
        guard asked || logFrames.load(ordering: .relaxed) >= hardFrames else { return }
        // PASSIVE never waits: if it meets this thread's pass, the next group tries again.
        let result = try? Self.checkpoint(writer)
        if let (log, backfilled) = result {
            tails.add(1, ordering: .relaxed)
            // All in the database file: this group's transaction rewinds the log, so count from 0.
            if backfilled >= log { checkpointedTo.store(0, ordering: .relaxed) }
        }
        if asked {
            let done = result.map { $0.1 >= $0.0 } ?? false
            turn.store(done ? Turn.idle : Turn.tailWanted, ordering: .releasing)
        }
    }

    /// (frames in the log, frames now in the database file), or nil when the checkpoint was busy.
    static func checkpoint(_ db: SQLiteConnection) throws -> (Int, Int)? {
        var log: Int32 = 0, backfilled: Int32 = 0
        let rc = sqlite3_wal_checkpoint_v2(db.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &backfilled)
        if rc == SQLITE_BUSY || log < 0 { return nil }
        guard rc == SQLITE_OK else { throw SQLiteConnection.storeError(rc, String(cString: sqlite3_errmsg(db.handle))) }
        return (Int(log), Int(backfilled))
    }

    private func loop() {
        let micros = Int(max(1, interval.components.attoseconds / 1_000_000_000_000 + interval.components.seconds * 1_000_000))
        while !stopped.load(ordering: .relaxed) {
            _ = wake.wait(timeout: .now() + .microseconds(micros))
            if stopped.load(ordering: .relaxed) { break }
            let frames = logFrames.load(ordering: .relaxed)
            let last = checkpointedTo.load(ordering: .relaxed)
            // The log rewound since the last pass: count from its start.
            let since = frames >= last ? frames - last : frames
            guard since >= stepFrames,
                  turn.compareExchange(expected: Turn.idle, desired: Turn.passing, ordering: .acquiring).exchanged else { continue }
            var next = Turn.idle
            if let (log, backfilled) = try? Self.checkpoint(conn) {
                passes.add(1, ordering: .relaxed)
                checkpointedTo.store(backfilled, ordering: .relaxed)
                if log >= restartFrames { next = Turn.tailWanted }
            }
            turn.store(next, ordering: .releasing)
        }
        done.signal()
    }

    /// Ends the thread (once the writer stopped: its WAL hook points here).
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        wake.signal()
        done.wait()
    }
}
