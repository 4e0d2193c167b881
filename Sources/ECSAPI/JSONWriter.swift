/// Writes a `WireValue` as compact JSON (UTF-8 bytes).
public enum JSONWriter {
    public static func write(_ object: WireObject) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(estimatedBytes(object))
        write(.object(object), into: &out)
        return out
    }

    public static func write(_ value: WireValue, into out: inout [UInt8]) {
        switch value {
        case .string(let s): writeString(s, into: &out)
        case .integer(let i): writeInteger(i, into: &out)
        case .double(let d):
            if d.isFinite { out.append(contentsOf: String(d).utf8) } else { out.append(contentsOf: "null".utf8) }
        case .boolean(let b): writeBoolean(b, into: &out)
        case .null: out.append(contentsOf: "null".utf8)
        case .rawJSON(let text): out.append(contentsOf: text.utf8)
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in o.fields.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(k, into: &out)
                out.append(UInt8(ascii: ":"))
                write(v, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .list(let item, let items):
            out.append(UInt8(ascii: "{"))
            writeString(item, into: &out)
            out.append(UInt8(ascii: ":"))
            write(.array(items), into: &out)
            out.append(UInt8(ascii: "}"))
        case .items(let list):
            out.append(UInt8(ascii: "{"))
            writeString(list.item, into: &out)
            out.append(UInt8(ascii: ":"))
            out.append(UInt8(ascii: "["))
            list.write(true, &out)
            out.append(UInt8(ascii: "]"))
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, v) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(v, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    /// A body's size, roughly, from its shaped lists: one allocation instead of doubling up to
    /// a page's quarter megabyte.
    static func estimatedBytes(_ object: WireObject) -> Int {
        var n = 4096
        for (_, v) in object.fields { if case .items(let l) = v { n += l.estimatedJSONBytes } }
        return n
    }

    /// Also XML's rendering of an integer.
    @usableFromInline static func writeInteger(_ i: Int, into out: inout [UInt8]) {
        if i >= 0 && i < 10 { out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: i)); return }
        out.append(contentsOf: String(i).utf8)
    }

    /// Also XML's rendering of a boolean.
    @usableFromInline static func writeBoolean(_ b: Bool, into out: inout [UInt8]) {
        out.append(contentsOf: b ? trueBytes : falseBytes)
    }

    static let trueBytes: [UInt8] = Array("true".utf8)
    static let falseBytes: [UInt8] = Array("false".utf8)

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `s` as a JSON string literal, quotes included (also the audit trail's event JSON).
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { writeString($0, into: &out) }
    }

    /// Over the string's own bytes: iterating `String.UTF8View` generically cost more than the
    /// rest of a DescribeInstances page together.
    static func writeString(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var plain = true
        for b in bytes where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { plain = false; break }
        if plain {
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: "\""))
            return
        }
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0x00..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0xF)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
