import ECSStore

/// The audit trail goes to its own file and writer (`AuditFile`), never to the data file's.
extension SQLiteStore {
    public func appendAuditEvents(_ events: [AuditEventRecord]) async throws { try await audit.append(events) }
    public func auditEvents(_ query: AuditEventQuery) async throws -> [AuditEventRecord] { try await audit.events(query) }
    public func purgeAuditEvents(before: Int64) async throws { try await audit.purge(before: before) }
    public func deleteAuditEvents(_ scope: StateScope) async throws { try await audit.delete(scope) }
}
