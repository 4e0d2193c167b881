extension Signature {
    /// RFC 3986 percent-encoding over the UTF-8 bytes of `s`, as both signature schemes use it:
    /// `A–Z a–z 0–9 - _ . ~` stay literal, every other byte becomes `%XX` with upper-case hex
    /// (space → `%20`, never `+`; `*` → `%2A`; `é` → `%C3%A9`). Returns `s` itself when nothing needs encoding.
    public static func percentEncode(_ s: String) -> String {
        guard s.utf8.contains(where: { !ASCII.isUnreserved($0) }) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count * 3)
        appendPercentEncoded(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `percentEncode(s)` to `out`.
    @inline(__always)
    static func appendPercentEncoded(_ s: String, to out: inout [UInt8]) {
        for b in s.utf8 {
            if ASCII.isUnreserved(b) {
                out.append(b)
            } else {
                out.append(0x25)
                out.append(ASCII.upperHex(b >> 4))
                out.append(ASCII.upperHex(b & 0x0F))
            }
        }
    }

    /// Appends `percentEncode(percentEncode(s))` to `out` in one pass (the V1 double encoding:
    /// a byte that needs encoding becomes `%25XX`).
    @inline(__always)
    static func appendDoublePercentEncoded(_ s: String, to out: inout [UInt8]) {
        for b in s.utf8 {
            if ASCII.isUnreserved(b) {
                out.append(b)
            } else {
                out.append(0x25)
                out.append(0x32)
                out.append(0x35)
                out.append(ASCII.upperHex(b >> 4))
                out.append(ASCII.upperHex(b & 0x0F))
            }
        }
    }

    /// Decodes an `application/x-www-form-urlencoded` string (a raw query string without `?`, or a form body)
    /// into pairs in wire order: `&` separates pairs, the first `=` separates name from value, `+` is a space,
    /// `%XX` is a byte. Blank values are kept (`a=` and `a` both give `("a", "")`); empty segments (`&&`) are skipped.
    /// A malformed escape (`%` not followed by two hex digits) is kept literally; invalid UTF-8 becomes U+FFFD.
    public static func decodeForm(_ raw: String) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        for segment in raw.utf8.split(separator: 0x26, omittingEmptySubsequences: true) {
            if let eq = segment.firstIndex(of: 0x3D) {
                pairs.append((formComponent(segment[segment.startIndex..<eq]),
                              formComponent(segment[segment.index(after: eq)...])))
            } else {
                pairs.append((formComponent(segment), ""))
            }
        }
        return pairs
    }

    static func formComponent(_ bytes: Substring.UTF8View) -> String {
        guard bytes.contains(where: { $0 == 0x25 || $0 == 0x2B }) else { return String(Substring(bytes)) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == 0x2B {
                out.append(0x20)
            } else if b == 0x25,
                      let i1 = bytes.index(i, offsetBy: 1, limitedBy: bytes.endIndex), i1 < bytes.endIndex,
                      let i2 = bytes.index(i, offsetBy: 2, limitedBy: bytes.endIndex), i2 < bytes.endIndex,
                      let hi = ASCII.hexValue(bytes[i1]), let lo = ASCII.hexValue(bytes[i2]) {
                out.append(hi << 4 | lo)
                i = i2
            } else {
                out.append(b)
            }
            i = bytes.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
