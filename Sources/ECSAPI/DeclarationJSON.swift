/// The declaration table as JSON, for tools outside Swift (the wire fuzzer, the console's API
/// explorer, `localecs actions --json`) that must work from the same declarations the server
/// parses and authorizes with, rather than from a second list.
public enum DeclarationJSON {
    /// Every served action: ECS, then RAM, then STS, then ActionTrail.
    public static let actions: [ActionSpec] = ECSActions.all + RAMActions.all + STSActions.all + ActionTrailActions.all + VPCActions.all

    /// `{"Actions":[{"Name","Product","Version","Params":[{"Name","Kind","Required","NonEmpty",…}],"RAM":{…}}]}`;
    /// kind-specific fields: `MaxLength` (string), `Min`/`Max`/`Clamp` (integer), `MaxItems` (lists);
    /// `RAM` is the action's `RAMTable`.
    public static func render(_ specs: [ActionSpec] = actions) -> String {
        let list = specs.map(action)
        return String(decoding: JSONWriter.write(["Actions": .array(list)]), as: UTF8.self)
    }

    /// One action's entry.
    public static func action(_ spec: ActionSpec) -> WireValue {
        .object([
            "Name": .string(spec.name),
            "Product": .string(spec.product.ramService),
            "Version": .string(spec.product.rawValue),
            "Params": .array(spec.params.map(param)),
            "RAM": RAMTable(spec).wire,
        ])
    }

    /// The declared action called `name` (case-insensitive), in any product.
    public static func find(_ name: String) -> [ActionSpec] {
        actions.filter { $0.name.lowercased() == name.lowercased() }
    }

    static func param(_ p: ParamSpec) -> WireValue {
        var o: WireObject = ["Name": .string(p.name), "Required": .boolean(p.required), "NonEmpty": .boolean(p.nonEmpty)]
        switch p.kind {
        case .string(let maxLength):
            o.append("Kind", .string("string"))
            if let maxLength { o.append("MaxLength", .integer(maxLength)) }
        case .integer(let range, let clamp, _):
            o.append("Kind", .string("integer"))
            o.append("Min", .integer(range.lowerBound)); o.append("Max", .integer(range.upperBound))
            o.append("Clamp", .boolean(clamp))
        case .boolean:
            o.append("Kind", .string("boolean"))
        case .jsonStringArray(let max, _, _):
            o.append("Kind", .string("jsonStringArray"))
            if let max { o.append("MaxItems", .integer(max)) }
        case .tags:
            o.append("Kind", .string("tags"))
        case .repeatList(let max):
            o.append("Kind", .string("repeatList"))
            o.append("MaxItems", .integer(max))
        case .records(let fields, let max):
            o.append("Kind", .string("records"))
            o.append("Fields", .array(fields.map { .string($0) }))
            o.append("MaxItems", .integer(max))
        }
        return .object(o)
    }
}
