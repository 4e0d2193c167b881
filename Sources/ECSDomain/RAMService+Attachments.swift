import ECSStore

/// Who a policy is attached to: a RAM user or a RAM role. Attach, detach and list work the same
/// for both; only the store calls and the error wording differ, and they live here.
public enum PolicyHolder: Sendable, Equatable {
    case user(String)
    case role(String)

    var name: String {
        switch self {
        case .user(let n), .role(let n): return n
        }
    }

    func checkName() throws {
        switch self {
        case .user(let n): try RAMService.checkUserName(n)
        case .role(let n): try RAMService.checkRoleName(n)
        }
    }

    func exists(_ tx: any StoreReader, account: String) throws -> Bool {
        switch self {
        case .user(let n): return try tx.user(account: account, name: n) != nil
        case .role(let n): return try tx.role(account: account, name: n) != nil
        }
    }

    /// (type, name, attachedAt) of each attached policy, in the order attached.
    func attachments(_ tx: any StoreReader, account: String) throws -> [(type: String, name: String, attachedAt: Int64)] {
        switch self {
        case .user(let n): return try tx.attachments(account: account, userName: n).map { ($0.policyType, $0.policyName, $0.attachedAt) }
        case .role(let n): return try tx.roleAttachments(account: account, roleName: n).map { ($0.policyType, $0.policyName, $0.attachedAt) }
        }
    }

    func insert(_ tx: any StoreWriter, account: String, type: String, policy: String, at: Int64) throws {
        switch self {
        case .user(let n):
            try tx.insertAttachment(PolicyAttachmentRecord(accountId: account, userName: n, policyType: type, policyName: policy, attachedAt: at))
        case .role(let n):
            try tx.insertRoleAttachment(RolePolicyRecord(accountId: account, roleName: n, policyType: type, policyName: policy, attachedAt: at))
        }
    }

    func delete(_ tx: any StoreWriter, account: String, type: String, policy: String) throws {
        switch self {
        case .user(let n): try tx.deleteAttachment(account: account, userName: n, policyType: type, policyName: policy)
        case .role(let n): try tx.deleteRoleAttachment(account: account, roleName: n, policyType: type, policyName: policy)
        }
    }

    var notFound: RAMError {
        switch self {
        case .user(let n): return .userNotFound(n)
        case .role(let n): return .roleNotFound(n)
        }
    }

    func alreadyAttached(_ policy: String) -> RAMError {
        switch self {
        case .user(let n): return .policyAlreadyAttached(user: n, policy: policy)
        case .role(let n): return .rolePolicyAlreadyAttached(role: n, policy: policy)
        }
    }

    func notAttached(_ policy: String) -> RAMError {
        switch self {
        case .user(let n): return .policyNotAttached(user: n, policy: policy)
        case .role(let n): return .rolePolicyNotAttached(role: n, policy: policy)
        }
    }

    func limitReached(type: String, limit: Int) -> RAMError {
        switch self {
        case .user: return .userPolicyLimit(type: type, limit: limit)
        case .role: return .rolePolicyLimit(type: type, limit: limit)
        }
    }
}

extension RAMService {
    /// AttachPolicyToUser / AttachPolicyToRole: at most 20 system and 5 custom policies each.
    public func attach(account: String, to holder: PolicyHolder, policyType: String, policyName: String) async throws {
        try Self.checkPolicyType(policyType)
        try Self.checkPolicyName(policyName)
        try holder.checkName()
        let now = clock.nowMillis()
        try await write(account) { tx in
            guard try holder.exists(tx, account: account) else { throw holder.notFound }
            try Self.requirePolicy(tx, account: account, type: policyType, name: policyName)
            let attached = try holder.attachments(tx, account: account)
            if attached.contains(where: { $0.type == policyType && $0.name == policyName }) { throw holder.alreadyAttached(policyName) }
            let limit = policyType == Self.system ? Self.maxSystemPoliciesPerUser : Self.maxCustomPoliciesPerUser
            if attached.filter({ $0.type == policyType }).count >= limit { throw holder.limitReached(type: policyType, limit: limit) }
            do {
                try holder.insert(tx, account: account, type: policyType, policy: policyName, at: now)
            } catch StoreError.conflict {
                throw holder.alreadyAttached(policyName)
            }
        }
    }

    /// DetachPolicyFromUser / DetachPolicyFromRole.
    public func detach(account: String, from holder: PolicyHolder, policyType: String, policyName: String) async throws {
        try Self.checkPolicyType(policyType)
        try Self.checkPolicyName(policyName)
        try holder.checkName()
        try await write(account) { tx in
            guard try holder.exists(tx, account: account) else { throw holder.notFound }
            try Self.requirePolicy(tx, account: account, type: policyType, name: policyName)
            guard try holder.attachments(tx, account: account).contains(where: { $0.type == policyType && $0.name == policyName }) else {
                throw holder.notAttached(policyName)
            }
            try holder.delete(tx, account: account, type: policyType, policy: policyName)
        }
    }

    /// ListPoliciesForUser / ListPoliciesForRole: in the order they were attached.
    public func policies(account: String, of holder: PolicyHolder) async throws -> [UserPolicyView] {
        try holder.checkName()
        return try await store.read { tx in
            guard try holder.exists(tx, account: account) else { throw holder.notFound }
            return try holder.attachments(tx, account: account).map { a in
                let description = a.type == Self.system
                    ? Self.systemDescriptions[a.name] ?? ""
                    : try tx.policy(account: account, name: a.name)?.description ?? ""
                return UserPolicyView(name: a.name, type: a.type, description: description, attachedAt: a.attachedAt)
            }
        }
    }
}
