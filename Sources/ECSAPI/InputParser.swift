/// Turns the raw RPC parameters of a request into the typed `Input` of one action.
///
/// Unknown parameters are ignored (clients send plumbing such as `OwnerId`, and footmark a junk
/// `on=<Action>`). A required parameter that is absent or blank is `MissingParameter`; a value
/// of the wrong kind is `InvalidParameter` naming it, unless the declaration names another error.
public enum InputParser {
    public static func parse(_ spec: ActionSpec, _ params: RPCParameters) throws(ECSError) -> Input {
        // No store keeps a NUL inside text (SQLite cuts it, PostgreSQL refuses it): refuse it here.
        if let bad = params.pairs.first(where: { $0.value.utf8.contains(0) }) {
            throw .invalidParameter(bad.name, "It must not contain NUL characters.")
        }
        var input = Input()
        for p in spec.params {
            switch p.kind {
            case .string(let maxLength):
                guard let v = params[p.name], !v.isEmpty else {
                    if p.required { throw .missingParameter(p.name) }
                    continue
                }
                if let maxLength, v.count > maxLength {
                    throw .invalidParameter(p.name, "It must be at most \(maxLength) characters long.")
                }
                input.values[p.name] = .string(v)
            case .integer(let range, let clamp, let error):
                guard let v = params[p.name], !v.isEmpty else {
                    if p.required { throw .missingParameter(p.name) }
                    continue
                }
                guard let i = Int(v) else {
                    throw error ?? .invalidParameter(p.name, "It must be an integer from \(range.lowerBound) to \(range.upperBound).")
                }
                if clamp {
                    input.values[p.name] = .integer(min(max(i, range.lowerBound), range.upperBound))
                    continue
                }
                guard range.contains(i) else {
                    throw error ?? .invalidParameter(p.name, "It must be an integer from \(range.lowerBound) to \(range.upperBound).")
                }
                input.values[p.name] = .integer(i)
            case .boolean:
                guard let v = params[p.name], !v.isEmpty else {
                    if p.required { throw .missingParameter(p.name) }
                    continue
                }
                switch v.lowercased() {
                case "true": input.values[p.name] = .boolean(true)
                case "false": input.values[p.name] = .boolean(false)
                default: throw .invalidParameter(p.name, "It must be true or false.")
                }
            case .jsonStringArray(let max, let invalid, let tooMany):
                guard let v = params[p.name], !v.isEmpty else {
                    if p.required { throw .missingParameter(p.name) }
                    continue
                }
                guard let items = JSONStringArray.parse(v), !items.contains(where: \.isEmpty),
                      !(p.nonEmpty && items.isEmpty) else { throw invalid }
                let distinct = Self.distinct(items)
                if let max, distinct.count > max, let tooMany { throw tooMany }
                input.values[p.name] = .list(distinct)
            case .tags:
                let tags = try parseTags(p.name, params)
                if !tags.isEmpty { input.values[p.name] = .tags(tags) }
            case .repeatList(let max):
                let items = try parseRepeatList(p.name, params, max: max)
                if items.isEmpty {
                    if p.required { throw .missingParameter(p.name + ".1") }
                    continue
                }
                input.values[p.name] = .list(items)
            case .records(let fields, let max):
                let items = try parseRecords(p.name, params, fields: fields, max: max)
                if items.isEmpty {
                    if p.required { throw .missingParameter(p.name + ".1") }
                    continue
                }
                input.values[p.name] = .records(items)
            }
        }
        return input
    }

    /// `Name.N.Field=value`: one record per N (1...max), N order; unknown fields skipped.
    static func parseRecords(_ name: String, _ params: RPCParameters, fields: [String], max: Int) throws(ECSError) -> [[String: String]] {
        let prefix = name + "."
        let known = Set(fields)
        var byN: [Int: [String: String]] = [:]
        for (k, v) in params.pairs where k.hasPrefix(prefix) {
            let rest = k.dropFirst(prefix.count)
            let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let n = Int(parts[0]), known.contains(String(parts[1])) else { continue }
            guard (1...max).contains(n) else {
                throw .invalidParameter(name, "N in \(name).N runs from 1 to \(max).")
            }
            if !v.isEmpty { byN[n, default: [:]][String(parts[1])] = v }
        }
        return byN.keys.sorted().map { byN[$0]! }
    }

    /// Keeps the first occurrence of each item, in order.
    public static func distinct(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    /// `Name.N.Key` / `Name.N.Value` pairs: ECS's `Tag`, ActionTrail's `LookupAttribute`.
    static func parseTags(_ listName: String, _ params: RPCParameters) throws(ECSError) -> [Tag] {
        var keys: [Int: String] = [:]
        var values: [Int: String] = [:]
        let malformed = listName == "Tag"
            ? ECSError(code: "InvalidTagKey.Malformed", status: 400, message: "The specified Tag.n.Key is not valid.")
            : ECSError.invalidParameter(listName, "Each \(listName).N needs a non-empty Key, N from 1.")
        for (name, value) in params.pairs where name.hasPrefix(listName + ".") {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, let n = Int(parts[1]) else { continue }
            guard n >= 1 else { throw malformed }
            if parts[2] == "Key" { keys[n] = value } else if parts[2] == "Value" { values[n] = value }
        }
        if keys.isEmpty && values.isEmpty { return [] }
        var tags: [Tag] = []
        for n in Set(keys.keys).union(values.keys).sorted() {
            guard let key = keys[n], !key.isEmpty else { throw malformed }
            tags.append(Tag(key: key, value: values[n] ?? ""))
        }
        return tags
    }

    static func parseRepeatList(_ name: String, _ params: RPCParameters, max: Int) throws(ECSError) -> [String] {
        let prefix = name + "."
        var items: [(Int, String)] = []
        for (k, v) in params.pairs where k.hasPrefix(prefix) {
            guard let n = Int(k.dropFirst(prefix.count)), n >= 1 else { continue }
            items.append((n, v))
        }
        if items.count > max {
            throw .invalidParameter(name, "At most \(max) values are allowed.")
        }
        return distinct(items.sorted { $0.0 < $1.0 }.map(\.1))
    }
}
