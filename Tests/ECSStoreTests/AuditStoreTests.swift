import ECSStore
import Testing

/// The audit trail's store methods, on every backend: filters, both orders, keyset paging,
/// account isolation, duplicate IDs skipped, retention, reset.
@Suite("Audit trail store")
struct AuditStoreTests {
    static func event(_ account: String, _ time: Int64, _ id: String, name: String = "DescribeKeyPairs", rw: String = "Read",
                      user: String = "root", key: String = "AK", resources: [String] = [], types: [String] = []) -> AuditEventRecord {
        AuditEventRecord(accountId: account, eventTime: time, eventId: id, eventName: name, eventRW: rw, serviceName: "Ecs",
                         accessKeyId: key, userName: user, resourceTypes: types, resourceNames: resources, body: #"{"eventId":"\#(id)"}"#)
    }

    static func ids(_ store: any Store, _ q: AuditEventQuery) async throws -> [String] {
        try await store.auditEvents(q).map(\.eventId)
    }

    @Test(arguments: Backend.all)
    func lookupFiltersPagesAndIsolates(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount(), b = newAccount()
            let base: Int64 = 4_000_000_000_000 + Int64.random(in: 0..<1_000_000) * 1000
            var built: [AuditEventRecord] = []
            for i in 0..<25 {
                let write = i % 5 == 0
                let time: Int64 = base + Int64(i / 2)
                built.append(Self.event(a, time, String(format: "%04x", i), name: write ? "DetachKeyPair" : "DescribeKeyPairs",
                                        rw: write ? "Write" : "Read", user: i % 3 == 0 ? "alice" : "root",
                                        resources: write ? ["i-\(i)", "kp"] : [],
                                        types: write ? ["ACS::ECS::Instance", "ACS::ECS::KeyPair"] : []))
            }
            let events = built
            try await store.write { tx in try tx.insertAccount(a, createdAt: 1); try tx.insertAccount(b, createdAt: 1) }
            let retried = [events[3], Self.event(b, base, "ffff")]
            try await store.appendAuditEvents(events)
            try await store.appendAuditEvents(retried)  // a retried flush: the known ID is skipped

            // Newest first, (time, id) descending; pages continue after the cursor with no gap or repeat.
            var seen: [String] = []
            var after: AuditCursor?
            repeat {
                let q = AuditEventQuery(accountId: a, start: base, end: base + 100, after: after, limit: 7)
                let page = try await store.auditEvents(q)
                seen += page.map(\.eventId)
                after = page.count == 7 ? page.last.map { AuditCursor(eventTime: $0.eventTime, eventId: $0.eventId) } : nil
            } while after != nil
            let newestFirst: [String] = events.sorted { x, y in
                x.eventTime != y.eventTime ? x.eventTime > y.eventTime : x.eventId > y.eventId
            }.map(\.eventId)
            #expect(seen == newestFirst)

            var q = AuditEventQuery(accountId: a, start: base, end: base + 100, forward: true, limit: 100)
            let forward = try await Self.ids(store, q)
            #expect(forward == events.map(\.eventId))
            q.eventName = "DetachKeyPair"; q.userName = "alice"
            let filtered = try await Self.ids(store, q)
            #expect(filtered == ["0000", "000f"])
            q = AuditEventQuery(accountId: a, start: base, end: base + 100, forward: true, limit: 100)
            q.resourceName = "i-10"
            let q1 = q
            let one = try await store.auditEvents(q1)
            #expect(one.map(\.eventId) == ["000a"])
            #expect(one.first?.resourceNames == ["i-10", "kp"])
            #expect(one.first?.body == #"{"eventId":"000a"}"#)
            q.resourceName = "i-1"  // a prefix of i-10 and i-15 is not a match
            let prefix = try await Self.ids(store, q)
            #expect(prefix.isEmpty)
            q.resourceName = nil; q.resourceType = "ACS::ECS::KeyPair"; q.eventRW = "Write"
            let typed = try await Self.ids(store, q)
            #expect(typed.count == 5)
            q = AuditEventQuery(accountId: a, start: base + 1, end: base + 2, limit: 100)
            let ranged = try await Self.ids(store, q)
            #expect(ranged.count == 4)

            // Another account sees only its own.
            let other = try await Self.ids(store, AuditEventQuery(accountId: b, start: base, end: base + 100, limit: 100))
            #expect(other == ["ffff"])

            // Retention drops what is older; a reset of the account drops the rest.
            try await store.purgeAuditEvents(before: base + 10)
            let all = AuditEventQuery(accountId: a, start: 0, end: base + 100, limit: 100)
            let kept = try await Self.ids(store, all)
            #expect(kept.count == 5)
            try await store.deleteAuditEvents(.resources(ofAccount: a))
            let afterReset = try await Self.ids(store, all)
            #expect(afterReset.isEmpty)
            try await store.appendAuditEvents([Self.event(b, base + 50, "fffe")])
            #expect(try await Self.ids(store, AuditEventQuery(accountId: b, start: base, end: base + 100, limit: 100)) == ["fffe"])
            try await store.deleteAuditEvents(.accounts([b]))
            #expect(try await Self.ids(store, AuditEventQuery(accountId: b, start: base, end: base + 100, limit: 100)).isEmpty)
        }
    }
}
