import ECSSignature
import Testing

/// Changing any signed byte of a captured request, or the secret, breaks verification.
@Suite("Tampering")
struct TamperTests {
    private func verify(_ request: RequestView, _ v: CapturedVector) throws -> Verification {
        Signature.verify(request, claim: try Signature.claim(of: request), secret: v.secret)
    }

    @Test(arguments: try Vectors.load())
    func flippedParameterValue(_ v: CapturedVector) throws {
        let request = v.request
        let target = try #require(request.query.first { $0.name != "Signature" && !$0.value.isEmpty })
        for index in [0, -1] {
            let tampered = request.replacingQuery(target.name, with: flipByte(target.value, at: index))
            #expect(try verify(tampered, v) != .valid, "\(target.name) byte \(index)")
        }
    }

    @Test(arguments: try Vectors.load())
    func flippedParameterName(_ v: CapturedVector) throws {
        var request = v.request
        let i = try #require(request.query.firstIndex { $0.name == "KeyPairName" || $0.name == "InstanceId" })
        request.query[i].name = flipByte(request.query[i].name, at: -1)
        #expect(try verify(request, v) != .valid)
    }

    @Test(arguments: try Vectors.load())
    func addedOrDroppedParameter(_ v: CapturedVector) throws {
        var added = v.request
        added.query.append(("Extra", ""))
        #expect(try verify(added, v) != .valid)
        var dropped = v.request
        let i = try #require(dropped.query.firstIndex { !$0.name.hasPrefix("Signature") && $0.name != "AccessKeyId" && $0.name != "Timestamp" })
        dropped.query.remove(at: i)
        #expect(try verify(dropped, v) != .valid)
    }

    @Test(arguments: try Vectors.load())
    func flippedMethod(_ v: CapturedVector) throws {
        var request = v.request
        request.method = v.method == "GET" ? "POST" : "GET"
        #expect(try verify(request, v) != .valid)
    }

    @Test(arguments: try Vectors.load())
    func flippedSecret(_ v: CapturedVector) throws {
        let request = v.request
        let claim = try Signature.claim(of: request)
        for index in [0, -1] {
            let result = Signature.verify(request, claim: claim, secret: flipByte(v.secret, at: index))
            #expect(result == .mismatch(stringToSign: v.string_to_sign))
        }
    }

    @Test(arguments: try Vectors.load())
    func flippedSentSignature(_ v: CapturedVector) throws {
        let request = v.request
        var claim = try Signature.claim(of: request)
        claim.signature = flipByte(claim.signature, at: 0)
        #expect(Signature.verify(request, claim: claim, secret: v.secret) == .mismatch(stringToSign: v.string_to_sign))
        claim.signature = "not base64 or hex!"
        #expect(Signature.verify(request, claim: claim, secret: v.secret) == .mismatch(stringToSign: v.string_to_sign))
        claim.signature = ""
        #expect(Signature.verify(request, claim: claim, secret: v.secret) == .mismatch(stringToSign: v.string_to_sign))
    }

    @Test(arguments: try Vectors.v3())
    func flippedSignedHeaderValue(_ v: CapturedVector) throws {
        let request = v.request
        let claim = try Signature.claim(of: request)
        for name in claim.signedHeaders where name != "x-acs-content-sha256" {
            let value = try #require(request.header(name))
            let tampered = request.settingHeader(name, flipByte(value, at: -1))
            #expect(Signature.verify(tampered, claim: claim, secret: v.secret) != .valid, "\(name)")
            #expect(try verify(tampered, v) != .valid, "\(name)")
        }
    }

    @Test(arguments: try Vectors.v3())
    func unsignedHeadersDoNotMatter(_ v: CapturedVector) throws {
        let request = v.request
            .settingHeader("accept-encoding", "gzip")
            .settingHeader("content-type", "application/octet-stream")
            .settingHeader("content-length", "0")
        #expect(try verify(request, v) == .valid)
    }

    @Test(arguments: try Vectors.v3())
    func flippedBody(_ v: CapturedVector) throws {
        var request = v.request
        let claim = try Signature.claim(of: request)
        request.body = Array("x".utf8)  // one byte more than the empty body that was signed
        // Body no longer matches x-acs-content-sha256: the claim is refused, and verify alone refuses it too.
        #expect(throws: SignatureFailure.contentHashMismatch) { try Signature.claim(of: request) }
        #expect(Signature.verify(request, claim: claim, secret: v.secret) != .valid)
        // A forger who also rewrites the (signed) hash header still fails the signature.
        let rehashed = request.settingHeader("x-acs-content-sha256", Signature.sha256Hex(request.body))
        #expect(try verify(rehashed, v) != .valid)
    }

    @Test func flippedBodyByteOfNonEmptyBody() throws {
        let body = Array(#"{"a":1}"#.utf8)
        let headers = Signer.signV3(
            method: "POST", host: "localhost:8080", action: "DescribeRegions", version: "2014-05-26",
            query: [], body: body, accessKeyId: "ak", secret: "sk", nonce: "n1", date: "2024-01-01T00:00:00Z")
        let request = RequestView(method: "POST", query: [], form: [], headers: headers, body: body)
        let claim = try Signature.claim(of: request)
        #expect(Signature.verify(request, claim: claim, secret: "sk") == .valid)
        var tampered = request
        tampered.body[3] ^= 0x01
        #expect(Signature.verify(tampered, claim: claim, secret: "sk") != .valid)
        #expect(throws: SignatureFailure.contentHashMismatch) { try Signature.claim(of: tampered) }
    }

    @Test func v1FormBodyIsSigned() throws {
        let signed = Signer.signV1(
            method: "POST", action: "DescribeKeyPairs", version: "2014-05-26",
            parameters: pairs(["RegionId": "cn-hangzhou", "KeyPairName": "a b"]),
            accessKeyId: "ak", secret: "sk", nonce: "n1", timestamp: "2024-01-01T00:00:00Z")
        // Split: auth parameters in the query, API parameters in a form body (like the aliyun CLI).
        let inForm: Set = ["RegionId", "KeyPairName"]
        let request = RequestView(
            method: "POST", query: signed.filter { !inForm.contains($0.name) },
            form: signed.filter { inForm.contains($0.name) },
            headers: [("content-type", "application/x-www-form-urlencoded")], body: [])
        let claim = try Signature.claim(of: request)
        #expect(Signature.verify(request, claim: claim, secret: "sk") == .valid)
        var tampered = request
        tampered.form[1].value = "a c"
        #expect(Signature.verify(tampered, claim: claim, secret: "sk") != .valid)
    }
}
