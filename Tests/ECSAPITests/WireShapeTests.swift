import ECSAPI
import Testing

/// A shape must write exactly the bytes the generic writers write for the tree it stands for:
/// responses stay byte for byte what they were (issue 15).
@Suite("WireShape")
struct WireShapeTests {
    struct Thing: Sendable {
        var name: String
        var n: Int
        var on: Bool
        var tags: [String]
    }

    static let inner: WireShape<Thing> = [
        "Fixed": .constant(.string("x")),
        "Count": .integer { $0.n },
    ]

    static let shape: WireShape<Thing> = [
        "First": .constant(.object(["A": .integer(1), "B": .list(item: "C", [.string("<&>")])])),
        "Name": .string { $0.name },
        "N": .integer { $0.n },
        "Big": .integer { $0.n * 1_000_003 },
        "On": .boolean { $0.on },
        "Inner": .object(inner),
        "Empty": .constant(.list(item: "IpAddress", [])),
        "Tags": .value { .list(item: "Tag", $0.tags.map { .object(["TagKey": .string($0)]) }) },
        "Raw": .value { .array($0.tags.map { .string($0) }) },
        "Strings": .strings(item: "S") { $0.tags },
        "One": .single(item: "Interface", [
            "Name": .string { "eni-" + $0.name }, "Primary": .constant(.boolean(true)), "Deep": .object(inner),
        ]),
        "Spot": .constant(.double(0)),
        "Last": .string { $0.name + "!" },
    ]

    static let things = [
        Thing(name: "plain", n: 0, on: false, tags: []),
        Thing(name: "quote \" back \\ tab\t lt < amp & apos ' gt > nl\n\u{1}é中", n: -7, on: true, tags: ["a", "b<"]),
        Thing(name: "", n: 12345, on: true, tags: ["only"]),
    ]

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func itemsWriteWhatTheTreeWrites() {
        for count in [0, 1, 3] {
            let subjects = Array(Self.things.prefix(count))
            let shaped: WireObject = ["RequestId": .string("R"), "Things": Self.shape.list(item: "Thing", subjects), "Tail": .integer(1)]
            let tree: WireObject = ["RequestId": .string("R"),
                                    "Things": .list(item: "Thing", subjects.map { .object(Self.shape.object($0)) }), "Tail": .integer(1)]
            #expect(text(JSONWriter.write(shaped)) == text(JSONWriter.write(tree)))
            #expect(text(XMLWriter.write(root: "R", shaped)) == text(XMLWriter.write(root: "R", tree)))
            guard case .items(let items)? = shaped["Things"] else { Issue.record("not shaped items"); continue }
            #expect(items.count == count)
            #expect(WireValue.list(item: items.item, items.values) == tree["Things"])
        }
    }

    @Test func treeKeepsDeclarationOrderAndValues() {
        let o = Self.shape.object(Self.things[2])
        #expect(o.fields.map(\.0) == ["First", "Name", "N", "Big", "On", "Inner", "Empty", "Tags", "Raw", "Strings", "One", "Spot", "Last"])
        #expect(o["Big"] == .integer(12345 * 1_000_003))
        #expect(o["Inner"] == .object(["Fixed": .string("x"), "Count": .integer(12345)]))
        #expect(o["One"] == .list(item: "Interface", [.object([
            "Name": .string("eni-"), "Primary": .boolean(true), "Deep": .object(["Fixed": .string("x"), "Count": .integer(12345)]),
        ])]))
        let json = text(JSONWriter.write(["T": Self.shape.list(item: "Thing", [Self.things[2]])]))
        #expect(json.hasPrefix(#"{"T":{"Thing":[{"First":{"A":1,"B":{"C":["<&>"]}},"Name":"","N":12345,"#))
        #expect(json.contains(#""Raw":["only"],"Strings":{"S":["only"]},"One":{"Interface":[{"Name":"eni-","Primary":true,"Deep":{"Fixed":"x","Count":12345}}]}"#))
    }

    @Test func aShapeExtendsByOneField() {
        let wider = WireShape(Self.inner.fields + [("More", .string { $0.name })])
        let o: WireObject = ["L": wider.list(item: "I", [Self.things[1]])]
        let tree: WireObject = ["L": .list(item: "I", [.object(wider.object(Self.things[1]))])]
        #expect(text(JSONWriter.write(o)) == text(JSONWriter.write(tree)))
        #expect(text(XMLWriter.write(root: "X", o)) == text(XMLWriter.write(root: "X", tree)))
        #expect(wider.object(Self.things[1]).fields.map(\.0) == ["Fixed", "Count", "More"])
    }
}
