import ECSAPI
import ECSDomain
import ECSPolicy

/// Step 10 of `protocol-and-ram.md` §2.4: RAM authorization from the action's declaration.
///
/// The account's root keys may do everything in their own account. RAM users may do only what
/// their attached policies allow, over every resource the action touches (`decisions.md`:
/// one denied ARN fails the whole call, before any change).
struct Authorizer: Sendable {
    let services: Services

    /// The ARNs an action needs, from its declaration and its input.
    static func resources(_ spec: ActionSpec, _ input: Input, account: String, region: String) -> [String] {
        let prefix = "acs:\(spec.product.ramService):\(region):\(account):"
        var out: [String] = []
        for r in spec.resources {
            switch r {
            case .all: out.append("*")
            case .anyKeyPair: out.append(prefix + "keypair/*")
            case .anyInstance: out.append(prefix + "instance/*")
            case .anySecurityGroup: out.append(prefix + "securitygroup/*")
            case .securityGroup(let p): out.append(prefix + "securitygroup/" + (input.string(p) ?? "*"))
            case .securityGroups(let single, let list):
                let ids = (input.string(single).map { [$0] } ?? []) + (input.list(list) ?? [])
                out += ids.isEmpty ? [] : InputParser.distinct(ids).map { prefix + "securitygroup/" + $0 }
            case .tagged(let typeParam, let idsParam):
                let kind = (input.string(typeParam) ?? "").lowercased()
                out += (input.list(idsParam) ?? ["*"]).map { prefix + kind + "/" + $0 }
            case .keyPair(let p): out.append(prefix + "keypair/" + (input.string(p) ?? "*"))
            case .keyPairs(let p): out += (input.list(p) ?? []).map { prefix + "keypair/" + $0 }
            case .instance(let p): out.append(prefix + "instance/" + (input.string(p) ?? "*"))
            case .instances(let p):
                if let ids = input.list(p) { out += ids.map { prefix + "instance/" + $0 } } else { out.append(prefix + "instance/*") }
            case .ram(let kind, let p):
                out.append("acs:ram::\(account):\(kind)/" + (p.flatMap { input.string($0) } ?? "*"))
            case .arn(let p):
                out.append(input.string(p) ?? "*")
            case .network(let kind, let p):
                out.append(prefix + kind + "/" + (p.flatMap { input.string($0) } ?? "*"))
            case .taggedNetworks(let idsParam, let typeParam):
                let kind = input.string(typeParam)?.lowercased() ?? "*"
                if let ids = input.list(idsParam) { out += ids.map { prefix + kind + "/" + $0 } } else { out.append(prefix + kind + "/*") }
            }
        }
        return out
    }

    func authorize(_ spec: ActionSpec, _ input: Input, caller: Caller, region: String, conditionKeys: [String: [String]]) async throws {
        if caller.isRoot { return }  // root: unrestricted in its own account
        let request = RequestContext(action: spec.ramAction,
                                     resources: Self.resources(spec, input, account: caller.accountId, region: region),
                                     conditionKeys: conditionKeys)
        let policies = try await services.policies(for: caller)
        var decision = PolicyEvaluator.evaluate(policies, request)
        var policyType = "AccountLevelIdentityBasedPolicy"
        // An STS session: the role's policies AND its session policy; an explicit deny in
        // either wins, then the session policy's implicit deny.
        if let sessionPolicy = services.ram.sessionPolicy(for: caller) {
            let narrowed = PolicyEvaluator.evaluate([sessionPolicy], request)
            if narrowed.noPermissionType == "ExplicitDeny" || (!narrowed.isAllowed && decision.noPermissionType != "ExplicitDeny") {
                decision = narrowed
                policyType = "SessionPolicy"
            }
        }
        guard decision.isAllowed else {
            // ECS says Forbidden.RAM; RAM's and STS's own APIs say NoPermission; the VPC API says
            // Forbidden.NoPermission (protocol-and-ram.md §2.2).
            let (code, message): (String, String)
            switch spec.product {
            case .ecs: (code, message) = ("Forbidden.RAM", ECSError.forbiddenRAMMessage)
            case .vpc: (code, message) = ("Forbidden.NoPermission", "You are not authorized to perform the operation.")
            default: (code, message) = ("NoPermission", "You are not authorized to do this action. You should be authorized by RAM.")
            }
            throw ECSError(code: code, status: 403, message: message, accessDeniedDetail: Self.deniedDetail(
                action: spec.ramAction, caller: caller, policyType: policyType, decision: decision))
        }
    }

    /// `AccessDeniedDetail` of a denial (protocol-and-ram.md §6.8): a RAM user is a `SubUser`
    /// named by its user name, an STS session an `AssumedRoleUser` named `<role>:<session>`.
    static func deniedDetail(action: String, caller: Caller, policyType: String, decision: Decision) -> [(String, String)] {
        [
            ("AuthAction", action),
            ("AuthPrincipalType", caller.session == nil ? "SubUser" : "AssumedRoleUser"),
            ("AuthPrincipalOwnerId", caller.accountId),
            ("AuthPrincipalDisplayName", displayName(caller)),
            ("PolicyType", policyType),
            ("NoPermissionType", decision.noPermissionType ?? "ImplicitDeny"),
            ("EncodedDiagnosticMessage", diagnostic(action, decision, caller)),
        ]
    }

    static func displayName(_ caller: Caller) -> String {
        if let s = caller.session { return s.roleName + ":" + s.sessionName }
        return caller.userName ?? ""
    }

    /// An opaque base64 blob, as RAM sends, that decodes to the denied resource for a curious user.
    static func diagnostic(_ action: String, _ d: Decision, _ caller: Caller) -> String {
        let text = "{\"AuthAction\":\"\(action)\",\"AuthResource\":\"\(d.deniedResource ?? "")\",\"NoPermissionType\":\"\(d.noPermissionType ?? "")\",\"AuthPrincipal\":\"\(displayName(caller))\"}"
        return Base64.encode(Array(text.utf8))
    }
}

extension Services {
    /// The system and custom policies attached to the calling RAM user (none for root keys):
    /// one store read, documents parsed once and cached (`RAMService.policies(for:)`).
    func policies(for caller: Caller) async throws -> [NamedPolicy] {
        try await ram.policies(for: caller)
    }
}

/// Standard base64 with padding.
enum Base64 {
    static let table: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], table[Int(n >> 6 & 63)], table[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], table[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
