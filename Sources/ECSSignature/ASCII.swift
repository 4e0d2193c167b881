/// Small byte-level helpers shared by the encoders (internal).
enum ASCII {
    /// True for the RFC 3986 unreserved set `A–Z a–z 0–9 - _ . ~`.
    @inline(__always)
    static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: true
        default: false
        }
    }

    /// Upper-case hex digit for a nibble (0–15).
    @inline(__always)
    static func upperHex(_ n: UInt8) -> UInt8 { n < 10 ? 0x30 &+ n : 0x37 &+ n }

    /// Lower-case hex digit for a nibble (0–15).
    @inline(__always)
    static func lowerHex(_ n: UInt8) -> UInt8 { n < 10 ? 0x30 &+ n : 0x57 &+ n }

    /// Value of a hex digit (either case), or nil.
    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b &- 0x30
        case 0x41...0x46: b &- 0x37
        case 0x61...0x66: b &- 0x57
        default: nil
        }
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { (0x41...0x5A).contains(b) ? b | 0x20 : b }

    /// ASCII case-insensitive equality (non-ASCII bytes must match exactly).
    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var a = a, b = b  // withUTF8 is mutating, but does not copy a native string
        return a.withUTF8 { x in
            b.withUTF8 { y in
                for i in 0..<x.count where x[i] != y[i] && lower(x[i]) != lower(y[i]) { return false }
                return true
            }
        }
    }

    /// ASCII-lower-cases `s`, returning it unchanged (no allocation) when it has no upper-case letters.
    static func lowercased(_ s: String) -> String {
        guard s.utf8.contains(where: { (0x41...0x5A).contains($0) }) else { return s }
        return String(decoding: s.utf8.map(lower), as: UTF8.self)
    }

    /// True for space and horizontal tab.
    @inline(__always)
    static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// `s` without leading/trailing spaces and tabs.
    static func trimmed(_ s: Substring) -> Substring {
        Substring(trimmed(s.utf8))
    }

    /// `u` without leading/trailing spaces and tabs.
    static func trimmed(_ u: Substring.UTF8View) -> Substring.UTF8View {
        var u = u
        while let f = u.first, isBlank(f) { u = u.dropFirst() }
        while let l = u.last, isBlank(l) { u = u.dropLast() }
        return u
    }

    /// Byte-order comparison of two strings' UTF-8 (what the SDKs' sorts amount to for ASCII names).
    @inline(__always)
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Constant-time equality of two byte sequences of equal length; unequal lengths return false at once
    /// (the length of a signature is public).
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}

extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendASCII(_ s: StaticString) {
        s.withUTF8Buffer { append(contentsOf: $0) }
    }
}
