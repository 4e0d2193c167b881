import ECSStore
import ECSStoreSQLite
import Foundation
import Testing

/// Issue 9's migrations on a store written by the previous version: nonces recorded by arrival
/// time keep refusing replays, and idempotency digests holding passwords are blanked.
@Suite("SQLite migrations of issue 9")
struct SQLiteMigrationTests {
    @Test func aStoreFromThePreviousVersionIsMigrated() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("localecs-mig-\(UUID().uuidString).sqlite").path
        defer {
            for f in [path, path + "-nonces"] {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: f + suffix) }
            }
        }
        // The previous version's schema: main migrations 1-4, nonce migration 1.
        do {
            let main = try SQLiteConnection(path: path)
            try SQLiteStore.migrate(main, Array(SQLiteSchema.migrations.prefix(4)))
            try main.query("INSERT INTO idempotency (account_id, action, token, digest, result, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           [.text("1000000000000001"), .text("RunInstances"), .text("tok"),
                            .text("cn-hangzhou\u{1F}img\u{1F}type\u{1F}\u{1F}Passw0rd!x\u{1F}false"), .text("i-1"), .int(1)])
            let nonces = try SQLiteConnection(path: path + "-nonces")
            try SQLiteStore.migrate(nonces, Array(SQLiteSchema.nonceMigrations.prefix(1)))
            try nonces.query("INSERT INTO nonces (access_key_id, nonce, at) VALUES (?, ?, ?)", [.text("AK"), .text("old"), .int(1_000_000)])
        }
        let store = try SQLiteStore(path: path)
        // Arrived at 1,000,000 ms, perhaps stamped 15 minutes ahead: refused until arrival + 30 minutes.
        #expect(try await !store.useNonce(accessKeyId: "AK", nonce: "old", expiresAt: 4_000_000, now: 1_000_000 + 29 * 60_000))
        try await store.purgeNonces(expiredBefore: 1_000_000 + 29 * 60_000)
        #expect(try await !store.useNonce(accessKeyId: "AK", nonce: "old", expiresAt: 4_000_000, now: 1_000_000 + 29 * 60_000))
        let digest = try await store.read { try $0.idempotency(account: "1000000000000001", token: "tok", action: "RunInstances") }?.requestDigest
        #expect(digest == "redacted")
        await store.close()
    }
}

/// Issue 12's migration 7: instances made before it keep working, with no user data and ECS's
/// default system disk; new ones keep what RunInstances was given.
@Suite("SQLite migration 7: user data and system disks")
struct SQLiteMigration7Tests {
    @Test func instancesFromBeforeGetTheDefaultDisk() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("localecs-mig7-\(UUID().uuidString).sqlite").path
        defer {
            for f in [path, path + "-nonces"] {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: f + suffix) }
            }
        }
        do {
            let main = try SQLiteConnection(path: path)
            try SQLiteStore.migrate(main, Array(SQLiteSchema.migrations.prefix(6)))
            try main.query("""
                INSERT INTO instances (account_id, region_id, zone_id, id, name, host_name, description, image_id, instance_type,
                os_type, resource_group_id, phases, phase_started_at, step_ms, bound_key_pair, effective_key_pair, password_set,
                password_login_effective, tags, created_at, started_at, private_ip)
                VALUES ('1000000000000001', 'cn-hangzhou', 'cn-hangzhou-h', 'i-old', 'old', 'h', '', 'img', 'ecs.g7.large', 'linux',
                '', '', 0, 0, NULL, NULL, 0, 0, '', 1, 0, '172.16.0.9')
                """)
        }
        let store = try SQLiteStore(path: path)
        let old = try await store.read { try $0.instance(account: "1000000000000001", id: "i-old") }
        #expect(old?.userData == nil)
        #expect(old?.systemDiskCategory == "cloud_essd")
        #expect(old?.systemDiskSize == 40)
        #expect(old?.dataDisks == [])
        var fresh = old!
        fresh.id = "i-new"; fresh.sshSlot = 0; fresh.userData = "ZWNobw=="; fresh.systemDiskCategory = "cloud_auto"; fresh.systemDiskSize = 100
        fresh.dataDisks = [DataDiskRecord(index: 1, category: "cloud_ssd", size: 30, performanceLevel: "", name: "x", description: "", device: "/dev/xvdb")]
        let inserted = fresh
        try await store.write { try $0.insertInstance(inserted) }
        #expect(try await store.read { try $0.instance(account: "1000000000000001", id: "i-new") } == inserted)
        await store.close()
    }
}
