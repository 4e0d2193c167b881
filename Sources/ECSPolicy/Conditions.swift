// Condition operators and compiled conditions.

/// The condition operators RAM documents. Raw values are the names used in policy documents.
///
/// `…IfExists` variants and the `ForAnyValue:`/`ForAllValues:` set prefixes are not RAM operators
/// and are refused by the parser.
public enum ConditionOperator: String, Sendable, CaseIterable, Equatable {
    /// Case-sensitive string equality.
    case stringEquals = "StringEquals"
    /// Negation of ``stringEquals``.
    case stringNotEquals = "StringNotEquals"
    /// Case-insensitive string equality.
    case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
    /// Negation of ``stringEqualsIgnoreCase``.
    case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
    /// Case-sensitive wildcard match (`*`, `?`).
    case stringLike = "StringLike"
    /// Negation of ``stringLike``.
    case stringNotLike = "StringNotLike"
    /// Numeric equality.
    case numericEquals = "NumericEquals"
    /// Negation of ``numericEquals``.
    case numericNotEquals = "NumericNotEquals"
    /// Request value < policy value.
    case numericLessThan = "NumericLessThan"
    /// Request value ≤ policy value.
    case numericLessThanEquals = "NumericLessThanEquals"
    /// Request value > policy value.
    case numericGreaterThan = "NumericGreaterThan"
    /// Request value ≥ policy value.
    case numericGreaterThanEquals = "NumericGreaterThanEquals"
    /// Same instant.
    case dateEquals = "DateEquals"
    /// Negation of ``dateEquals``.
    case dateNotEquals = "DateNotEquals"
    /// Request instant before the policy instant.
    case dateLessThan = "DateLessThan"
    /// Request instant at or before the policy instant.
    case dateLessThanEquals = "DateLessThanEquals"
    /// Request instant after the policy instant.
    case dateGreaterThan = "DateGreaterThan"
    /// Request instant at or after the policy instant.
    case dateGreaterThanEquals = "DateGreaterThanEquals"
    /// Boolean equality (`"true"`/`"false"`, case-insensitive).
    case bool = "Bool"
    /// Request IP inside one of the addresses / CIDR blocks.
    case ipAddress = "IpAddress"
    /// Negation of ``ipAddress``.
    case notIpAddress = "NotIpAddress"

    /// True for the negated operators (`…NotEquals…`, `StringNotLike`, `NotIpAddress`): they hold
    /// when the positive form does not — including when the key is absent from the request.
    public var isNegated: Bool {
        switch self {
        case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals,
             .dateNotEquals, .notIpAddress:
            return true
        default:
            return false
        }
    }
}

/// One condition: an operator applied to one condition key with one or more policy values.
///
/// Values are validated and compiled at creation (numbers, dates, CIDR blocks, booleans,
/// wildcard patterns), so evaluation only parses the request's values.
///
/// Semantics for ``holds(requestValues:)``: the positive form holds when **any** request value
/// matches **any** policy value; a negated operator holds exactly when its positive form does not
/// (so with a list it holds only if the request value matches none). A key absent from the request
/// (nil or empty list) makes positive operators false and negated operators true. A request value
/// that cannot be read as the operator's type (e.g. `"abc"` for a number) matches nothing.
public struct Condition: Sendable, Equatable {
    /// The operator.
    public let `operator`: ConditionOperator
    /// The condition key as written in the policy, e.g. `"acs:SourceIp"`. Matched case-insensitively.
    public let key: String
    /// The policy values as written.
    public let values: [String]

    /// `key` lower-cased, used for case-insensitive lookup in the request.
    public let normalizedKey: String

    private let compiled: Compiled

    private enum Compiled: Sendable, Equatable {
        case exact([String])
        case ignoreCase([String])
        case like([WildcardPattern])
        case numbers([Double])
        case dates([PolicyDate])
        case bools([Bool])
        case networks([IPNetwork])
    }

    /// Validates and compiles a condition.
    ///
    /// Throws `MalformedPolicyDocument` when `key` is not of the form `prefix:name`, `values` is
    /// empty, or a value does not fit the operator (not a decimal number for `Numeric*`, not an
    /// ISO 8601 date for `Date*`, not `true`/`false` for `Bool`, not an IP or CIDR block for the IP
    /// operators). Messages start with `<Operator>.<key>`, so callers can prefix a location.
    public init(operator op: ConditionOperator, key: String, values: [String]) throws(PolicyError) {
        let here = "\(op.rawValue).\(key)"
        guard Condition.isValidKey(key) else {
            throw .malformed("\(op.rawValue): condition key \"\(key)\" must look like prefix:name, e.g. acs:SourceIp")
        }
        guard !values.isEmpty else {
            throw .malformed("\(here) must have at least one value")
        }
        switch op {
        case .stringEquals, .stringNotEquals:
            compiled = .exact(values)
        case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase:
            compiled = .ignoreCase(values.map { $0.lowercased() })
        case .stringLike, .stringNotLike:
            compiled = .like(values.map { WildcardPattern($0, caseInsensitive: false) })
        case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals,
             .numericGreaterThan, .numericGreaterThanEquals:
            var numbers: [Double] = []
            for v in values {
                guard let n = Condition.parseNumber(v) else {
                    throw .malformed("\(here): \"\(v)\" is not a decimal number")
                }
                numbers.append(n)
            }
            compiled = .numbers(numbers)
        case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals,
             .dateGreaterThan, .dateGreaterThanEquals:
            var dates: [PolicyDate] = []
            for v in values {
                guard let d = PolicyDate(iso8601: v) else {
                    throw .malformed("\(here): \"\(v)\" is not an ISO 8601 date such as 2012-11-11T23:59:59Z")
                }
                dates.append(d)
            }
            compiled = .dates(dates)
        case .bool:
            var bools: [Bool] = []
            for v in values {
                guard let b = Condition.parseBool(v) else {
                    throw .malformed("\(here): \"\(v)\" must be \"true\" or \"false\"")
                }
                bools.append(b)
            }
            compiled = .bools(bools)
        case .ipAddress, .notIpAddress:
            var nets: [IPNetwork] = []
            for v in values {
                guard let n = IPNetwork(v) else {
                    throw .malformed("\(here): \"\(v)\" is not an IPv4/IPv6 address or CIDR block")
                }
                nets.append(n)
            }
            compiled = .networks(nets)
        }
        self.operator = op
        self.key = key
        self.values = values
        self.normalizedKey = key.lowercased()
    }

    /// Whether this condition holds given the request's values for `key` (nil = key absent).
    public func holds(requestValues: [String]?) -> Bool {
        guard let requestValues, !requestValues.isEmpty else { return `operator`.isNegated }
        let positive = requestValues.contains { matchesPositive($0) }
        return `operator`.isNegated ? !positive : positive
    }

    /// The positive form of the operator against one request value: true if any policy value matches.
    private func matchesPositive(_ value: String) -> Bool {
        switch compiled {
        case .exact(let vs):
            return vs.contains(value)
        case .ignoreCase(let vs):
            let v = value.lowercased()
            return vs.contains(v)
        case .like(let ps):
            let scalars = Array(value.unicodeScalars)
            return ps.contains { $0.matches(preparedScalars: scalars) }
        case .numbers(let ns):
            guard let x = Condition.parseNumber(value) else { return false }
            switch `operator` {
            case .numericLessThan: return ns.contains { x < $0 }
            case .numericLessThanEquals: return ns.contains { x <= $0 }
            case .numericGreaterThan: return ns.contains { x > $0 }
            case .numericGreaterThanEquals: return ns.contains { x >= $0 }
            default: return ns.contains { x == $0 }   // Equals / NotEquals
            }
        case .dates(let ds):
            guard let x = PolicyDate(iso8601: value) else { return false }
            switch `operator` {
            case .dateLessThan: return ds.contains { x < $0 }
            case .dateLessThanEquals: return ds.contains { x <= $0 }
            case .dateGreaterThan: return ds.contains { x > $0 }
            case .dateGreaterThanEquals: return ds.contains { x >= $0 }
            default: return ds.contains { x == $0 }   // Equals / NotEquals
            }
        case .bools(let bs):
            guard let x = Condition.parseBool(value) else { return false }
            return bs.contains(x)
        case .networks(let nets):
            guard let ip = IPAddress(value) else { return false }
            return nets.contains { $0.contains(ip) }
        }
    }

    /// `prefix:name` with both parts non-empty and no whitespace or control characters.
    static func isValidKey(_ key: String) -> Bool {
        guard let colon = key.firstIndex(of: ":"), colon != key.startIndex,
              key.index(after: colon) != key.endIndex else { return false }
        return key.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }

    /// Decimal numbers only: optional `-`, digits, optional fraction, optional exponent.
    /// Hex, `inf`, `nan`, `+` signs and spaces are refused.
    static func parseNumber(_ s: String) -> Double? {
        let b = Array(s.utf8)
        var i = 0
        func isDigit(_ i: Int) -> Bool { i < b.count && b[i] >= 48 && b[i] <= 57 }
        if i < b.count && b[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { return nil }
        while isDigit(i) { i += 1 }
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return nil }
            while isDigit(i) { i += 1 }
        }
        if i < b.count && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            i += 1
            if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
            guard isDigit(i) else { return nil }
            while isDigit(i) { i += 1 }
        }
        guard i == b.count, let d = Double(s), d.isFinite else { return nil }
        return d
    }

    /// `"true"` / `"false"`, case-insensitive.
    static func parseBool(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }
}
