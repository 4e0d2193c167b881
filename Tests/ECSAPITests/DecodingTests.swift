import ECSAPI
import Testing

@Suite("JSONStringArray")
struct JSONStringArrayTests {
    @Test(arguments: [
        (#"["a","b"]"#, ["a", "b"]),
        (#"[]"#, []),
        (#"[ ]"#, []),
        (" \t\r\n[ \"a\" ,\n\t\"b\" ] \r\n", ["a", "b"]),
        (#"["a"]"#, ["a"]),
        (#"["中文","é"]"#, ["中文", "é"]),
        (#"["a","a"]"#, ["a", "a"]),
    ])
    func parsesArraysOfStrings(_ text: String, _ expected: [String]) {
        #expect(JSONStringArray.parse(text) == expected)
    }

    @Test func simpleEscapes() {
        #expect(JSONStringArray.parse(#"["a\"b","c\\d","e\/f"]"#) == ["a\"b", "c\\d", "e/f"])
        #expect(JSONStringArray.parse(#"["\n\t\r\b\f"]"#) == ["\n\t\r\u{08}\u{0C}"])
    }

    @Test func unicodeEscapes() {
        #expect(JSONStringArray.parse(#"["\u0041\u0062"]"#) == ["Ab"])
        #expect(JSONStringArray.parse(#"["\u00e9\u00E9"]"#) == ["éé"])
        #expect(JSONStringArray.parse(#"["\u4e2d\u6587"]"#) == ["中文"])
        #expect(JSONStringArray.parse(#"["i-\u0061bc"]"#) == ["i-abc"])
    }

    /// RFC 8259 §7: a character outside the BMP is escaped as a UTF-16 surrogate pair.
    @Test func surrogatePairEscapes() {
        #expect(JSONStringArray.parse(#"["\ud83d\ude00"]"#) == ["😀"])
    }

    @Test(arguments: [
        #"["\u00"]"#, #"["\u00zz"]"#, #"["\u12"#, #"["\ud800"]"#, #"["\udc00"]"#, #"["\ud800x"]"#, #"["\x41"]"#, #"["\a"]"#, #"["a\"]"#,
    ])
    func badEscapesAreRefused(_ text: String) {
        #expect(JSONStringArray.parse(text) == nil)
    }

    @Test func rawControlCharactersInStringsAreRefused() {
        #expect(JSONStringArray.parse("[\"a\nb\"]") == nil)
        #expect(JSONStringArray.parse("[\"a\tb\"]") == nil)
        #expect(JSONStringArray.parse("[\"\u{01}\"]") == nil)
    }

    @Test(arguments: [
        #"["a"]x"#, #"["a"],"#, #"["a"]]"#, #"["a"] ["b"]"#, #"["a",]"#, #"[,"a"]"#, #"["a" "b"]"#, #"["a";"b"]"#,
        #"["a""#, #"["a"#, "[", "]", "", "   ", #""a""#, "a", "{}", "null", #"{"a":["b"]}"#,
    ])
    func malformedOrTrailingGarbageIsRefused(_ text: String) {
        #expect(JSONStringArray.parse(text) == nil)
    }

    @Test(arguments: [#"[1]"#, #"["a",1]"#, #"[null]"#, #"[true]"#, #"[false]"#, #"[["a"]]"#, #"[{}]"#, #"['a']"#])
    func nonStringElementsAreRefused(_ text: String) {
        #expect(JSONStringArray.parse(text) == nil)
    }

    @Test func emptyStringElementsParse() {
        // Rejecting empty elements is the parser's job (InputParser), not the JSON reader's.
        #expect(JSONStringArray.parse(#"["", "a"]"#) == ["", "a"])
    }
}

@Suite("FormDecoding")
struct FormDecodingTests {
    func pairs(_ raw: String) -> [String] {
        FormDecoding.pairs(Substring(raw)).map { "\($0.name)=\($0.value)" }
    }

    @Test func splitsPairsKeepingOrderBlanksAndRepeats() {
        #expect(pairs("a=1&b=&c&a=2") == ["a=1", "b=", "c=", "a=2"])
        #expect(pairs("") == [])
        #expect(pairs("a=1&&b=2&") == ["a=1", "b=2"])
        #expect(pairs("a=b=c") == ["a=b=c"])
        #expect(FormDecoding.pairs(Substring("a=b=c")).first?.value == "b=c")
    }

    @Test func plusIsASpaceAndPercentPlusIsAPlus() {
        #expect(FormDecoding.decode("a+b") == "a b")
        #expect(FormDecoding.decode("a%20b") == "a b")
        #expect(FormDecoding.decode("a%2Bb") == "a+b")
        #expect(FormDecoding.decode("++") == "  ")
    }

    @Test func percentEscapesDecodeEitherCase() {
        #expect(FormDecoding.decode("%5B%22i-a%22%5D") == #"["i-a"]"#)
        #expect(FormDecoding.decode("%5b%22i-a%22%5d") == #"["i-a"]"#)
        #expect(FormDecoding.decode("%26%3D%25") == "&=%")
        let p = FormDecoding.pairs(Substring("Instance%49ds=%5B%22i-a%22%2C%22i-b%22%5D&x=a%26b"))
        #expect(p.map(\.name) == ["InstanceIds", "x"])
        #expect(p.map(\.value) == [#"["i-a","i-b"]"#, "a&b"])
    }

    @Test func multiByteUTF8() {
        #expect(FormDecoding.decode("%E4%B8%AD%E6%96%87") == "中文")
        #expect(FormDecoding.decode("%e4%b8%ad") == "中")
        #expect(FormDecoding.decode("caf%C3%A9") == "café")
        // Raw (unescaped) UTF-8 passes through.
        #expect(FormDecoding.decode("中+文") == "中 文")
    }

    @Test(arguments: [("100%", "100%"), ("%", "%"), ("%4", "%4"), ("%zz", "%zz"), ("%G1", "%G1"), ("%%41", "%A"),
                      ("a%2", "a%2"), ("%4%41", "%4A")])
    func malformedEscapesAreKeptLiterally(_ raw: String, _ expected: String) {
        #expect(FormDecoding.decode(Substring(raw)) == expected)
    }

    @Test func invalidUTF8BecomesReplacementCharacters() {
        #expect(FormDecoding.decode("a%FFb") == "a\u{FFFD}b")
    }

    @Test func bytesAndSubstringAgree() {
        let raw = "RegionId=cn-hangzhou&KeyPairName=%E4%B8%AD+k&Tag.1.Key=a%2Bb"
        let fromBytes = FormDecoding.pairs(Array(raw.utf8))
        let fromText = FormDecoding.pairs(Substring(raw))
        #expect(fromBytes.map(\.name) == fromText.map(\.name))
        #expect(fromBytes.map(\.value) == ["cn-hangzhou", "中 k", "a+b"])
        #expect(fromText.map(\.value) == ["cn-hangzhou", "中 k", "a+b"])
    }
}
