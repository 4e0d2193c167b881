import ECSPolicy
import ECSStore

extension RAMService {
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
                guard cascade else {
                    let onUsers = try tx.users(account: account, after: nil, limit: -1).contains { u in
                        try tx.attachments(account: account, userName: u.name).contains { $0.policyType == Self.custom && $0.policyName == name }
                    }
                    throw onUsers ? RAMError.policyAttachedToUsers(name) : RAMError.policyAttachedToRoles(name)
                }
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
                after = nil
                while true {
                    let roles = try tx.roles(account: account, after: after, limit: 500)
                    for r in roles where try tx.roleAttachments(account: account, roleName: r.name)
                        .contains(where: { $0.policyType == Self.custom && $0.policyName == name }) {
                        try tx.deleteRoleAttachment(account: account, roleName: r.name, policyType: Self.custom, policyName: name)
                    }
                    guard roles.count == 500, let last = roles.last else { break }
                    after = last.name
                }
            }
            try tx.deletePolicy(account: account, name: name)
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
}
