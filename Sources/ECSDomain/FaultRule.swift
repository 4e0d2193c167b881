import ECSPolicy
import Foundation

/// One fault-injection rule (issue 14): which calls it matches, what it does to them and how
/// often. Stored as JSON (`FaultRuleRecord.definition`) in the admin routes' PascalCase.
///
/// Filters left out match everything. Exactly one effect: an ECS error (`Code`, `Status`,
/// `Message`, optional `RetryAfterMs` → `x-acs-retry-after`), `LatencyMs` added to the answer of a
/// call that ran, or `Drop` (the connection is reset, nothing is answered). Frequency: `Count`
/// caps the hits, `Probability` (with `Seed`, drawn on the match's sequence number, so the same
/// calls fail on every run) thins them, `StartsAt`/`EndsAt` (ms since 1970) or `DurationSeconds`
/// (from when it was added) bound them in time. Without any, every matching call is hit.
public struct FaultRule: Sendable, Equatable, Codable {
    public var product: String?
    public var action: String?
    public var account: String?
    public var principal: String?
    public var region: String?
    public var parameter: String?
    public var parameterContains: String?

    public var code: String?
    public var status: Int?
    public var message: String?
    public var retryAfterMs: Int?
    public var latencyMs: Int?
    public var drop: Bool?

    public var count: Int64?
    public var probability: Double?
    public var seed: UInt64?
    public var startsAt: Int64?
    public var endsAt: Int64?
    public var durationSeconds: Int64?

    enum CodingKeys: String, CodingKey {
        case product = "Product", action = "Action", account = "Account", principal = "Principal", region = "Region"
        case parameter = "Parameter", parameterContains = "ParameterContains"
        case code = "Code", status = "Status", message = "Message", retryAfterMs = "RetryAfterMs"
        case latencyMs = "LatencyMs", drop = "Drop"
        case count = "Count", probability = "Probability", seed = "Seed", startsAt = "StartsAt", endsAt = "EndsAt"
        case durationSeconds = "DurationSeconds"
    }

    public init() {}

    /// What the rule does to a call it hits.
    public enum Effect: Sendable, Equatable {
        case error(code: String, status: Int, message: String, retryAfterMs: Int?)
        case latency(millis: Int)
        case drop
    }

    /// Valid once `validated` accepted the rule.
    public var effect: Effect {
        if let latencyMs { return .latency(millis: latencyMs) }
        if drop == true { return .drop }
        let code = code ?? "ServiceUnavailable"
        return .error(code: code, status: status ?? Self.knownErrors[code]?.status ?? 400,
                      message: message ?? Self.knownErrors[code]?.message ?? Self.genericMessage, retryAfterMs: retryAfterMs)
    }

    /// ECS's own status and text for the codes a test most often injects (protocol-and-ram.md §2.2).
    /// `Throttling.User` is 400 as documented, like `Throttling` and `Throttling.Api`.
    public static let knownErrors: [String: (status: Int, message: String)] = [
        "ServiceUnavailable": (503, "The request has failed due to a temporary failure of the server."),
        "InternalError": (500, "The request processing has failed due to some unknown error, exception or failure."),
        "UnknownError": (400, "The request processing has failed due to some unknown error."),
        "Throttling": (400, "Request was denied due to request throttling."),
        "Throttling.User": (400, "Request was denied due to user flow control."),
        "Throttling.Api": (400, "Request was denied due to api flow control."),
    ]
    static let genericMessage = "The request processing has failed due to some unknown error, exception or failure."

    static let maxText = 256
    static let maxLatencyMs = 120_000
    static let maxRetryAfterMs = 3_600_000
    /// 2100-01-01 in ms: keeps every sum of a time and a duration far from overflowing.
    static let maxTime: Int64 = 4_102_444_800_000

    /// The rule as stored: checked, with `DurationSeconds` turned into `EndsAt` from `now`.
    /// - Throws: `FaultRuleError` naming the field and what it may hold.
    public func validated(now: Int64) throws(FaultRuleError) -> FaultRule {
        var r = self
        for (name, v) in [("Product", product), ("Action", action), ("Account", account), ("Principal", principal),
                          ("Region", region), ("Parameter", parameter), ("ParameterContains", parameterContains),
                          ("Code", code), ("Message", message)] {
            if let v, v.isEmpty || v.count > Self.maxText {
                throw FaultRuleError("\(name) must be 1 to \(Self.maxText) characters")
            }
        }
        if parameterContains != nil && parameter == nil { throw FaultRuleError("ParameterContains needs Parameter (the parameter's name)") }
        let errorFields = code != nil || status != nil || message != nil || retryAfterMs != nil
        let effects = [errorFields, latencyMs != nil, drop == true].filter { $0 }.count
        if effects > 1 { throw FaultRuleError("give one effect: an error (Code, Status, Message, RetryAfterMs), LatencyMs, or Drop") }
        if drop == false && effects == 0 { throw FaultRuleError("Drop: false is no effect; give an error (Code…), LatencyMs, or Drop: true") }
        if effects == 0 { r.code = "ServiceUnavailable" }
        if let code = r.code, status == nil, Self.knownErrors[code] == nil {
            throw FaultRuleError("Status is required for code \(code) (known codes: \(Self.knownErrors.keys.sorted().joined(separator: ", ")))")
        }
        if let status, !(400...599).contains(status) { throw FaultRuleError("Status must be 400 to 599, not \(status)") }
        if let ms = retryAfterMs, !(1...Self.maxRetryAfterMs).contains(ms) {
            throw FaultRuleError("RetryAfterMs must be 1 to \(Self.maxRetryAfterMs), not \(ms)")
        }
        if let ms = latencyMs, !(1...Self.maxLatencyMs).contains(ms) { throw FaultRuleError("LatencyMs must be 1 to \(Self.maxLatencyMs), not \(ms)") }
        if let c = count, c < 1 { throw FaultRuleError("Count must be at least 1, not \(c)") }
        if let p = probability, !(p > 0 && p <= 1) { throw FaultRuleError("Probability must be above 0 and at most 1, not \(p)") }
        if seed != nil && probability == nil { throw FaultRuleError("Seed needs Probability") }
        if let s = seed, s > UInt64(Int64.max) { throw FaultRuleError("Seed must be 0 to \(Int64.max)") }
        if probability != nil && seed == nil { r.seed = UInt64.random(in: 0...UInt64(Int64.max)) }
        for (name, t) in [("StartsAt", startsAt), ("EndsAt", endsAt)] {
            if let t, !(0...Self.maxTime).contains(t) { throw FaultRuleError("\(name) must be 0 to \(Self.maxTime) (ms since 1970), not \(t)") }
        }
        if let d = durationSeconds {
            guard d >= 1, d <= 366 * 86_400 else { throw FaultRuleError("DurationSeconds must be 1 to \(366 * 86_400), not \(d)") }
            if endsAt != nil { throw FaultRuleError("give EndsAt or DurationSeconds, not both") }
            r.endsAt = (startsAt ?? now) + d * 1000
            r.durationSeconds = nil
        }
        if let s = r.startsAt, let e = r.endsAt, e <= s { throw FaultRuleError("EndsAt must be after StartsAt") }
        return r
    }

    /// Whether the rule's time window holds `now`.
    public func isActive(at now: Int64) -> Bool {
        if let s = startsAt, now < s { return false }
        if let e = endsAt, now >= e { return false }
        return true
    }

    /// Whether the call passes every filter.
    public func matches(_ call: FaultCall) -> Bool {
        if let p = product, p.caseInsensitiveCompare(call.product) != .orderedSame, p != call.version { return false }
        if let a = action, !WildcardPattern(a, caseInsensitive: false).matches(call.action) { return false }
        if let a = account, a != call.accountId { return false }
        if let p = principal, !call.principals.contains(p) { return false }
        if let r = region, r != call.region { return false }
        if let name = parameter {
            guard let value = call.parameter(name) else { return false }
            if let needle = parameterContains, !value.contains(needle) { return false }
        }
        return true
    }

    /// Whether the `sequence`-th matching call (1-based) is hit, `hits` calls having been hit before it.
    public func fires(sequence: Int64, hits: Int64) -> Bool {
        if let c = count, hits >= c { return false }
        guard let p = probability else { return true }
        return Self.draw(seed: seed ?? 0, sequence: sequence) < p
    }

    /// A uniform number in [0, 1) from the seed and the sequence number (SplitMix64): no state, so
    /// every node and every run draws the same for the same call.
    static func draw(seed: UInt64, sequence: Int64) -> Double {
        var z = seed &+ UInt64(bitPattern: sequence) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(UInt64(1) << 53)
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    /// - Throws: `FaultRuleError` when `data` is not a rule object.
    public static func decode(_ data: Data) throws(FaultRuleError) -> FaultRule {
        do {
            return try JSONDecoder().decode(FaultRule.self, from: data)
        } catch let DecodingError.typeMismatch(_, c), let DecodingError.valueNotFound(_, c) {
            throw FaultRuleError("\(c.codingPath.map(\.stringValue).joined(separator: ".")): wrong type (\(c.debugDescription))")
        } catch let DecodingError.dataCorrupted(c) {
            let at = c.codingPath.map(\.stringValue).joined(separator: ".")
            throw FaultRuleError(at.isEmpty ? "the body is not a JSON object of rule fields" : "\(at): \(c.debugDescription)")
        } catch {
            throw FaultRuleError("the body is not a JSON object of rule fields")
        }
    }
}

/// A call as fault rules see it (filled in by the server once the caller is authenticated).
public struct FaultCall {
    /// `ecs`, `ram` or `sts`.
    public var product: String
    /// The API version (`2014-05-26`).
    public var version: String
    public var action: String
    public var accountId: String
    /// The names a `Principal` filter may give: the AccessKeyId, the RAM user or role name, or `root`.
    public var principals: [String]
    public var region: String?
    public var parameter: (String) -> String?

    public init(product: String, version: String, action: String, caller: Caller, region: String?,
                parameter: @escaping (String) -> String?) {
        self.product = product; self.version = version; self.action = action; self.accountId = caller.accountId
        var names = [caller.accessKeyId]
        if let u = caller.userName { names.append(u) }
        if let s = caller.session { names.append(s.roleName) }
        if caller.isRoot { names.append("root") }
        self.principals = names
        self.region = region; self.parameter = parameter
    }
}

/// A rule the admin route or CLI refused, with what to fix.
public struct FaultRuleError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
