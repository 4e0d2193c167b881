import ECSDomain
import ECSStore
import Testing

@Suite("KeyBindingService: the Attach/Detach rules of decisions.md")
struct KeyBindingTests {
    @Test(arguments: StoreKind.allCases)
    func unknownKeyPairFailsTheWholeCallAndChangesNothing(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            let a = try await f.running(key: "k1")
            let b = try await f.running()
            #expect(await domainError { _ = try await f.attach("nope", [a, b]) } == .keyPairNotFound("nope"))
            #expect(await domainError { _ = try await f.detach("nope", [a]) } == .keyPairNotFound("nope"))
            #expect(try await f.bound(a) == "k1")
            #expect(try await f.bound(b) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func keyPairsAreScopedToAccountAndRegion(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1", region: "cn-beijing")
            try await f.importKey("k2", caller: someoneElse)
            let a = try await f.running()
            #expect(await domainError { _ = try await f.attach("k1", [a]) } == .keyPairNotFound("k1"))
            #expect(await domainError { _ = try await f.attach("k2", [a]) } == .keyPairNotFound("k2"))
            #expect(try await f.bound(a) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func windowsTargetFailsTheWholeCallAndChangesNothing(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            try await f.importKey("k2")
            let linux = try await f.running(key: "k1")
            let fresh = try await f.running()
            let win = try await f.running(image: windowsImage, password: "Passw0rd!x")
            // Attach: the Linux instances listed before the Windows one are not bound.
            #expect(await domainError { _ = try await f.attach("k2", [linux, fresh, win]) } == .windowsInstance(win))
            #expect(try await f.bound(linux) == "k1")
            #expect(try await f.bound(fresh) == nil)
            // Detach: the Linux instance keeps its key.
            #expect(await domainError { _ = try await f.detach("k1", [linux, win]) } == .windowsInstance(win))
            #expect(try await f.bound(linux) == "k1")
            #expect(try await f.bound(win) == nil)
            // The whole-call checks come before per-instance outcomes, whatever the order of IDs.
            #expect(await domainError { _ = try await f.detach("k1", [win, "i-unknown"]) } == .windowsInstance(win))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func perInstanceOutcomesInRequestOrder(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            let a = try await f.running()
            let elsewhere = try await f.running(region: "cn-shanghai")
            let foreign = try await f.running(caller: someoneElse)
            let b = try await f.running()
            let pending = try await f.run()   // Pending: the clock has not moved since.
            let outcomes = try await f.attach("k1", ["i-doesnotexist", b, pending, elsewhere, a, foreign])
            #expect(outcomes == [.instanceNotFound, .success, .incorrectStatus, .instanceNotFound, .success, .instanceNotFound])
            #expect(try await f.bound(a) == "k1")
            #expect(try await f.bound(b) == "k1")
            #expect(try await f.bound(pending) == nil)
            #expect(try await f.record(elsewhere).boundKeyPair == nil)
            #expect(try await f.record(foreign, caller: someoneElse).boundKeyPair == nil)

            let results = try await f.bindings.apply(.detach, me, region: hz, keyPairName: "k1", instanceIds: [a, pending, "i-x", b])
            #expect(results.map(\.instanceId) == [a, pending, "i-x", b])
            #expect(results.map(\.outcome) == [.success, .incorrectStatus, .instanceNotFound, .success])
            #expect(try await f.bound(a) == nil)
            #expect(try await f.bound(b) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func stoppingAndStoppedInstancesCanChange(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            let stopping = try await f.running()
            let stopped = try await f.running()
            try await f.instances.stop(me, id: stopped, region: nil, dryRun: false)
            f.clock.advance(millis: f.step)
            try await f.instances.stop(me, id: stopping, region: nil, dryRun: false)
            #expect(try await f.status(stopping) == .stopping)
            #expect(try await f.status(stopped) == .stopped)
            #expect(try await f.attach("k1", [stopping, stopped]) == [.success, .success])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func attachReplacesTheBoundKeyPair(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            try await f.importKey("k2")
            let a = try await f.running(key: "k1")
            #expect(try await f.attach("k2", [a]) == [.success])
            #expect(try await f.bound(a) == "k2")
            // k1 is no longer attached to it.
            #expect(try await f.detach("k1", [a]) == [.notAttached])
            #expect(try await f.bound(a) == "k2")
            #expect(try await f.detach("k2", [a]) == [.success])
            #expect(try await f.bound(a) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func reAttachIsIdempotent(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            let a = try await f.running()
            #expect(try await f.attach("k1", [a]) == [.success])
            let before = try await f.record(a)
            #expect(try await f.attach("k1", [a]) == [.success])
            #expect(try await f.record(a) == before)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func detachOfANotAttachedKeyPair(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            try await f.importKey("k2")
            let none = try await f.running()
            let other = try await f.running(key: "k2")
            #expect(try await f.detach("k1", [none, other]) == [.notAttached, .notAttached])
            #expect(try await f.bound(other) == "k2")
            // Detaching twice: the second is not attached any more.
            #expect(try await f.detach("k2", [other]) == [.success])
            #expect(try await f.detach("k2", [other]) == [.notAttached])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func unknownRegionIsRefused(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            #expect(await domainError { _ = try await f.attach("k1", ["i-a"], region: "xx-nowhere-1") } == .regionNotFound("xx-nowhere-1"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentAttachesLeaveOneOfTheirOutcomes(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            try await f.importKey("k2")
            let a = try await f.running()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        if i % 3 == 2 { _ = try await f.detach("k1", [a]) } else { _ = try await f.attach(i % 2 == 0 ? "k1" : "k2", [a]) }
                    }
                }
                try await group.waitForAll()
            }
            let r = try await f.record(a)
            #expect([nil, "k1", "k2"].contains(r.boundKeyPair))
            #expect(r.effectiveKeyPair == nil)
        }
    }
}

@Suite("Bound vs effective login")
struct LoginTests {
    @Test(arguments: StoreKind.allCases)
    func attachTakesEffectAtRebootDetachAtStart(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            let a = try await f.running(password: "Passw0rd!x")
            var login = try await f.record(a).login
            #expect(login.fields == Login(bound: nil, effective: nil, password: true, pending: false))

            _ = try await f.attach("k1", [a])
            login = try await f.record(a).login
            // Bound at once, effective only after the next start: the password still logs in.
            #expect(login.fields == Login(bound: "k1", effective: nil, password: true, pending: true))

            try await f.instances.reboot(me, id: a, region: nil, dryRun: false)
            login = try await f.record(a).login
            #expect(login.fields == Login(bound: "k1", effective: "k1", password: false, pending: false))
            f.clock.advance(millis: f.step)

            _ = try await f.detach("k1", [a])
            login = try await f.record(a).login
            // Until the next start the old key still logs in.
            #expect(login.fields == Login(bound: nil, effective: "k1", password: false, pending: true))

            // Stopping does not apply the binding…
            try await f.instances.stop(me, id: a, region: nil, dryRun: false)
            f.clock.advance(millis: f.step)
            #expect(try await f.record(a).login.effectiveKeyPair == "k1")
            // …starting from Stopped does: back to the password.
            try await f.instances.start(me, id: a, region: nil, dryRun: false)
            login = try await f.record(a).login
            #expect(login.fields == Login(bound: nil, effective: nil, password: true, pending: false))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func attachToAStoppedInstanceTakesEffectAtStart(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            let a = try await f.running()
            try await f.instances.stop(me, id: a, region: nil, dryRun: false)
            f.clock.advance(millis: f.step)
            _ = try await f.attach("k1", [a])
            #expect(try await f.record(a).login.effectiveKeyPair == nil)
            #expect(try await f.record(a).login.restartPending)
            try await f.instances.start(me, id: a, region: nil, dryRun: false)
            let login = try await f.record(a).login
            #expect(login.effectiveKeyPair == "k1")
            #expect(!login.passwordLoginEffective)
            #expect(!login.restartPending)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aFailedRebootAppliesNothing(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            let a = try await f.running()
            try await f.instances.stop(me, id: a, region: nil, dryRun: false)
            _ = try await f.attach("k1", [a])   // Stopping: allowed.
            #expect(await domainError { try await f.instances.reboot(me, id: a, region: nil, dryRun: false) }
                == .incorrectInstanceStatus(id: a, status: "Stopping"))
            #expect(await domainError { try await f.instances.start(me, id: a, region: nil, dryRun: true) }
                == .incorrectInstanceStatus(id: a, status: "Stopping"))
            f.clock.advance(millis: f.step)
            #expect(await domainError { try await f.instances.start(me, id: a, region: nil, dryRun: true) } == .dryRunPassed)
            #expect(try await f.record(a).login.effectiveKeyPair == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func runWithAKeyLogsInWithItFromTheStart(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            let a = try await f.run(key: "k1", password: "Passw0rd!x")
            let login = try await f.record(a).login
            #expect(login.fields == Login(bound: "k1", effective: "k1", password: false, pending: false))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func withoutAPasswordDetachLeavesNoLogin(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            let a = try await f.running(key: "k1")
            _ = try await f.detach("k1", [a])
            try await f.instances.reboot(me, id: a, region: nil, dryRun: false)
            let login = try await f.record(a).login
            #expect(login.fields == Login(bound: nil, effective: nil, password: false, pending: false))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func windowsAndRunInstancesWithAKey(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            #expect(await domainError { _ = try await f.run(image: windowsImage, key: "k1") } == .windowsInstance(windowsImage))
            #expect(await domainError { _ = try await f.run(key: "missing") } == .keyPairNotFoundForInstance("missing"))
            let win = try await f.running(image: windowsImage, password: "Passw0rd!x")
            #expect(try await f.record(win).login.passwordLoginEffective)
        }
    }
}
