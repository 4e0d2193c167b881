// RAM wildcard matching: `*` matches any run of characters (including none), `?` exactly one.

/// Wildcard matching as RAM applies it to actions, resources and `StringLike` values.
public enum Wildcard {
    /// True when `value` matches `pattern` in full.
    ///
    /// `*` matches any run of characters including the empty one, `?` matches exactly one
    /// character (Unicode scalar); every other character matches itself. There is no escape
    /// character. With `caseInsensitive` both sides are lower-cased first.
    /// Runs iteratively in O(len(pattern) · len(value)) time at worst and O(1) extra stack.
    public static func matches(pattern: String, _ value: String, caseInsensitive: Bool) -> Bool {
        WildcardPattern(pattern, caseInsensitive: caseInsensitive).matches(value)
    }

    /// True when `pattern` holds `*` or `?`.
    public static func hasWildcards(_ pattern: String) -> Bool {
        pattern.unicodeScalars.contains { $0 == "*" || $0 == "?" }
    }
}

/// A wildcard pattern compiled once and matched many times (see ``Wildcard/matches(pattern:_:caseInsensitive:)``).
public struct WildcardPattern: Sendable, Equatable {
    /// The pattern as given.
    public let pattern: String
    /// Whether matching ignores case.
    public let caseInsensitive: Bool

    private let scalars: [Unicode.Scalar]
    private let kind: Kind

    private enum Kind: Equatable {
        case everything   // only stars
        case literal      // no wildcard at all: plain equality
        case general
    }

    /// Compiles `pattern`. With `caseInsensitive` the pattern is lower-cased once here.
    public init(_ pattern: String, caseInsensitive: Bool) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
        let prepared = caseInsensitive ? pattern.lowercased() : pattern
        self.scalars = Array(prepared.unicodeScalars)
        if !scalars.isEmpty && scalars.allSatisfy({ $0 == "*" }) {
            kind = .everything
        } else if !scalars.contains(where: { $0 == "*" || $0 == "?" }) {
            kind = .literal
        } else {
            kind = .general
        }
    }

    /// True when `value` matches this pattern in full.
    public func matches(_ value: String) -> Bool {
        if kind == .everything { return true }
        let prepared = caseInsensitive ? value.lowercased() : value
        return matches(preparedScalars: Array(prepared.unicodeScalars))
    }

    /// Matches a value that is already lower-cased when the pattern is case-insensitive.
    func matches(preparedScalars value: [Unicode.Scalar]) -> Bool {
        switch kind {
        case .everything: return true
        case .literal: return value == scalars
        case .general: return Self.match(scalars, value)
        }
    }

    /// Greedy matching with backtracking to the most recent `*` only. Backtracking to an older
    /// star is never needed (a later star can absorb anything an earlier one could), so this is
    /// O(n·m) worst case and uses no recursion.
    private static func match(_ p: [Unicode.Scalar], _ v: [Unicode.Scalar]) -> Bool {
        var pi = 0, vi = 0
        var starP = -1, starV = 0
        let star: Unicode.Scalar = "*", any: Unicode.Scalar = "?"
        while vi < v.count {
            if pi < p.count && p[pi] == star {
                starP = pi
                starV = vi
                pi += 1
            } else if pi < p.count && (p[pi] == any || p[pi] == v[vi]) {
                pi += 1
                vi += 1
            } else if starP >= 0 {
                pi = starP + 1
                starV += 1
                vi = starV
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == star { pi += 1 }
        return pi == p.count
    }
}
