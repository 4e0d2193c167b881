import ECSKeys
import Foundation
import Synchronization
import Testing

@Suite("KeyPool")
struct KeyPoolTests {
    /// Waits (up to `seconds`) for the background thread to have made `count` keys.
    static func waitReady(_ pool: KeyPool, atLeast count: Int, seconds: Double = 60) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while pool.ready < count {
            try #require(ContinuousClock.now < deadline, "pool reached only \(pool.ready) of \(count) keys")
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("makes nothing before the first key is asked for")
    func idleUntilAsked() async throws {
        let pool = KeyPool(capacity: 8)
        try await Task.sleep(for: .milliseconds(300))
        #expect(pool.ready == 0)
        #expect(pool.target == 0)
        #expect(pool.misses == 0)
    }

    @Test("an empty pool generates inline and counts a miss; then it fills towards its target, bounded by capacity")
    func missThenFill() async throws {
        let pool = KeyPool(capacity: 4)
        let first = try pool.take()
        #expect(pool.misses == 1)
        #expect(pool.target == 4, "16 after the first demand, bounded by the capacity of 4")
        try await Self.waitReady(pool, atLeast: 4)
        try await Task.sleep(for: .milliseconds(200))
        #expect(pool.ready == 4, "never more than the capacity")
        let second = try pool.take()
        #expect(pool.misses == 1, "the second key came from the pool")
        #expect(pool.ready == 3)
        #expect(first.fingerprint != second.fingerprint)
    }

    @Test("never hands out the same key twice, from the pool or inline, under concurrency; each key is whole and valid")
    func neverTwice() async throws {
        let pool = KeyPool(capacity: 24)
        _ = try pool.take()
        try await Self.waitReady(pool, atLeast: 16)
        let missesBefore = pool.misses
        // 40 takes from 8 tasks at once: at least 16 from the pool, the rest from the pool as it
        // refills or inline.
        let keys = try await withThrowingTaskGroup(of: [GeneratedKeyPair].self) { group in
            for _ in 0..<8 {
                group.addTask { try (0..<5).map { _ in try pool.take() } }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(keys.count == 40)
        #expect(Set(keys.map(\.fingerprint)).count == 40)
        #expect(Set(keys.map(\.publicKey)).count == 40)
        #expect(Set(keys.map(\.privateKeyPEM)).count == 40)
        for key in keys {
            #expect(key.privateKeyPEM.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\nMIIE"))
            #expect(key.privateKeyPEM.hasSuffix("-----END RSA PRIVATE KEY-----\n"))
            let parsed = try PublicKeyParser.parse(key.publicKey)
            #expect(parsed.bits == 2048)
            #expect(parsed.fingerprint == key.fingerprint)
        }
        // Only the 16 keys ready before the takes are certain: how many more the background thread
        // makes meanwhile depends on the machine's load.
        #expect(pool.misses - missesBefore <= 40 - 16, "the keys that were ready came from the pool")
    }

    @Test("a pooled key's private half matches its public half (ssh-keygen derives the same public key)")
    func pooledKeyIsAPair() async throws {
        let pool = KeyPool(capacity: 2)
        _ = try pool.take()
        try await Self.waitReady(pool, atLeast: 1)
        let misses = pool.misses
        let pair = try pool.take()
        #expect(pool.misses == misses)
        let directory = try TemporaryDirectory()
        let path = directory.path("id_rsa")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(pair.privateKeyPEM.utf8),
                                               attributes: [.posixPermissions: 0o600]))
        let derived = try SSHKeygen.check(["-y", "-f", path])
        #expect(TestKeys.typeAndData(of: derived) == pair.publicKey)
    }

    @Test("the target grows with demand: 8 keys per key handed out, at least 16, at most the capacity")
    func targetFollowsDemand() throws {
        let pool = KeyPool(capacity: 50)
        _ = try pool.take()
        #expect(pool.target == 16)
        _ = try pool.take()
        _ = try pool.take()
        #expect(pool.target == 24)
        for _ in 0..<4 { _ = try pool.take() }
        #expect(pool.target == 50)
    }
}
