import ECSAPI
import ECSDomain
import ECSStore
import Logging
import ServiceLifecycle
import Synchronization

/// Records every authenticated API call as an ActionTrail event.
///
/// The request path only appends a draft to an in-memory buffer (a lock and an array append);
/// this service writes the buffer to the store once per `flushInterval`, in transactions of up to
/// `flushChunk` events, so recording costs a few store writes per flush rather than one per call. What that means for
/// durability: a SIGKILL or a crash loses at most the events of the last `flushInterval` (0.2 s by
/// default) plus the write in flight; a graceful shutdown (SIGTERM, SIGINT) stops the HTTP server
/// first, which answers every request already read, then flushes everything before the store
/// closes, so it loses nothing. LookupEvents flushes before it reads, so a caller always finds
/// its own earlier calls.
public final class AuditRecorder: Service, Sendable {
    let store: any Store
    let clock: any Clock
    public let config: AuditConfig
    private let buffer = Mutex<[AuditDraft]>([])
    /// Orders events recorded in the same millisecond: event IDs start with it (`AuditDraft.eventId`).
    /// It starts at the start-up time in microseconds, so it also grows across restarts.
    private let sequence: Atomic<UInt64>
    /// Serializes flushes, so two never write the same drafts and a lookup waits for one under way.
    private let flushing = FlushGate()
    private let logger = Logger(label: "localecs.audit")

    public init(store: any Store, clock: any Clock, config: AuditConfig) {
        self.store = store; self.clock = clock; self.config = config
        sequence = Atomic(UInt64(max(0, clock.nowMillis())) &* 1000)
    }

    /// A draft for a call by `caller`, or nil when recording is off.
    func begin(spec: ActionSpec, caller: Caller, params: RPCParameters, requestId: String, time: Int64,
               sourceIp: String?, userAgent: String?, host: String) -> AuditDraft? {
        guard config.enabled else { return nil }
        return AuditDraft(sequence: sequence.add(1, ordering: .relaxed).newValue, time: time, requestId: requestId, spec: spec, caller: caller, params: params.pairs,
                          sourceIp: sourceIp, userAgent: userAgent, host: host)
    }

    /// Queues the call's event; `error` is the refusal the caller got, if any.
    func finish(_ draft: AuditDraft?, input: Input?, output: WireObject?, error: ECSError?) {
        guard var d = draft else { return }
        d.input = input
        d.errorCode = error?.code
        d.errorMessage = error?.message
        d.collectResources(output: output)
        // What the event needs of the input is taken now: the buffer holds no parsed inputs.
        d.region = input?.string("RegionId")
        d.input = nil
        buffer.withLock { b in
            if b.count >= AuditConfig.maxBuffered { b.removeFirst(b.count / 10) }
            b.append(d)
        }
    }

    /// Events written per store transaction by `flush`.
    static let flushChunk = 256

    /// Writes every queued event. On failure those not yet written stay queued for the next flush.
    public func flush() async throws {
        try await flushing.run {
            let drafts = self.buffer.withLock { b -> [AuditDraft] in defer { b.removeAll(keepingCapacity: true) }; return b }
            // In transactions of at most `flushChunk` events: one long transaction would hold the
            // store's single writer (SQLite) for tens of milliseconds and stall the API's writes.
            var written = 0
            do {
                while written < drafts.count {
                    let chunk = Array(drafts[written..<min(drafts.count, written + Self.flushChunk)])
                    let records = try await self.records(chunk)
                    try await self.store.appendAuditEvents(records)
                    written += chunk.count
                }
            } catch {
                self.buffer.withLock { b in b.insert(contentsOf: drafts[written...], at: 0) }
                throw error
            }
        }
    }

    /// Builds the stored events, looking up each RAM user's ID once (ActionTrail's `principalId`).
    func records(_ drafts: [AuditDraft]) async throws -> [AuditEventRecord] {
        var wanted: Set<[String]> = []
        for d in drafts { if let u = d.caller.userName { wanted.insert([d.caller.accountId, u]) } }
        let users = wanted
        let ids: [[String]: String] = users.isEmpty ? [:] : try await store.read { r in
            var out: [[String]: String] = [:]
            for key in users { if let u = try r.user(account: key[0], name: key[1]) { out[key] = u.id } }
            return out
        }
        return drafts.map { d in
            d.record(userId: d.caller.userName.flatMap { ids[[d.caller.accountId, $0]] })
        }
    }

    /// Flushes every `flushInterval` and purges past retention every minute; flushes once more
    /// on graceful shutdown, after the HTTP server (shut down first) answered its last request.
    public func run() async throws {
        var sincePurge = Duration.zero
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.config.flushInterval) }
            await flushLogged()
            sincePurge += config.flushInterval
            if sincePurge >= .seconds(60) {
                sincePurge = .zero
                let before = clock.nowMillis() - Int64(config.retentionDays) * 86_400_000
                do { try await store.purgeAuditEvents(before: before) } catch {
                    logger.warning("audit trail: purging events past retention failed: \(error)")
                }
            }
        }
        await flushLogged()
    }

    func flushLogged() async {
        do { try await flush() } catch {
            logger.warning("audit trail: writing events failed (kept in memory, retried in \(config.flushInterval)): \(error)")
        }
    }
}

/// One flush at a time, without holding a lock across a suspension.
final class FlushGate: Sendable {
    private let state = Mutex<(busy: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func run(_ body: @Sendable () async throws -> Void) async throws {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s -> Bool in
                if s.busy { s.waiters.append(c); return false }
                s.busy = true; return true
            }
            if ready { c.resume() }
        }
        defer {
            let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
                if s.waiters.isEmpty { s.busy = false; return nil }
                return s.waiters.removeFirst()
            }
            next?.resume()
        }
        try await body()
    }
}
