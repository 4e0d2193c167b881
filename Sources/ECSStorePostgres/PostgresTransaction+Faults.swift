import ECSStore

extension PostgresTransaction {
    func faultRules() throws -> [FaultRuleRecord] {
        var out: [FaultRuleRecord] = []
        try run("SELECT \(RecordColumns.faultRule) FROM fault_rules ORDER BY created_at, id") { out.append(RecordColumns.faultRule($0)) }
        return out
    }

    func insertFaultRule(_ r: FaultRuleRecord) throws {
        try insert("INSERT INTO fault_rules (\(RecordColumns.faultRule)) VALUES ($1, $2, $3, $4, $5)",
                   [.text(r.id), .text(r.definition), .int(r.createdAt), .int(r.matched), .int(r.hits)], what: "fault rule \(r.id)")
    }

    func deleteFaultRule(id: String) throws -> Bool {
        try run("DELETE FROM fault_rules WHERE id = $1", [.text(id)]) > 0
    }

    func deleteFaultRules() throws -> Int {
        try run("DELETE FROM fault_rules")
    }

    func faultRuleForUpdate(id: String) throws -> FaultRuleRecord? {
        var out: FaultRuleRecord?
        try run("SELECT \(RecordColumns.faultRule) FROM fault_rules WHERE id = $1" + (writable ? " FOR UPDATE" : ""), [.text(id)]) {
            out = RecordColumns.faultRule($0)
        }
        return out
    }

    func updateFaultRuleCounters(id: String, matched: Int64, hits: Int64) throws {
        try run("UPDATE fault_rules SET matched = $1, hits = $2 WHERE id = $3", [.int(matched), .int(hits), .text(id)])
    }
}
