import ECSDomain
import ECSStore
import Foundation
import Testing

/// Fault rules in the store: the rows, and two nodes counting one rule's hits together.
@Suite("Fault rule store")
struct FaultRuleStoreTests {
    @Test(arguments: Backend.all)
    func rowsAndCounters(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            // The table is shared by every test on PostgreSQL: work with this test's own IDs.
            let a = "fault-t" + UUID().uuidString.prefix(8).lowercased(), b = a + "b"
            try await store.write { tx throws in
                try tx.insertFaultRule(FaultRuleRecord(id: a, definition: #"{"Action":"NeverCalled","Count":2}"#, createdAt: 1))
                try tx.insertFaultRule(FaultRuleRecord(id: b, definition: #"{"Action":"NeverCalled"}"#, createdAt: 2))
            }
            #expect(isConflict(await thrown { try await store.write { try $0.insertFaultRule(FaultRuleRecord(id: a, definition: "{}", createdAt: 3)) } }))
            try await store.write { tx throws in
                let r = try tx.faultRuleForUpdate(id: a)
                #expect(r == FaultRuleRecord(id: a, definition: #"{"Action":"NeverCalled","Count":2}"#, createdAt: 1))
                try tx.updateFaultRuleCounters(id: a, matched: 4, hits: 2)
                #expect(try tx.faultRuleForUpdate(id: "fault-none") == nil)
            }
            let mine = try await store.read { try $0.faultRules() }.filter { $0.id.hasPrefix(a) }
            #expect(mine == [FaultRuleRecord(id: a, definition: #"{"Action":"NeverCalled","Count":2}"#, createdAt: 1, matched: 4, hits: 2),
                             FaultRuleRecord(id: b, definition: #"{"Action":"NeverCalled"}"#, createdAt: 2)])
            #expect(try await store.write { try $0.deleteFaultRule(id: a) })
            #expect(try await !store.write { try $0.deleteFaultRule(id: a) })
            if backend != .postgres {  // deleting every rule would race other tests on the shared database
                #expect(try await store.write { try $0.deleteFaultRules() } == 1)
                #expect(try await store.read { try $0.faultRules() }.isEmpty)
            } else {
                #expect(try await store.write { try $0.deleteFaultRule(id: b) })
            }
        }
    }

    @Test(arguments: Backend.multiNode)
    func twoNodesShareOneCount(_ backend: Backend) async throws {
        try await withTwoStores(backend) { first, second in
            let clock = SystemClock()
            let one = FaultService(store: first, clock: clock), two = FaultService(store: second, clock: clock)
            let action = "Act" + UUID().uuidString.prefix(8)
            var rule = FaultRule()
            rule.action = action
            rule.count = 3
            let added = try await one.add(rule)
            let id = added.record.id
            two.invalidate()
            var hits = 0
            await withThrowingTaskGroup(of: Int.self) { group in
                for node in [one, two, one, two, one, two, one, two] {
                    group.addTask {
                        let call = FaultCall(product: "ecs", version: "2014-05-26", action: action,
                                             caller: Caller(accountId: "1000000000000001", accessKeyId: "AK"), region: nil,
                                             parameter: { _ in nil })
                        var n = 0
                        // Only this rule: on PostgreSQL other tests' rules share the table and may match too.
                        for c in try await node.candidates(call) where c.record.id == id {
                            if try await node.hit(id) { n += 1 }
                        }
                        return n
                    }
                }
                while let n = try? await group.next() { hits += n ?? 0 }
            }
            #expect(hits == 3)
            #expect(try await two.delete(id: added.record.id))
        }
    }
}
