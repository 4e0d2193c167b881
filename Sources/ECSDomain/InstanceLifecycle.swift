import ECSStore

/// The statuses ECS documents for an instance.
public enum InstanceStatus: String, Sendable, CaseIterable {
    case pending = "Pending", starting = "Starting", running = "Running", stopping = "Stopping", stopped = "Stopped"
}

/// An instance's status over time, as a value: a sequence of phases that began at one moment
/// and advances one phase per step. Stored as three columns, so any node computes the same
/// status from the row alone (`ecs-api.md` §10):
///
///     RunInstances    Pending → Starting → Running
///     CreateInstance  Pending → Stopped
///     StartInstance   Starting → Running          (from Stopped)
///     StopInstance    Stopping → Stopped          (from Running)
///     RebootInstance  Starting → Running          (from Running)
public struct InstanceLifecycle: Sendable, Equatable {
    public var phases: [InstanceStatus]
    public var startedAt: Int64
    public var stepMillis: Int64

    public init(phases: [InstanceStatus], startedAt: Int64, stepMillis: Int64) {
        precondition(!phases.isEmpty)
        self.phases = phases; self.startedAt = startedAt; self.stepMillis = stepMillis
    }

    public static func run(at t: Int64, step: Int64) -> Self { .init(phases: [.pending, .starting, .running], startedAt: t, stepMillis: step) }
    public static func create(at t: Int64, step: Int64) -> Self { .init(phases: [.pending, .stopped], startedAt: t, stepMillis: step) }
    public static func start(at t: Int64, step: Int64) -> Self { .init(phases: [.starting, .running], startedAt: t, stepMillis: step) }
    public static func stop(at t: Int64, step: Int64) -> Self { .init(phases: [.stopping, .stopped], startedAt: t, stepMillis: step) }
    public static func reboot(at t: Int64, step: Int64) -> Self { .init(phases: [.starting, .running], startedAt: t, stepMillis: step) }

    /// The status at `now`.
    public func status(at now: Int64) -> InstanceStatus {
        guard stepMillis > 0 else { return phases[phases.count - 1] }
        let elapsed = now - startedAt
        if elapsed <= 0 { return phases[0] }
        return phases[min(Int(elapsed / stepMillis), phases.count - 1)]
    }

    /// When the instance passed through (or will pass through) Starting, if this lifecycle has it.
    public func startingAt() -> Int64? {
        phases.firstIndex(of: .starting).map { startedAt + Int64($0) * stepMillis }
    }

    // Storage form.
    public init(record: InstanceRecord) {
        // Read on every status check of every instance: split bytes, not Characters.
        let phases = record.phases.utf8.split(separator: UInt8(ascii: ",")).compactMap { Self.status(Substring($0)) }
        self.init(phases: phases.isEmpty ? [.stopped] : phases, startedAt: record.phaseStartedAt, stepMillis: record.stepMillis)
    }

    static func status(_ s: Substring) -> InstanceStatus? {
        switch s {
        case "Pending": return .pending
        case "Starting": return .starting
        case "Running": return .running
        case "Stopping": return .stopping
        case "Stopped": return .stopped
        default: return nil
        }
    }

    public func apply(to record: inout InstanceRecord) {
        record.phases = phases.map(\.rawValue).joined(separator: ",")
        record.phaseStartedAt = startedAt
        record.stepMillis = stepMillis
    }
}

/// The login an instance accepts, and whether a restart is needed for the binding to apply.
public struct LoginState: Sendable, Equatable {
    public var boundKeyPair: String?
    public var effectiveKeyPair: String?
    public var passwordLoginEffective: Bool
    /// What the next start would put in effect differs from what is in effect now.
    public var restartPending: Bool
}

extension InstanceRecord {
    public var isWindows: Bool { osType == "windows" }
    public var lifecycle: InstanceLifecycle { InstanceLifecycle(record: self) }
    public func status(at now: Int64) -> InstanceStatus { lifecycle.status(at: now) }

    /// Password login is in effect after a start when a password is set and no key is bound
    /// (a key disables password login on Linux; Windows always uses its password).
    var passwordLoginAfterStart: Bool { passwordSet && (isWindows || boundKeyPair == nil) }

    public var login: LoginState {
        LoginState(boundKeyPair: boundKeyPair, effectiveKeyPair: effectiveKeyPair,
                   passwordLoginEffective: passwordLoginEffective,
                   restartPending: effectiveKeyPair != boundKeyPair || passwordLoginEffective != passwordLoginAfterStart)
    }

    /// Puts the bound login into effect: what a (re)start does.
    mutating func applyBinding() {
        effectiveKeyPair = boundKeyPair
        passwordLoginEffective = passwordLoginAfterStart
        effectivePasswordHash = passwordHash
    }

    /// The instance's public address: a loopback address of its own (`LoopbackAddress`).
    public var publicIp: String { LoopbackAddress.address(slot: sshSlot) ?? "" }
}
