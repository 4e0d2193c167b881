import ECSSignature
import Testing

@Suite("Percent-encoding and form decoding")
struct PercentEncodingTests {
    @Test(arguments: [
        ("", ""),
        ("AZaz09-_.~", "AZaz09-_.~"),
        (" ", "%20"),
        ("*", "%2A"),
        ("~", "~"),
        ("/", "%2F"),
        ("+", "%2B"),
        ("=", "%3D"),
        ("&", "%26"),
        ("%", "%25"),
        (":", "%3A"),
        ("'()!", "%27%28%29%21"),
        ("é", "%C3%A9"),
        ("名字", "%E5%90%8D%E5%AD%97"),
        ("😀", "%F0%9F%98%80"),
        ("\n\u{7F}", "%0A%7F"),
        ("my key*~", "my%20key%2A~"),
        (#"["i-abc","i-def"]"#, "%5B%22i-abc%22%2C%22i-def%22%5D"),
    ])
    func percentEncode(input: String, expected: String) {
        #expect(Signature.percentEncode(input) == expected)
    }

    @Test func percentEncodeIsUpperCaseHexOnly() {
        let all = String(decoding: (0...0x7F).map { UInt8($0) }, as: UTF8.self)
        let encoded = Signature.percentEncode(all)
        var bytes = Array(encoded.utf8)[...]
        while let i = bytes.firstIndex(of: UInt8(ascii: "%")) {
            let hex = bytes[(i + 1)...(i + 2)]
            #expect(hex.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) })
            bytes = bytes[(i + 3)...]
        }
        #expect(Signature.decodeForm("k=" + encoded).first?.value == all)
    }

    @Test func decodeFormBasics() {
        let decoded = Signature.decodeForm("a=1&b=&c&&d=x%3Dy=z&e=test+run%2A~%2F%C3%A9&f=%2B&g=%zz%4&%41=%61")
        #expect(decoded.map(\.name) == ["a", "b", "c", "d", "e", "f", "g", "A"])
        #expect(decoded.map(\.value) == ["1", "", "", "x=y=z", "test run*~/é", "+", "%zz%4", "a"])
        #expect(Signature.decodeForm("").isEmpty)
        #expect(Signature.decodeForm("&&").isEmpty)
    }

    @Test func decodeThenEncodeRoundTrips() {
        // New SDK writes "+", old SDK "%20": both canonicalise the same.
        let a = Signature.decodeForm("Tag.1.Value=test+run%2A~%2F%C3%A9")
        let b = Signature.decodeForm("Tag.1.Value=test%20run%2A~%2F%C3%A9")
        #expect(a[0].value == b[0].value)
        #expect(Signer.queryString(a) == "Tag.1.Value=test%20run%2A~%2F%C3%A9")
    }

    @Test func queryStringKeepsOrderAndBlanks() {
        #expect(Signer.queryString([]) == "")
        #expect(Signer.queryString(pairs(["b": "2", "a": "", "c d": "e&f"])) == "b=2&a=&c%20d=e%26f")
    }
}
