import ECSDomain
import ECSStore
import ECSStoreSQLite
import Testing

struct Boom: Error, Equatable { let n: Int }

@Suite("SQLiteStore")
struct StoreTests {
    @Test func stateSurvivesCloseAndReopen() async throws {
        let path = temporaryDatabasePath()
        defer { removeDatabase(path) }
        let clock = ManualClock()
        let first = try Fixture(.file, path: path, clock: clock)
        let kp = try await first.importKey("k1")
        let tagged = try await first.keyPairs.importKey(me, region: hz, name: "k2", publicKeyBody: ecdsaKey, resourceGroupId: "rg-abc",
                                                        tags: [ResourceTag(key: "a=b&c", value: "100%")])
        let a = try await first.running(key: "k1", password: "Passw0rd!x")
        let b = try await first.running()
        _ = try await first.attach("k1", [b])
        _ = try await first.detach("k1", [a])
        #expect(try await first.store.useNonce(accessKeyId: "AK", nonce: "n-1", expiresAt: clock.nowMillis() + 900_000, now: clock.nowMillis()))
        let recordA = try await first.record(a)
        let recordB = try await first.record(b)
        await first.store.close()

        let second = try Fixture(.file, path: path, clock: clock)
        let stored = try await second.keyPairs.describe(me, region: hz, name: nil, fingerprint: nil, resourceGroupId: nil, tags: [],
                                                        page: pageOf(1, 10))
        #expect(stored.items == [kp, tagged])
        #expect(try await second.record(a) == recordA)
        #expect(try await second.record(b) == recordB)
        #expect(recordA.login.fields == Login(bound: nil, effective: "k1", password: false, pending: true))
        #expect(recordB.boundKeyPair == "k1")
        // A nonce recorded before the restart is still a replay after it.
        #expect(try await !second.store.useNonce(accessKeyId: "AK", nonce: "n-1", expiresAt: clock.nowMillis() + 900_000, now: clock.nowMillis()))
        #expect(try await second.store.useNonce(accessKeyId: "AK", nonce: "n-2", expiresAt: clock.nowMillis() + 900_000, now: clock.nowMillis()))
        // The reopened store keeps enforcing the rules on the old data.
        #expect(await domainError { try await second.keyPairs.delete(me, region: hz, names: ["k1"]) } == .keyPairAttached("k1"))
        await second.store.close()
    }

    @Test func inMemoryStoresArePrivate() async throws {
        let a = try Fixture(.memory)
        let b = try Fixture(.memory)
        try await a.importKey("k1")
        #expect(try await a.names() == ["k1"])
        #expect(try await b.names() == [])
        await a.close()
        await b.close()
    }

    @Test func aClosedStoreRefusesWrites() async throws {
        let f = try Fixture(.memory)
        await f.close()
        do {
            try await f.store.write { try $0.insertAccount("1", createdAt: 0) }
            Issue.record("a write after close succeeded")
        } catch let e as StoreError {
            if case .unavailable = e {} else { Issue.record("expected .unavailable, got \(e)") }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func groupCommitIsolatesFailingWrites(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let store = f.store
            let outcomes = await withTaskGroup(of: (Int, Result<Int, Boom>).self) { group in
                for i in 0..<200 {
                    group.addTask {
                        do {
                            let v = try await store.write { tx in
                                try tx.insertAccount("acct-\(i)", createdAt: Int64(i))
                                try tx.insertKeyPair(KeyPairRecord(accountId: "acct-\(i)", regionId: hz, name: "k", id: "ssh-\(i)",
                                                                   fingerprint: "f", publicKey: "p", resourceGroupId: "", tags: [],
                                                                   createdAt: Int64(i)))
                                if i % 10 == 0 { throw Boom(n: i) }
                                return i * 2
                            }
                            return (i, .success(v))
                        } catch let b as Boom {
                            return (i, .failure(b))
                        } catch {
                            Issue.record("write \(i) failed with \(error)")
                            return (i, .failure(Boom(n: -1)))
                        }
                    }
                }
                return await group.reduce(into: [Int: Result<Int, Boom>]()) { $0[$1.0] = $1.1 }
            }
            #expect(outcomes.count == 200)
            for i in 0..<200 {
                // Each caller gets its own body's outcome.
                #expect(outcomes[i] == (i % 10 == 0 ? .failure(Boom(n: i)) : .success(i * 2)), "write \(i)")
            }
            let persisted = try await store.read { tx in
                try (0..<200).filter { try tx.accountExists("acct-\($0)") }
            }
            #expect(persisted == (0..<200).filter { $0 % 10 != 0 })
            let withKeys = try await store.read { tx in
                try (0..<200).filter { try tx.keyPairCount(account: "acct-\($0)", region: hz) == 1 }
            }
            #expect(withKeys == persisted)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aFailingWriteLeavesNothingEvenAfterAConflict(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.store.write { try $0.insertAccount("acct-1", createdAt: 0) }
            do {
                try await f.store.write { tx in
                    try tx.insertAccount("acct-2", createdAt: 0)
                    try tx.insertAccount("acct-1", createdAt: 0)   // primary-key violation
                }
                Issue.record("a duplicate account was inserted")
            } catch {}
            #expect(try await f.store.read { try $0.accountExists("acct-2") } == false)
            #expect(try await f.store.read { try $0.accountExists("acct-1") })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func nonceReplayIsRefusedPerAccessKey(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let now = f.clock.nowMillis()
            #expect(try await f.store.useNonce(accessKeyId: "AK1", nonce: "n", expiresAt: now + 900_000, now: now))
            #expect(try await !f.store.useNonce(accessKeyId: "AK1", nonce: "n", expiresAt: now + 1 + 900_000, now: now + 1))
            #expect(try await f.store.useNonce(accessKeyId: "AK2", nonce: "n", expiresAt: now + 900_000, now: now))
            // Concurrent uses of one nonce: exactly one wins.
            let wins = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<20 { group.addTask { (try? await f.store.useNonce(accessKeyId: "AK1", nonce: "race", expiresAt: now + 900_000, now: now)) ?? false } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
            try await f.store.purgeNonces(expiredBefore: now + 900_010)
            #expect(try await f.store.useNonce(accessKeyId: "AK1", nonce: "n", expiresAt: now + 900_020 + 900_000, now: now + 900_020))
        }
    }
}
