import ECSStore
import Foundation
import Synchronization

/// A stored rule with its definition decoded.
public struct ActiveFaultRule: Sendable {
    public var record: FaultRuleRecord
    public var rule: FaultRule
}

/// Fault-injection rules: kept in the store (so every node sharing it applies the same ones and
/// counts the same hits), read from a node-local copy on the request path.
///
/// The copy is reloaded when this node changes the rules and otherwise at most every
/// `refreshMillis`: a rule added on another node (or by the CLI) acts within that. Whether a
/// matching call is hit is decided in a store transaction on the rule's row, so a `Count` is
/// never exceeded and a seeded probability draws the same sequence whatever node serves the call.
public final class FaultService: Sendable {
    let store: any Store
    let clock: any Clock
    public static let refreshMillis: Int64 = 250

    private struct Cache {
        var rules: [ActiveFaultRule] = []
        var loadedAt: Int64 = .min
        var loading = false
    }
    private let cache = Mutex(Cache())

    public init(store: any Store, clock: any Clock) {
        self.store = store; self.clock = clock
    }

    /// Stores `rule` (validated) under a new ID; it acts on this node from now on.
    /// - Throws: `FaultRuleError`, store errors.
    public func add(_ rule: FaultRule) async throws -> ActiveFaultRule {
        let now = clock.nowMillis()
        let rule = try rule.validated(now: now)
        let record = FaultRuleRecord(id: "fault-" + IDs.random(12), definition: rule.json(), createdAt: now)
        try await store.write { try $0.insertFaultRule(record) }
        try await reload()
        return ActiveFaultRule(record: record, rule: rule)
    }

    /// Every rule with its counters, oldest first.
    public func list() async throws -> [ActiveFaultRule] {
        try await store.read { try $0.faultRules() }.compactMap(Self.decoded)
    }

    public func delete(id: String) async throws -> Bool {
        let deleted = try await store.write { try $0.deleteFaultRule(id: id) }
        try await reload()
        return deleted
    }

    /// Deletes every rule; returns how many there were.
    public func clear() async throws -> Int {
        let n = try await store.write { try $0.deleteFaultRules() }
        try await reload()
        return n
    }

    /// Drops the node-local copy (after a reset deleted the rules in the store).
    public func invalidate() {
        cache.withLock { $0.loadedAt = .min }
    }

    /// The rules that may apply to `call` now, in order, from the node-local copy.
    /// Reloads the copy first when it is stale (one caller at a time; the others use the old copy).
    public func candidates(_ call: FaultCall) async throws -> [ActiveFaultRule] {
        let now = clock.nowMillis()
        let (rules, mustLoad) = cache.withLock { c -> ([ActiveFaultRule], Bool) in
            let stale = c.loadedAt == .min || now - c.loadedAt >= Self.refreshMillis
            if stale && !c.loading {
                c.loading = true
                return (c.rules, true)
            }
            return (c.rules, false)
        }
        var current = rules
        if mustLoad {
            do {
                current = try await reload()
            } catch {
                cache.withLock { $0.loading = false }
                throw error
            }
        }
        if current.isEmpty { return [] }
        return current.filter { $0.rule.isActive(at: now) && !$0.exhausted && $0.rule.matches(call) }
    }

    /// Counts one matching call against the rule, in the store; true when the rule hits it.
    public func hit(_ id: String) async throws -> Bool {
        let outcome = try await store.write { tx -> FaultRuleRecord? in
            guard var r = try tx.faultRuleForUpdate(id: id), let rule = Self.decoded(r)?.rule else { return nil }
            r.matched += 1
            let fires = rule.fires(sequence: r.matched, hits: r.hits)
            if fires { r.hits += 1 }
            try tx.updateFaultRuleCounters(id: id, matched: r.matched, hits: r.hits)
            return fires ? r : nil
        }
        guard let record = outcome else { return false }
        cache.withLock { c in
            if let i = c.rules.firstIndex(where: { $0.record.id == id }) { c.rules[i].record = record }
        }
        return true
    }

    @discardableResult
    private func reload() async throws -> [ActiveFaultRule] {
        let started = clock.nowMillis()
        let rules = try await store.read { try $0.faultRules() }.compactMap(Self.decoded)
        cache.withLock { c in
            c.rules = rules
            c.loadedAt = started
            c.loading = false
        }
        return rules
    }

    static func decoded(_ r: FaultRuleRecord) -> ActiveFaultRule? {
        guard let rule = try? FaultRule.decode(Data(r.definition.utf8)) else { return nil }
        return ActiveFaultRule(record: r, rule: rule)
    }
}

extension ActiveFaultRule {
    /// A rule whose `Count` is used up (it stays listed, with its hits, until deleted).
    public var exhausted: Bool {
        guard let c = rule.count else { return false }
        return record.hits >= c
    }
}
