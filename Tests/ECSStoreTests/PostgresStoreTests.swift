import ECSDomain
import ECSStore
import ECSStorePostgres
import Foundation
import Testing

/// What only the PostgreSQL store has: migrations shared by nodes, lost connections.
@Suite("PostgresStore", .enabled(if: Backend.all.contains(.postgres)))
struct PostgresStoreTests {
    func url(_ extra: String) throws -> String {
        guard let url = Backend.postgresURL else { throw Backend.MissingPostgres() }
        return url + (url.contains("?") ? "&" : "?") + extra
    }

    /// A connection of the test's own, for administration.
    func admin() throws -> PGConnection {
        let c = PGConnection(url: try url("application_name=localecs-test-admin"))
        try c.ensureOpen()
        return c
    }

    @Test func nodesStartingTogetherMigrateOnce() async throws {
        let schema = "mig_" + IDs.random(12)
        let db = try admin()
        defer { _ = try? db.execute("DROP SCHEMA \(schema) CASCADE"); db.close() }
        try db.execute("CREATE SCHEMA \(schema)")
        let url = try url("options=-csearch_path%3D\(schema)")
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<6 { group.addTask { try await PostgresStore.open(url: url, poolSize: 1) } }
            var out: [PostgresStore] = []
            for try await s in group { out.append(s) }
            return out
        }
        var versions: [Int64] = []
        try db.query("SELECT version FROM \(schema).schema_migrations ORDER BY version") { versions.append($0.int(0)) }
        #expect(versions == [1, 2, 3, 4, 5, 6, 7])
        // And the schema works from every node.
        let account = newAccount()
        try await stores[0].write { try $0.insertAccount(account, createdAt: 1) }
        #expect(try await stores[5].read { try $0.accountExists(account) })
        for s in stores { await s.close() }
    }

    @Test func anUnreachableServerIsUnavailable() async throws {
        let e = await thrown { _ = try await PostgresStore.open(url: "postgres://nobody@127.0.0.1:1/none?connect_timeout=2", poolSize: 1) }
        #expect(isUnavailable(e))
    }

    @Test func theDescriptionHidesThePassword() {
        #expect(PostgresStore.redacted("postgres://u:secret@h:5432/db") == "postgres://u@h:5432/db")
        #expect(PostgresStore.redacted("postgres://u@h/db") == "postgres://u@h/db")
        #expect(PostgresStore.redacted("postgresql://h/db") == "postgresql://h/db")
    }

    /// A connection killed mid-transaction fails that call with `.unavailable`, and the store
    /// goes on by itself: idle connections the server dropped are replaced before they are used.
    @Test func aLostConnectionIsUnavailableThenRecovers() async throws {
        let app = "localecs-test-" + IDs.random(8)
        let store = try await PostgresStore.open(url: try url("application_name=\(app)"), poolSize: 3)
        let db = try admin()
        defer { db.close() }
        let account = newAccount()
        try await store.write { try $0.insertAccount(account, createdAt: 1) }
        // Busy all three connections at once, so that all of them exist; all succeed.
        @Sendable func busyAll() async -> Int {
            await concurrently(3) { _ in
                (try? await store.read { tx throws in try PostgresStore.runRaw(in: tx, "SELECT pg_sleep(0.3)") }) != nil
            }.filter { $0 }.count
        }
        #expect(await busyAll() == 3)

        func terminate() throws -> Int {
            try db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [.text(app)])
        }
        let slow = Task {
            try await store.write { tx throws in
                try tx.insertKeyPair(keyPair(account, "lost"))
                try PostgresStore.runRaw(in: tx, "SELECT pg_sleep(5)")
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(try terminate() >= 1)
        let e = await thrown { try await slow.value }
        #expect(isUnavailable(e), "got \(String(describing: e))")

        // Kill every connection while idle: the next calls reconnect instead of failing.
        #expect(await busyAll() == 3)
        #expect(try terminate() == 3)
        try await Task.sleep(for: .milliseconds(300))
        for i in 0..<6 {
            try await store.write { try $0.insertKeyPair(keyPair(account, "k\(i)")) }
            #expect(try await store.useNonce(accessKeyId: "AK" + account, nonce: "n\(i)", expiresAt: 1_900_000 + Int64(i), now: 1_000_000 + Int64(i)))
        }
        try await store.read { tx throws in
            #expect(try tx.keyPair(account: account, region: hz, name: "lost") == nil)
            #expect(try tx.keyPairCount(account: account, region: hz) == 6)
        }
        await store.close()
    }
}
