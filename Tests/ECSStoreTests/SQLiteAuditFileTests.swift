import ECSDomain
import ECSStore
import ECSStoreSQLite
import Foundation
import Testing

/// The audit trail's own SQLite file (`PATH-audit`): events a data file of the old layout holds
/// are moved into it once, it is private, and a reset through `StateService` empties it.
@Suite("SQLite audit file")
struct SQLiteAuditFileTests {
    static func tempPath(_ tag: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("localecs-\(tag)-\(UUID().uuidString).sqlite").path
    }

    static func remove(_ path: String) {
        for f in [path, path + "-nonces", path + "-audit"] {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: f + suffix) }
        }
    }

    static func count(_ path: String, _ table: String) throws -> Int64 {
        let db = try SQLiteConnection(path: path, readOnly: true)
        var n: Int64 = -1
        try db.query("SELECT count(*) FROM \(table)") { n = $0.int(0) }
        return n
    }

    @Test func eventsOfTheOldLayoutMoveToTheAuditFileOnce() async throws {
        let path = Self.tempPath("audit-move")
        defer { Self.remove(path) }
        let account = "1000000000000042"
        // The old layout: every migration of the data file, events in its audit_events, no audit file.
        do {
            let main = try SQLiteConnection(path: path)
            try SQLiteStore.migrate(main, SQLiteSchema.migrations)
            // More than one chunk of the move (2,000), so the keyset continues across chunks.
            try main.query("BEGIN")
            for i in 0..<4_500 {
                try main.query("INSERT INTO audit_events (\(AuditColumns.list)) VALUES (?, ?, ?, 'ImportKeyPair', 'Write', 'Ecs', 'AK', 'root', '', '', ?)",
                               [.text(account), .int(1_700_000_000_000 + Int64(i / 3)), .text(String(format: "e%05d", i)), .text("{\"i\":\(i)}")])
            }
            try main.query("COMMIT")
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-audit"))

        let store = try SQLiteStore(path: path)
        let all = AuditEventQuery(accountId: account, start: 0, end: 1_800_000_000_000, limit: 10)
        let newest = try await store.auditEvents(all)
        #expect(newest.map(\.eventId) == (4_490..<4_500).reversed().map { String(format: "e%05d", $0) })
        #expect(newest.first?.body == "{\"i\":4499}")
        await store.close()
        #expect(try Self.count(path, "audit_events") == 0, "the data file keeps no event once moved")
        #expect(try Self.count(path + "-audit", "audit_events") == 4_500)
        let mode = try FileManager.default.attributesOfItem(atPath: path + "-audit")[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // Opening again moves nothing twice; new events go to the audit file only.
        let again = try SQLiteStore(path: path)
        let fresh = AuditEventRecord(accountId: account, eventTime: 1_750_000_000_000, eventId: "new", eventName: "DescribeKeyPairs",
                                     eventRW: "Read", serviceName: "Ecs", accessKeyId: "AK", userName: "root",
                                     resourceTypes: [], resourceNames: [], body: "{}")
        try await again.appendAuditEvents([fresh])
        #expect(try await again.auditEvents(all).first?.eventId == "new")
        await again.close()
        #expect(try Self.count(path, "audit_events") == 0)
        #expect(try Self.count(path + "-audit", "audit_events") == 4_501)
    }

    /// Audit migration 2: an audit file of the first layout (WITHOUT ROWID) keeps every event,
    /// in the same order, and an event ID already stored is ignored.
    @Test func aFirstLayoutAuditFileMovesToTheRowidTable() async throws {
        let path = Self.tempPath("audit-v2")
        defer { Self.remove(path) }
        let account = "1000000000000043"
        do {
            try SQLiteStore.migrate(try SQLiteConnection(path: path), SQLiteSchema.migrations)
            let audit = try SQLiteConnection(path: path + "-audit")
            try SQLiteStore.migrate(audit, Array(SQLiteSchema.auditMigrations.prefix(1)))
            try audit.query("BEGIN")
            for i in 0..<300 {
                try audit.query("INSERT INTO audit_events (\(AuditColumns.list)) VALUES (?, ?, ?, 'ImportKeyPair', 'Write', 'Ecs', 'AK', 'root', '', ?, ?)",
                                [.text(account), .int(1_700_000_000_000 + Int64(i / 4)), .text(String(format: "e%05d", i)),
                                 .text(AuditEventRecord.joined(["kp-\(i % 7)"])), .text("{\"i\":\(i)}")])
            }
            try audit.query("COMMIT")
        }
        func titled(_ i: Int) -> String { "{\"i\":\(i)}" }
        let store = try SQLiteStore(path: path)
        var query = AuditEventQuery(accountId: account, start: 0, end: 1_800_000_000_000, limit: 5)
        #expect(try await store.auditEvents(query).map(\.eventId) == (295..<300).reversed().map { String(format: "e%05d", $0) })
        query.resourceName = "kp-3"
        #expect(try await store.auditEvents(query).map(\.body) == [titled(297), titled(290), titled(283), titled(276), titled(269)])
        let again = AuditEventRecord(accountId: account, eventTime: 1_700_000_000_000 + 299 / 4, eventId: "e00299", eventName: "ImportKeyPair",
                                     eventRW: "Write", serviceName: "Ecs", accessKeyId: "AK", userName: "root",
                                     resourceTypes: [], resourceNames: ["kp-4"], body: "{}")
        try await store.appendAuditEvents([again])
        await store.close()
        #expect(try Self.count(path + "-audit", "audit_events") == 300)
    }

    /// Events of ~1.2 KB (an ImportKeyPair's, public key included) take about a third of a page
    /// each, not the page and more of a WITHOUT ROWID row that spills to an overflow page.
    @Test func largeEventsPackSeveralToAPage() async throws {
        let path = Self.tempPath("audit-pages")
        defer { Self.remove(path) }
        let store = try SQLiteStore(path: path)
        let body = "{\"requestParameters\":{\"PublicKeyBody\":\"ssh-rsa " + String(repeating: "A", count: 1_030) + "\"}}"
        let events = (0..<1_000).map { i in
            AuditEventRecord(accountId: "1000000000000044", eventTime: 1_700_000_000_000 + Int64(i), eventId: String(format: "e%05d", i),
                             eventName: "ImportKeyPair", eventRW: "Write", serviceName: "Ecs", accessKeyId: "AK", userName: "root",
                             resourceTypes: ["ACS::ECS::KeyPair"], resourceNames: ["kp-\(i)"], body: body)
        }
        for chunk in stride(from: 0, to: events.count, by: 250) { try await store.appendAuditEvents(Array(events[chunk..<chunk + 250])) }
        await store.close()
        let db = try SQLiteConnection(path: path + "-audit", readOnly: true)
        var pages: Int64 = 0
        try db.query("PRAGMA page_count") { pages = $0.int(0) }
        // 1,000 events: ~335 pages of rows and ~15 of index; the first layout took ~1,150.
        #expect(pages < 450, "\(pages) pages for 1,000 events of 1.2 KB")
    }

    @Test(arguments: Backend.all)
    func resetAndImportEmptyTheTrailOfWhatTheyDelete(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = newAccount(), b = newAccount()
            let root = RootAccount(id: a, accessKeyId: "AK" + a, secret: "x")
            let state = StateService(store: store, clock: ManualClock(), root: root)
            try await store.write { tx in try tx.insertAccount(a, createdAt: 1); try tx.insertAccount(b, createdAt: 1) }
            func event(_ account: String, _ id: String) -> AuditEventRecord {
                AuditEventRecord(accountId: account, eventTime: 1_000, eventId: id, eventName: "DescribeKeyPairs", eventRW: "Read",
                                 serviceName: "Ecs", accessKeyId: "AK", userName: "root", resourceTypes: [], resourceNames: [], body: "{}")
            }
            func ids(_ account: String) async throws -> [String] {
                try await store.auditEvents(AuditEventQuery(accountId: account, start: 0, end: 2_000, limit: 10)).map(\.eventId)
            }
            try await store.appendAuditEvents([event(a, "a1"), event(b, "b1")])
            try await state.reset(account: a)
            #expect(try await ids(a).isEmpty)
            #expect(try await ids(b) == ["b1"])
            if backend != .postgres {  // a whole-store reset on the shared database would hit other tests' accounts
                try await state.reset()
                #expect(try await ids(b).isEmpty)
            }
        }
    }
}
