// Policy evaluation: explicit deny > allow > implicit deny, over every resource of a request.

/// What is being asked: one action over one or more resources, with the request's condition keys.
public struct RequestContext: Sendable, Equatable {
    /// The RAM action, e.g. `"ecs:DetachKeyPair"` (matched case-insensitively).
    public var action: String
    /// Resource ARNs, e.g. `acs:ecs:cn-hangzhou:123:instance/i-abc`. The request is allowed only if
    /// every one is allowed. An empty list is evaluated as the single resource `"*"` (an action
    /// without resource-level control), so only statements with `Resource: "*"` can allow it.
    public var resources: [String]
    /// Condition key values, e.g. `"acs:SourceIp": ["127.0.0.1"]`,
    /// `"acs:CurrentTime": ["2026-11-29T07:00:00Z"]`, `"acs:SecureTransport": ["false"]`,
    /// `"acs:MFAPresent": ["false"]`. Keys are matched case-insensitively (keys differing only in
    /// case are merged). A missing key or an empty list means "absent".
    public var conditionKeys: [String: [String]]

    /// Creates a request context.
    public init(action: String, resources: [String], conditionKeys: [String: [String]] = [:]) {
        self.action = action
        self.resources = resources
        self.conditionKeys = conditionKeys
    }
}

/// The outcome of evaluating a request against a set of policies.
public enum Decision: Sendable, Equatable {
    /// Every resource is allowed by some matching Allow statement and no Deny matched.
    case allow
    /// A matching Deny statement in policy `policyName` covers `resource` (the first such resource
    /// in request order; for it, the first denying policy in the given order).
    case explicitDeny(policyName: String?, resource: String)
    /// No Deny matched, but `resource` (the first in request order) is not allowed by any Allow.
    case implicitDeny(resource: String)

    /// True only for ``allow``.
    public var isAllowed: Bool { self == .allow }

    /// RAM's `NoPermissionType` for a denial: `"ExplicitDeny"` or `"ImplicitDeny"`; nil for allow.
    public var noPermissionType: String? {
        switch self {
        case .allow: return nil
        case .explicitDeny: return "ExplicitDeny"
        case .implicitDeny: return "ImplicitDeny"
        }
    }

    /// The resource named by a denial (RAM's `AuthResource`); nil for allow.
    public var deniedResource: String? {
        switch self {
        case .allow: return nil
        case .explicitDeny(_, let r), .implicitDeny(let r): return r
        }
    }
}

/// Evaluates RAM identity-based policies.
///
/// A statement applies to (action, resource) when its Action/NotAction matches the action, one of
/// its Resource patterns matches the resource, and all of its conditions hold for the request's
/// condition keys. Pure and thread-safe; conditions of a statement are evaluated at most once per
/// call. To model RAM's evaluation chain (session policy, then identity policies), call this once
/// per stage and stop at the first stage that does not allow.
public enum PolicyEvaluator {
    /// Explicit Deny in any statement of any policy for any resource wins; else every resource must
    /// be allowed by some Allow; else implicit deny naming the first resource not allowed.
    /// An empty `policies` array therefore yields ``Decision/implicitDeny(resource:)``.
    public static func evaluate(_ policies: [NamedPolicy], _ request: RequestContext) -> Decision {
        let resources = request.resources.isEmpty ? ["*"] : request.resources
        let resourceScalars = resources.map { Array($0.unicodeScalars) }
        let action = Array(request.action.lowercased().unicodeScalars)
        var keys: [String: [String]] = [:]
        for (k, v) in request.conditionKeys {
            keys[k.lowercased(), default: []].append(contentsOf: v)
        }

        let n = resources.count
        var deniedBy = [Int?](repeating: nil, count: n)     // index of the first denying policy
        var allowed = [Bool](repeating: false, count: n)
        var allowedCount = 0

        for (pi, policy) in policies.enumerated() {
            for statement in policy.document.statements {
                guard statement.appliesToAction(lowercasedScalars: action) else { continue }
                var conditionsHold: Bool?
                for ri in 0..<n {
                    switch statement.effect {
                    case .deny: if deniedBy[ri] != nil { continue }
                    case .allow: if allowed[ri] { continue }
                    }
                    guard statement.appliesToResource(scalars: resourceScalars[ri]) else { continue }
                    if conditionsHold == nil {
                        conditionsHold = statement.conditions.allSatisfy { $0.holds(requestValues: keys[$0.normalizedKey]) }
                    }
                    guard conditionsHold == true else { break }
                    switch statement.effect {
                    case .deny: deniedBy[ri] = pi
                    case .allow: allowed[ri] = true; allowedCount += 1
                    }
                }
            }
        }

        if let ri = deniedBy.firstIndex(where: { $0 != nil }), let pi = deniedBy[ri] {
            return .explicitDeny(policyName: policies[pi].name, resource: resources[ri])
        }
        if allowedCount < n, let ri = allowed.firstIndex(of: false) {
            return .implicitDeny(resource: resources[ri])
        }
        return .allow
    }
}
