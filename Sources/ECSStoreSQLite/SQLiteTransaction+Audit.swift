import ECSStore

/// The ActionTrail audit trail: batched appends, LookupEvents pages, retention. Run on the audit
/// file (`AuditFile`), never on the data file.
extension SQLiteTransaction {
    /// Built once: the statement cache is keyed by the SQL text, which was rebuilt per event.
    static let insertAuditEvent = "INSERT OR IGNORE INTO audit_events (\(AuditColumns.list)) VALUES ("
        + Array(repeating: "?", count: AuditColumns.count).joined(separator: ", ") + ")"

    func insertAuditEvents(_ events: [AuditEventRecord]) throws {
        for e in events {
            try db.query(Self.insertAuditEvent, [
                .text(e.accountId), .int(e.eventTime), .text(e.eventId), .text(e.eventName), .text(e.eventRW),
                .text(e.serviceName), .text(e.accessKeyId), .text(e.userName),
                .text(AuditEventRecord.joined(e.resourceTypes)), .text(AuditEventRecord.joined(e.resourceNames)), .text(e.body),
            ])
        }
    }

    /// Account by account, along the primary key: no second index to maintain on every insert.
    /// The accounts are found in the trail itself (the audit file has no accounts table), one
    /// index seek each.
    func purgeAuditEvents(before: Int64) throws {
        var account: String? = ""
        while let a = account {
            account = nil
            try db.query("SELECT account_id FROM audit_events WHERE account_id > ? ORDER BY account_id LIMIT 1", [.text(a)]) {
                account = $0.text(0)
            }
            if let next = account {
                try db.query("DELETE FROM audit_events WHERE account_id = ? AND event_time < ?", [.text(next), .int(before)])
            }
        }
    }

    /// The trail's part of a reset or an import (`deleteState` deletes the rest).
    func deleteAuditEvents(_ scope: StateScope) throws {
        switch scope {
        case .everything:
            try db.query("DELETE FROM audit_events")
        case .accounts(let ids):
            for id in ids { try db.query("DELETE FROM audit_events WHERE account_id = ?", [.text(id)]) }
        case .resources(let id):
            try db.query("DELETE FROM audit_events WHERE account_id = ?", [.text(id)])
        }
    }

    static func auditEvent(_ r: Row) -> AuditEventRecord {
        AuditEventRecord(accountId: r.text(0), eventTime: r.int(1), eventId: r.text(2), eventName: r.text(3),
                         eventRW: r.text(4), serviceName: r.text(5), accessKeyId: r.text(6), userName: r.text(7),
                         resourceTypes: AuditEventRecord.split(r.text(8)),
                         resourceNames: AuditEventRecord.split(r.text(9)), body: r.text(10))
    }

    func auditEvents(_ query: AuditEventQuery) throws -> [AuditEventRecord] {
        let (clause, args) = query.whereClause(placeholder: { "?\($0)" }, contains: { "instr(\($0), \($1)) > 0" })
        let values = args.map { a -> SQLValue in
            switch a {
            case .text(let s): return .text(s)
            case .int(let i): return .int(i)
            }
        }
        var out: [AuditEventRecord] = []
        try db.query("SELECT \(AuditColumns.list) FROM audit_events WHERE " + clause, values) { out.append(Self.auditEvent($0)) }
        return out
    }
}
