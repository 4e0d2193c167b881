/// Decoding of `application/x-www-form-urlencoded` text, as every RPC client's query and form body use it.
public enum FormDecoding {
    /// Splits `a=1&b=&c` into pairs, decoding `+` as a space and `%XX` as bytes (UTF-8).
    /// Malformed escapes are kept literally rather than refused: the signature check decides.
    public static func pairs(_ raw: Substring) -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        guard !raw.isEmpty else { return out }
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            if let eq = part.firstIndex(of: "=") {
                out.append((decode(part[..<eq]), decode(part[part.index(after: eq)...])))
            } else {
                out.append((decode(part), ""))
            }
        }
        return out
    }

    public static func pairs(_ raw: [UInt8]) -> [(name: String, value: String)] {
        pairs(Substring(String(decoding: raw, as: UTF8.self)))
    }

    /// Percent-decodes one component; `+` becomes a space.
    public static func decode(_ s: Substring) -> String {
        var needs = false
        for b in s.utf8 where b == UInt8(ascii: "%") || b == UInt8(ascii: "+") { needs = true; break }
        if !needs { return String(s) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%"), it.count >= 2,
                      let hi = hexValue(it[it.startIndex]), let lo = hexValue(it[it.startIndex + 1]) {
                bytes.append(hi << 4 | lo)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
