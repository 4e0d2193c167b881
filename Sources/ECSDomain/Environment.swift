#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Time, as the domain sees it: injected so tests can move it.
public protocol Clock: Sendable {
    /// Milliseconds since 1970.
    func nowMillis() -> Int64
}

/// The machine's wall clock.
public struct SystemClock: Clock {
    public init() {}
    public func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// A clock that only moves when told to, for tests of time-driven transitions.
public final class ManualClock: Clock {
    private let now: Mutex<Int64>
    public init(_ start: Int64 = 1_700_000_000_000) { now = Mutex(start) }
    public func nowMillis() -> Int64 { now.withLock { $0 } }
    public func advance(millis: Int64) { now.withLock { $0 += millis } }
}

/// Random identifiers in ECS's shapes.
public enum IDs {
    static let alphabet: [Character] = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    public static func random(_ count: Int) -> String {
        var g = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(g.next(upperBound: UInt32(alphabet.count)))] })
    }
    /// `i-` + 20 lower-case alphanumerics.
    public static func instance() -> String { "i-" + random(20) }
    /// `ssh-` + 20 lower-case alphanumerics.
    public static func keyPair() -> String { "ssh-" + random(20) }
    /// A request ID: an upper-case UUID.
    public static func request() -> String {
        var g = SystemRandomNumberGenerator()
        let hex: [Character] = Array("0123456789ABCDEF")
        var s = ""
        s.reserveCapacity(36)
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { s.append("-") }
            s.append(hex[Int(g.next(upperBound: UInt32(16)))])
        }
        return s
    }
}

/// Settings the domain reads once at start-up.
public struct DomainConfig: Sendable {
    /// Key pairs per account and region (ECS: 500).
    public var keyPairQuota: Int
    /// Milliseconds an instance spends in each transient status (Pending, Starting, Stopping).
    public var transitionMillis: Int64

    public init(keyPairQuota: Int = 500, transitionMillis: Int64 = 1000) {
        self.keyPairQuota = keyPairQuota
        self.transitionMillis = transitionMillis
    }
}
