/// A response body as ECS shapes it, before it is written as JSON or XML.
///
/// Lists are always wrapped twice on the ECS wire: `"KeyPairs": {"KeyPair": [...]}` in JSON and
/// `<KeyPairs><KeyPair>…</KeyPair></KeyPairs>` in XML. `.list(item:)` carries that item name so
/// both writers keep the shape from one declaration.
///
/// Not `indirect`: the recursion already goes through arrays, and a box per value was one heap
/// allocation per field rendered (about 150 for one DescribeInstances item).
public enum WireValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case double(Double)
    case boolean(Bool)
    case object(WireObject)
    case list(item: String, [WireValue])
    /// A list whose items a `WireShape` writes straight into the response (long pages).
    case items(WireItems)
    /// A JSON array that ECS sends unwrapped (rare; RAM uses it for no field we serve today).
    case array([WireValue])
    /// A JSON text this server wrote earlier (a stored ActionTrail event), sent as it is in JSON
    /// and as escaped text in XML.
    case rawJSON(String)
    case null
}

/// An ordered object: ECS clients do not care about order, people reading responses do.
public struct WireObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    public var fields: [(String, WireValue)]

    public init(_ fields: [(String, WireValue)] = []) { self.fields = fields }
    public init(dictionaryLiteral elements: (String, WireValue)...) { self.fields = elements }

    public mutating func append(_ key: String, _ value: WireValue) { fields.append((key, value)) }

    public subscript(key: String) -> WireValue? {
        fields.first(where: { $0.0 == key })?.1
    }

    public static func == (a: WireObject, b: WireObject) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}
