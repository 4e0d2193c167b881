/// Writes a `WireValue` as ECS's XML: a declaration, then `<root>` with one child per field.
public enum XMLWriter {
    public static func write(root: String, _ object: WireObject) -> [UInt8] {
        var out: [UInt8] = []
        // XML repeats every key: about twice a JSON body.
        out.reserveCapacity(2 * JSONWriter.estimatedBytes(object))
        out.append(contentsOf: declaration)
        element(root, .object(object), into: &out)
        return out
    }

    static let declaration: [UInt8] = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>".utf8)

    @usableFromInline static func element(_ name: String, _ value: WireValue, into out: inout [UInt8]) {
        if case .array(let items) = value {
            for v in items { element(name, v, into: &out) }
            return
        }
        out.append(UInt8(ascii: "<")); Self.name(name, into: &out); out.append(UInt8(ascii: ">"))
        switch value {
        case .string(let s): escape(s, into: &out)
        case .integer(let i): JSONWriter.writeInteger(i, into: &out)
        case .double(let d): out.append(contentsOf: String(d).utf8)
        case .boolean(let b): JSONWriter.writeBoolean(b, into: &out)
        case .null: break
        case .rawJSON(let text): escape(text, into: &out)
        case .object(let o): for (k, v) in o.fields { element(k, v, into: &out) }
        case .list(let item, let items): for v in items { element(item, v, into: &out) }
        case .items(let list): list.write(false, &out)
        case .array: break
        }
        out.append(UInt8(ascii: "<")); out.append(UInt8(ascii: "/")); Self.name(name, into: &out); out.append(UInt8(ascii: ">"))
    }

    @usableFromInline static func open(_ name: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "<")); Self.name(name, into: &out); out.append(UInt8(ascii: ">"))
    }

    @usableFromInline static func close(_ name: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "<")); out.append(UInt8(ascii: "/")); Self.name(name, into: &out); out.append(UInt8(ascii: ">"))
    }

    @usableFromInline static func escape(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { bytes in
            var plain = true
            for b in bytes where b == UInt8(ascii: "&") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">")
                || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { plain = false; break }
            if plain { out.append(contentsOf: bytes); return }
            for b in bytes {
                switch b {
                case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): out.append(contentsOf: "&apos;".utf8)
                default: out.append(b)
                }
            }
        }
    }

    static func name(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }
}
