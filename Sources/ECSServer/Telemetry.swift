import ECSAPI
import ECSStore
import Prometheus
import Synchronization

/// The server's Prometheus metrics (`GET /metrics`), on one registry per application.
///
/// Names follow Prometheus conventions: `localecs_<what>_total` counters, `_seconds` histograms.
/// Labels are bounded: `action` is a served action's name or `-` (a name the server does not
/// serve), so a client sending random names cannot grow the output. Another subsystem adds its
/// own metrics on `registry` (`registry.makeCounter(name: "localecs_ssh_logins_total", …)`).
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

    static let requestBuckets: [Duration] = [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                                             .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                             .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]

    public init() {
        inFlight = registry.makeGauge(name: "localecs_requests_in_flight", help: "RPC calls being served now.")
        storeRetries = registry.makeCounter(name: "localecs_store_transaction_retries_total",
                                            help: "Store transactions run again at the backend's request (serialization failures, deadlocks).")
        let help = "Store transaction latency, queueing for the store's thread or connection included."
        storeRead = registry.makeDurationHistogram(name: "localecs_store_transaction_duration_seconds", labels: [("kind", "read")],
                                                   buckets: Self.requestBuckets, help: help)
        storeWrite = registry.makeDurationHistogram(name: "localecs_store_transaction_duration_seconds", labels: [("kind", "write")],
                                                    buckets: Self.requestBuckets, help: help)
        // Present from the start, so a scrape before the first call already lists them.
        _ = registry.makeCounter(name: "localecs_requests_total", labels: [("product", "-"), ("action", "-"), ("code", "-")],
                                 help: Self.requestsHelp)
    }

    static let requestsHelp = "RPC calls answered, by product, action and ECS error code (OK for success)."

    func callStarted() { inFlight.increment() }

    /// - Parameter spec: the served action, nil when the call failed before it was known.
    func callEnded(_ spec: ActionSpec?, code: String, duration: Duration) {
        inFlight.decrement()
        let product = spec?.product.ramService ?? "-", action = spec?.name ?? "-"
        let key = product + "/" + action + "/" + code
        let counter = requests.withLock { cache in
            if let c = cache[key] { return c }
            let c = registry.makeCounter(name: "localecs_requests_total",
                                         labels: [("product", product), ("action", action), ("code", code)], help: Self.requestsHelp)
            cache[key] = c
            return c
        }
        counter.increment()
        let histogram = durations.withLock { cache in
            if let h = cache[action] { return h }
            let h = registry.makeDurationHistogram(name: "localecs_request_duration_seconds", labels: [("action", action)],
                                                   buckets: Self.requestBuckets, help: "RPC call latency, from the request's head to its answer.")
            cache[action] = h
            return h
        }
        histogram.record(duration)
    }

    func faultInjected(effect: String) {
        faults.withLock { cache in
            if let c = cache[effect] { return c }
            let c = registry.makeCounter(name: "localecs_faults_injected_total", labels: [("effect", effect)],
                                         help: "Calls a fault rule acted on, by effect (error, latency, drop).")
            cache[effect] = c
            return c
        }.increment()
    }

    func throttled(_ spec: ActionSpec) {
        let key = spec.product.ramService + "/" + spec.name
        throttles.withLock { cache in
            if let c = cache[key] { return c }
            let c = registry.makeCounter(name: "localecs_throttled_total",
                                         labels: [("product", spec.product.ramService), ("action", spec.name)],
                                         help: "Calls refused by flow control (Throttling.User).")
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
        return registry.emitToBuffer()
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
    func close() async { await inner.close() }
}
