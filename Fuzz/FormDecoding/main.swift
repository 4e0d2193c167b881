// libFuzzer target: FormDecoding.pairs over arbitrary bytes.
// Invariant: whatever comes out re-encodes (percent-encoding every byte but unreserved ones)
// to text that decodes back to exactly the same pairs.
import FuzzDriver
import ECSAPI

@_cdecl("fuzz_FormDecoding_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzzerMain(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let pairs = FormDecoding.pairs(bytes)
    let again = FormDecoding.pairs(Array(encode(pairs).utf8))
    guard pairs.count == again.count,
          zip(pairs, again).allSatisfy({ $0.name == $1.name && $0.value == $1.value }) else {
        fatalError("form round trip changed \(pairs) into \(again)")
    }
    // A non-empty name cannot come from input without a non-'&' byte: every pair has a source.
    precondition(pairs.count <= count, "more pairs than input bytes")
    return 0
}

func encode(_ pairs: [(name: String, value: String)]) -> String {
    func pct(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }
    return pairs.map { pct($0.name) + "=" + pct($0.value) }.joined(separator: "&")
}
