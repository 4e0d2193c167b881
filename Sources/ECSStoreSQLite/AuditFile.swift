import ECSStore
import Synchronization

/// The ActionTrail audit trail's own SQLite database: `PATH-audit` beside the data file `PATH`
/// (or a private in-memory database), with its own writer thread.
///
/// The trail's rows are large (an imported public key is in `requestParameters`) and the data
/// file fsyncs its WAL at every commit (`synchronous=FULL`): written there, each flush queued
/// behind the API's durable writes on the one writer and grew the WAL those commits sync and
/// checkpoint. Here the trail has its own WAL and commits with `synchronous=NORMAL`: a crash of
/// the process loses nothing committed; a power cut or kernel crash can lose the commits since
/// the last checkpoint of this file, which runs every second (`Checkpointer`), never the data's.
final class AuditFile: @unchecked Sendable {
    private let writer: GroupCommitWriter
    private let readers: Mutex<[SQLiteConnection]>
    private let path: String?
    /// Syncs the file once a second (its commits are not synced), off the writer thread.
    private let checkpointer: Checkpointer?

    /// Opens (creating if needed, owner-only) the audit database for the data file `dataPath`,
    /// first moving into it any events the data file `data` holds from the old layout.
    init(dataPath: String?, movingEventsFrom data: SQLiteConnection) throws {
        path = dataPath.map { $0 + "-audit" }
        if let path { try PrivateFiles.prepare(path) }
        let conn = try SQLiteConnection(path: path ?? ":memory:")
        if path != nil { try conn.execute("PRAGMA journal_mode=WAL") }
        try conn.execute("PRAGMA synchronous=NORMAL")
        try SQLiteStore.migrate(conn, SQLiteSchema.auditMigrations)
        movedLegacyEvents = try Self.moveLegacyEvents(from: data, to: conn)
        // A checkpoint syncs the WAL first: one a second bounds what a power cut can take.
        checkpointer = try path.map { try Checkpointer(path: $0, stepFrames: 1, interval: .seconds(1)) }
        checkpointer?.watch(conn)
        writer = GroupCommitWriter(conn, beforeBatch: checkpointer?.beforeBatch)
        readers = Mutex([])
    }

    /// Events found in the data file at open and moved here (for the start-up log and tests).
    let movedLegacyEvents: Int

    /// Moves the events a data file of the old layout holds (its `audit_events`, migration 9)
    /// into the audit file, then deletes them there, in chunks so memory stays bounded. Each
    /// chunk is committed to the audit file before anything is deleted from the data file, and
    /// inserts skip IDs already present, so a crash part way leaves every event in one file or
    /// both, and the next open finishes the move.
    static func moveLegacyEvents(from data: SQLiteConnection, to audit: SQLiteConnection) throws -> Int {
        var moved = 0
        var after: [SQLValue]?
        while true {
            var chunk: [AuditEventRecord] = []
            try data.query("SELECT \(AuditColumns.list) FROM audit_events"
                           + (after == nil ? "" : " WHERE (account_id, event_time, event_id) > (?, ?, ?)")
                           + " ORDER BY account_id, event_time, event_id LIMIT 2000", after ?? []) {
                chunk.append(SQLiteTransaction.auditEvent($0))
            }
            guard let last = chunk.last else { break }
            try audit.execute("BEGIN IMMEDIATE")
            do {
                try SQLiteTransaction(db: audit).insertAuditEvents(chunk)
                try audit.execute("COMMIT")
            } catch {
                try? audit.execute("ROLLBACK")
                throw StoreError.backend("moving audit events to the audit file failed: \(error)")
            }
            moved += chunk.count
            after = [.text(last.accountId), .int(last.eventTime), .text(last.eventId)]
        }
        if moved > 0 {
            // The audit file commits without fsync (NORMAL): make the copies durable before the
            // data file forgets the originals.
            try audit.execute("PRAGMA wal_checkpoint(FULL)")
            try data.execute("DELETE FROM audit_events")
        }
        return moved
    }

    func append(_ events: [AuditEventRecord]) async throws {
        try await writer.submit { try $0.insertAuditEvents(events) }
    }

    func events(_ query: AuditEventQuery) async throws -> [AuditEventRecord] {
        guard let path else { return try await writer.submit { try $0.auditEvents(query) } }
        let conn = try readers.withLock { $0.popLast() } ?? SQLiteStore.reader(path)
        defer { readers.withLock { $0.append(conn) } }
        try conn.query("BEGIN")
        defer { try? conn.query("COMMIT") }
        return try SQLiteTransaction(db: conn).auditEvents(query)
    }

    func purge(before: Int64) async throws {
        try await writer.submit { try $0.purgeAuditEvents(before: before) }
    }

    func delete(_ scope: StateScope) async throws {
        try await writer.submit { try $0.deleteAuditEvents(scope) }
    }

    func close() {
        writer.stop()
        checkpointer?.stop()
        readers.withLock { $0.removeAll() }
    }
}
