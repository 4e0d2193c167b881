// Parsing and validation of RAM policy documents.

/// Parses RAM policy documents, validating them the way RAM does when a custom policy is created.
///
/// Grammar:
/// `{"Version":"1","Statement":[{"Sid"?: string, "Effect":"Allow"|"Deny",
///   "Action"|"NotAction": string|[string], "Resource": string|[string],
///   "Condition"?: {Operator: {key: string|[string]}}}]}`.
///
/// Every rejection is a ``PolicyError`` with code `MalformedPolicyDocument` and a message naming
/// the offending element (e.g. `Statement[1].Action[0] "ecs" must be "*" or service:ApiName`).
public enum PolicyParser {
    /// RAM's maximum length of a custom policy document, in characters.
    public static let maxDocumentLength = 6144

    /// The member names allowed at the top level of a document.
    public static let topLevelKeys = ["Version", "Statement"]
    /// The member names allowed in a statement.
    public static let statementKeys = ["Sid", "Effect", "Action", "NotAction", "Resource", "Condition"]

    /// Parses and validates `json` with RAM's custom-policy length limit (``maxDocumentLength``).
    ///
    /// Rules: the text is 1…6144 characters of valid JSON (duplicate member names are refused);
    /// the document is an object with exactly `Version` (the string `"1"`) and `Statement`
    /// (one statement object or a non-empty array of them). Each statement has `Effect`
    /// (`Allow`/`Deny`), exactly one of `Action`/`NotAction` (`"*"` or `service:Name` patterns with
    /// `*`/`?`), `Resource` (`"*"` or ARN patterns `acs:service:region:account:relative-id`;
    /// `NotResource` is not supported), optionally `Sid` (string) and `Condition`. Condition
    /// operators are those of ``ConditionOperator``; keys look like `prefix:name` and appear at
    /// most once per operator (case-insensitively); values are strings or non-empty arrays of
    /// strings, valid for the operator's type. Empty strings, arrays and objects are refused
    /// wherever a value is expected. Unknown member names are refused.
    public static func parse(_ json: String) throws(PolicyError) -> PolicyDocument {
        try parse(json, maxLength: maxDocumentLength)
    }

    /// Same as ``parse(_:)`` with another length limit in characters (e.g. 1024 for an STS
    /// `AssumeRole` session policy).
    public static func parse(_ json: String, maxLength: Int) throws(PolicyError) -> PolicyDocument {
        var count = 0
        for _ in json {
            count += 1
            if count > maxLength { break }
        }
        if count == 0 { throw .malformed("document is empty") }
        if count > maxLength {
            throw .malformed("document is longer than \(maxLength) characters (it has \(json.count))")
        }
        let root = try JSONReader.parse(json)
        guard case .object(let members) = root else {
            throw .malformed("document must be a JSON object, not \(root.typeName)")
        }
        var version: JSONValue?
        var statement: JSONValue?
        for (key, value) in members {
            switch key {
            case "Version": version = value
            case "Statement": statement = value
            default:
                throw .malformed("unknown top-level element \(key) (allowed: \(topLevelKeys.joined(separator: ", ")))")
            }
        }
        guard let version else { throw .malformed("Version is required and must be \"1\"") }
        guard case .string(let versionText) = version else {
            throw .malformed("Version must be the string \"1\", not \(version.typeName)")
        }
        guard versionText == "1" else { throw .malformed("Version must be \"1\"") }
        guard let statement else { throw .malformed("Statement is required") }

        let rawStatements: [JSONValue]
        switch statement {
        case .object: rawStatements = [statement]
        case .array(let items):
            guard !items.isEmpty else { throw .malformed("Statement must not be empty") }
            rawStatements = items
        default:
            throw .malformed("Statement must be an object or an array of objects, not \(statement.typeName)")
        }
        var statements: [Statement] = []
        statements.reserveCapacity(rawStatements.count)
        for (index, raw) in rawStatements.enumerated() {
            statements.append(try parseStatement(raw, path: "Statement[\(index)]"))
        }
        return PolicyDocument(version: "1", statements: statements)
    }

    private static func parseStatement(_ raw: JSONValue, path: String) throws(PolicyError) -> Statement {
        guard case .object(let members) = raw else {
            throw .malformed("\(path) must be an object, not \(raw.typeName)")
        }
        var fields: [String: JSONValue] = [:]
        for (key, value) in members {
            switch key {
            case "Sid", "Effect", "Action", "NotAction", "Resource", "Condition":
                fields[key] = value
            case "NotResource":
                throw .malformed("\(path): NotResource is not supported; list the resources in Resource")
            case "Principal", "NotPrincipal":
                throw .malformed("\(path): \(key) is only allowed in resource-based policies, not in a RAM policy")
            default:
                throw .malformed("\(path): unknown element \(key) (allowed: \(statementKeys.joined(separator: ", ")))")
            }
        }

        var sid: String?
        if let rawSid = fields["Sid"] {
            guard case .string(let s) = rawSid else { throw .malformed("\(path).Sid must be a string") }
            sid = s
        }

        guard let rawEffect = fields["Effect"] else { throw .malformed("\(path).Effect is required (Allow or Deny)") }
        guard case .string(let effectText) = rawEffect, let effect = Statement.Effect(rawValue: effectText) else {
            throw .malformed("\(path).Effect must be Allow or Deny")
        }

        let actions: ActionMatch
        switch (fields["Action"], fields["NotAction"]) {
        case (nil, nil):
            throw .malformed("\(path) must have Action or NotAction")
        case (.some, .some):
            throw .malformed("\(path) must not have both Action and NotAction")
        case (.some(let a), nil):
            actions = .actions(try parseActions(a, path: "\(path).Action"))
        case (nil, .some(let a)):
            actions = .notActions(try parseActions(a, path: "\(path).NotAction"))
        }

        guard let rawResource = fields["Resource"] else { throw .malformed("\(path).Resource is required") }
        let resources = try stringList(rawResource, path: "\(path).Resource")
        for (i, r) in resources.enumerated() where !isValidResource(r) {
            throw .malformed("\(path).Resource\(isArray(rawResource) ? "[\(i)]" : "") \(jsonQuote(r)) must be \"*\" or an ARN such as acs:ecs:*:*:instance/*")
        }

        var conditions: [Condition] = []
        if let rawCondition = fields["Condition"] {
            conditions = try parseConditions(rawCondition, path: "\(path).Condition")
        }
        return Statement(effect: effect, actions: actions, resources: resources, conditions: conditions, sid: sid)
    }

    private static func isArray(_ v: JSONValue) -> Bool {
        if case .array = v { return true }
        return false
    }

    private static func parseActions(_ raw: JSONValue, path: String) throws(PolicyError) -> [String] {
        let list = try stringList(raw, path: path)
        for (i, a) in list.enumerated() where !isValidAction(a) {
            let at = isArray(raw) ? "\(path)[\(i)]" : path
            throw .malformed("\(at) \(jsonQuote(a)) must be \"*\" or look like service:ApiName (wildcards * and ? allowed)")
        }
        return list
    }

    /// A string or a non-empty array of non-empty strings.
    private static func stringList(_ raw: JSONValue, path: String) throws(PolicyError) -> [String] {
        switch raw {
        case .string(let s):
            guard !s.isEmpty else { throw .malformed("\(path) must not be an empty string") }
            return [s]
        case .array(let items):
            guard !items.isEmpty else { throw .malformed("\(path) must not be an empty list") }
            var out: [String] = []
            for (i, item) in items.enumerated() {
                guard case .string(let s) = item else {
                    throw .malformed("\(path)[\(i)] must be a string, not \(item.typeName)")
                }
                guard !s.isEmpty else { throw .malformed("\(path)[\(i)] must not be an empty string") }
                out.append(s)
            }
            return out
        default:
            throw .malformed("\(path) must be a string or an array of strings, not \(raw.typeName)")
        }
    }

    private static func parseConditions(_ raw: JSONValue, path: String) throws(PolicyError) -> [Condition] {
        guard case .object(let blocks) = raw else {
            throw .malformed("\(path) must be an object mapping condition operators to {key: values}, not \(raw.typeName)")
        }
        guard !blocks.isEmpty else { throw .malformed("\(path) must not be empty (omit it instead)") }
        var conditions: [Condition] = []
        for (opName, block) in blocks {
            guard let op = ConditionOperator(rawValue: opName) else {
                throw .malformed("\(path): unknown condition operator \(opName)\(operatorHint(opName))")
            }
            let here = "\(path).\(opName)"
            guard case .object(let entries) = block else {
                throw .malformed("\(here) must be an object mapping condition keys to values, not \(block.typeName)")
            }
            guard !entries.isEmpty else { throw .malformed("\(here) must not be empty") }
            var seenKeys: [String: String] = [:]
            for (key, rawValues) in entries {
                if let earlier = seenKeys[key.lowercased()] {
                    throw .malformed("\(here): condition key \(key) repeats \(earlier) (keys are case-insensitive)")
                }
                seenKeys[key.lowercased()] = key
                let values: [String]
                switch rawValues {
                case .string(let s):
                    values = [s]
                case .array(let items):
                    guard !items.isEmpty else { throw .malformed("\(here).\(key) must not be an empty list") }
                    var vs: [String] = []
                    for item in items {
                        guard case .string(let s) = item else {
                            throw .malformed("\(here).\(key) values must be strings (\(item.typeName) found; enclose numbers and booleans in double quotation marks)")
                        }
                        vs.append(s)
                    }
                    values = vs
                default:
                    throw .malformed("\(here).\(key) must be a string or an array of strings (\(rawValues.typeName) found; enclose numbers and booleans in double quotation marks)")
                }
                do {
                    conditions.append(try Condition(operator: op, key: key, values: values))
                } catch {
                    throw .malformed("\(path).\(error.message)")
                }
            }
        }
        return conditions
    }

    /// A hint appended to "unknown condition operator X" when X is a near miss.
    private static func operatorHint(_ name: String) -> String {
        if name.hasSuffix("IfExists") {
            return " (the IfExists variants are not supported by RAM)"
        }
        if name.hasPrefix("ForAnyValue:") || name.hasPrefix("ForAllValues:") {
            return " (the ForAnyValue:/ForAllValues: qualifiers are not supported by RAM)"
        }
        if let near = ConditionOperator.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) {
            return " (operator names are case-sensitive: did you mean \(near.rawValue)?)"
        }
        return " (known operators: \(ConditionOperator.allCases.map(\.rawValue).joined(separator: ", ")))"
    }

    /// `*`, or `service:Name` where both parts use letters, digits, `-`, `_`, `.`, `*`, `?`.
    static func isValidAction(_ action: String) -> Bool {
        if action == "*" { return true }
        let parts = action.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        func ok(_ s: Substring, extra: Set<UInt8>) -> Bool {
            s.utf8.allSatisfy { b in
                (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || extra.contains(b)
            }
        }
        let wild: Set<UInt8> = [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "-"), UInt8(ascii: "_")]
        return ok(parts[0], extra: wild) && ok(parts[1], extra: wild.union([UInt8(ascii: ".")]))
    }

    /// `*`, or `acs:<service>:<region>:<account>:<relative-id>` (service and relative id non-empty,
    /// region/account may be empty; the relative id may contain more colons); no control characters.
    static func isValidResource(_ resource: String) -> Bool {
        if resource == "*" { return true }
        guard resource.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else { return false }
        let parts = resource.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
        return parts.count == 5 && parts[0] == "acs" && !parts[1].isEmpty && !parts[4].isEmpty
    }
}

// MARK: - Trust policies

/// A RAM role's trust policy (`AssumeRolePolicyDocument`): who may assume the role.
///
/// Unlike an identity policy its statements name a `Principal` (`{"RAM": [...]}` with account
/// roots `acs:ram::<uid>:root` or user/role ARNs, `{"Service": [...]}`, `{"Federated": [...]}`)
/// and no `Resource`.
public struct TrustPolicy: Sendable, Equatable {
    public struct Statement: Sendable, Equatable {
        public var effect: ECSPolicy.Statement.Effect
        public var actions: [String]
        /// Principal kind (`RAM`, `Service`, `Federated`) to its values.
        public var principals: [String: [String]]
        public var conditions: [Condition]
    }

    public var statements: [Statement]

    public init(statements: [Statement]) { self.statements = statements }

    /// Whether a `RAM` principal value names `principalARN` (`acs:ram::<uid>:user/<name>` or
    /// `acs:ram::<uid>:role/<name>`): the account root (`acs:ram::<uid>:root`, or the bare UID)
    /// names every RAM identity of that account; any other value must be the ARN itself.
    public static func names(_ value: String, principalARN: String, account: String) -> Bool {
        if value == account || value == "acs:ram::\(account):root" { return true }
        return value == principalARN
    }

    /// The statements that apply to a RAM identity, as an identity-style document over every
    /// resource, for ``PolicyEvaluator`` with the action `sts:AssumeRole`.
    public func document(forPrincipal principalARN: String, account: String) -> PolicyDocument {
        let applicable = statements.compactMap { s -> ECSPolicy.Statement? in
            guard (s.principals["RAM"] ?? []).contains(where: { Self.names($0, principalARN: principalARN, account: account) }) else {
                return nil
            }
            return ECSPolicy.Statement(effect: s.effect, actions: .actions(s.actions), resources: ["*"], conditions: s.conditions)
        }
        return PolicyDocument(statements: applicable)
    }
}

extension PolicyParser {
    /// RAM's maximum length of a role's trust policy, in characters.
    public static let maxTrustPolicyLength = 2048

    /// Parses and validates a trust policy (`AssumeRolePolicyDocument`): `Version` "1" and
    /// `Statement`s each with `Effect`, `Action` (e.g. `sts:AssumeRole`), `Principal` (an object
    /// whose members are `RAM`, `Service` or `Federated`, each a string or non-empty array of
    /// strings) and optionally `Sid` and `Condition`. `Resource` and `NotAction` are refused.
    public static func parseTrustPolicy(_ json: String) throws(PolicyError) -> TrustPolicy {
        if json.isEmpty { throw .malformed("document is empty") }
        if json.count > maxTrustPolicyLength {
            throw .malformed("document is longer than \(maxTrustPolicyLength) characters (it has \(json.count))")
        }
        let root = try JSONReader.parse(json)
        guard case .object(let members) = root else { throw .malformed("document must be a JSON object, not \(root.typeName)") }
        var version: JSONValue?
        var statement: JSONValue?
        for (key, value) in members {
            switch key {
            case "Version": version = value
            case "Statement": statement = value
            default: throw .malformed("unknown top-level element \(key) (allowed: Version, Statement)")
            }
        }
        guard case .string("1")? = version else { throw .malformed("Version is required and must be \"1\"") }
        let raws: [JSONValue]
        switch statement {
        case .object?: raws = [statement!]
        case .array(let items)? where !items.isEmpty: raws = items
        default: throw .malformed("Statement is required: an object or a non-empty array of objects")
        }
        var out: [TrustPolicy.Statement] = []
        for (index, raw) in raws.enumerated() {
            let path = "Statement[\(index)]"
            guard case .object(let fields) = raw else { throw .malformed("\(path) must be an object, not \(raw.typeName)") }
            var f: [String: JSONValue] = [:]
            for (key, value) in fields {
                switch key {
                case "Sid", "Effect", "Action", "Principal", "Condition": f[key] = value
                default: throw .malformed("\(path): unknown element \(key) in a trust policy (allowed: Sid, Effect, Action, Principal, Condition)")
                }
            }
            if let sid = f["Sid"] {
                guard case .string = sid else { throw .malformed("\(path).Sid must be a string") }
            }
            guard case .string(let e)? = f["Effect"], let effect = ECSPolicy.Statement.Effect(rawValue: e) else {
                throw .malformed("\(path).Effect must be Allow or Deny")
            }
            guard let rawAction = f["Action"] else { throw .malformed("\(path).Action is required (sts:AssumeRole)") }
            let actions = try parseActions(rawAction, path: "\(path).Action")
            guard case .object(let principalMembers)? = f["Principal"], !principalMembers.isEmpty else {
                throw .malformed("\(path).Principal is required: an object such as {\"RAM\": [\"acs:ram::<uid>:root\"]}")
            }
            var principals: [String: [String]] = [:]
            for (kind, value) in principalMembers {
                guard ["RAM", "Service", "Federated"].contains(kind) else {
                    throw .malformed("\(path).Principal: unknown principal type \(kind) (allowed: RAM, Service, Federated)")
                }
                principals[kind, default: []] += try stringList(value, path: "\(path).Principal.\(kind)")
            }
            var conditions: [Condition] = []
            if let c = f["Condition"] { conditions = try parseConditions(c, path: "\(path).Condition") }
            out.append(TrustPolicy.Statement(effect: effect, actions: actions, principals: principals, conditions: conditions))
        }
        return TrustPolicy(statements: out)
    }
}
