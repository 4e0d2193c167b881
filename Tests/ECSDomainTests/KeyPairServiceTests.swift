import ECSDomain
import ECSStore
import Testing

@Suite("KeyPairService")
struct KeyPairServiceTests {
    @Test(arguments: StoreKind.allCases)
    func createReturnsAPrivateKeyOnceAndStoresThePublicHalf(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let created = try await f.keyPairs.create(me, region: hz, name: "k1", resourceGroupId: "rg-abc1",
                                                      tags: [ResourceTag(key: "env", value: "dev")])
            #expect(created.privateKeyPEM.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n"))
            #expect(created.privateKeyPEM.contains("-----END RSA PRIVATE KEY-----"))
            #expect(created.record.id.hasPrefix("ssh-") && created.record.id.count == 24)
            #expect(created.record.fingerprint.split(separator: ":").count == 16)
            let stored = try await f.keyPairs.describe(me, region: hz, name: "k1", fingerprint: nil, resourceGroupId: nil,
                                                       tags: [], page: pageOf(1, 10))
            #expect(stored.items == [created.record])
            #expect(stored.items[0].publicKey.hasPrefix("ssh-rsa "))
            #expect(!stored.items[0].publicKey.contains("PRIVATE"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func importComputesTheMD5Fingerprint(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let r = try await f.importKey("k1")
            #expect(r.fingerprint == ecdsaKeyMD5)
            #expect(await domainError { _ = try await f.keyPairs.importKey(me, region: hz, name: "k2", publicKeyBody: ed25519Key,
                                                                        resourceGroupId: nil, tags: []) } != nil)
            let e = await domainError { _ = try await f.keyPairs.importKey(me, region: hz, name: "k2", publicKeyBody: "ssh-rsa AAAA",
                                                                            resourceGroupId: nil, tags: []) }
            if case .publicKeyMalformed? = e {} else { Issue.record("expected publicKeyMalformed, got \(String(describing: e))") }
            #expect(try await f.names() == ["k1"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func ed25519IsRefusedAsMalformed(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let e = await domainError { _ = try await f.keyPairs.importKey(me, region: hz, name: "k2", publicKeyBody: ed25519Key,
                                                                            resourceGroupId: nil, tags: []) }
            if case .publicKeyMalformed? = e {} else { Issue.record("expected publicKeyMalformed, got \(String(describing: e))") }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func namesAreUniquePerAccountAndRegion(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            #expect(await domainError { try await f.importKey("k1") } == .keyPairExists("k1"))
            try await f.importKey("k1", region: "cn-beijing")
            try await f.importKey("k1", caller: someoneElse)
            #expect(try await f.names() == ["k1"])
            #expect(try await f.names(caller: someoneElse) == ["k1"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func requestValidationHappensBeforeAnyWrite(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f async throws in
            #expect(await domainError { try await f.importKey("1bad") } == .keyPairNameMalformed("1bad"))
            #expect(await domainError { try await f.importKey("k1", region: "mars-1") } == .regionNotFound("mars-1"))
            #expect(await domainError {
                _ = try await f.keyPairs.importKey(me, region: hz, name: "k1", publicKeyBody: ecdsaKey, resourceGroupId: "default", tags: [])
            } == .resourceGroupNotFound("default"))
            #expect(await domainError {
                _ = try await f.keyPairs.importKey(me, region: hz, name: "k1", publicKeyBody: ecdsaKey, resourceGroupId: nil,
                                                   tags: [ResourceTag(key: "a", value: "1"), ResourceTag(key: "a", value: "2")])
            } == .duplicateTagKey("a"))
            #expect(try await f.names() == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func quotaCountsCreatedAndImportedPerRegion(_ kind: StoreKind) async throws {
        try await withFixture(kind, config: DomainConfig(keyPairQuota: 2)) { f in
            try await f.importKey("k1")
            _ = try await f.keyPairs.create(me, region: hz, name: "k2", resourceGroupId: nil, tags: [])
            #expect(await domainError { try await f.importKey("k3") } == .keyPairQuotaExceeded(limit: 2))
            #expect(await domainError { _ = try await f.keyPairs.create(me, region: hz, name: "k3", resourceGroupId: nil, tags: []) }
                == .keyPairQuotaExceeded(limit: 2))
            #expect(try await f.names() == ["k1", "k2"])
            // Another region and another account have their own quota.
            try await f.importKey("k3", region: "cn-beijing")
            try await f.importKey("k3", caller: someoneElse)
            // Deleting frees a slot.
            try await f.keyPairs.delete(me, region: hz, names: ["k1"])
            try await f.importKey("k3")
            #expect(try await f.names() == ["k2", "k3"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentImportsNeverExceedTheQuota(_ kind: StoreKind) async throws {
        try await withFixture(kind, config: DomainConfig(keyPairQuota: 2)) { f async throws in
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<8 { group.addTask { (try? await f.importKey("k\(i)")) != nil } }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 2)
            #expect(try await f.names().count == 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func deleteIsAllOrNothing(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            for n in ["k1", "k2", "k3"] { try await f.importKey(n) }
            let a = try await f.running(key: "k2")
            #expect(await domainError { try await f.keyPairs.delete(me, region: hz, names: ["k1", "k2", "k3"]) } == .keyPairAttached("k2"))
            #expect(try await f.names() == ["k1", "k2", "k3"])
            // Unknown names are skipped silently.
            try await f.keyPairs.delete(me, region: hz, names: ["nope", "k1"])
            #expect(try await f.names() == ["k2", "k3"])
            // Once detached, the key pair can go.
            _ = try await f.detach("k2", [a])
            try await f.keyPairs.delete(me, region: hz, names: ["k2", "k3"])
            #expect(try await f.names() == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aKeyBoundInAnotherAccountDoesNotBlockDelete(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            try await f.importKey("k1", caller: someoneElse)
            _ = try await f.running(key: "k1", caller: someoneElse)
            try await f.keyPairs.delete(me, region: hz, names: ["k1"])
            #expect(try await f.names() == [])
            #expect(try await f.names(caller: someoneElse) == ["k1"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func deletingTheInstanceReleasesItsKeyPair(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            let a = try await f.running(key: "k1")
            try await f.instances.delete(me, id: a, region: nil, force: true, dryRun: false)
            try await f.keyPairs.delete(me, region: hz, names: ["k1"])
            #expect(try await f.names() == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func describeOrdersByCreationThenNameAndFilters(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("web-b")
            try await f.importKey("web-a")
            f.clock.advance(millis: 60_000)
            try await f.importKey("db-a")
            try await f.importKey("abc")
            #expect(try await f.names() == ["web-a", "web-b", "abc", "db-a"])

            func query(_ name: String?, _ number: Int = 1, _ size: Int = 10) async throws -> Page<KeyPairRecord> {
                try await f.keyPairs.describe(me, region: hz, name: name, fingerprint: nil, resourceGroupId: nil, tags: [],
                                              page: pageOf(number, size))
            }
            #expect(try await query("web-*").items.map(\.name) == ["web-a", "web-b"])
            #expect(try await query("*-a").items.map(\.name) == ["web-a", "db-a"])
            #expect(try await query("*b*").items.map(\.name) == ["web-a", "web-b", "abc", "db-a"])
            #expect(try await query("*bc*").items.map(\.name) == ["abc"])
            #expect(try await query("web-a*").items.map(\.name) == ["web-a"])
            #expect(try await query("web").items.map(\.name) == [])      // without * the match is exact
            #expect(try await query("WEB-A").items.map(\.name) == [])
            let page2 = try await query(nil, 2, 3)
            #expect(page2.total == 4)
            #expect(page2.items.map(\.name) == ["db-a"])
            let page3 = try await query(nil, 3, 3)
            #expect(page3.total == 4)
            #expect(page3.items.isEmpty)
            let byPrint = try await f.keyPairs.describe(me, region: hz, name: nil, fingerprint: ecdsaKeyMD5, resourceGroupId: nil,
                                                        tags: [], page: pageOf(1, 10))
            #expect(byPrint.total == 4)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func describeByTagsNeedsAllOfThem(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let both = [ResourceTag(key: "env", value: "dev"), ResourceTag(key: "team", value: "a")]
            _ = try await f.keyPairs.importKey(me, region: hz, name: "k1", publicKeyBody: ecdsaKey, resourceGroupId: nil, tags: both)
            _ = try await f.keyPairs.importKey(me, region: hz, name: "k2", publicKeyBody: ecdsaKey, resourceGroupId: nil, tags: [both[0]])
            let page = try await f.keyPairs.describe(me, region: hz, name: nil, fingerprint: nil, resourceGroupId: nil,
                                                     tags: both, page: pageOf(1, 10))
            #expect(page.items.map(\.name) == ["k1"])
            #expect(page.items.first?.tags == both)
        }
    }
}

@Suite("KeyPairService.page")
struct PageTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let number: Int?, size: Int?, expectedNumber: Int, expectedSize: Int
        init(_ number: Int?, _ size: Int?, _ expectedNumber: Int, _ expectedSize: Int) {
            self.number = number; self.size = size; self.expectedNumber = expectedNumber; self.expectedSize = expectedSize
        }
        var testDescription: String { "number \(String(describing: number)) size \(String(describing: size))" }
    }

    @Test(arguments: [
        Case(nil, nil, 1, 10), Case(1, 10, 1, 10), Case(2, 50, 2, 50), Case(1, 51, 1, 50), Case(1, 1000, 1, 50),
        Case(1, 0, 1, 1), Case(1, -5, 1, 1), Case(7, 1, 7, 1), Case(nil, 20, 1, 20), Case(3, nil, 3, 10),
    ])
    func clamping(_ c: Case) throws {
        let p = try KeyPairService.page(number: c.number, size: c.size)
        #expect(p.number == c.expectedNumber)
        #expect(p.size == c.expectedSize)
        #expect(p.offset == (c.expectedNumber - 1) * c.expectedSize)
    }

    @Test(arguments: [0, -1, Int.min])
    func pageNumberBelowOneIsInvalid(_ number: Int) {
        #expect(throws: DomainError.pageNumberInvalid) { try KeyPairService.page(number: number, size: 10) }
    }

    @Test func otherMaximum() throws {
        #expect(try KeyPairService.page(number: 1, size: 100, maxSize: 100).size == 100)
        #expect(try KeyPairService.page(number: 1, size: 101, maxSize: 100).size == 100)
    }
}
