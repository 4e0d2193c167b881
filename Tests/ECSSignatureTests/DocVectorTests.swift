import ECSSignature
import Testing

/// The vectors quoted in protocol-and-ram.md §3.2 (V1) and §4.4 (V3).
@Suite("Documented vectors")
struct DocVectorTests {
    // MARK: V1, official DescribeRegions example

    static let describeRegions = pairs([
        "Timestamp": "2016-02-23T12:46:24Z", "Format": "XML", "AccessKeyId": "testid", "Action": "DescribeRegions",
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "Version": "2014-05-26", "SignatureVersion": "1.0",
    ])

    @Test func officialDescribeRegionsGET() throws {
        let stringToSign = Signature.v1StringToSign(method: "GET", parameters: Self.describeRegions)
        #expect(stringToSign == "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26")
        #expect(Signature.v1Signature(stringToSign: stringToSign, secret: "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")

        let request = RequestView(
            method: "GET", query: Self.describeRegions + [("Signature", "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")],
            form: [], headers: [], body: [])
        let claim = try Signature.claim(of: request)
        #expect(claim == SignatureClaim(
            version: .v1, accessKeyId: "testid", nonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
            timestamp: "2016-02-23T12:46:24Z", securityToken: nil, signature: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
            signedHeaders: []))
        #expect(Signature.verify(request, claim: claim, secret: "testsecret") == .valid)
        #expect(Signature.verify(request, claim: claim, secret: "testsecreT") == .mismatch(stringToSign: stringToSign))
    }

    @Test(arguments: [
        ("OLeaidS1JvxuMvnyHOwuJ+uX5qY=", true),
        ("OLeaidS1JvxuMvnyHOwuJ uX5qY=", true),   // '+' that a client forgot to escape arrives as a space
        ("OLeaidS1JvxuMvnyHOwuJ+uX5qY", true),    // padding omitted
        ("OLeaidS1JvxuMvnyHOwuJ+uX5qZ=", false),
        ("OLeaidS1JvxuMvnyHOwuJ+uX5q=Y", false),  // data after padding
        ("OLeaidS1JvxuMvnyHOwuJ+uX5qY=A", false),
        ("OLeaidS1JvxuMvnyHOwuJ-uX5qY=", false),  // URL-safe alphabet is not standard Base64
    ])
    func base64SignatureForms(sent: String, valid: Bool) throws {
        let request = RequestView(method: "GET", query: Self.describeRegions + [("Signature", sent)], form: [], headers: [], body: [])
        #expect((Signature.verify(request, claim: try Signature.claim(of: request), secret: "testsecret") == .valid) == valid)
    }

    @Test func officialDescribeRegionsPOST() throws {
        let request = RequestView(
            method: "POST", query: Self.describeRegions + [("Signature", "MxbnVAM4w6sft9xjVpe/GCKueuk=")],
            form: [], headers: [], body: [])
        #expect(Signature.verify(request, claim: try Signature.claim(of: request), secret: "testsecret") == .valid)
        // The same signature sent with GET does not verify: the method is signed.
        var get = request
        get.method = "GET"
        #expect(Signature.verify(get, claim: try Signature.claim(of: get), secret: "testsecret") != .valid)
    }

    @Test func oldDocTimeStampSpelling() {
        let params = Self.describeRegions.map { $0.name == "Timestamp" ? (name: "TimeStamp", value: $0.value) : $0 }
        let stringToSign = Signature.v1StringToSign(method: "GET", parameters: params)
        #expect(Signature.v1Signature(stringToSign: stringToSign, secret: "testsecret") == "CT9X0VtwR86fNWSnsc6v8YGOjuE=")
    }

    // MARK: V1, Go SDK unit-test vectors (empty values)

    static let goParams = pairs([
        "Version": "", "Action": "", "Format": "JSON", "Timestamp": "mock date", "SignatureMethod": "HMAC-SHA1",
        "SignatureType": "", "SignatureVersion": "1.0", "SignatureNonce": "MOCK_UUID",
        "AccessKeyId": "accessKeyId", "RegionId": "regionId",
    ])

    @Test func goSDKEmptyValues() throws {
        let request = RequestView(
            method: "GET", query: Self.goParams + [("Signature", "7loPmFjvDnzOVnQeQNj85S6nFGY=")],
            form: [], headers: [], body: [])
        let claim = try Signature.claim(of: request)
        #expect(Signature.verify(request, claim: claim, secret: "accessKeySecret") == .valid)
        // Dropping a blank parameter changes the string to sign.
        var dropped = request
        dropped.query.removeAll { $0.name == "SignatureType" }
        #expect(Signature.verify(dropped, claim: claim, secret: "accessKeySecret") != .valid)
    }

    @Test func goSDKWithSecurityToken() throws {
        let request = RequestView(
            method: "GET",
            query: Self.goParams + [("SecurityToken", "accessKeyStsToken"), ("Signature", "5Nxdcler+ihqWqv0Hr2On4PsBf4=")],
            form: [], headers: [], body: [])
        let claim = try Signature.claim(of: request)
        #expect(claim.securityToken == "accessKeyStsToken")
        #expect(Signature.verify(request, claim: claim, secret: "accessKeySecret") == .valid)
    }

    // MARK: V1, DetachKeyPair produced with the SDKs' own signing functions

    static func detachKeyPair(format: String) -> [(name: String, value: String)] {
        pairs([
            "AccessKeyId": "testid", "Action": "DetachKeyPair", "Format": format,
            "InstanceIds": #"["i-abc","i-def"]"#, "KeyPairName": "my key*~", "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "0123456789abcdef0123456789abcdef",
            "SignatureVersion": "1.0", "Timestamp": "2024-01-01T00:00:00Z", "Version": "2014-05-26",
        ])
    }

    @Test func teaOpenAPIv2Mode() {
        let stringToSign = Signature.v1StringToSign(method: "POST", parameters: Self.detachKeyPair(format: "json"))
        #expect(Signature.v1Signature(stringToSign: stringToSign, secret: "testsecret") == "crWs2/Vd7BX/AaWlgRTo9sF4+w8=")
    }

    @Test func aliyunSDKCore() throws {
        let params = Self.detachKeyPair(format: "JSON") + [("SignatureType", "")]
        let stringToSign = Signature.v1StringToSign(method: "POST", parameters: params)
        #expect(stringToSign == "POST&%2F&AccessKeyId%3Dtestid%26Action%3DDetachKeyPair%26Format%3DJSON%26InstanceIds%3D%255B%2522i-abc%2522%252C%2522i-def%2522%255D%26KeyPairName%3Dmy%2520key%252A~%26RegionId%3Dcn-hangzhou%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0123456789abcdef0123456789abcdef%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2014-05-26")
        let request = RequestView(
            method: "POST", query: params + [("Signature", "JXmqPNrBs3k+4tZejq+KU+tUDA4=")], form: [], headers: [], body: [])
        #expect(Signature.verify(request, claim: try Signature.claim(of: request), secret: "testsecret") == .valid)
    }

    // MARK: V3, official RunInstances example

    static let runInstancesCanonical = """
        POST
        /
        ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai
        host:ecs.cn-shanghai.aliyuncs.com
        x-acs-action:RunInstances
        x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        x-acs-date:2023-10-26T10:22:32Z
        x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d
        x-acs-version:2014-05-26

        host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        """

    @Test func officialRunInstances() throws {
        let signature = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        let signed = ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"]
        let request = RequestView(
            method: "POST",
            // Wire order reversed on purpose: canonicalisation sorts.
            query: [("RegionId", "cn-shanghai"), ("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd")],
            form: [],
            headers: [
                ("host", "ecs.cn-shanghai.aliyuncs.com"), ("x-acs-action", "RunInstances"),
                ("x-acs-version", "2014-05-26"), ("x-acs-date", "2023-10-26T10:22:32Z"),
                ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
                ("x-acs-content-sha256", Signature.emptyBodySHA256),
                ("authorization", "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=\(signed.joined(separator: ";")),Signature=\(signature)"),
            ],
            body: [])
        let canonical = Signature.v3CanonicalRequest(request, signedHeaders: signed)
        #expect(canonical == Self.runInstancesCanonical)
        let stringToSign = Signature.v3StringToSign(canonicalRequest: canonical)
        #expect(stringToSign == "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259")
        #expect(Signature.v3Signature(stringToSign: stringToSign, secret: "YourAccessKeySecret") == signature)

        let claim = try Signature.claim(of: request)
        #expect(claim == SignatureClaim(
            version: .v3, accessKeyId: "YourAccessKeyId", nonce: "3156853299f313e23d1673dc12e1703d",
            timestamp: "2023-10-26T10:22:32Z", securityToken: nil, signature: signature, signedHeaders: signed))
        #expect(Signature.verify(request, claim: claim, secret: "YourAccessKeySecret") == .valid)
        #expect(Signature.verify(request, claim: claim, secret: "YourAccessKeySecret&") == .mismatch(stringToSign: stringToSign))
    }

    // MARK: V3, shaped like the Python SDK (tea-openapi get_authorization)

    static func pythonShaped(sts: Bool) -> [(name: String, value: String)] {
        var headers = pairs([
            "host": "ecs.cn-hangzhou.aliyuncs.com", "x-acs-version": "2014-05-26", "x-acs-action": "DetachKeyPair",
            "user-agent": "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
            "x-acs-date": "2024-01-01T00:00:00Z", "x-acs-signature-nonce": "0123456789abcdef0123456789abcdef",
            "accept": "application/json", "x-acs-content-sha256": Signature.emptyBodySHA256,
        ])
        if sts { headers += pairs(["x-acs-accesskey-id": "STS.testid", "x-acs-security-token": "tok+/="]) }
        return headers
    }

    @Test(arguments: [
        (false, "e98e734b7c51f298f716dca419596229e616fd52f322f61578d77d112f8e2759"),
        (true, "25025bc9e35e8aa0c21459ff588f00701accf382ffa2ce5ac3049acdfb6befcc"),
    ])
    func pythonSDKShaped(sts: Bool, signature: String) throws {
        var headers = Self.pythonShaped(sts: sts)
        let signed = headers.map(\.name).sorted()
        headers.append(("authorization",
            "ACS3-HMAC-SHA256 Credential=\(sts ? "STS.testid" : "testid"),SignedHeaders=\(signed.joined(separator: ";")),Signature=\(signature)"))
        let request = RequestView(
            method: "POST",
            query: pairs(["InstanceIds": #"["i-abc","i-def"]"#, "KeyPairName": "my key*~", "RegionId": "cn-hangzhou"]),
            form: [], headers: headers, body: [])
        let claim = try Signature.claim(of: request)
        #expect(claim.accessKeyId == (sts ? "STS.testid" : "testid"))
        #expect(claim.securityToken == (sts ? "tok+/=" : nil))
        #expect(claim.signedHeaders == signed)
        #expect(Signature.verify(request, claim: claim, secret: "testsecret") == .valid)
    }
}
