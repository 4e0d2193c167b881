import ECSDomain
import ECSStore
import Synchronization
import Testing

/// What must hold when many writers race, on one store or two stores over one database (two
/// nodes): enforced by the backend, never by process memory.
@Suite("Store concurrency")
struct ConcurrencyTests {
    /// Domain services over one store.
    struct Node: Sendable {
        let store: any Store
        let keyPairs: KeyPairService
        let instances: InstanceService
        let bindings: KeyBindingService
        let accounts: AccountService

        init(_ store: any Store, config: DomainConfig, clock: any Clock = SystemClock()) {
            self.store = store
            keyPairs = KeyPairService(store: store, clock: clock, config: config)
            instances = InstanceService(store: store, clock: clock, config: config)
            bindings = KeyBindingService(store: store, clock: clock)
            accounts = AccountService(store: store, clock: clock)
        }
    }

    static func nodes(_ a: any Store, _ b: any Store, config: DomainConfig = DomainConfig(transitionMillis: 0),
                      clock: any Clock = SystemClock()) -> [Node] {
        [Node(a, config: config, clock: clock), Node(b, config: config, clock: clock)]
    }

    static func domainError(_ e: (any Error)?) -> DomainError? { e as? DomainError }

    @Test(arguments: Backend.multiNode)
    func theQuotaHoldsUnderConcurrentCreates(_ backend: Backend) async throws {
        try await withTwoStores(backend) { a, b throws in
            let nodes = Self.nodes(a, b, config: DomainConfig(keyPairQuota: 10, transitionMillis: 0))
            let caller = newCaller()
            let errors = await concurrently(32) { i in
                await thrown {
                    _ = try await nodes[i % 2].keyPairs.importKey(caller, region: hz, name: "k\(i)", publicKeyBody: ecdsaKey,
                                                             resourceGroupId: nil, tags: [])
                }
            }
            #expect(errors.filter { $0 == nil }.count == 10)
            #expect(errors.compactMap { Self.domainError($0) } == Array(repeating: .keyPairQuotaExceeded(limit: 10), count: 22))
            #expect(try await a.read { try $0.keyPairCount(account: caller.accountId, region: hz) } == 10)
        }
    }

    @Test(arguments: Backend.multiNode)
    func aNameIsTakenOnce(_ backend: Backend) async throws {
        try await withTwoStores(backend) { a, b throws in
            let nodes = Self.nodes(a, b)
            let caller = newCaller()
            let errors = await concurrently(32) { i in
                await thrown {
                    _ = try await nodes[i % 2].keyPairs.importKey(caller, region: hz, name: "same", publicKeyBody: ecdsaKey,
                                                             resourceGroupId: nil, tags: [])
                }
            }
            #expect(errors.filter { $0 == nil }.count == 1)
            #expect(errors.compactMap { Self.domainError($0) } == Array(repeating: .keyPairExists("same"), count: 31))
        }
    }

    @Test(arguments: Backend.multiNode)
    func aNonceIsAcceptedOnce(_ backend: Backend) async throws {
        try await withTwoStores(backend) { a, b throws in
            let ak = "AK" + newAccount()
            let now = SystemClock().nowMillis()
            let accepted = await concurrently(32) { i in
                (try? await [a, b][i % 2].useNonce(accessKeyId: ak, nonce: "the-nonce", expiresAt: now + 900_000, now: now)) ?? false
            }
            #expect(accepted.filter { $0 }.count == 1)
        }
    }

    /// Row locks: read-modify-write bodies on one instance never lose an increment.
    @Test(arguments: Backend.multiNode)
    func rowLockedUpdatesAreNeverLost(_ backend: Backend) async throws {
        try await withTwoStores(backend) { a, b throws in
            let account = newAccount(), id = "i-ctr-" + account
            try await a.write { try $0.insertInstance(instance(account, id, at: 0)) }
            let committed = await concurrently(32) { i in
                var n = 0
                for _ in 0..<5 {
                    // Counted, not swallowed: a failing write must show as a failure, not as a lost update.
                    if (try? await [a, b][i % 2].write { tx throws in
                        guard var r = try tx.instancesForUpdate(account: account, ids: [id]).first else { return false }
                        r.startedAt += 1
                        try tx.updateInstance(r)
                        return true
                    }) == true { n += 1 }
                }
                return n
            }
            #expect(committed.reduce(0, +) == 160)
            #expect(try await b.read { try $0.instance(account: account, id: id)?.startedAt } == 160)
        }
    }

    /// 32 detaches of the bound key race: exactly one finds it bound.
    @Test(arguments: Backend.multiNode)
    func oneDetachWinsTheRace(_ backend: Backend) async throws {
        try await withTwoStores(backend) { a, b throws in
            let nodes = Self.nodes(a, b)
            let caller = newCaller()
            _ = try await nodes[0].keyPairs.importKey(caller, region: hz, name: "kp", publicKeyBody: ecdsaKey, resourceGroupId: nil, tags: [])
            let id = try await nodes[0].instances.launch(caller, LaunchRequest(region: hz, imageId: linuxImage, instanceType: instanceType),
                                                         autoStart: true)[0]
            for _ in 0..<3 {
                _ = try await nodes[1].bindings.apply(.attach, caller, region: hz, keyPairName: "kp", instanceIds: [id])
                let outcomes = await concurrently(32) { i in
                    (try? await nodes[i % 2].bindings.apply(.detach, caller, region: hz, keyPairName: "kp", instanceIds: [id]))?.first?.outcome
                }
                #expect(outcomes.filter { $0 == .success }.count == 1)
                #expect(outcomes.filter { $0 == .notAttached }.count == 31)
            }
        }
    }

    /// Each task binds its own key then unbinds it, many times over, through both stores: no
    /// call fails (deadlocks and serialization failures are retried inside the store), and in
    /// any serial order the last binder's detach finds its key, so the instance ends unbound.
    @Test(arguments: Backend.multiNode)
    func attachDetachRoundsEndUnbound(_ backend: Backend) async throws {
        try await withTwoStores(backend) { a, b throws in
            let nodes = Self.nodes(a, b)
            let caller = newCaller()
            for i in 0..<16 {
                _ = try await nodes[0].keyPairs.importKey(caller, region: hz, name: "k\(i)", publicKeyBody: ecdsaKey, resourceGroupId: nil, tags: [])
            }
            let id = try await nodes[0].instances.launch(caller, LaunchRequest(region: hz, imageId: linuxImage, instanceType: instanceType),
                                                         autoStart: true)[0]
            let failures = await concurrently(16) { i in
                var failures = 0
                for _ in 0..<6 {
                    do {
                        let node = nodes[i % 2]
                        _ = try await node.bindings.apply(.attach, caller, region: hz, keyPairName: "k\(i)", instanceIds: [id])
                        _ = try await node.bindings.apply(.detach, caller, region: hz, keyPairName: "k\(i)", instanceIds: [id])
                    } catch {
                        failures += 1
                    }
                }
                return failures
            }
            #expect(failures.reduce(0, +) == 0)
            #expect(try await a.read { try $0.instance(account: caller.accountId, id: id)?.boundKeyPair } == nil)
        }
    }

    /// Stop and start flip an instance between Running and Stopped (instant transitions): in any
    /// serial order the successes alternate, so a lost update shows as two stops in a row.
    @Test(arguments: Backend.multiNode)
    func statusTransitionsAlternate(_ backend: Backend) async throws {
        try await withTwoStores(backend) { a, b throws in
            let nodes = Self.nodes(a, b)
            let caller = newCaller()
            let id = try await nodes[0].instances.launch(caller, LaunchRequest(region: hz, imageId: linuxImage, instanceType: instanceType),
                                                         autoStart: true)[0]
            let counts = await concurrently(32) { i in
                var stops = 0, starts = 0
                for round in 0..<6 {
                    let node = nodes[(i + round) % 2]
                    if (i + round) % 2 == 0 {
                        if (try? await node.instances.stop(caller, id: id, region: hz, dryRun: false)) != nil { stops += 1 }
                    } else {
                        if (try? await node.instances.start(caller, id: id, region: hz, dryRun: false)) != nil { starts += 1 }
                    }
                }
                return (stops, starts)
            }
            let stops = counts.map(\.0).reduce(0, +), starts = counts.map(\.1).reduce(0, +)
            let final = try await nodes[1].instances.get(caller, id: id, region: hz).status
            #expect(stops > 0)
            #expect(stops - starts == (final == .stopped ? 1 : 0))
        }
    }

    /// The same ClientToken sent at once from everywhere: one set of instances, the same IDs to all.
    @Test(arguments: Backend.multiNode)
    func aClientTokenLaunchesOnce(_ backend: Backend) async throws {
        try await withTwoStores(backend) { a, b throws in
            let nodes = Self.nodes(a, b)
            let caller = newCaller()
            let request = LaunchRequest(region: hz, imageId: linuxImage, instanceType: instanceType, amount: 3, clientToken: "tok-1")
            let answers = await concurrently(16) { i in
                try? await nodes[i % 2].instances.launch(caller, request, autoStart: true)
            }
            #expect(answers.allSatisfy { $0 != nil && $0 == answers[0] })
            let all = try await a.read { try $0.instances(account: caller.accountId, region: hz, query: InstanceQuery()) }
            #expect(all.total == 3)
            #expect(Set(all.items.map(\.id)) == Set(answers[0] ?? []))
        }
    }

    /// Nodes starting together bootstrap the same account: no error, and one of them creates it.
    @Test(arguments: Backend.multiNode)
    func accountBootstrapRacesAreHarmless(_ backend: Backend) async throws {
        try await withTwoStores(backend) { a, b throws in
            let nodes = Self.nodes(a, b)
            let account = newAccount(), ak = "LTAI5t" + IDs.random(18)
            let created = await concurrently(16) { i in
                await Result { try await nodes[i % 2].accounts.ensureAccount(id: account, accessKeyId: ak, secret: "s") }
            }
            #expect(created.allSatisfy { if case .success = $0 { true } else { false } })
            #expect(created.filter { (try? $0.get()) == true }.count == 1)
        }
    }

    /// Deleting a key pair while it is being bound: it is either refused (bound) or the bind
    /// fails (gone); never an instance bound to a key pair that no longer exists.
    @Test(arguments: Backend.multiNode)
    func noInstanceIsLeftBoundToADeletedKeyPair(_ backend: Backend) async throws {
        try await withTwoStores(backend) { a, b throws in
            let nodes = Self.nodes(a, b)
            let caller = newCaller()
            let ids = try await nodes[0].instances.launch(
                caller, LaunchRequest(region: hz, imageId: linuxImage, instanceType: instanceType, amount: 12), autoStart: true)
            for i in 0..<12 {
                _ = try await nodes[0].keyPairs.importKey(caller, region: hz, name: "k\(i)", publicKeyBody: ecdsaKey, resourceGroupId: nil, tags: [])
            }
            // Each call's outcome is kept: a refusal must be a domain rule (bound, gone), never a
            // store failure, and some calls must have done something, or the check below is empty.
            let outcomes = await concurrently(36) { j in
                let i = j / 3, node = nodes[j % 2]
                return await Result { () async throws -> Bool in
                    switch j % 3 {
                    case 0: return try await node.bindings.apply(.attach, caller, region: hz, keyPairName: "k\(i)", instanceIds: [ids[i]])
                        .allSatisfy { $0.outcome == .success }
                    case 1: try await node.keyPairs.delete(caller, region: hz, names: ["k\(i)"]); return true
                    default:
                        _ = try await node.instances.launch(
                            caller, LaunchRequest(region: hz, imageId: linuxImage, instanceType: instanceType, keyPairName: "k\(i)"), autoStart: true)
                        return true
                    }
                }
            }
            let failures = outcomes.compactMap { if case .failure(let e) = $0 { e } else { nil } }
            #expect(failures.allSatisfy { $0 is DomainError }, "\(failures.filter { !($0 is DomainError) })")
            #expect(outcomes.contains { (try? $0.get()) == true })
            let (instances, keyNames) = try await a.read { tx throws in
                (try tx.instances(account: caller.accountId, region: hz, query: InstanceQuery()).items,
                 Set(try tx.keyPairs(account: caller.accountId, region: hz, query: KeyPairQuery(limit: 100)).items.map(\.name)))
            }
            for r in instances {
                if let k = r.boundKeyPair { #expect(keyNames.contains(k), "\(r.id) is bound to deleted \(k)") }
            }
        }
    }
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
