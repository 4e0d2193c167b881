import ECSStore

/// The ActionTrail audit trail (SQLite's `SQLiteTransaction+Audit`, statement for statement).
extension PostgresTransaction {
    func insertAuditEvents(_ events: [AuditEventRecord]) throws {
        // One multi-row statement per 500 events: a flush is one round trip, not one per event.
        for chunk in stride(from: 0, to: events.count, by: 500).map({ events[$0..<min($0 + 500, events.count)] }) {
            var rows: [String] = []
            var args: [PGValue] = []
            for e in chunk {
                let base = args.count
                rows.append("(" + (1...AuditColumns.count).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
                args += [.text(e.accountId), .int(e.eventTime), .text(e.eventId), .text(e.eventName), .text(e.eventRW),
                         .text(e.serviceName), .text(e.accessKeyId), .text(e.userName),
                         .text(AuditEventRecord.joined(e.resourceTypes)), .text(AuditEventRecord.joined(e.resourceNames)), .text(e.body)]
            }
            try run("INSERT INTO audit_events (\(AuditColumns.list)) VALUES " + rows.joined(separator: ", ") + " ON CONFLICT DO NOTHING", args)
        }
    }

    /// Account by account, along the primary key (SQLite's reasoning: no second index).
    func purgeAuditEvents(before: Int64) throws {
        var accounts: [String] = []
        try run("SELECT id FROM accounts") { accounts.append($0.text(0)) }
        for a in accounts {
            try run("DELETE FROM audit_events WHERE account_id = $1 AND event_time < $2", [.text(a), .int(before)])
        }
    }

    func auditEvents(_ query: AuditEventQuery) throws -> [AuditEventRecord] {
        let (clause, args) = query.whereClause(placeholder: { "$\($0)" }, contains: { "strpos(\($0), \($1)) > 0" })
        let values = args.map { a -> PGValue in
            switch a {
            case .text(let s): return .text(s)
            case .int(let i): return .int(i)
            }
        }
        var out: [AuditEventRecord] = []
        try run("SELECT \(AuditColumns.list) FROM audit_events WHERE " + clause, values) { r in
            out.append(AuditEventRecord(accountId: r.text(0), eventTime: r.int(1), eventId: r.text(2), eventName: r.text(3),
                                        eventRW: r.text(4), serviceName: r.text(5), accessKeyId: r.text(6), userName: r.text(7),
                                        resourceTypes: AuditEventRecord.split(r.text(8)),
                                        resourceNames: AuditEventRecord.split(r.text(9)), body: r.text(10)))
        }
        return out
    }
}
