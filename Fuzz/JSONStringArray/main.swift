// libFuzzer target: JSONStringArray.parse over arbitrary text.
// Invariant: an accepted array, written back as JSON, parses to the same strings.
import FuzzDriver
import ECSAPI

@_cdecl("fuzz_JSONStringArray_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzzerMain(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    guard let items = JSONStringArray.parse(text) else { return 0 }
    let written = "[" + items.map(quote).joined(separator: ",") + "]"
    guard let again = JSONStringArray.parse(written), again == items else {
        fatalError("JSON array round trip changed \(items) into \(String(describing: JSONStringArray.parse(written)))")
    }
    return 0
}

/// A JSON string literal escaping quotes, backslashes and control characters (as \u00XX).
func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where u.value < 0x20:
            let hex = Array("0123456789abcdef".unicodeScalars)
            out += "\\u00"
            out.unicodeScalars.append(hex[Int(u.value >> 4)])
            out.unicodeScalars.append(hex[Int(u.value & 15)])
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}
