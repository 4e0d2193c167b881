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
    static let alphabet: [UInt8] = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
    static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// `count` lower-case alphanumerics. One random word yields 12 characters, so an ID costs
    /// two calls to the system generator, not one per character.
    public static func random(_ count: Int) -> String {
        var g = SystemRandomNumberGenerator()
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            var word = g.next() as UInt64
            for _ in 0..<min(12, count - out.count) {
                out.append(alphabet[Int(word % 36)])
                word /= 36
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
    /// `i-` + 20 lower-case alphanumerics.
    public static func instance() -> String { "i-" + random(20) }
    /// `ssh-` + 20 lower-case alphanumerics.
    public static func keyPair() -> String { "ssh-" + random(20) }
    /// A request ID: an upper-case UUID (8-4-4-4-12 hex digits).
    public static func request() -> String {
        var g = SystemRandomNumberGenerator()
        let words = [g.next() as UInt64, g.next() as UInt64]
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(words[i / 16] >> (UInt64(i % 16) * 4) & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Settings the domain reads once at start-up.
public struct DomainConfig: Sendable {
    /// Key pairs per account and region (ECS: 500).
    public var keyPairQuota: Int
    /// Milliseconds an instance spends in each transient status (Pending, Starting, Stopping).
    public var transitionMillis: Int64
    /// Security groups per account and region (ECS: 100).
    public var securityGroupQuota: Int

    public init(keyPairQuota: Int = 500, transitionMillis: Int64 = 1000, securityGroupQuota: Int = 100) {
        self.keyPairQuota = keyPairQuota
        self.transitionMillis = transitionMillis
        self.securityGroupQuota = securityGroupQuota
    }
}
