/// How the ActionTrail audit trail is kept (configuration, not state: `LOCALECS_AUDIT`,
/// `LOCALECS_AUDIT_RETENTION_DAYS`).
public struct AuditConfig: Sendable, Equatable {
    /// Record every API call (default). Off, LookupEvents still answers, with no events.
    public var enabled: Bool
    /// Events older than this are dropped (default 90 days, ActionTrail's own LookupEvents horizon).
    public var retentionDays: Int
    /// How long a recorded event may wait in memory before it is written: what a SIGKILL can lose.
    public var flushInterval: Duration

    public static let defaultRetentionDays = 90
    /// Events buffered beyond this while the store cannot be written are dropped, oldest first,
    /// so an unwritable store cannot exhaust memory.
    public static let maxBuffered = 200_000

    public init(enabled: Bool = true, retentionDays: Int = AuditConfig.defaultRetentionDays, flushInterval: Duration = .milliseconds(200)) {
        self.enabled = enabled; self.retentionDays = retentionDays; self.flushInterval = flushInterval
    }
}
