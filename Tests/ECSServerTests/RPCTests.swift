import ECSDomain
import ECSServer
import ECSSignature
import Foundation
import HTTPTypes
import Testing

@Suite("Key pairs through the router")
struct KeyPairRoundTripTests {
    @Test(arguments: [Signing.v1Get, .v1Form, .v3])
    func createThenDescribeInJSON(_ signing: Signing) async throws {
        try await withServer { c in
            let created = try await c.ecs("CreateKeyPair", [("RegionId", hz), ("KeyPairName", "k1")], signing: signing)
            #expect(created.status == 200, "\(created.body)")
            #expect(created.contentType?.hasPrefix("application/json") == true)
            #expect(created["KeyPairName"] == "k1")
            let id = try #require(created["KeyPairId"])
            #expect(id.hasPrefix("ssh-") && id.count == 24)
            let pem = try #require(created["PrivateKeyBody"])
            #expect(pem.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n"))
            #expect(pem.contains("\n-----END RSA PRIVATE KEY-----"))
            let fingerprint = try #require(created["KeyPairFingerPrint"])
            #expect(fingerprint.split(separator: ":").count == 16)
            let requestId = try #require(created["RequestId"])
            #expect(requestId.count == 36 && requestId == requestId.uppercased())

            let described = try await c.ecs("DescribeKeyPairs", [("RegionId", hz)], signing: signing)
            #expect(described.status == 200, "\(described.body)")
            #expect(described.json["TotalCount"] as? Int == 1)
            #expect(described.json["PageNumber"] as? Int == 1)
            #expect(described.json["PageSize"] as? Int == 10)
            let items = described.list("KeyPairs", "KeyPair")
            #expect(items.count == 1)
            #expect(items.first?["KeyPairName"] as? String == "k1")
            #expect(items.first?["KeyPairFingerPrint"] as? String == fingerprint)
            #expect(items.first?["PrivateKeyBody"] == nil)
            #expect(items.first?["PublicKey"] == nil)
            #expect(described.body.contains(#""KeyPairs":{"KeyPair":["#))
        }
    }

    @Test func createAndDescribeInXML() async throws {
        try await withServer { c in
            let created = try await c.ecs("CreateKeyPair", [("RegionId", hz), ("KeyPairName", "k1")], format: "XML")
            #expect(created.status == 200, "\(created.body)")
            #expect(created.contentType?.hasPrefix("text/xml") == true)
            #expect(created.body.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><CreateKeyPairResponse><RequestId>"#))
            #expect(created.body.hasSuffix("</CreateKeyPairResponse>"))
            #expect(created.xml("KeyPairName") == "k1")
            #expect(created.xml("PrivateKeyBody")?.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n") == true)
            let fingerprint = try #require(created.xml("KeyPairFingerPrint"))

            _ = try await c.ecs("ImportKeyPair", [("RegionId", hz), ("KeyPairName", "k2"), ("PublicKeyBody", ecdsaKey)])
            let described = try await c.ecs("DescribeKeyPairs", [("RegionId", hz), ("IncludePublicKey", "True")], format: "XML")
            #expect(described.status == 200, "\(described.body)")
            #expect(described.body.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><DescribeKeyPairsResponse>"#))
            #expect(described.xml("TotalCount") == "2")
            #expect(described.body.contains("<KeyPairs><KeyPair><KeyPairName>k1</KeyPairName><KeyPairFingerPrint>\(fingerprint)</KeyPairFingerPrint>"))
            #expect(described.body.contains("</KeyPair><KeyPair><KeyPairName>k2</KeyPairName><KeyPairFingerPrint>\(ecdsaKeyMD5)</KeyPairFingerPrint>"))
            #expect(described.body.contains("<PublicKey>\(ecdsaKey.split(separator: " ").prefix(2).joined(separator: " "))"))
        }
    }

    @Test func formatDefaults() async throws {
        try await withServer { c in
            // V1 without Format: XML, ECS's default.
            let v1 = try await c.ecs("DescribeKeyPairs", [("RegionId", hz)], format: nil)
            #expect(v1.status == 200)
            #expect(v1.body.hasPrefix("<?xml"))
            // V3 without Format, accepting JSON: JSON.
            let v3 = try await c.ecs("DescribeKeyPairs", [("RegionId", hz)], signing: .v3, format: nil)
            #expect(v3.status == 200, "\(v3.body)")
            #expect(v3.json["TotalCount"] as? Int == 0)
            // Format wins over Accept, case-insensitively.
            let xml = try await c.ecs("DescribeKeyPairs", [("RegionId", hz)], signing: .v3, format: "xml")
            #expect(xml.body.hasPrefix("<?xml"))
        }
    }

    @Test func deleteKeyPairsRefusesABoundKeyPairAndDeletesNothing() async throws {
        try await withServer { c in
            for name in ["k1", "k2"] {
                _ = try await c.ecs("ImportKeyPair", [("RegionId", hz), ("KeyPairName", name), ("PublicKeyBody", ecdsaKey)])
            }
            _ = try await c.runInstance([("KeyPairName", "k1")])
            let refused = try await c.ecs("DeleteKeyPairs", [("RegionId", hz), ("KeyPairNames", #"["k2","k1"]"#)])
            #expect(refused.status == 400)
            #expect(refused.code == "InvalidParameter.KeypairAlreadyAttachedInstance")
            #expect(try await c.ecs("DescribeKeyPairs", [("RegionId", hz)]).json["TotalCount"] as? Int == 2)
            let ok = try await c.ecs("DeleteKeyPairs", [("RegionId", hz), ("KeyPairNames", #"["k2","unknown"]"#)])
            #expect(ok.status == 200, "\(ok.body)")
            #expect(Set(ok.json.keys) == ["RequestId"])
            #expect(try await c.ecs("DescribeKeyPairs", [("RegionId", hz)]).json["TotalCount"] as? Int == 1)
        }
    }
}

@Suite("Attach and Detach through the router")
struct BindingRouteTests {
    static let windowsMessage = "The instance creating is windows, cannot use ssh key pair to login."

    @Test func detachFromWindowsFailsWholeCall() async throws {
        try await withServer { c in
            let kp = try await c.ecs("ImportKeyPair", [("RegionId", hz), ("KeyPairName", "k1"), ("PublicKeyBody", ecdsaKey)])
            #expect(kp.status == 200, "\(kp.body)")
            let linux = try await c.runInstance([("KeyPairName", "k1")])
            let win = try await c.runInstance(image: windowsImage, [("Password", "Passw0rd!x")])

            let r = try await c.ecs("DetachKeyPair", [("RegionId", hz), ("KeyPairName", "k1"), ("InstanceIds", #"["\#(linux)","\#(win)"]"#)])
            #expect(r.status == 403)
            #expect(r.code == "DependencyViolation.WindowsInstance")
            #expect(r["Message"] == Self.windowsMessage)
            #expect(r["HostId"] == routerTestAuthority)
            #expect(r["RequestId"] != nil)
            #expect(r["Recommend"]?.contains("DependencyViolation.WindowsInstance") == true)

            // Nothing changed: the Linux instance is still bound.
            let described = try await c.ecs("DescribeInstances", [("RegionId", hz), ("InstanceIds", #"["\#(linux)"]"#)])
            #expect(described.list("Instances", "Instance").first?["KeyPairName"] as? String == "k1")
            #expect(try await c.admin(linux)["BoundKeyPair"] == "k1")
        }
    }

    @Test func attachToWindowsFailsWholeCall() async throws {
        try await withServer { c in
            _ = try await c.ecs("ImportKeyPair", [("RegionId", hz), ("KeyPairName", "k1"), ("PublicKeyBody", ecdsaKey)])
            let linux = try await c.runInstance()
            let win = try await c.runInstance(image: windowsImage, [("Password", "Passw0rd!x")])
            let r = try await c.ecs("AttachKeyPair", [("RegionId", hz), ("KeyPairName", "k1"), ("InstanceIds", #"["\#(linux)","\#(win)"]"#)])
            #expect(r.status == 403)
            #expect(r.code == "DependencyViolation.WindowsInstance")
            #expect(try await c.admin(linux).json["BoundKeyPair"] is NSNull)
        }
    }

    @Test func perInstanceResultsAndTheirJSONTypes() async throws {
        try await withServer { c in
            _ = try await c.ecs("ImportKeyPair", [("RegionId", hz), ("KeyPairName", "k1"), ("PublicKeyBody", ecdsaKey)])
            let a = try await c.runInstance([("Password", "Passw0rd!x")])
            let b = try await c.runInstance()
            let attach = try await c.ecs("AttachKeyPair", [("RegionId", hz), ("KeyPairName", "k1"),
                                                           ("InstanceIds", #"["\#(a)","i-unknown","\#(a)","\#(b)"]"#)])
            #expect(attach.status == 200, "\(attach.body)")
            #expect(attach["KeyPairName"] == "k1")
            #expect(attach.body.contains(#""TotalCount":"3""#))
            #expect(attach.body.contains(#""FailCount":"1""#))
            let results = attach.list("Results", "Result")
            #expect(results.map { $0["InstanceId"] as? String } == [a, "i-unknown", b])
            #expect(results.map { $0["Code"] as? String } == ["200", "InvalidInstanceId.NotFound", "200"])
            #expect(results.map { $0["Message"] as? String } == ["successful", "The specified InstanceId does not exist.", "successful"])
            #expect(attach.body.contains(#""Code":"200","Message":"successful","InstanceId":"\#(a)","Success":"true""#))
            #expect(attach.body.contains(#""InstanceId":"i-unknown","Success":"false""#))

            // Bound at once, effective after a reboot.
            var view = try await c.admin(a)
            #expect(view["BoundKeyPair"] == "k1")
            #expect(view.json["EffectiveKeyPair"] is NSNull)
            #expect(view.body.contains(#""RestartPending":true"#))

            let detach = try await c.ecs("DetachKeyPair", [("RegionId", hz), ("KeyPairName", "k1"), ("InstanceIds", #"["\#(a)"]"#)])
            #expect(detach.status == 200)
            #expect(detach.body.contains(#""TotalCount":"1","FailCount":"0""#))
            let described = try await c.ecs("DescribeInstances", [("RegionId", hz), ("InstanceIds", #"["\#(a)","\#(b)"]"#)])
            let keys = described.list("Instances", "Instance").map { ($0["InstanceId"] as? String ?? "", $0["KeyPairName"] as? String) }
            #expect(Dictionary(uniqueKeysWithValues: keys) == [a: "", b: "k1"])

            let again = try await c.ecs("DetachKeyPair", [("RegionId", hz), ("KeyPairName", "k1"), ("InstanceIds", #"["\#(a)"]"#)])
            #expect(again.status == 200)
            #expect(again.list("Results", "Result").first?["Code"] as? String == "InvalidKeyPair.NotAttached")
            #expect(again.list("Results", "Result").first?["Message"] as? String == "The specified key pair is not attached to the instance.")

            let reboot = try await c.ecs("RebootInstance", [("InstanceId", a)])
            #expect(reboot.status == 200, "\(reboot.body)")
            view = try await c.admin(a)
            #expect(view.body.contains(#""PasswordLoginEffective":true"#))
            #expect(view.body.contains(#""RestartPending":false"#))
        }
    }

    @Test func wholeCallErrors() async throws {
        try await withServer { c in
            let linux = try await c.runInstance()
            let unknownKey = try await c.ecs("DetachKeyPair", [("RegionId", hz), ("KeyPairName", "nope"), ("InstanceIds", #"["\#(linux)"]"#)])
            #expect(unknownKey.status == 400)
            #expect(unknownKey.code == "InvalidKeyPairName.NotFound")
            #expect(unknownKey["Message"] == "The specified KeyPairName does not exist in our records.")

            let missing = try await c.ecs("DetachKeyPair", [("RegionId", hz), ("KeyPairName", "k1")])
            #expect(missing.status == 400)
            #expect(missing.code == "MissingParameter")
            #expect(missing["Message"] == #"The input parameter "InstanceIds" that is mandatory for processing this request is not supplied."#)

            let notArray = try await c.ecs("AttachKeyPair", [("RegionId", hz), ("KeyPairName", "k1"), ("InstanceIds", linux)])
            #expect(notArray.status == 400)
            #expect(notArray.code == "InvalidInstanceIds.ValueNotSupported")

            let tooMany = try await c.ecs("AttachKeyPair", [("RegionId", hz), ("KeyPairName", "k1"),
                                                            ("InstanceIds", "[" + (1...51).map { #""i-\#($0)""# }.joined(separator: ",") + "]")])
            #expect(tooMany.status == 403)
            #expect(tooMany.code == "InstanceKeyPairLimitExceeded")
        }
    }
}

@Suite("Signatures through the router")
struct SignatureRouteTests {
    static let mismatchPrefix = "Specified signature is not matched with our calculation. server string to sign is:"

    @Test(arguments: [Signing.v1Get, .v1Form, .v3])
    func replayedNonceIsRefused(_ signing: Signing) async throws {
        try await withServer { c in
            let first = try await c.ecs("DescribeKeyPairs", [("RegionId", hz)], signing: signing, nonce: "nonce-1")
            #expect(first.status == 200, "\(first.body)")
            let replay = try await c.ecs("DescribeKeyPairs", [("RegionId", hz)], signing: signing, nonce: "nonce-1")
            #expect(replay.status == 400)
            #expect(replay.code == "SignatureNonceUsed")
            #expect(replay["Message"] == "Specified signature nonce was used already.")
        }
    }

    @Test func exactlyReplayedRequestIsRefused() async throws {
        try await withServer { c async throws in
            let pairs = Signer.signV1(method: "GET", action: "DescribeRegions", version: "2014-05-26", parameters: [],
                                      accessKeyId: accessKeyId, secret: accessKeySecret, nonce: "n-1", timestamp: c.timestamp)
            let uri = "/?" + Signer.queryString(pairs)
            #expect(try await c.get(uri).status == 200)
            #expect(try await c.get(uri).code == "SignatureNonceUsed")
        }
    }

    @Test func wrongSecretV1ShowsTheStringToSign() async throws {
        try await withServer { c in
            let ts = c.timestamp
            let r = try await c.ecs("DescribeKeyPairs", [("RegionId", hz)], secret: "wrong-secret", nonce: "n-1", timestamp: ts)
            #expect(r.status == 400)
            #expect(r.code == "SignatureDoesNotMatch")
            let sent = Signer.signV1(method: "GET", action: "DescribeKeyPairs", version: "2014-05-26", parameters: [("RegionId", hz)],
                                     accessKeyId: accessKeyId, secret: "wrong-secret", nonce: "n-1", timestamp: ts)
            let stringToSign = Signature.v1StringToSign(method: "GET", parameters: sent)
            #expect(stringToSign.hasPrefix("GET&%2F&AccessKeyId%3D"))
            #expect(r["Message"] == Self.mismatchPrefix + stringToSign)
            // A forged request does not burn the real client's nonce.
            let real = try await c.ecs("DescribeKeyPairs", [("RegionId", hz)], nonce: "n-1", timestamp: ts)
            #expect(real.status == 200, "\(real.body)")
        }
    }

    @Test func wrongSecretV3ShowsTheStringToSign() async throws {
        try await withServer { c in
            let ts = c.timestamp
            let r = try await c.ecs("DescribeKeyPairs", [("RegionId", hz)], signing: .v3, format: nil, secret: "wrong-secret",
                                    nonce: "n-3", timestamp: ts)
            #expect(r.status == 400)
            #expect(r.code == "SignatureDoesNotMatch")
            let headers = Signer.signV3(method: "POST", host: routerTestAuthority, action: "DescribeKeyPairs", version: "2014-05-26",
                                        query: [(name: "RegionId", value: hz)], body: [], accessKeyId: accessKeyId,
                                        secret: "wrong-secret", nonce: "n-3", date: ts)
            let signed = headers.filter { $0.name != "authorization" }
            let view = RequestView(method: "POST", query: [(name: "RegionId", value: hz)], form: [], headers: signed, body: [])
            let canonical = Signature.v3CanonicalRequest(view, signedHeaders: signed.map(\.name).sorted())
            let stringToSign = Signature.v3StringToSign(canonicalRequest: canonical)
            #expect(stringToSign.hasPrefix("ACS3-HMAC-SHA256\n"))
            #expect(r["Message"] == Self.mismatchPrefix + stringToSign)
        }
    }

    @Test func v3SignedForAnotherHostIsAMismatch() async throws {
        try await withServer { c in
            let headers = Signer.signV3(method: "POST", host: "ecs.aliyuncs.com", action: "DescribeRegions", version: "2014-05-26",
                                        query: [], body: [], accessKeyId: accessKeyId, secret: accessKeySecret,
                                        nonce: UUID().uuidString, date: c.timestamp)
            let r = try await c.send("/", method: .post, headers: ECSClient.fields(headers))
            #expect(r.status == 400)
            #expect(r.code == "SignatureDoesNotMatch")
        }
    }

    @Test func timestampWindow() async throws {
        try await withServer { c in
            let now = Double(c.clock.nowMillis()) / 1000
            for offset: Double in [-16 * 60, 16 * 60] {
                let r = try await c.ecs("DescribeRegions", timestamp: Signer.timestamp(now: now + offset))
                #expect(r.status == 400)
                #expect(r.code == "InvalidTimeStamp.Expired")
            }
            for offset: Double in [-14 * 60, 14 * 60] {
                #expect(try await c.ecs("DescribeRegions", timestamp: Signer.timestamp(now: now + offset)).status == 200)
            }
            let bad = try await c.ecs("DescribeRegions", timestamp: "yesterday")
            #expect(bad.code == "InvalidTimeStamp.Format")
        }
    }

    @Test func unknownAccessKey() async throws {
        try await withServer { c in
            let r = try await c.ecs("DescribeRegions", keyId: "LTAI5tNoSuchKey")
            #expect(r.status == 404)
            #expect(r.code == "InvalidAccessKeyId.NotFound")
        }
    }

    @Test func unsignedRequestIsMissingParameters() async throws {
        try await withServer { c in
            let r = try await c.get("/?Action=DescribeRegions&Version=2014-05-26&Format=JSON")
            #expect(r.status == 400)
            #expect(r.code == "MissingParameter")
        }
    }
}

@Suite("Routing, envelopes and admin routes")
struct RoutingTests {
    @Test func unknownActionAndVersion() async throws {
        try await withServer { c in
            let action = try await c.ecs("DescribeNothing", [("RegionId", hz)])
            #expect(action.status == 404)
            #expect(action.code == "InvalidAction.NotFound")
            #expect(action["Message"] == "Specified api is not found, please check your url and method.")

            let version = try await c.ecs("DescribeKeyPairs", [("RegionId", hz)], version: "2099-01-01")
            #expect(version.status == 400)
            #expect(version.code == "InvalidVersion")

            let v3 = try await c.ecs("DescribeNothing", signing: .v3)
            #expect(v3.status == 404)
            #expect(v3.code == "InvalidAction.NotFound")
        }
    }

    @Test func errorEnvelopeInXML() async throws {
        try await withServer { c in
            let r = try await c.ecs("DescribeNothing", format: "XML")
            #expect(r.status == 404)
            #expect(r.contentType?.hasPrefix("text/xml") == true)
            #expect(r.body.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>"#))
            #expect(r.xml("HostId") == routerTestAuthority)
            #expect(r.xml("Code") == "InvalidAction.NotFound")
            #expect(r.xml("Recommend")?.contains("&amp;product=Ecs") == true)
        }
    }

    @Test func unsupportedMethod() async throws {
        try await withServer { c in
            let r = try await c.send("/?Action=DescribeRegions&Version=2014-05-26&Format=JSON", method: .put)
            #expect(r.status == 403)
            #expect(r.body.contains("UnsupportedHTTPMethod"))
            // decisions.md: Format decides the body format, for errors too.
            #expect(r.code == "UnsupportedHTTPMethod", "\(r.body)")
        }
    }

    @Test func describeKeyPairsPaging() async throws {
        try await withServer { c in
            let zero = try await c.ecs("DescribeKeyPairs", [("RegionId", hz), ("PageNumber", "0")])
            #expect(zero.status == 400)
            #expect(zero.code == "InvalidParameter")
            #expect(zero["Message"]?.contains(#""PageNumber""#) == true)
            let big = try await c.ecs("DescribeKeyPairs", [("RegionId", hz), ("PageSize", "100"), ("PageNumber", "2")])
            #expect(big.status == 200)
            #expect(big.json["PageSize"] as? Int == 50)
            #expect(big.json["PageNumber"] as? Int == 2)
            let notNumber = try await c.ecs("DescribeKeyPairs", [("RegionId", hz), ("PageSize", "ten")])
            #expect(notNumber.code == "InvalidParameter")
            let region = try await c.ecs("DescribeKeyPairs", [("RegionId", "xx-nowhere-1")])
            #expect(region.status == 404)
            #expect(region.code == "InvalidRegionId.NotFound")
        }
    }

    @Test func health() async throws {
        try await withServer { c in
            let r = try await c.get("/_localecs/health")
            #expect(r.status == 200)
            #expect(r.body == #"{"status":"ok"}"#)
            #expect(r.contentType?.hasPrefix("application/json") == true)
        }
    }

    @Test func adminInstanceView() async throws {
        try await withServer(DomainConfig(transitionMillis: 1000)) { c in
            _ = try await c.ecs("ImportKeyPair", [("RegionId", hz), ("KeyPairName", "k1"), ("PublicKeyBody", ecdsaKey)])
            let id = try await c.runInstance([("KeyPairName", "k1")])
            var r = try await c.admin(id)
            #expect(r.status == 200)
            #expect(r["InstanceId"] == id)
            #expect(r["AccountId"] == ServerConfig.defaultAccountId)
            #expect(r["RegionId"] == hz)
            #expect(r["OSType"] == "linux")
            #expect(r["Status"] == "Pending")
            #expect(r["BoundKeyPair"] == "k1")
            #expect(r["EffectiveKeyPair"] == "k1")
            #expect(r.body.contains(#""PasswordSet":false"#))
            c.clock.advance(millis: 2000)
            r = try await c.admin(id)
            #expect(r["Status"] == "Running")

            let missing = try await c.admin("i-doesnotexist")
            #expect(missing.status == 404)
            #expect(missing.code == "InvalidInstanceId.NotFound")
        }
    }

    @Test func instanceLifecycleThroughTheAPI() async throws {
        try await withServer(DomainConfig(transitionMillis: 1000)) { c in
            let id = try await c.runInstance()
            func status() async throws -> String? {
                let r = try await c.ecs("DescribeInstanceAttribute", [("InstanceId", id)])
                return r["Status"]
            }
            #expect(try await status() == "Pending")
            let early = try await c.ecs("StopInstance", [("InstanceId", id)])
            #expect(early.status == 403)
            #expect(early.code == "IncorrectInstanceStatus")
            c.clock.advance(millis: 2000)
            #expect(try await status() == "Running")
            #expect(try await c.ecs("StopInstance", [("InstanceId", id)]).status == 200)
            #expect(try await status() == "Stopping")
            c.clock.advance(millis: 1000)
            #expect(try await status() == "Stopped")
            let dry = try await c.ecs("StartInstance", [("InstanceId", id), ("DryRun", "True")])
            #expect(dry.code == "DryRunOperation")
            #expect(try await status() == "Stopped")
        }
    }
}
