/// Decoding of `application/x-www-form-urlencoded` text, as every RPC client's query and form body use it.
public enum FormDecoding {
    /// Splits `a=1&b=&c` into pairs, decoding `+` as a space and `%XX` as bytes (UTF-8).
    /// Malformed escapes are kept literally rather than refused: the signature check decides.
    /// Works on bytes: splitting on `Character`s costs grapheme breaking on every request.
    public static func pairs(_ raw: Substring) -> [(name: String, value: String)] {
        var raw = raw
        return raw.withUTF8 { pairs(bytes: $0) }
    }

    public static func pairs(_ raw: [UInt8]) -> [(name: String, value: String)] {
        raw.withUnsafeBufferPointer { pairs(bytes: $0) }
    }

    static func pairs(bytes: UnsafeBufferPointer<UInt8>) -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        var start = 0
        let n = bytes.count
        while start < n {
            var end = start
            while end < n && bytes[end] != UInt8(ascii: "&") { end += 1 }
            if end > start {
                var eq = start
                while eq < end && bytes[eq] != UInt8(ascii: "=") { eq += 1 }
                let name = decode(UnsafeBufferPointer(rebasing: bytes[start..<eq]))
                let value = eq < end ? decode(UnsafeBufferPointer(rebasing: bytes[(eq + 1)..<end])) : ""
                out.append((name, value))
            }
            start = end + 1
        }
        return out
    }

    /// Percent-decodes one component; `+` becomes a space.
    public static func decode(_ s: Substring) -> String {
        var s = s
        return s.withUTF8 { decode($0) }
    }

    static func decode(_ b: UnsafeBufferPointer<UInt8>) -> String {
        if !b.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) {
            return String(decoding: b, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if c == UInt8(ascii: "%"), i + 2 < b.count, let hi = hexValue(b[i + 1]), let lo = hexValue(b[i + 2]) {
                bytes.append(hi << 4 | lo)
                i += 2
            } else {
                bytes.append(c)
            }
            i += 1
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
