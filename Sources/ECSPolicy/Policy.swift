// The RAM policy model: documents, statements, errors and named (attached) policies.

/// A parsed RAM identity-based policy document (`{"Version":"1","Statement":[...]}`).
///
/// Values are normally produced by ``PolicyParser/parse(_:)``, which guarantees that `version` is
/// `"1"`, `statements` is non-empty and every statement is well formed. Building one by hand is
/// allowed (tests, system policies) and no validation is applied then.
public struct PolicyDocument: Sendable, Equatable {
    /// The policy language version. RAM only knows `"1"`.
    public var version: String
    /// The statements, in document order. Order does not change evaluation results, only which
    /// deny or allow is reported first.
    public var statements: [Statement]

    /// Creates a document from already-validated parts; no checks are made.
    public init(version: String = "1", statements: [Statement]) {
        self.version = version
        self.statements = statements
    }
}

/// Which actions a statement applies to.
public enum ActionMatch: Sendable, Equatable {
    /// `Action`: the statement applies to a request whose action matches any of these patterns
    /// (case-insensitive, `*` and `?` wildcards).
    case actions([String])
    /// `NotAction`: the statement applies to a request whose action matches none of these patterns.
    case notActions([String])

    /// The patterns as written, whichever case this is.
    public var patterns: [String] {
        switch self {
        case .actions(let p), .notActions(let p): return p
        }
    }
}

/// One statement of a policy document.
///
/// A statement applies to a request when its action matches (``ActionMatch``), the resource under
/// evaluation matches one of `resources` (case-sensitive wildcard match) and every condition holds.
/// Wildcard patterns are compiled when the statement is created or its `actions`/`resources` are
/// assigned, so evaluation never re-parses them.
public struct Statement: Sendable, Equatable {
    /// Whether a matching statement allows or explicitly denies.
    public enum Effect: String, Sendable {
        /// Grants the request unless an explicit deny also matches.
        case allow = "Allow"
        /// Explicitly denies the request; wins over every allow.
        case deny = "Deny"
    }

    /// `Allow` or `Deny`.
    public var effect: Effect
    /// `Action` or `NotAction` patterns. Assigning recompiles the action matchers.
    public var actions: ActionMatch {
        didSet { compiledActions = Statement.compileActions(actions) }
    }
    /// Resource ARN patterns (`*` alone matches every resource). Assigning recompiles the matchers.
    public var resources: [String] {
        didSet { compiledResources = resources.map { WildcardPattern($0, caseInsensitive: false) } }
    }
    /// Conditions that must all hold (operator blocks AND, keys AND, values OR).
    public var conditions: [Condition]
    /// The optional statement id (`Sid`), informational only.
    public var sid: String?

    var compiledActions: [WildcardPattern]
    var compiledResources: [WildcardPattern]

    /// Creates a statement. No validation is made here: ``PolicyParser`` is the validating entry point.
    public init(effect: Effect, actions: ActionMatch, resources: [String], conditions: [Condition] = [], sid: String? = nil) {
        self.effect = effect
        self.actions = actions
        self.resources = resources
        self.conditions = conditions
        self.sid = sid
        self.compiledActions = Statement.compileActions(actions)
        self.compiledResources = resources.map { WildcardPattern($0, caseInsensitive: false) }
    }

    private static func compileActions(_ match: ActionMatch) -> [WildcardPattern] {
        match.patterns.map { WildcardPattern($0, caseInsensitive: true) }
    }

    /// Two statements are equal when effect, actions, resources, conditions and sid are equal.
    public static func == (lhs: Statement, rhs: Statement) -> Bool {
        lhs.effect == rhs.effect && lhs.actions == rhs.actions && lhs.resources == rhs.resources
            && lhs.conditions == rhs.conditions && lhs.sid == rhs.sid
    }

    /// True when this statement's `Action`/`NotAction` covers `action` (e.g. `"ecs:DetachKeyPair"`),
    /// compared case-insensitively.
    public func appliesToAction(_ action: String) -> Bool {
        appliesToAction(lowercasedScalars: Array(action.lowercased().unicodeScalars))
    }

    func appliesToAction(lowercasedScalars action: [Unicode.Scalar]) -> Bool {
        let any = compiledActions.contains { $0.matches(preparedScalars: action) }
        switch actions {
        case .actions: return any
        case .notActions: return !any
        }
    }

    /// True when one of `resources` matches `resource` (case-sensitive, wildcards allowed).
    public func appliesToResource(_ resource: String) -> Bool {
        appliesToResource(scalars: Array(resource.unicodeScalars))
    }

    func appliesToResource(scalars resource: [Unicode.Scalar]) -> Bool {
        compiledResources.contains { $0.matches(preparedScalars: resource) }
    }
}

/// A policy document could not be accepted.
///
/// `code` is RAM's error code (always `"MalformedPolicyDocument"` for documents this module
/// rejects); `message` says what is wrong and where, e.g. `Statement[0].Effect must be Allow or Deny`.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// RAM's error code, e.g. `"MalformedPolicyDocument"`.
    public var code: String
    /// A human-readable explanation naming the offending element.
    public var message: String

    /// Creates an error with the given code and message.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// A `MalformedPolicyDocument` error with `message`.
    public static func malformed(_ message: String) -> PolicyError {
        PolicyError(code: "MalformedPolicyDocument", message: message)
    }

    /// `"<code>: <message>"`.
    public var description: String { "\(code): \(message)" }
}

/// A policy attached to a principal, with the name and type RAM reports in denials.
public struct NamedPolicy: Sendable, Equatable {
    /// The policy name, e.g. `"AliyunECSFullAccess"`.
    public var name: String
    /// `"System"` for Alibaba-managed policies, `"Custom"` for account-defined ones.
    public var type: String
    /// The policy's document.
    public var document: PolicyDocument

    /// Creates a named policy. `type` is not checked.
    public init(name: String, type: String, document: PolicyDocument) {
        self.name = name
        self.type = type
        self.document = document
    }
}
