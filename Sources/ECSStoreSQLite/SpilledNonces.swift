import Synchronization

/// Nonces used while the nonce file could not be written (a full disk): kept in memory for the
/// replay window, so that a replay is still refused and reads keep working meanwhile.
final class SpilledNonces: Sendable {
    /// 16 minutes: the 15-minute timestamp window refuses anything older anyway.
    static let window: Int64 = 16 * 60 * 1000
    private let state = Mutex<[String: Int64]>([:])
    private let count = Atomic<Int>(0)

    /// Whether the nonce was spilled within the window; nil when nothing is spilled (the common
    /// case, at the cost of one atomic load).
    func seen(accessKeyId: String, nonce: String, now: Int64) -> Bool? {
        if count.load(ordering: .acquiring) == 0 { return nil }
        return state.withLock { $0[accessKeyId + "\u{0}" + nonce].map { $0 >= now - Self.window } ?? false }
    }

    /// Records the nonce; false if it was already there (a replay).
    func insert(accessKeyId: String, nonce: String, now: Int64) -> Bool {
        state.withLock { map in
            if map.count > 1000 { map = map.filter { $0.value >= now - Self.window } }
            let key = accessKeyId + "\u{0}" + nonce
            if let at = map[key], at >= now - Self.window { return false }
            map[key] = now
            count.store(map.count, ordering: .releasing)
            return true
        }
    }
}
