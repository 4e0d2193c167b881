// libFuzzer target: RAM policy documents (PolicyParser.parse and parseTrustPolicy).
// Invariant: an accepted document's canonical JSON (`jsonText`) parses back to an equal document.
import FuzzDriver
import ECSPolicy

@_cdecl("fuzz_Policy_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzzerMain(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    _ = try? PolicyParser.parseTrustPolicy(text)
    // The canonical form may be longer than the input (it spells out arrays), so no length cap there.
    guard let doc = try? PolicyParser.parse(text) else { return 0 }
    guard let again = try? PolicyParser.parse(doc.jsonText, maxLength: Int.max), again == doc else {
        fatalError("policy round trip failed for \(doc.jsonText)")
    }
    return 0
}
