import ECSAPI
import Foundation
import Testing

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

let keyPairsBody: WireObject = [
    "RequestId": .string("473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E"),
    "TotalCount": .integer(2),
    "KeyPairs": .list(item: "KeyPair", [
        .object(["KeyPairName": .string("k1"), "Tags": .list(item: "Tag", [
            .object(["TagKey": .string("env"), "TagValue": .string("dev")]),
        ])]),
        .object(["KeyPairName": .string("k2"), "Tags": .list(item: "Tag", [])]),
    ]),
]

@Suite("JSONWriter")
struct JSONWriterTests {
    func json(_ value: WireValue) -> String { text(JSONWriter.write(["v": value])) }

    @Test func scalars() {
        #expect(json(.string("a")) == #"{"v":"a"}"#)
        #expect(json(.integer(-12)) == #"{"v":-12}"#)
        #expect(json(.boolean(true)) == #"{"v":true}"#)
        #expect(json(.boolean(false)) == #"{"v":false}"#)
        #expect(json(.null) == #"{"v":null}"#)
        #expect(json(.double(1.5)) == #"{"v":1.5}"#)
        #expect(json(.double(.infinity)) == #"{"v":null}"#)
        #expect(json(.double(.nan)) == #"{"v":null}"#)
    }

    @Test func fieldsKeepTheirOrder() {
        let o = WireObject([("z", .integer(1)), ("a", .integer(2)), ("m", .integer(3))])
        #expect(text(JSONWriter.write(o)) == #"{"z":1,"a":2,"m":3}"#)
        #expect(text(JSONWriter.write([:])) == "{}")
    }

    @Test func escaping() {
        #expect(json(.string("say \"hi\"")) == #"{"v":"say \"hi\""}"#)
        #expect(json(.string(#"C:\dir"#)) == #"{"v":"C:\\dir"}"#)
        #expect(json(.string("a\nb\rc\td")) == #"{"v":"a\nb\rc\td"}"#)
        #expect(json(.string("\u{01}\u{1F}\u{00}")) == #"{"v":"\u0001\u001f\u0000"}"#)
        #expect(json(.string("\u{08}\u{0C}")) == #"{"v":"\u0008\u000c"}"#)
        #expect(json(.string("中文/é")) == #"{"v":"中文/é"}"#)
        #expect(text(JSONWriter.write([#"k"e\y"#: .integer(1)])) == #"{"k\"e\\y":1}"#)
    }

    @Test func everyControlCharacterRoundTripsThroughAJSONParser() throws {
        var s = ""
        for b in 0..<0x20 { s.unicodeScalars.append(Unicode.Scalar(UInt8(b))) }
        s += "\"\\/<>&'中😀"
        let bytes = JSONWriter.write(["s": .string(s)])
        let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        #expect(parsed?["s"] as? String == s)
    }

    @Test func pemBodyStaysOneJSONString() throws {
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA+/=\n-----END RSA PRIVATE KEY-----\n"
        let parsed = try JSONSerialization.jsonObject(with: Data(JSONWriter.write(["PrivateKeyBody": .string(pem)]))) as? [String: Any]
        #expect(parsed?["PrivateKeyBody"] as? String == pem)
    }

    @Test func listsAreWrappedTwice() {
        #expect(text(JSONWriter.write(keyPairsBody)) ==
            #"{"RequestId":"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E","TotalCount":2,"KeyPairs":{"KeyPair":["#
            + #"{"KeyPairName":"k1","Tags":{"Tag":[{"TagKey":"env","TagValue":"dev"}]}},"#
            + #"{"KeyPairName":"k2","Tags":{"Tag":[]}}]}}"#)
    }

    @Test func emptyListKeepsItsWrapper() {
        #expect(json(.list(item: "Result", [])) == #"{"v":{"Result":[]}}"#)
        #expect(json(.list(item: "InstanceIdSet", [.string("i-a"), .string("i-b")])) == #"{"v":{"InstanceIdSet":["i-a","i-b"]}}"#)
    }

    @Test func bareArraysStayUnwrapped() {
        #expect(json(.array([.integer(1), .string("x")])) == #"{"v":[1,"x"]}"#)
    }

    @Test func bindingResultsShapeMatchesTheDocumentedExample() throws {
        let body: WireObject = [
            "KeyPairName": .string("testKeyPairName"), "TotalCount": .integer(2), "FailCount": .integer(0),
            "Results": .list(item: "Result", [
                .object(["Code": .string("200"), "Message": .string("successful"), "InstanceId": .string("i-a"), "Success": .boolean(true)]),
            ]),
        ]
        let o = try #require(try JSONSerialization.jsonObject(with: Data(JSONWriter.write(body))) as? [String: Any])
        #expect(o["TotalCount"] as? Int == 2)
        let results = try #require((o["Results"] as? [String: Any])?["Result"] as? [[String: Any]])
        #expect(results.first?["Code"] as? String == "200")
        #expect(results.first?["Success"] as? Bool == true)
        #expect(String(decoding: JSONWriter.write(body), as: UTF8.self).contains(#""Success":true"#))
    }
}

@Suite("XMLWriter")
struct XMLWriterTests {
    static let declaration = #"<?xml version="1.0" encoding="UTF-8"?>"#

    @Test func declarationThenRootElement() {
        let out = text(XMLWriter.write(root: "DeleteKeyPairsResponse", ["RequestId": .string("R-1")]))
        #expect(out == Self.declaration + "<DeleteKeyPairsResponse><RequestId>R-1</RequestId></DeleteKeyPairsResponse>")
    }

    @Test func emptyRoot() {
        #expect(text(XMLWriter.write(root: "Error", [:])) == Self.declaration + "<Error></Error>")
    }

    @Test func listsRepeatTheirItemElement() {
        let out = text(XMLWriter.write(root: "DescribeKeyPairsResponse", keyPairsBody))
        #expect(out == Self.declaration + "<DescribeKeyPairsResponse>"
            + "<RequestId>473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E</RequestId><TotalCount>2</TotalCount>"
            + "<KeyPairs><KeyPair><KeyPairName>k1</KeyPairName><Tags><Tag><TagKey>env</TagKey><TagValue>dev</TagValue></Tag></Tags></KeyPair>"
            + "<KeyPair><KeyPairName>k2</KeyPairName><Tags></Tags></KeyPair></KeyPairs>"
            + "</DescribeKeyPairsResponse>")
    }

    @Test func scalarsAsText() {
        let out = text(XMLWriter.write(root: "R", [
            "A": .integer(7), "B": .boolean(true), "C": .boolean(false), "D": .null,
            "E": .list(item: "InstanceIdSet", [.string("i-a"), .string("i-b")]),
        ]))
        #expect(out == Self.declaration + "<R><A>7</A><B>true</B><C>false</C><D></D>"
            + "<E><InstanceIdSet>i-a</InstanceIdSet><InstanceIdSet>i-b</InstanceIdSet></E></R>")
    }

    @Test func bareArraysRepeatTheFieldElement() {
        let out = text(XMLWriter.write(root: "R", ["Id": .array([.string("a"), .string("b")])]))
        #expect(out == Self.declaration + "<R><Id>a</Id><Id>b</Id></R>")
    }

    @Test func escaping() {
        let out = text(XMLWriter.write(root: "Error", ["Message": .string(#"a<b>&"c"'d' 中"#)]))
        #expect(out == Self.declaration + "<Error><Message>a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos; 中</Message></Error>")
    }

    @Test func recommendURLIsEscaped() {
        let out = text(XMLWriter.write(root: "Error", ["Recommend": .string("https://x/?q=A&product=Ecs")]))
        #expect(out.contains("<Recommend>https://x/?q=A&amp;product=Ecs</Recommend>"))
        #expect(!out.contains("&product"))
    }
}
