import ECSDomain
import ECSStore
import Testing

/// One transition of `ecs-api.md` §10 and the statuses it passes through, one per step.
struct Transition: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (Int64, Int64) -> InstanceLifecycle
    let statuses: [InstanceStatus]
    var testDescription: String { name }
}

let transitions: [Transition] = [
    Transition(name: "RunInstances", make: { .run(at: $0, step: $1) }, statuses: [.pending, .starting, .running]),
    Transition(name: "CreateInstance", make: { .create(at: $0, step: $1) }, statuses: [.pending, .stopped]),
    Transition(name: "StartInstance", make: { .start(at: $0, step: $1) }, statuses: [.starting, .running]),
    Transition(name: "StopInstance", make: { .stop(at: $0, step: $1) }, statuses: [.stopping, .stopped]),
    Transition(name: "RebootInstance", make: { .reboot(at: $0, step: $1) }, statuses: [.starting, .running]),
]

@Suite("InstanceLifecycle")
struct LifecycleValueTests {
    let t0: Int64 = 1_700_000_000_000

    @Test(arguments: transitions)
    func statusAdvancesOnePhasePerStep(_ tr: Transition) {
        let step: Int64 = 1000
        let clock = ManualClock(t0)
        let l = tr.make(clock.nowMillis(), step)
        for (i, expected) in tr.statuses.enumerated() {
            #expect(l.status(at: clock.nowMillis()) == expected, "step \(i) start")
            clock.advance(millis: step - 1)
            #expect(l.status(at: clock.nowMillis()) == expected, "step \(i) end")
            clock.advance(millis: 1)
        }
        // The last phase lasts for ever.
        #expect(l.status(at: clock.nowMillis()) == tr.statuses.last)
        clock.advance(millis: 1_000_000_000)
        #expect(l.status(at: clock.nowMillis()) == tr.statuses.last)
    }

    @Test(arguments: transitions)
    func stepZeroIsInstant(_ tr: Transition) {
        let l = tr.make(t0, 0)
        #expect(l.status(at: t0) == tr.statuses.last)
        #expect(l.status(at: t0 - 1) == tr.statuses.last)
        #expect(l.status(at: t0 + 1) == tr.statuses.last)
    }

    @Test(arguments: transitions)
    func beforeItsStartAnInstanceIsInItsFirstPhase(_ tr: Transition) {
        // Another node's clock may lag slightly behind the one that wrote the row.
        #expect(tr.make(t0, 500).status(at: t0 - 10_000) == tr.statuses.first)
    }

    @Test(arguments: transitions)
    func storageFormRoundTrips(_ tr: Transition) {
        let l = tr.make(t0, 750)
        var r = InstanceRecord(accountId: "a", regionId: "r", zoneId: "z", id: "i-x", name: "n", hostName: "h", description: "",
                               imageId: linuxImage, instanceType: "ecs.g7.large", osType: "linux", resourceGroupId: "",
                               phases: "", phaseStartedAt: 0, stepMillis: 0, boundKeyPair: nil, effectiveKeyPair: nil,
                               passwordSet: false, passwordLoginEffective: false, tags: [], createdAt: 0, startedAt: 0, privateIp: "")
        l.apply(to: &r)
        #expect(r.phases == tr.statuses.map(\.rawValue).joined(separator: ","))
        #expect(InstanceLifecycle(record: r) == l)
        #expect(r.status(at: t0 + 750) == tr.statuses[1])
    }

    @Test func startingAt() {
        #expect(InstanceLifecycle.run(at: t0, step: 1000).startingAt() == t0 + 1000)
        #expect(InstanceLifecycle.start(at: t0, step: 1000).startingAt() == t0)
        #expect(InstanceLifecycle.reboot(at: t0, step: 0).startingAt() == t0)
        #expect(InstanceLifecycle.create(at: t0, step: 1000).startingAt() == nil)
        #expect(InstanceLifecycle.stop(at: t0, step: 1000).startingAt() == nil)
    }
}

@Suite("InstanceService lifecycle over time")
struct InstanceServiceLifecycleTests {
    @Test(arguments: StoreKind.allCases)
    func runStopStartReboot(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let id = try await f.run()
            #expect(try await f.status(id) == .pending)
            f.clock.advance(millis: 999)
            #expect(try await f.status(id) == .pending)
            f.clock.advance(millis: 1)
            #expect(try await f.status(id) == .starting)
            f.clock.advance(millis: 1000)
            #expect(try await f.status(id) == .running)

            try await f.instances.stop(me, id: id, region: nil, dryRun: false)
            #expect(try await f.status(id) == .stopping)
            f.clock.advance(millis: 1000)
            #expect(try await f.status(id) == .stopped)

            try await f.instances.start(me, id: id, region: hz, dryRun: false)
            #expect(try await f.status(id) == .starting)
            f.clock.advance(millis: 1000)
            #expect(try await f.status(id) == .running)

            try await f.instances.reboot(me, id: id, region: nil, dryRun: false)
            #expect(try await f.status(id) == .starting)
            f.clock.advance(millis: 1000)
            #expect(try await f.status(id) == .running)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func createInstanceEndsStopped(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let req = LaunchRequest(region: hz, imageId: linuxImage, instanceType: "ecs.g7.large")
            let id = try await f.instances.launch(me, req, autoStart: false)[0]
            #expect(try await f.status(id) == .pending)
            f.clock.advance(millis: 1000)
            #expect(try await f.status(id) == .stopped)
            #expect(try await f.record(id).startedAt == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func transitionsFromTheWrongStatusAreRefused(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let id = try await f.run()
            // Pending
            #expect(await domainError { try await f.instances.start(me, id: id, region: nil, dryRun: false) }
                == .incorrectInstanceStatus(id: id, status: "Pending"))
            #expect(await domainError { try await f.instances.delete(me, id: id, region: nil, force: true, dryRun: false) }
                == .instanceInitializing(id))
            f.clock.advance(millis: 1000)
            // Starting
            #expect(await domainError { try await f.instances.reboot(me, id: id, region: nil, dryRun: false) }
                == .incorrectInstanceStatus(id: id, status: "Starting"))
            f.clock.advance(millis: 1000)
            // Running
            #expect(await domainError { try await f.instances.start(me, id: id, region: nil, dryRun: false) }
                == .incorrectInstanceStatus(id: id, status: "Running"))
            #expect(await domainError { try await f.instances.delete(me, id: id, region: nil, force: false, dryRun: false) }
                == .incorrectInstanceStatus(id: id, status: "Running"))
            try await f.instances.stop(me, id: id, region: nil, dryRun: false)
            // Stopping
            #expect(await domainError { try await f.instances.stop(me, id: id, region: nil, dryRun: false) }
                == .incorrectInstanceStatus(id: id, status: "Stopping"))
            f.clock.advance(millis: 1000)
            // Stopped
            #expect(await domainError { try await f.instances.reboot(me, id: id, region: nil, dryRun: false) }
                == .incorrectInstanceStatus(id: id, status: "Stopped"))
            try await f.instances.delete(me, id: id, region: nil, force: false, dryRun: false)
            #expect(await domainError { _ = try await f.instances.get(me, id: id, region: nil) } == .instanceNotFound(id))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func dryRunChangesNothing(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let id = try await f.running()
            #expect(await domainError { try await f.instances.stop(me, id: id, region: nil, dryRun: true) } == .dryRunPassed)
            #expect(try await f.status(id) == .running)
            #expect(await domainError { try await f.instances.delete(me, id: id, region: nil, force: true, dryRun: true) } == .dryRunPassed)
            #expect(try await f.status(id) == .running)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func forceDeleteFromRunning(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let id = try await f.running()
            try await f.instances.delete(me, id: id, region: hz, force: true, dryRun: false)
            #expect(await domainError { _ = try await f.instances.get(me, id: id, region: nil) } == .instanceNotFound(id))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func instantTransitionsWithStepZero(_ kind: StoreKind) async throws {
        try await withFixture(kind, config: DomainConfig(transitionMillis: 0)) { f in
            let id = try await f.run()
            #expect(try await f.status(id) == .running)
            try await f.instances.stop(me, id: id, region: nil, dryRun: false)
            #expect(try await f.status(id) == .stopped)
            try await f.instances.start(me, id: id, region: nil, dryRun: false)
            #expect(try await f.status(id) == .running)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func instancesAreScopedToAccountAndRegion(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let id = try await f.running()
            #expect(await domainError { _ = try await f.instances.get(someoneElse, id: id, region: nil) } == .instanceNotFound(id))
            #expect(await domainError { _ = try await f.instances.get(me, id: id, region: "cn-beijing") } == .instanceNotFound(id))
            #expect(await domainError { try await f.instances.stop(someoneElse, id: id, region: nil, dryRun: false) } == .instanceNotFound(id))
            #expect(try await f.instances.region(me, id: id) == hz)
            #expect(try await f.instances.region(someoneElse, id: id) == nil)
        }
    }
}
