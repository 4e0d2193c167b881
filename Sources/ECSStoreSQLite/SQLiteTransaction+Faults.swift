import ECSStore

extension SQLiteTransaction {
    func faultRules() throws -> [FaultRuleRecord] {
        var out: [FaultRuleRecord] = []
        try db.query("SELECT \(RecordColumns.faultRule) FROM fault_rules ORDER BY created_at, id") { out.append(RecordColumns.faultRule($0)) }
        return out
    }

    func insertFaultRule(_ r: FaultRuleRecord) throws {
        try db.query("INSERT INTO fault_rules (\(RecordColumns.faultRule)) VALUES (?, ?, ?, ?, ?)",
                     [.text(r.id), .text(r.definition), .int(r.createdAt), .int(r.matched), .int(r.hits)])
    }

    func deleteFaultRule(id: String) throws -> Bool {
        try db.query("DELETE FROM fault_rules WHERE id = ?", [.text(id)])
        return db.changes > 0
    }

    func deleteFaultRules() throws -> Int {
        try db.query("DELETE FROM fault_rules")
        return db.changes
    }

    func faultRuleForUpdate(id: String) throws -> FaultRuleRecord? {
        // One writer at a time already: the transaction holds SQLite's write lock.
        var out: FaultRuleRecord?
        try db.query("SELECT \(RecordColumns.faultRule) FROM fault_rules WHERE id = ?", [.text(id)]) { out = RecordColumns.faultRule($0) }
        return out
    }

    func updateFaultRuleCounters(id: String, matched: Int64, hits: Int64) throws {
        try db.query("UPDATE fault_rules SET matched = ?, hits = ? WHERE id = ?", [.int(matched), .int(hits), .text(id)])
    }
}
