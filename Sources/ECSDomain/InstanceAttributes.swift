import ECSKeys
import ECSStore

/// What ModifyInstanceAttribute was asked to change; nil leaves an attribute as it is.
public struct AttributeChange: Sendable, Equatable {
    public var password: String?
    public var instanceName: String?
    public var hostName: String?
    public var description: String?

    public init(password: String? = nil, instanceName: String? = nil, hostName: String? = nil, description: String? = nil) {
        self.password = password; self.instanceName = instanceName; self.hostName = hostName; self.description = description
    }
}

extension InstanceService {
    /// ModifyInstanceAttribute. Every value is checked before anything changes. A new password
    /// is kept only as a salted slow hash and, like a key pair, logs in from the next start or
    /// reboot; ECS refuses it while the instance is Pending or Starting.
    public func modifyAttribute(_ caller: Caller, id: String, region: String?, _ change: AttributeChange) async throws {
        let account = caller.accountId
        guard let current = try await store.read({ try $0.instance(account: account, id: id) }),
              region == nil || current.regionId == region else { throw DomainError.instanceNotFound(id) }
        if let p = change.password, !Validation.isValidPassword(p, windows: current.isWindows) { throw DomainError.passwordMalformed(p) }
        if let n = change.instanceName, !Validation.isValidInstanceName(n) { throw DomainError.instanceNameMalformed(n) }
        if let h = change.hostName, !Validation.isValidHostName(h, windows: current.isWindows) { throw DomainError.hostNameMalformed(h) }
        if let d = change.description, !Validation.isValidDescription(d) { throw DomainError.descriptionMalformed }
        // PBKDF2 is slow: hashed before the write transaction, which then only stores it.
        let hash = change.password.map { SecretHash.passwordHash($0) }
        let now = clock.nowMillis()
        try await store.write { tx in
            guard var r = try tx.instancesForUpdate(account: account, ids: [id]).first, region == nil || r.regionId == region else {
                throw DomainError.instanceNotFound(id)
            }
            if let hash {
                let status = r.status(at: now)
                if status == .pending || status == .starting {
                    throw DomainError.incorrectInstanceStatus(id: id, status: status.rawValue)
                }
                r.passwordHash = hash
                r.passwordSet = true
            }
            if let n = change.instanceName { r.name = n }
            if let h = change.hostName { r.hostName = h }
            if let d = change.description { r.description = d }
            try tx.updateInstance(r)
        }
    }
}
