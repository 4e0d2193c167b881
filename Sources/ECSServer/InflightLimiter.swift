import Synchronization

/// Bounds the RPC calls executing at once. Beyond the bound a call is refused at once with
/// `ServiceUnavailable` (503), which every official client retries, instead of waiting in an
/// unbounded queue behind the store while its client times out.
///
/// Shared by all connections; `RequestGuard` takes a slot on the event loop when a request is
/// complete (so refusing costs no task and no thread of the busy pool) and gives it back when
/// the response ends or the connection closes.
package final class InflightLimiter: Sendable {
    let limit: Int
    private let running = Atomic<Int>(0)

    package init(limit: Int) { self.limit = limit }

    /// Takes a slot if one is free.
    package func tryEnter() -> Bool {
        if running.add(1, ordering: .acquiringAndReleasing).newValue <= limit { return true }
        running.subtract(1, ordering: .acquiringAndReleasing)
        return false
    }

    /// Gives back a slot `tryEnter` took.
    package func leave() {
        running.subtract(1, ordering: .acquiringAndReleasing)
    }

    /// Calls executing now (for tests and diagnostics).
    package var current: Int { running.load(ordering: .relaxed) }
}
