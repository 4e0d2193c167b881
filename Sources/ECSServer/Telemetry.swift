import ECSAPI
import ECSStore
import Prometheus
import Synchronization

/// The server's Prometheus metrics (`GET /metrics`), on one registry per application.
///
/// Names follow Prometheus conventions: `localecs_<what>_total` counters, `_seconds` histograms.
/// Labels are bounded: `action` is a served action's name or `-` (a name the server does not
/// serve), so a client sending random names cannot grow the output. Another subsystem adds its
/// own metrics on `registry` (`registry.makeCounter(descriptor: Telemetry.name("localecs_ssh_logins", "total", "…"))`).
public final class Telemetry: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let inFlight: Gauge
    private let storeRetries: Counter
    private let seenRetries = Mutex(0)
    private let storeRead: DurationHistogram
    private let storeWrite: DurationHistogram
    private let requests = Mutex<[String: Counter]>([:])
    private let durations = Mutex<[String: DurationHistogram]>([:])
    private let faults = Mutex<[String: Counter]>([:])
    private let throttles = Mutex<[String: Counter]>([:])
    private let observed = Mutex<[Observed]>([])

    /// A metric another subsystem keeps (the SSH server's logins), read at each scrape.
    private struct Observed {
        let source: MetricsSource
        let counter: Counter?
        let gauge: Gauge?
        var seen = 0
    }

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: metric, unitName: unit, helpText: help)
    }
    static var requests: MetricNameDescriptor { name("localecs_requests", "total", "RPC calls answered, by product, action and ECS error code (OK for success).") }
    static var requestDuration: MetricNameDescriptor { name("localecs_request_duration", "seconds", "RPC call latency, from the request's head to its answer.") }
    static var inFlightName: MetricNameDescriptor { name("localecs_requests_in_flight", "", "RPC calls being served now.") }
    static var retriesName: MetricNameDescriptor { name("localecs_store_transaction_retries", "total",
                                  "Store transactions run again at the backend's request (serialization failures, deadlocks).") }
    static var storeDuration: MetricNameDescriptor { name("localecs_store_transaction_duration", "seconds",
                                    "Store transaction latency, queueing for the store's thread or connection included.") }
    static var faultsName: MetricNameDescriptor { name("localecs_faults_injected", "total", "Calls a fault rule acted on, by effect (error, latency, drop).") }
    static var throttledName: MetricNameDescriptor { name("localecs_throttled", "total", "Calls refused by flow control (Throttling.User).") }

    static let requestBuckets: [Duration] = [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                                             .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                             .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]

    public init() {
        inFlight = registry.makeGauge(descriptor: Self.inFlightName)
        storeRetries = registry.makeCounter(descriptor: Self.retriesName)
        storeRead = registry.makeDurationHistogram(descriptor: Self.storeDuration, labels: [("kind", "read")], buckets: Self.requestBuckets)
        storeWrite = registry.makeDurationHistogram(descriptor: Self.storeDuration, labels: [("kind", "write")], buckets: Self.requestBuckets)
    }

    /// Exports `source` from now on; its value is read at each scrape.
    public func observe(_ source: MetricsSource) {
        let name = Self.name(source.name, source.unit, source.help)
        let o: Observed = switch source.kind {
        case .counter: Observed(source: source, counter: registry.makeCounter(descriptor: name), gauge: nil)
        case .gauge: Observed(source: source, counter: nil, gauge: registry.makeGauge(descriptor: name))
        }
        observed.withLock { $0.append(o) }
    }

    func callStarted() { inFlight.increment() }

    /// - Parameter spec: the served action, nil when the call failed before it was known.
    func callEnded(_ spec: ActionSpec?, code: String, duration: Duration) {
        inFlight.decrement()
        let product = spec?.product.ramService ?? "-", action = spec?.name ?? "-"
        let key = product + "/" + action + "/" + code
        let counter = requests.withLock { cache in
            if let c = cache[key] { return c }
            let c = registry.makeCounter(descriptor: Self.requests, labels: [("product", product), ("action", action), ("code", code)])
            cache[key] = c
            return c
        }
        counter.increment()
        let histogram = durations.withLock { cache in
            if let h = cache[action] { return h }
            let h = registry.makeDurationHistogram(descriptor: Self.requestDuration, labels: [("action", action)], buckets: Self.requestBuckets)
            cache[action] = h
            return h
        }
        histogram.record(duration)
    }

    func faultInjected(effect: String) {
        faults.withLock { cache in
            if let c = cache[effect] { return c }
            let c = registry.makeCounter(descriptor: Self.faultsName, labels: [("effect", effect)])
            cache[effect] = c
            return c
        }.increment()
    }

    func throttled(_ spec: ActionSpec) {
        let key = spec.product.ramService + "/" + spec.name
        throttles.withLock { cache in
            if let c = cache[key] { return c }
            let c = registry.makeCounter(descriptor: Self.throttledName, labels: [("product", spec.product.ramService), ("action", spec.name)])
            cache[key] = c
            return c
        }.increment()
    }

    func storeTransaction(write: Bool, duration: Duration) {
        (write ? storeWrite : storeRead).record(duration)
    }

    /// The exposition text, with the store's retry count brought up to date first.
    func exposition(store: any Store) -> [UInt8] {
        let total = store.transactionRetries
        let delta = seenRetries.withLock { seen -> Int in
            let d = max(0, total - seen)
            seen = max(seen, total)
            return d
        }
        if delta > 0 { storeRetries.increment(by: Int64(delta)) }
        observed.withLock { all in
            for i in all.indices {
                let value = all[i].source.read()
                if let c = all[i].counter, value > all[i].seen {
                    c.increment(by: Int64(value - all[i].seen))
                    all[i].seen = value
                }
                all[i].gauge?.set(Double(value))
            }
        }
        return registry.emitToBuffer()
    }
}

/// A metric kept outside the RPC pipeline, exported by `Telemetry` at each scrape.
public struct MetricsSource: Sendable {
    public enum Kind: Sendable { case counter, gauge }
    public var name: String
    /// `total` for counters, `""` or a unit for gauges (the name's suffix).
    public var unit: String
    public var help: String
    public var kind: Kind
    public var read: @Sendable () -> Int

    public init(name: String, unit: String, help: String, kind: Kind, read: @escaping @Sendable () -> Int) {
        self.name = name; self.unit = unit; self.help = help; self.kind = kind; self.read = read
    }
}

/// A store that times its transactions for `Telemetry`.
struct InstrumentedStore: Store {
    let inner: any Store
    let telemetry: Telemetry

    var description: String { inner.description }
    var transactionRetries: Int { inner.transactionRetries }

    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        let started = ContinuousClock.now
        defer { telemetry.storeTransaction(write: false, duration: .now - started) }
        return try await inner.read(body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        let started = ContinuousClock.now
        defer { telemetry.storeTransaction(write: true, duration: .now - started) }
        return try await inner.write(body)
    }

    func useNonce(accessKeyId: String, nonce: String, expiresAt: Int64, now: Int64) async throws -> Bool {
        try await inner.useNonce(accessKeyId: accessKeyId, nonce: nonce, expiresAt: expiresAt, now: now)
    }

    func purgeNonces(expiredBefore now: Int64) async throws { try await inner.purgeNonces(expiredBefore: now) }
    func appendAuditEvents(_ events: [AuditEventRecord]) async throws { try await inner.appendAuditEvents(events) }
    func auditEvents(_ query: AuditEventQuery) async throws -> [AuditEventRecord] { try await inner.auditEvents(query) }
    func purgeAuditEvents(before: Int64) async throws { try await inner.purgeAuditEvents(before: before) }
    func deleteAuditEvents(_ scope: StateScope) async throws { try await inner.deleteAuditEvents(scope) }
    func close() async { await inner.close() }
}
