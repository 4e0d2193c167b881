/// A fault-injection rule as stored: its definition as JSON (the domain's `FaultRule` owns the
/// format, so the store never needs a migration when a matcher is added) and its counters, kept
/// in the store so that every node sharing it counts the same calls.
public struct FaultRuleRecord: Sendable, Equatable {
    public var id: String
    /// The rule's JSON (`FaultRule`'s encoding).
    public var definition: String
    public var createdAt: Int64
    /// Calls that matched the rule's filters (the sequence number a seeded probability draws on).
    public var matched: Int64
    /// Calls the rule acted on.
    public var hits: Int64

    public init(id: String, definition: String, createdAt: Int64, matched: Int64 = 0, hits: Int64 = 0) {
        self.id = id; self.definition = definition; self.createdAt = createdAt; self.matched = matched; self.hits = hits
    }
}

/// Fault rules are test configuration, not ECS state: an estate export leaves them out, and only a
/// whole-store reset (`StateScope.everything`) deletes them.
public protocol FaultRuleReader {
    /// Every rule, oldest first.
    func faultRules() throws -> [FaultRuleRecord]
}

public protocol FaultRuleWriter: FaultRuleReader {
    func insertFaultRule(_ rule: FaultRuleRecord) throws
    /// False when no rule has that ID.
    func deleteFaultRule(id: String) throws -> Bool
    /// How many rules were deleted.
    func deleteFaultRules() throws -> Int
    /// The rule, locked until commit where the backend has row locks (so two nodes never draw
    /// the same sequence number or both take the last of a count).
    func faultRuleForUpdate(id: String) throws -> FaultRuleRecord?
    func updateFaultRuleCounters(id: String, matched: Int64, hits: Int64) throws
}
