import ECSAPI
import ECSDomain
import Synchronization

/// One flow-control limit: calls per second with a burst, per account, for one action of a
/// product or (`action == "*"`) for all of its actions together.
public struct RateLimit: Sendable, Equatable {
    public var product: Product
    public var action: String
    public var rate: Double
    public var burst: Int

    public init(product: Product, action: String, rate: Double, burst: Int) {
        self.product = product; self.action = action; self.rate = rate; self.burst = burst
    }

    /// One call in 1,000 s at the slowest: a retry-after stays a small integer of milliseconds.
    public static let minRate = 0.001
    public static let maxRate = 1_000_000.0
    public static let maxBurst = 1_000_000

    /// Parses `[PRODUCT:]ACTION=RATE[/BURST]`: PRODUCT is `ecs` (default), `ram` or `sts`, ACTION an
    /// action name or `*`, RATE calls per second (> 0), BURST the bucket's size (default: RATE
    /// rounded up, at least 1). `ecs:DetachKeyPair=50/10`, `*=100`.
    /// - Throws: `RateLimitError` saying what is wrong.
    public static func parse(_ text: String) throws(RateLimitError) -> RateLimit {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let eq = t.firstIndex(of: "=") else { throw RateLimitError("\(t): expected [PRODUCT:]ACTION=RATE[/BURST]") }
        var target = Substring(t[..<eq]), product = Product.ecs
        if let colon = target.firstIndex(of: ":") {
            guard let p = RateLimit.product(named: String(target[..<colon])) else { throw RateLimitError("\(t): the product must be ecs, ram or sts") }
            product = p
            target = target[target.index(after: colon)...]
        }
        let action = String(target)
        guard !action.isEmpty, action.count <= 128, action == "*" || action.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw RateLimitError("\(t): the action must be an action name or *")
        }
        let numbers = t[t.index(after: eq)...].split(separator: "/", omittingEmptySubsequences: false)
        guard numbers.count <= 2, let rate = Double(numbers[0]), rate.isFinite, rate >= minRate, rate <= maxRate else {
            throw RateLimitError("\(t): the rate must be a number of calls per second from \(minRate) to \(Int(maxRate))")
        }
        var burst = max(1, Int(rate.rounded(.up)))
        if numbers.count == 2 {
            guard let b = Int(numbers[1]), b >= 1, b <= maxBurst else { throw RateLimitError("\(t): the burst must be 1 to \(maxBurst)") }
            burst = b
        }
        return RateLimit(product: product, action: action, rate: rate, burst: burst)
    }

    static func product(named name: String) -> Product? {
        switch name.lowercased() {
        case "ecs", Product.ecs.rawValue: return .ecs
        case "ram", Product.ram.rawValue: return .ram
        case "sts", Product.sts.rawValue: return .sts
        case "vpc", Product.vpc.rawValue: return .vpc
        default: return nil
        }
    }

    /// The form `parse` reads.
    public var spec: String {
        let r = rate == rate.rounded() ? String(Int(rate)) : String(rate)
        return "\(product.ramService):\(action)=\(r)/\(burst)"
    }
}

public struct RateLimitError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Flow control: token buckets per account and limit, on this node only (each node of a
/// PostgreSQL cluster enforces its own buckets, so N nodes admit up to N times a limit).
/// Off (no limits) by default. A throttled call gets 400 `Throttling.User` with
/// `x-acs-retry-after`, before RAM authorization and before the action: it changes nothing.
public final class FlowControl: Sendable {
    private struct Bucket {
        var tokens: Double
        var at: ContinuousClock.Instant
    }
    private struct State {
        var limits: [RateLimit]
        var buckets: [String: Bucket] = [:]
    }
    private let state: Mutex<State>

    public init(_ limits: [RateLimit] = []) { state = Mutex(State(limits: limits)) }

    public var limits: [RateLimit] { state.withLock { $0.limits } }

    /// Replaces every limit; the buckets start full again.
    public func set(_ limits: [RateLimit]) {
        state.withLock { $0 = State(limits: limits) }
    }

    /// nil when the call may go on; otherwise the milliseconds until it could.
    package func admit(product: Product, action: String, account: String, now: ContinuousClock.Instant = .now) -> Int? {
        state.withLock { s -> Int? in
            if s.limits.isEmpty { return nil }
            // The action's own limit first, then the product's: a call refused by the first takes no product token.
            for limit in s.limits where limit.product == product && limit.action == action {
                if let wait = Self.take(&s, limit, key: "\(account)/\(product.rawValue)/\(action)", now: now) { return wait }
            }
            for limit in s.limits where limit.product == product && limit.action == "*" {
                if let wait = Self.take(&s, limit, key: "\(account)/\(product.rawValue)/*", now: now) { return wait }
            }
            return nil
        }
    }

    private static func take(_ s: inout State, _ limit: RateLimit, key: String, now: ContinuousClock.Instant) -> Int? {
        var b = s.buckets[key] ?? Bucket(tokens: Double(limit.burst), at: now)
        let elapsed = now - b.at
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        b.tokens = min(Double(limit.burst), b.tokens + max(0, seconds) * limit.rate)
        b.at = now
        defer { s.buckets[key] = b }
        if b.tokens >= 1 {
            b.tokens -= 1
            return nil
        }
        return max(1, Int(((1 - b.tokens) / limit.rate * 1000).rounded(.up)))
    }

    /// ECS's flow-control refusal: 400, as `protocol-and-ram.md` §2.2 recommends (the documented
    /// status; 429 was seen only in third-party captures). The SDKs key on the code and on
    /// `x-acs-retry-after`, not on the status.
    package static func throttled(retryAfterMillis: Int) -> ECSError {
        ECSError(code: "Throttling.User", status: 400, message: "Request was denied due to user flow control.",
                 headers: [("x-acs-retry-after", String(retryAfterMillis))])
    }
}
