import Synchronization

/// Bounds the RPC calls executing at once. Beyond the bound a call is refused at once with
/// `ServiceUnavailable` (503), which every official client retries, instead of waiting in an
/// unbounded queue behind the store while its client times out.
final class InflightLimiter: Sendable {
    let limit: Int
    private let running = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Runs `body` if a slot is free, else returns `refused()` without running it.
    func run<T>(_ body: () async -> T, refused: () -> T) async -> T {
        let now = running.add(1, ordering: .acquiringAndReleasing).newValue
        defer { running.subtract(1, ordering: .acquiringAndReleasing) }
        guard now <= limit else { return refused() }
        return await body()
    }

    /// Calls executing now (for tests and diagnostics).
    var current: Int { running.load(ordering: .relaxed) }
}
