import ECSSignature
import Testing

/// Every request captured from a real client in `tests/vectors/signatures.json` verifies byte for byte.
@Suite("Captured client vectors")
struct CapturedVectorTests {
    @Test func vectorFileIsFoundAndHoldsBothSchemes() throws {
        let all = try Vectors.load()
        #expect(all.count >= 9, "could not decode \(Vectors.url.path)")
        #expect(all.contains { $0.isV3 })
        #expect(all.contains { !$0.isV3 })
    }

    @Test(arguments: try Vectors.load())
    func verifies(_ v: CapturedVector) throws {
        let request = v.request
        let claim = try Signature.claim(of: request)
        #expect(claim.version == (v.isV3 ? .v3 : .v1))
        #expect(claim.accessKeyId == "LTAI5tFakeAccessKeyId01")
        #expect(claim.signature == v.expected_signature)
        #expect(claim.securityToken == nil)
        #expect(Signature.parseTimestamp(claim.timestamp) != nil)
        #expect(Signature.verify(request, claim: claim, secret: v.secret) == .valid)
    }

    @Test(arguments: try Vectors.load())
    func canonicalFormsMatchByteForByte(_ v: CapturedVector) throws {
        let request = v.request
        if v.isV3 {
            let claim = try Signature.claim(of: request)
            let canonical = Signature.v3CanonicalRequest(request, signedHeaders: claim.signedHeaders)
            let expected = try #require(v.canonical_request)
            #expect(Array(canonical.utf8) == Array(expected.utf8))
            #expect(Signature.v3StringToSign(canonicalRequest: canonical) == v.string_to_sign)
            #expect(Signature.v3Signature(stringToSign: v.string_to_sign, secret: v.secret) == v.expected_signature)
        } else {
            let stringToSign = Signature.v1StringToSign(method: v.method, parameters: request.query)
            #expect(Array(stringToSign.utf8) == Array(v.string_to_sign.utf8))
            #expect(Signature.v1Signature(stringToSign: stringToSign, secret: v.secret) == v.expected_signature)
        }
    }

    @Test(arguments: try Vectors.load())
    func mismatchReportsTheServerStringToSign(_ v: CapturedVector) throws {
        let request = v.request
        let claim = try Signature.claim(of: request)
        #expect(Signature.verify(request, claim: claim, secret: "wrong") == .mismatch(stringToSign: v.string_to_sign))
    }
}
