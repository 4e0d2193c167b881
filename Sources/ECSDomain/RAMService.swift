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
    /// not restricted), else the system and custom policies attached to the RAM user.
    ///
    /// One store read per call; documents are parsed once per distinct text and cached.
    public func policies(for caller: Caller) async throws -> [NamedPolicy] {
        guard let userName = caller.userName else { return [] }
        let account = caller.accountId
        let rows: [AttachedDocument] = try await store.read { tx in
            try tx.attachments(account: account, userName: userName).map { a in
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

    // MARK: - Users

    /// CreateUser. `displayName` defaults to the user name.
    public func createUser(account: String, name: String, displayName: String?, mobilePhone: String?,
                           email: String?, comments: String?) async throws -> UserRecord {
        try Self.checkUserName(name)
        if let displayName { try Self.checkLength("DisplayName", displayName, max: 128) }
        if let mobilePhone, !Self.isValidMobilePhone(mobilePhone) { throw RAMError.invalidParameter(name: "MobilePhone", .format) }
        if let email, !Self.isValidEmail(email) { throw RAMError.invalidParameter(name: "Email", .format) }
        if let comments { try Self.checkLength("Comments", comments, max: 128) }
        let now = clock.nowMillis()
        let record = UserRecord(accountId: account, name: name, id: Self.newUserId(), displayName: displayName ?? name,
                                email: email ?? "", mobilePhone: mobilePhone ?? "", comments: comments ?? "",
                                createdAt: now, updatedAt: now)
        let limit = Self.maxUsers
        try await write(account) { tx in
            guard try tx.accountExists(account) else { throw DomainError.invalidParameter("AccountId", "No account \(account).") }
            if try tx.user(account: account, name: name) != nil { throw RAMError.userExists(name) }
            if try tx.users(account: account, after: nil, limit: limit).count >= limit { throw RAMError.userLimit(limit) }
            do { try tx.insertUser(record) } catch StoreError.conflict { throw RAMError.userExists(name) }
        }
        return record
    }

    /// GetUser.
    public func user(account: String, name: String) async throws -> UserRecord {
        try Self.checkUserName(name)
        guard let user = try await store.read({ try $0.user(account: account, name: name) }) else {
            throw RAMError.userNotFound(name)
        }
        return user
    }

    /// ListUsers: by name, `maxItems` (default 100) at a time; `marker` is the one the previous
    /// page returned (nil when the list is complete).
    public func listUsers(account: String, marker: String?, maxItems: Int?) async throws -> (users: [UserRecord], marker: String?) {
        let limit = maxItems ?? 100
        let after = marker.flatMap { $0.isEmpty ? nil : $0 }
        let users = try await store.read { try $0.users(account: account, after: after, limit: limit + 1) }
        if users.count > limit {
            let page = Array(users.prefix(limit))
            return (page, page.last?.name)
        }
        return (users, nil)
    }

    /// A RAM write, serialized with the account's other RAM writes so limits and
    /// attach-versus-delete hold on every backend.
    private func write<T: Sendable>(_ account: String, _ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await store.write { tx in
            try tx.lockRAM(account: account)
            return try body(tx)
        }
    }

    /// DeleteUser: refused while the user has access keys or attached policies.
    public func deleteUser(account: String, name: String) async throws {
        try Self.checkUserName(name)
        try await write(account) { tx in
            guard try tx.user(account: account, name: name) != nil else { throw RAMError.userNotFound(name) }
            if try !tx.accessKeys(account: account, userName: name).isEmpty { throw RAMError.userHasAccessKeys(name) }
            if try !tx.attachments(account: account, userName: name).isEmpty { throw RAMError.userHasPolicies(name) }
            try tx.deleteUser(account: account, name: name)
        }
    }

    // MARK: - Access keys

    /// The user an access-key action is about: `UserName` when given, else the calling RAM user.
    /// An account's root keys must name the user.
    public static func keyOwner(_ caller: Caller, userName: String?) throws(RAMError) -> String {
        if let userName { return userName }
        if let own = caller.userName { return own }
        throw .missingUserName
    }

    /// CreateAccessKey: an Active key with a fresh secret, at most two per user.
    public func createAccessKey(account: String, userName: String) async throws -> AccessKeyRecord {
        try Self.checkUserName(userName)
        let key = AccessKeyRecord(id: "LTAI5t" + IDs.random(18).uppercased(), secret: IDs.random(30), accountId: account,
                                  userName: userName, status: .active, createdAt: clock.nowMillis())
        let limit = Self.maxAccessKeysPerUser
        try await write(account) { tx in
            guard try tx.user(account: account, name: userName) != nil else { throw RAMError.userNotFound(userName) }
            if try tx.accessKeys(account: account, userName: userName).count >= limit { throw RAMError.accessKeyLimit(limit) }
            try tx.insertAccessKey(key)
        }
        return key
    }

    /// UpdateAccessKey: `status` is `Active` or `Inactive`. An inactive key is refused at once
    /// on every call (`InvalidAccessKeyId.Inactive`).
    public func updateAccessKey(account: String, userName: String, id: String, status: String) async throws {
        try Self.checkUserName(userName)
        guard let newStatus = AccessKeyRecord.Status(rawValue: status) else { throw RAMError.invalidStatus(status) }
        try await write(account) { tx in
            guard try tx.user(account: account, name: userName) != nil else { throw RAMError.userNotFound(userName) }
            guard try tx.accessKeys(account: account, userName: userName).contains(where: { $0.id == id }) else {
                throw RAMError.accessKeyNotFound(id)
            }
            try tx.updateAccessKeyStatus(account: account, id: id, status: newStatus)
        }
    }

    /// ListAccessKeys: the user's keys, oldest first (never their secrets).
    public func accessKeys(account: String, userName: String) async throws -> [AccessKeyRecord] {
        try Self.checkUserName(userName)
        return try await store.read { tx in
            guard try tx.user(account: account, name: userName) != nil else { throw RAMError.userNotFound(userName) }
            return try tx.accessKeys(account: account, userName: userName)
        }
    }

    /// DeleteAccessKey.
    public func deleteAccessKey(account: String, userName: String, id: String) async throws {
        try Self.checkUserName(userName)
        try await write(account) { tx in
            guard try tx.user(account: account, name: userName) != nil else { throw RAMError.userNotFound(userName) }
            guard try tx.accessKeys(account: account, userName: userName).contains(where: { $0.id == id }) else {
                throw RAMError.accessKeyNotFound(id)
            }
            try tx.deleteAccessKey(account: account, id: id)
        }
    }

    // MARK: - Policies

    /// CreatePolicy: the document is validated as RAM does (`MalformedPolicyDocument`) and its
    /// parsed form cached for enforcement.
    public func createPolicy(account: String, name: String, document: String, description: String?) async throws -> PolicyRecord {
        try Self.checkPolicyName(name)
        if let description { try Self.checkLength("Description", description, max: 1024) }
        if document.count > Self.maxDocumentLength { throw RAMError.invalidParameter(name: "PolicyDocument", .length) }
        let parsed: PolicyDocument
        do { parsed = try PolicyParser.parse(document) } catch { throw RAMError.malformedPolicyDocument(error.message) }
        cache.insert(document, parsed)
        let now = clock.nowMillis()
        let record = PolicyRecord(accountId: account, name: name, document: document, description: description ?? "",
                                  createdAt: now, updatedAt: now)
        let limit = Self.maxCustomPolicies
        try await write(account) { tx in
            if try tx.policy(account: account, name: name) != nil { throw RAMError.policyExists(name) }
            if try tx.policies(account: account).count >= limit { throw RAMError.policyLimit(limit) }
            do { try tx.insertPolicy(record) } catch StoreError.conflict { throw RAMError.policyExists(name) }
        }
        return record
    }

    /// GetPolicy.
    public func policy(account: String, name: String, type: String) async throws -> PolicyView {
        try Self.checkPolicyType(type)
        try Self.checkPolicyName(name)
        if type == Self.system {
            guard let json = SystemPolicies.documentJSON(named: name) else { throw RAMError.policyNotFound(name) }
            let count = try await store.read { try $0.attachmentCount(account: account, policyType: Self.system, policyName: name) }
            return Self.systemView(name, json, attachments: count)
        }
        return try await store.read { tx in
            guard let p = try tx.policy(account: account, name: name) else { throw RAMError.policyNotFound(name) }
            return Self.customView(p, attachments: try tx.attachmentCount(account: account, policyType: Self.custom, policyName: name))
        }
    }

    /// ListPolicies: system policies first, then the account's custom policies, each by name;
    /// `type` filters; `marker` is the one the previous page returned.
    public func listPolicies(account: String, type: String?, marker: String?, maxItems: Int?) async throws -> (policies: [PolicyView], marker: String?) {
        if let type { try Self.checkPolicyType(type) }
        let limit = maxItems ?? 100
        let all: [PolicyView] = try await store.read { tx in
            var out: [PolicyView] = []
            if type == nil || type == Self.system {
                for (name, json) in SystemPolicies.documents.sorted(by: { $0.name < $1.name }) {
                    out.append(Self.systemView(name, json, attachments: try tx.attachmentCount(account: account, policyType: Self.system, policyName: name)))
                }
            }
            if type == nil || type == Self.custom {
                for p in try tx.policies(account: account) {
                    out.append(Self.customView(p, attachments: try tx.attachmentCount(account: account, policyType: Self.custom, policyName: p.name)))
                }
            }
            return out
        }
        // The marker names the last policy of the previous page; the next page starts after it
        // in list order, even if that policy was deleted meanwhile.
        var start = 0
        if let marker, !marker.isEmpty {
            let type = marker.prefix(while: { $0 != ":" })
            let name = String(marker.dropFirst(type.count + 1))
            let after = (type == Self.system ? 0 : 1, name)
            start = all.firstIndex(where: { ($0.type == Self.system ? 0 : 1, $0.name) > after }) ?? all.count
        }
        let page = Array(all.dropFirst(start).prefix(limit))
        let truncated = start + page.count < all.count
        return (page, truncated ? page.last.map(Self.marker) : nil)
    }

    static func marker(_ p: PolicyView) -> String { p.type + ":" + p.name }

    /// DeletePolicy: refused while attached to a user, unless `cascade` detaches it from every user first.
    public func deletePolicy(account: String, name: String, cascade: Bool) async throws {
        try Self.checkPolicyName(name)
        try await write(account) { tx in
            guard try tx.policy(account: account, name: name) != nil else { throw RAMError.policyNotFound(name) }
            if try tx.attachmentCount(account: account, policyType: Self.custom, policyName: name) > 0 {
                guard cascade else { throw RAMError.policyAttachedToUsers(name) }
                var after: String?
                while true {
                    let users = try tx.users(account: account, after: after, limit: 500)
                    for u in users where try tx.attachments(account: account, userName: u.name)
                        .contains(where: { $0.policyType == Self.custom && $0.policyName == name }) {
                        try tx.deleteAttachment(account: account, userName: u.name, policyType: Self.custom, policyName: name)
                    }
                    guard users.count == 500, let last = users.last else { break }
                    after = last.name
                }
            }
            try tx.deletePolicy(account: account, name: name)
        }
    }

    // MARK: - Attachments

    /// AttachPolicyToUser: at most 20 system and 5 custom policies per user.
    public func attach(account: String, userName: String, policyType: String, policyName: String) async throws {
        try Self.checkPolicyType(policyType)
        try Self.checkPolicyName(policyName)
        try Self.checkUserName(userName)
        let now = clock.nowMillis()
        try await write(account) { tx in
            guard try tx.user(account: account, name: userName) != nil else { throw RAMError.userNotFound(userName) }
            try Self.requirePolicy(tx, account: account, type: policyType, name: policyName)
            let attached = try tx.attachments(account: account, userName: userName)
            if attached.contains(where: { $0.policyType == policyType && $0.policyName == policyName }) {
                throw RAMError.policyAlreadyAttached(user: userName, policy: policyName)
            }
            let limit = policyType == Self.system ? Self.maxSystemPoliciesPerUser : Self.maxCustomPoliciesPerUser
            if attached.filter({ $0.policyType == policyType }).count >= limit {
                throw RAMError.userPolicyLimit(type: policyType, limit: limit)
            }
            do {
                try tx.insertAttachment(PolicyAttachmentRecord(accountId: account, userName: userName, policyType: policyType,
                                                               policyName: policyName, attachedAt: now))
            } catch StoreError.conflict {
                throw RAMError.policyAlreadyAttached(user: userName, policy: policyName)
            }
        }
    }

    /// DetachPolicyFromUser.
    public func detach(account: String, userName: String, policyType: String, policyName: String) async throws {
        try Self.checkPolicyType(policyType)
        try Self.checkPolicyName(policyName)
        try Self.checkUserName(userName)
        try await write(account) { tx in
            guard try tx.user(account: account, name: userName) != nil else { throw RAMError.userNotFound(userName) }
            try Self.requirePolicy(tx, account: account, type: policyType, name: policyName)
            guard try tx.attachments(account: account, userName: userName)
                .contains(where: { $0.policyType == policyType && $0.policyName == policyName }) else {
                throw RAMError.policyNotAttached(user: userName, policy: policyName)
            }
            try tx.deleteAttachment(account: account, userName: userName, policyType: policyType, policyName: policyName)
        }
    }

    /// ListPoliciesForUser: in the order they were attached.
    public func policies(account: String, userName: String) async throws -> [UserPolicyView] {
        try Self.checkUserName(userName)
        return try await store.read { tx in
            guard try tx.user(account: account, name: userName) != nil else { throw RAMError.userNotFound(userName) }
            return try tx.attachments(account: account, userName: userName).map { a in
                let description = a.policyType == Self.system
                    ? Self.systemDescriptions[a.policyName] ?? ""
                    : try tx.policy(account: account, name: a.policyName)?.description ?? ""
                return UserPolicyView(name: a.policyName, type: a.policyType, description: description, attachedAt: a.attachedAt)
            }
        }
    }

    static func requirePolicy(_ tx: any StoreReader, account: String, type: String, name: String) throws {
        if type == system {
            guard SystemPolicies.named(name) != nil else { throw RAMError.policyNotFound(name) }
        } else {
            guard try tx.policy(account: account, name: name) != nil else { throw RAMError.policyNotFound(name) }
        }
    }

    static func systemView(_ name: String, _ json: String, attachments: Int) -> PolicyView {
        PolicyView(name: name, type: system, description: systemDescriptions[name] ?? "", document: json,
                   createdAt: systemPolicyDate, updatedAt: systemPolicyDate, attachmentCount: attachments)
    }

    static func customView(_ p: PolicyRecord, attachments: Int) -> PolicyView {
        PolicyView(name: p.name, type: custom, description: p.description, document: p.document,
                   createdAt: p.createdAt, updatedAt: p.updatedAt, attachmentCount: attachments)
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

/// Parsed policy documents by their text, so that a request never parses a policy: custom
/// documents are parsed at CreatePolicy (or the first time another server node meets them).
final class PolicyDocumentCache: Sendable {
    static let capacity = 4096
    private let documents = Mutex<[String: PolicyDocument]>([:])

    /// The parsed document; nil if the text (which RAM validated when it was stored) does not parse.
    func document(_ text: String) -> PolicyDocument? {
        if let hit = documents.withLock({ $0[text] }) { return hit }
        guard let parsed = try? PolicyParser.parse(text) else { return nil }
        insert(text, parsed)
        return parsed
    }

    func insert(_ text: String, _ document: PolicyDocument) {
        documents.withLock { d in
            if d.count >= Self.capacity { d.removeAll(keepingCapacity: true) }
            d[text] = document
        }
    }
}
