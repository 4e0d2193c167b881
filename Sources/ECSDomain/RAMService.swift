import ECSPolicy
import ECSStore
import Synchronization

/// A policy as RAM reports it: a system policy (built in) or an account's custom policy.
public struct PolicyView: Sendable, Equatable {
    public var name: String
    /// `System` or `Custom`.
    public var type: String
    public var description: String
    public var document: String
    public var createdAt: Int64
    public var updatedAt: Int64
    /// How many users of the account the policy is attached to.
    public var attachmentCount: Int
    /// RAM policies are versioned; LocalECS keeps one version per policy, `v1`.
    public var defaultVersion: String { "v1" }
}

/// A policy attached to a user, with its description (ListPoliciesForUser).
public struct UserPolicyView: Sendable, Equatable {
    public var name: String
    public var type: String
    public var description: String
    public var attachedAt: Int64
}

/// RAM (2015-05-01) users, access keys, policies and attachments: the rules of the RAM API
/// (names, limits, conflicts) over the store, and the policies that bind a RAM user on each call.
///
/// Every refusal is a ``RAMError``. All methods work inside one account: other accounts' users
/// and policies do not exist for them.
public struct RAMService: Sendable {
    let store: any Store
    let clock: any Clock
    let cache: PolicyDocumentCache

    /// RAM's documented quotas.
    public static let maxUsers = 1000
    public static let maxAccessKeysPerUser = 2
    public static let maxCustomPolicies = 1500
    public static let maxSystemPoliciesPerUser = 20
    public static let maxCustomPoliciesPerUser = 5
    public static let maxDocumentLength = PolicyParser.maxDocumentLength

    public static let system = "System"
    public static let custom = "Custom"

    /// When the built-in system policies were "created", as GetPolicy/ListPolicies report it.
    static let systemPolicyDate: Int64 = 1_430_000_000_000
    static let systemDescriptions = [
        "AliyunECSFullAccess": "Provides full access to Elastic Compute Service(ECS) via Management Console.",
        "AliyunECSReadOnlyAccess": "Provides read-only access to Elastic Compute Service(ECS) via Management Console.",
    ]

    public init(store: any Store, clock: any Clock) {
        self.store = store
        self.clock = clock
        self.cache = PolicyDocumentCache()
    }

    // MARK: - Enforcement

    /// The policies that bind `caller` on this call: nothing for an account's root keys (they are
    /// not restricted), else the system and custom policies attached to the RAM user, or to the
    /// role of an STS session (its session policy is ``sessionPolicy(for:)``).
    ///
    /// One store read per call; documents are parsed once per distinct text and cached.
    public func policies(for caller: Caller) async throws -> [NamedPolicy] {
        let account = caller.accountId
        let attached: @Sendable (any StoreReader) throws -> [(policyType: String, policyName: String)]
        if let userName = caller.userName {
            attached = { try $0.attachments(account: account, userName: userName).map { ($0.policyType, $0.policyName) } }
        } else if let role = caller.session?.roleName {
            attached = { try $0.roleAttachments(account: account, roleName: role).map { ($0.policyType, $0.policyName) } }
        } else {
            return []
        }
        let rows: [AttachedDocument] = try await store.read { tx in
            try attached(tx).map { a in
                if a.policyType == Self.custom {
                    return AttachedDocument(type: a.policyType, name: a.policyName,
                                            document: try tx.policy(account: account, name: a.policyName)?.document)
                }
                return AttachedDocument(type: a.policyType, name: a.policyName, document: nil)
            }
        }
        var out: [NamedPolicy] = []
        out.reserveCapacity(rows.count)
        for row in rows {
            if row.type == Self.system {
                if let p = SystemPolicies.named(row.name) { out.append(p) }
            } else if let text = row.document, let document = cache.document(text) {
                out.append(NamedPolicy(name: row.name, type: Self.custom, document: document))
            }
        }
        return out
    }

    struct AttachedDocument: Sendable {
        var type: String
        var name: String
        var document: String?
    }

    /// A RAM write, serialized with the account's other RAM writes so limits and
    /// attach-versus-delete hold on every backend.
    func write<T: Sendable>(_ account: String, _ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await store.write { tx in
            try tx.lockRAM(account: account)
            return try body(tx)
        }
    }

    // MARK: - Syntax

    /// 1–64 characters: letters, digits, `.`, `_`, `-`.
    public static func checkUserName(_ name: String) throws(RAMError) {
        try checkLength("UserName", name, max: 64)
        guard name.unicodeScalars.allSatisfy({ isAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }) else {
            throw .invalidParameter(name: "UserName", .invalidChars)
        }
    }

    /// 1–128 characters: letters, digits, `-`.
    public static func checkPolicyName(_ name: String) throws(RAMError) {
        try checkLength("PolicyName", name, max: 128)
        guard name.unicodeScalars.allSatisfy({ isAlphanumeric($0) || $0 == "-" }) else {
            throw .invalidParameter(name: "PolicyName", .invalidChars)
        }
    }

    public static func checkPolicyType(_ type: String) throws(RAMError) {
        guard type == system || type == custom else { throw .invalidPolicyType(type) }
    }

    static func checkLength(_ parameter: String, _ value: String, max: Int) throws(RAMError) {
        guard !value.isEmpty, value.count <= max else { throw .invalidParameter(name: parameter, .length) }
    }

    static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
    }

    /// `<country code>-<number>`, e.g. `86-18600008888`.
    static func isValidMobilePhone(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...4).contains(parts[0].count), (4...20).contains(parts[1].count) else { return false }
        return parts.allSatisfy { $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
    }

    /// `local@domain.tld`, at most 128 characters, no spaces.
    static func isValidEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard s.count <= 128, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !s.unicodeScalars.contains { $0 == " " || $0.value < 0x21 }
    }

    /// A RAM user ID: 16 digits, like the real ones.
    static func newUserId() -> String {
        var g = SystemRandomNumberGenerator()
        return "2" + String((0..<15).map { _ in Character(String(g.next(upperBound: UInt32(10)))) })
    }
}
