/// The declaration table as JSON, for tools outside Swift (the wire fuzzer) that must generate
/// requests from the same declarations the server parses with, rather than from a second list.
public enum DeclarationJSON {
    /// Every served action: ECS, then RAM, then STS.
    public static let actions: [ActionSpec] = ECSActions.all + RAMActions.all + STSActions.all

    /// `{"Actions":[{"Name","Product","Version","Params":[{"Name","Kind","Required","NonEmpty",…}]}]}`;
    /// kind-specific fields: `MaxLength` (string), `Min`/`Max`/`Clamp` (integer), `MaxItems` (lists).
    public static func render(_ specs: [ActionSpec] = actions) -> String {
        let list = specs.map { spec -> WireValue in
            .object([
                "Name": .string(spec.name),
                "Product": .string(spec.product.ramService),
                "Version": .string(spec.product.rawValue),
                "Params": .array(spec.params.map(param)),
            ])
        }
        return String(decoding: JSONWriter.write(["Actions": .array(list)]), as: UTF8.self)
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
        }
        return .object(o)
    }
}
