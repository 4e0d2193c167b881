// libFuzzer target: the V3 `Authorization` header and the claim built around it.
// The input is the header value; the request carries the usual x-acs-* headers so that the
// claim can succeed. Invariants: a claim is V3 with non-empty key id, nonce and signature,
// lower-cased signed headers that the request has, and verifying it never crashes.
import FuzzDriver
import ECSSignature

let body: [UInt8] = Array("RegionId=cn-hangzhou".utf8)
let baseHeaders: [(name: String, value: String)] = [
    ("host", "127.0.0.1"), ("x-acs-action", "DescribeRegions"), ("x-acs-version", "2014-05-26"),
    ("x-acs-date", "2026-01-01T00:00:00Z"), ("x-acs-signature-nonce", "n-1"),
    ("x-acs-content-sha256", Signature.sha256Hex(body)), ("accept", "application/json"),
]

@_cdecl("fuzz_V3Authorization_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzzerMain(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let value = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let view = RequestView(method: "POST", query: [], form: [("RegionId", "cn-hangzhou")],
                           headers: baseHeaders + [("authorization", value)], body: body)
    guard let claim = try? Signature.claim(of: view) else { return 0 }
    precondition(claim.version == .v3, "ACS3 header without a V3 claim")
    precondition(!claim.accessKeyId.isEmpty && !claim.nonce.isEmpty && !claim.signature.isEmpty, "empty claim field")
    for h in claim.signedHeaders {
        precondition(h == h.lowercased() && view.header(h) != nil, "signed header \(h) not in the request")
    }
    _ = Signature.verify(view, claim: claim, secret: "secret")
    return 0
}
