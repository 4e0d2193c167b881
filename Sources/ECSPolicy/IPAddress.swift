// IPv4 / IPv6 addresses and CIDR blocks for the IpAddress / NotIpAddress operators.

/// An IPv4 or IPv6 address held as 128 bits.
///
/// IPv4 addresses use the low 32 bits with `isV6 == false`. IPv4-mapped IPv6 addresses
/// (`::ffff:a.b.c.d`) are normalised to IPv4 so that `10.0.0.0/8` covers `::ffff:10.1.2.3`.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// True for IPv6, false for IPv4.
    public let isV6: Bool
    let high: UInt64
    let low: UInt64

    /// Parses a dotted-quad IPv4 address (no leading zeros, each part 0–255) or an RFC 4291
    /// IPv6 address (with `::` compression and an optional dotted IPv4 tail). Zone ids (`%eth0`),
    /// brackets and surrounding spaces are refused. Returns nil when `text` is not an address.
    public init?(_ text: String) {
        if let v4 = IPAddress.parseV4(Substring(text)) {
            self.init(isV6: false, high: 0, low: UInt64(v4))
            return
        }
        guard let (hi, lo) = IPAddress.parseV6(Substring(text)) else { return nil }
        if hi == 0 && (lo >> 32) == 0xFFFF {
            self.init(isV6: false, high: 0, low: lo & 0xFFFF_FFFF)
        } else {
            self.init(isV6: true, high: hi, low: lo)
        }
    }

    init(isV6: Bool, high: UInt64, low: UInt64) {
        self.isV6 = isV6
        self.high = high
        self.low = low
    }

    /// Dotted quad for IPv4, full uncompressed lower-case hex groups for IPv6.
    public var description: String {
        if !isV6 {
            let v = UInt32(truncatingIfNeeded: low)
            return "\(v >> 24).\((v >> 16) & 0xFF).\((v >> 8) & 0xFF).\(v & 0xFF)"
        }
        var groups: [String] = []
        for word in [high, low] {
            for shift in stride(from: 48, through: 0, by: -16) {
                groups.append(String((word >> UInt64(shift)) & 0xFFFF, radix: 16))
            }
        }
        return groups.joined(separator: ":")
    }

    static func parseV4(_ s: Substring) -> UInt32? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            if part.count > 1 && part.first == "0" { return nil }
            guard let n = UInt32(part), n <= 255 else { return nil }
            result = result << 8 | n
        }
        return result
    }

    static func parseV6(_ s: Substring) -> (UInt64, UInt64)? {
        guard s.contains(":") else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        let compressed: Bool
        if let range = s.firstRange(of: "::") {
            compressed = true
            let before = s[s.startIndex..<range.lowerBound]
            let after = s[range.upperBound...]
            if after.contains("::") { return nil }
            guard let h = groups(before, allowV4Tail: false), let t = groups(after, allowV4Tail: true) else { return nil }
            head = h
            tail = t
            if head.count + tail.count > 7 { return nil }
        } else {
            compressed = false
            guard let all = groups(s, allowV4Tail: true), all.count == 8 else { return nil }
            head = all
        }
        var words = head
        if compressed {
            words += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        var hi: UInt64 = 0, lo: UInt64 = 0
        for i in 0..<4 { hi = hi << 16 | UInt64(words[i]) }
        for i in 4..<8 { lo = lo << 16 | UInt64(words[i]) }
        return (hi, lo)
    }

    /// Splits colon-separated hex groups; an empty string is zero groups. The last group may be
    /// a dotted IPv4 address (two groups) when `allowV4Tail`.
    private static func groups(_ s: Substring, allowV4Tail: Bool) -> [UInt16]? {
        if s.isEmpty { return [] }
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        var out: [UInt16] = []
        for (i, part) in parts.enumerated() {
            if i == parts.count - 1 && allowV4Tail && part.contains(".") {
                guard let v4 = parseV4(part) else { return nil }
                out.append(UInt16(v4 >> 16))
                out.append(UInt16(v4 & 0xFFFF))
                continue
            }
            guard !part.isEmpty, part.count <= 4, let n = UInt16(part, radix: 16),
                  part.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 70) || ($0 >= 97 && $0 <= 102) })
            else { return nil }
            out.append(n)
        }
        return out
    }
}

/// An IP address block: a single address (`/32` or `/128`) or a CIDR range.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address (host bits cleared).
    public let address: IPAddress
    /// The prefix length: 0–32 for IPv4, 0–128 for IPv6.
    public let prefixLength: Int

    /// Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or `ipv6/n`. Host bits beyond the prefix are
    /// ignored (`10.1.2.3/8` is `10.0.0.0/8`). An IPv4-mapped IPv6 block with prefix ≥ 96 is
    /// treated as the IPv4 block. Returns nil for anything else.
    public init?(_ text: String) {
        var addrText = Substring(text)
        var prefix: Int?
        if let slash = text.firstIndex(of: "/") {
            addrText = text[text.startIndex..<slash]
            let p = text[text.index(after: slash)...]
            guard !p.isEmpty, p.count <= 3, p.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int(p) else { return nil }
            if p.count > 1 && p.first == "0" { return nil }
            prefix = n
        }
        let addrString = String(addrText)
        guard let parsed = IPAddress(addrString) else { return nil }
        var length: Int
        if parsed.isV6 {
            length = prefix ?? 128
            guard length <= 128 else { return nil }
        } else if IPAddress.parseV4(addrText) != nil {
            length = prefix ?? 32
            guard length <= 32 else { return nil }
        } else {
            // IPv4-mapped IPv6 written in IPv6 form.
            length = prefix ?? 128
            guard length <= 128 else { return nil }
            if length < 96 {
                // A block wider than the mapped range: keep it as IPv6.
                let (hi, lo) = IPAddress.parseV6(addrText)!
                let v6 = IPAddress(isV6: true, high: hi, low: lo)
                self.init(address: v6, prefixLength: length)
                return
            }
            length -= 96
        }
        self.init(address: parsed, prefixLength: length)
    }

    init(address: IPAddress, prefixLength: Int) {
        self.prefixLength = prefixLength
        let (mh, ml) = IPNetwork.mask(prefixLength, isV6: address.isV6)
        self.address = IPAddress(isV6: address.isV6, high: address.high & mh, low: address.low & ml)
    }

    private static func mask(_ length: Int, isV6: Bool) -> (UInt64, UInt64) {
        if !isV6 {
            let m: UInt64 = length == 0 ? 0 : (0xFFFF_FFFF << UInt64(32 - length)) & 0xFFFF_FFFF
            return (0, m)
        }
        func word(_ bits: Int) -> UInt64 {
            if bits <= 0 { return 0 }
            if bits >= 64 { return ~0 }
            return ~0 << UInt64(64 - bits)
        }
        return (word(length), word(length - 64))
    }

    /// True when `ip` is of the same family and inside this block.
    public func contains(_ ip: IPAddress) -> Bool {
        guard ip.isV6 == address.isV6 else { return false }
        let (mh, ml) = IPNetwork.mask(prefixLength, isV6: address.isV6)
        return ip.high & mh == address.high && ip.low & ml == address.low
    }

    /// `address/prefixLength`.
    public var description: String { "\(address)/\(prefixLength)" }
}
