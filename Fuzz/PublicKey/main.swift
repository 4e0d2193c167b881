// libFuzzer target: PublicKeyParser.parse (OpenSSH public-key lines).
// Invariant: an accepted key's normalized form parses again to the same type, blob, fingerprint
// and size, and the fingerprint is 16 colon-separated hex bytes.
import FuzzDriver
import ECSKeys

@_cdecl("fuzz_PublicKey_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzzerMain(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    guard let key = try? PublicKeyParser.parse(text) else { return 0 }
    guard let again = try? PublicKeyParser.parse(key.normalized) else {
        fatalError("normalized key refused: \(key.normalized)")
    }
    precondition(again.type == key.type && again.blob == key.blob && again.fingerprint == key.fingerprint
                 && again.bits == key.bits, "normalized key differs: \(key) vs \(again)")
    precondition(key.fingerprint.utf8.count == 47, "fingerprint shape: \(key.fingerprint)")
    return 0
}
