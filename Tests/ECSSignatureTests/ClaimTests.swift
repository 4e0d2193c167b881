import ECSSignature
import Testing

/// Each ``SignatureFailure`` a request's own signing material can produce.
@Suite("Claim extraction")
struct ClaimTests {
    // MARK: V1

    static let v1Base = Signer.signV1(
        method: "POST", action: "DescribeRegions", version: "2014-05-26", parameters: [],
        accessKeyId: "ak", secret: "sk", nonce: "n1", timestamp: "2024-01-01T00:00:00Z")

    static func v1(_ edit: (inout [(name: String, value: String)]) -> Void) -> RequestView {
        var q = v1Base
        edit(&q)
        return RequestView(method: "POST", query: q, form: [], headers: [], body: [])
    }

    @Test func v1Claim() throws {
        let claim = try Signature.claim(of: Self.v1 { _ in })
        #expect(claim.version == .v1)
        #expect(claim.accessKeyId == "ak")
        #expect(claim.nonce == "n1")
        #expect(claim.timestamp == "2024-01-01T00:00:00Z")
        #expect(claim.securityToken == nil)
        #expect(claim.signature == Self.v1Base.last?.value)
        #expect(claim.signedHeaders.isEmpty)
    }

    @Test(arguments: ["AccessKeyId", "Signature", "SignatureNonce", "Timestamp", "SignatureMethod", "SignatureVersion"])
    func v1MissingOrBlank(name: String) {
        #expect(throws: SignatureFailure.missingParameter(name)) {
            try Signature.claim(of: Self.v1 { $0.removeAll { $0.name == name } })
        }
        #expect(throws: SignatureFailure.missingParameter(name)) {
            try Signature.claim(of: Self.v1 { q in q = q.map { $0.name == name ? ($0.name, "") : $0 } })
        }
    }

    @Test func v1NothingAtAll() {
        let request = RequestView(method: "GET", query: [], form: [], headers: [("authorization", "Basic xyz")], body: [])
        #expect(throws: SignatureFailure.missingParameter("AccessKeyId")) { try Signature.claim(of: request) }
    }

    @Test(arguments: ["HMAC-SHA256", "hmac-sha1", "ACS3-HMAC-SHA256"])
    func v1UnsupportedMethod(method: String) {
        #expect(throws: SignatureFailure.unsupportedSignatureMethod(method)) {
            try Signature.claim(of: Self.v1 { q in q = q.map { $0.name == "SignatureMethod" ? ($0.name, method) : $0 } })
        }
    }

    @Test(arguments: ["2.0", "1", "1.00"])
    func v1UnsupportedVersion(version: String) {
        #expect(throws: SignatureFailure.unsupportedSignatureVersion(version)) {
            try Signature.claim(of: Self.v1 { q in q = q.map { $0.name == "SignatureVersion" ? ($0.name, version) : $0 } })
        }
    }

    @Test func v1ParametersMayComeFromTheForm() throws {
        let auth: Set = ["AccessKeyId", "Signature", "SignatureNonce", "Timestamp", "SecurityToken"]
        let all = Self.v1Base + [("SecurityToken", "tok")]
        let request = RequestView(
            method: "POST", query: all.filter { !auth.contains($0.name) }, form: all.filter { auth.contains($0.name) },
            headers: [], body: [])
        let claim = try Signature.claim(of: request)
        #expect(claim.accessKeyId == "ak")
        #expect(claim.securityToken == "tok")
    }

    @Test func v1FirstOccurrenceWinsAndBlankTokenIsNil() throws {
        let claim = try Signature.claim(of: Self.v1 { q in
            q.insert(("AccessKeyId", "first"), at: 0)
            q.append(("SecurityToken", ""))
        })
        #expect(claim.accessKeyId == "first")
        #expect(claim.securityToken == nil)
    }

    // MARK: V3

    static let v3Headers = Signer.signV3(
        method: "POST", host: "127.0.0.1:8080", action: "DescribeRegions", version: "2014-05-26",
        query: [("RegionId", "cn-hangzhou")], body: [], accessKeyId: "ak", secret: "sk", nonce: "n3",
        date: "2024-01-01T00:00:00Z")

    static var v3Signature: String {
        String(Self.v3Headers.last!.value.split(separator: "=").last!)
    }

    static func v3(authorization: String? = nil, _ edit: (inout [(name: String, value: String)]) -> Void = { _ in }) -> RequestView {
        var h = v3Headers
        if let authorization { h = h.map { $0.name == "authorization" ? ($0.name, authorization) : $0 } }
        edit(&h)
        return RequestView(method: "POST", query: [("RegionId", "cn-hangzhou")], form: [], headers: h, body: [])
    }

    @Test func v3Claim() throws {
        let claim = try Signature.claim(of: Self.v3())
        #expect(claim == SignatureClaim(
            version: .v3, accessKeyId: "ak", nonce: "n3", timestamp: "2024-01-01T00:00:00Z", securityToken: nil,
            signature: Self.v3Signature,
            signedHeaders: ["accept", "host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"]))
    }

    @Test func v3ToleratesSpacingAndCase() throws {
        let signed = "Accept;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
        let request = Self.v3(authorization: "  ACS3-HMAC-SHA256   Credential=ak, SignedHeaders=\(signed),\tSignature=\(Self.v3Signature.uppercased()) ")
        let claim = try Signature.claim(of: request)
        #expect(claim.signedHeaders.first == "accept")
        #expect(Signature.verify(request, claim: claim, secret: "sk") == .valid)
    }

    @Test func v3SecurityToken() throws {
        let claim = try Signature.claim(of: Self.v3 { $0.append(("x-acs-security-token", "tok+/=")) })
        #expect(claim.securityToken == "tok+/=")
    }

    @Test(arguments: ["ACS3-HMAC-SM3", "ACS3-RSA-SHA256", "ACS3-HMAC-SHA256X"])
    func v3UnsupportedAlgorithm(algorithm: String) {
        #expect(throws: SignatureFailure.unsupportedSignatureMethod(algorithm)) {
            try Signature.claim(of: Self.v3(authorization: "\(algorithm) Credential=ak,SignedHeaders=host,Signature=00"))
        }
    }

    @Test(arguments: [
        "ACS3-HMAC-SHA256",
        "ACS3-HMAC-SHA256 ",
        "ACS3-HMAC-SHA256 Credential=ak",
        "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host",
        "ACS3-HMAC-SHA256 SignedHeaders=host,Signature=00",
        "ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=00",
        "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=,Signature=00",
        "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=",
        "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;;x-acs-date,Signature=00",
        "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders,Signature=00",
        "ACS3-HMAC-SHA256 Credential=ak SignedHeaders=host Signature=00",
    ])
    func v3Malformed(authorization: String) {
        #expect(throws: SignatureFailure.malformedAuthorization) { try Signature.claim(of: Self.v3(authorization: authorization)) }
    }

    @Test(arguments: ["host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"])
    func v3RequiredHeaderNotSigned(name: String) {
        let signed = Signature.v3RequiredSignedHeaders.filter { $0 != name }.sorted().joined(separator: ";")
        #expect(throws: SignatureFailure.missingSignedHeader(name)) {
            try Signature.claim(of: Self.v3(authorization: "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=\(signed),Signature=00"))
        }
    }

    @Test(arguments: ["accept", "host", "x-acs-date"])
    func v3SignedHeaderAbsent(name: String) {
        #expect(throws: SignatureFailure.missingSignedHeader(name)) {
            try Signature.claim(of: Self.v3 { $0.removeAll { $0.name == name } })
        }
    }

    @Test func v3ContentHashMismatch() {
        #expect(throws: SignatureFailure.contentHashMismatch) {
            try Signature.claim(of: Self.v3 { h in
                h = h.map { $0.name == "x-acs-content-sha256" ? ($0.name, String(repeating: "0", count: 64)) : $0 }
            })
        }
    }

    @Test func v3BlankNonce() {
        #expect(throws: SignatureFailure.missingParameter("x-acs-signature-nonce")) {
            try Signature.claim(of: Self.v3 { h in h = h.map { $0.name == "x-acs-signature-nonce" ? ($0.name, "") : $0 } })
        }
    }

    @Test func nonACS3AuthorizationFallsBackToV1() throws {
        var request = ClaimTests.v1 { _ in }
        request.headers = [("authorization", "Bearer abc")]
        #expect(try Signature.claim(of: request).version == .v1)
    }

    @Test func headerLookupIsCaseInsensitive() {
        let request = RequestView(method: "GET", query: [], form: [], headers: [("Host", "a"), ("host", "b")], body: [])
        #expect(request.header("host") == "a")
        #expect(request.headerValues("host") == ["a", "b"])
        #expect(request.header("x-missing") == nil)
    }

    @Test func repeatedSignedHeaderValuesAreSortedAndJoined() {
        let request = RequestView(
            method: "GET", query: [], form: [],
            headers: [("x-acs-foo", " b "), ("x-acs-foo", "a"), ("x-acs-content-sha256", Signature.emptyBodySHA256)],
            body: [])
        let canonical = Signature.v3CanonicalRequest(request, signedHeaders: ["x-acs-foo"])
        #expect(canonical == "GET\n/\n\nx-acs-foo:a,b\n\nx-acs-foo\n\(Signature.emptyBodySHA256)")
    }
}
