// libFuzzer target: InputParser.parse for every declared action.
// The first two bytes pick the action (ECS, RAM, then STS declarations); the rest is a form body.
// Invariants on success: only declared parameters come out, each of its declared kind, integers
// within their range, strings within their length, lists within their maximum, no NUL anywhere.
import FuzzDriver
import ECSAPI

let actions = DeclarationJSON.actions

@_cdecl("fuzz_InputParser_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzzerMain(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard bytes.count >= 2 else { return 0 }
    let spec = actions[(Int(bytes[0]) << 8 | Int(bytes[1])) % actions.count]
    let params = RPCParameters(FormDecoding.pairs(Array(bytes[2...])))
    guard let input = try? InputParser.parse(spec, params) else { return 0 }
    for (name, value) in input.values {
        guard let p = spec.params.first(where: { $0.name == name }) else {
            fatalError("\(spec.name): undeclared parameter \(name) in the input")
        }
        check(spec.name, p, value)
    }
    for p in spec.params where p.required {
        precondition(input.values[p.name] != nil, "\(spec.name): required \(p.name) missing from a parsed input")
    }
    return 0
}

func check(_ action: String, _ p: ParamSpec, _ value: InputValue) {
    let where_ = "\(action).\(p.name) = \(value)"
    switch (p.kind, value) {
    case (.string(let maxLength), .string(let s)):
        precondition(!s.isEmpty && !s.utf8.contains(0), "bad string \(where_)")
        if let maxLength { precondition(s.count <= maxLength, "too long \(where_)") }
    case (.integer(let range, _, _), .integer(let i)):
        precondition(range.contains(i), "out of range \(where_)")
    case (.boolean, .boolean):
        break
    case (.jsonStringArray(let max, _, let tooMany), .list(let items)):
        precondition(!items.contains(where: \.isEmpty), "empty item \(where_)")
        precondition(Set(items).count == items.count, "duplicates \(where_)")
        if p.nonEmpty { precondition(!items.isEmpty, "empty list \(where_)") }
        if let max, tooMany != nil { precondition(items.count <= max, "too many \(where_)") }
    case (.repeatList(let max), .list(let items)):
        precondition(!items.isEmpty && items.count <= max, "bad list size \(where_)")
    case (.tags, .tags(let tags)):
        precondition(!tags.isEmpty && !tags.contains(where: { $0.key.isEmpty }), "bad tags \(where_)")
    default:
        fatalError("kind mismatch \(where_)")
    }
}
