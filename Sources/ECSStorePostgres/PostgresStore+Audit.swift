import ECSStore

/// The audit trail stays in the shared database's `audit_events`, one transaction per call.
extension PostgresStore {
    public func appendAuditEvents(_ events: [AuditEventRecord]) async throws {
        try await pool.run { db in try Self.transaction(db, writable: true) { try $0.insertAuditEvents(events) } }
    }

    public func auditEvents(_ query: AuditEventQuery) async throws -> [AuditEventRecord] {
        try await pool.run { db in try Self.transaction(db, writable: false) { try $0.auditEvents(query) } }
    }

    public func purgeAuditEvents(before: Int64) async throws {
        try await pool.run { db in try Self.transaction(db, writable: true) { try $0.purgeAuditEvents(before: before) } }
    }

    /// `deleteState` already deleted these events in its own transaction; this finds none left
    /// unless events were written since (a flush racing the reset), which it removes too.
    public func deleteAuditEvents(_ scope: StateScope) async throws {
        try await pool.run { db in
            try Self.transaction(db, writable: true) { tx in
                switch scope {
                case .everything: try tx.run("DELETE FROM audit_events")
                case .accounts(let ids): for id in ids { try tx.run("DELETE FROM audit_events WHERE account_id = $1", [.text(id)]) }
                case .resources(let id): try tx.run("DELETE FROM audit_events WHERE account_id = $1", [.text(id)])
                }
            }
        }
    }
}
