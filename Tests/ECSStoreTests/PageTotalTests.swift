import ECSDomain
import ECSStore
import Testing

/// A list page's TotalCount may come from a cache (SQLite keeps counts per read connection while
/// `PRAGMA data_version` stands still), but it must never be stale: after any write, through this
/// node or another sharing the store, the next page counts what is there.
@Suite("Page totals")
struct PageTotalTests {
    static func instanceTotal(_ s: any Store, _ account: String, name: NameMatch? = nil) async throws -> Int {
        var q = InstanceQuery(name: name)
        q.offset = 0
        q.limit = 2
        let query = q
        return try await s.read { try $0.instances(account: account, region: hz, query: query) }.total
    }

    static func keyPairTotal(_ s: any Store, _ account: String, name: NameMatch? = nil) async throws -> Int {
        try await s.read { try $0.keyPairs(account: account, region: hz, query: KeyPairQuery(name: name, offset: 0, limit: 2)) }.total
    }

    @Test(arguments: Backend.multiNode)
    func totalsFollowEveryWriteOnEitherNode(_ backend: Backend) async throws {
        try await withTwoStores(backend) { a, b throws in
            let account = newAccount()
            let ids = (0..<5).map { "i-pagetotal\(account.suffix(6))\($0)" }
            try await a.write { tx in for (n, id) in ids.enumerated() { try tx.insertInstance(instance(account, id, at: Int64(n + 1))) } }
            try await a.write { tx in for n in 0..<5 { try tx.insertKeyPair(keyPair(account, "k\(n)", at: Int64(n + 1))) } }
            // Read many times on both nodes, so that every reader connection has counted (and cached).
            for _ in 0..<8 {
                for s in [a, b] {
                    #expect(try await Self.instanceTotal(s, account) == 5)
                    #expect(try await Self.keyPairTotal(s, account) == 5)
                    #expect(try await Self.instanceTotal(s, account, name: .wildcard("i-*")) == 5)
                }
            }
            // A write through the other node, then through the same node: each read sees it.
            try await b.write { tx in try tx.deleteInstance(account: account, id: ids[0]) }
            try await b.write { tx in try tx.deleteKeyPairs(account: account, region: hz, names: ["k0"]) }
            for _ in 0..<8 {
                for s in [a, b] {
                    #expect(try await Self.instanceTotal(s, account) == 4)
                    #expect(try await Self.keyPairTotal(s, account) == 4)
                    #expect(try await Self.instanceTotal(s, account, name: .wildcard("i-*")) == 4)
                }
            }
            try await a.write { tx in try tx.insertInstance(instance(account, ids[0] + "x", at: 9)) }
            try await a.write { tx in try tx.insertKeyPair(keyPair(account, "k9", at: 9)) }
            for _ in 0..<8 {
                for s in [a, b] {
                    #expect(try await Self.instanceTotal(s, account) == 5)
                    #expect(try await Self.keyPairTotal(s, account) == 5)
                    #expect(try await Self.keyPairTotal(s, account, name: .exact("k9")) == 1)
                }
            }
            // A change to a row that moves it in or out of a filter, not in or out of the table.
            var renamed = try #require(try await a.read { try $0.instance(account: account, id: ids[1]) })
            renamed.name = "other"
            let changed = renamed
            try await b.write { tx in try tx.updateInstance(changed) }
            for s in [a, b] {
                #expect(try await Self.instanceTotal(s, account, name: .wildcard("i-*")) == 4)
                #expect(try await Self.instanceTotal(s, account, name: .exact("other")) == 1)
            }
        }
    }

    /// Pages seek from the nearest of every 100th row's key: every offset around those marks
    /// must give the same rows as the plain order, before and after writes that shift them.
    @Test(arguments: Backend.all)
    func pagesMatchTheOrderAtEveryOffset(_ backend: Backend) async throws {
        try await withStore(backend) { s in
            let account = newAccount()
            // Equal creation times in runs, so that the second part of the key decides the order too.
            var ids = (0..<250).map { "i-page\(account.suffix(8))\(String(1000 + $0))" }
            var names = (0..<250).map { "k\(String(1000 + $0))" }
            let (allIds, allNames) = (ids, names)
            try await s.write { tx in
                for (n, id) in allIds.enumerated() { try tx.insertInstance(instance(account, id, at: Int64(n / 3))) }
                for (n, name) in allNames.enumerated() { try tx.insertKeyPair(keyPair(account, name, at: Int64(n / 3))) }
            }
            func check(_ ids: [String], _ names: [String]) async throws {
                for offset in [0, 1, 98, 99, 100, 101, 150, 199, 200, 243, ids.count - 1, ids.count, ids.count + 5] {
                    var q = InstanceQuery()
                    q.offset = offset
                    q.limit = 7
                    let query = q
                    let page = try await s.read { try $0.instances(account: account, region: hz, query: query) }
                    #expect(page.total == ids.count)
                    #expect(page.items.map(\.id) == Array(ids.dropFirst(offset).prefix(7)), "instances at \(offset)")
                    let kp = try await s.read { try $0.keyPairs(account: account, region: hz, query: KeyPairQuery(offset: offset, limit: 7)) }
                    #expect(kp.total == names.count)
                    #expect(kp.items.map(\.name) == Array(names.dropFirst(offset).prefix(7)), "key pairs at \(offset)")
                }
            }
            for _ in 0..<3 { try await check(ids, names) }
            // Rows removed before a mark shift every later page.
            let goneIds = [ids[0], ids[150]], goneNames = [names[0], names[150]]
            try await s.write { tx in
                for id in goneIds { try tx.deleteInstance(account: account, id: id) }
                try tx.deleteKeyPairs(account: account, region: hz, names: goneNames)
            }
            ids.removeAll { goneIds.contains($0) }
            names.removeAll { goneNames.contains($0) }
            for _ in 0..<3 { try await check(ids, names) }
        }
    }
}
