/// Parses a JSON array whose elements are all strings (`["i-a", "i-b"]`), as ECS's
/// JSON-array-string parameters carry them. Returns nil for anything else, including
/// non-string elements. Whitespace between tokens is allowed.
public enum JSONStringArray {
    public static func parse(_ text: String) -> [String]? {
        var p = Array(text.utf8)[...]
        func skipSpace() { while let c = p.first, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { p.removeFirst() } }
        skipSpace()
        guard p.popFirst() == UInt8(ascii: "[") else { return nil }
        var out: [String] = []
        skipSpace()
        if p.first == UInt8(ascii: "]") {
            p.removeFirst(); skipSpace()
            return p.isEmpty ? out : nil
        }
        while true {
            skipSpace()
            guard let s = parseString(&p) else { return nil }
            out.append(s)
            skipSpace()
            guard let c = p.popFirst() else { return nil }
            if c == UInt8(ascii: "]") { break }
            guard c == UInt8(ascii: ",") else { return nil }
        }
        skipSpace()
        return p.isEmpty ? out : nil
    }

    private static func parseString(_ p: inout ArraySlice<UInt8>) -> String? {
        guard p.popFirst() == UInt8(ascii: "\"") else { return nil }
        var bytes: [UInt8] = []
        while let c = p.popFirst() {
            switch c {
            case UInt8(ascii: "\""):
                return String(validating: bytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let e = p.popFirst() else { return nil }
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(e)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    guard var v = hex4(&p) else { return nil }
                    if (0xD800..<0xDC00).contains(v) {
                        // A high surrogate must be followed by an escaped low one: together one scalar.
                        guard p.popFirst() == UInt8(ascii: "\\"), p.popFirst() == UInt8(ascii: "u"),
                              let low = hex4(&p), (0xDC00..<0xE000).contains(low) else { return nil }
                        v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(v) else { return nil }  // a lone low surrogate
                    bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: return nil
                }
            case 0x00..<0x20:
                return nil
            default:
                bytes.append(c)
            }
        }
        return nil
    }

    private static func hex4(_ p: inout ArraySlice<UInt8>) -> UInt32? {
        guard p.count >= 4 else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let h = FormDecoding.hexValue(p.removeFirst()) else { return nil }
            v = v << 4 | UInt32(h)
        }
        return v
    }
}
