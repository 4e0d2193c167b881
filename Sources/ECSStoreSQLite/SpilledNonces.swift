import Synchronization

/// Nonces used while the nonce file could not be written (a full disk): kept in memory until they
/// expire, so that a replay is still refused and reads keep working meanwhile.
package final class SpilledNonces: Sendable {
    /// Key → expiry (milliseconds since the epoch), as in the nonce file.
    private let state = Mutex<[String: Int64]>([:])
    private let count = Atomic<Int>(0)

    package init() {}

    /// Whether the nonce is held and not yet expired; nil when nothing is spilled (the common
    /// case, at the cost of one atomic load).
    package func seen(accessKeyId: String, nonce: String, now: Int64) -> Bool? {
        if count.load(ordering: .acquiring) == 0 { return nil }
        return state.withLock { $0[accessKeyId + "\u{0}" + nonce].map { $0 >= now } ?? false }
    }

    /// Records the nonce until `expiresAt`; false if it is already held (a replay).
    package func insert(accessKeyId: String, nonce: String, expiresAt: Int64, now: Int64) -> Bool {
        state.withLock { map in
            if map.count > 1000 { map = map.filter { $0.value >= now } }
            let key = accessKeyId + "\u{0}" + nonce
            if let expiry = map[key], expiry >= now { return false }
            map[key] = expiresAt
            count.store(map.count, ordering: .releasing)
            return true
        }
    }
}
