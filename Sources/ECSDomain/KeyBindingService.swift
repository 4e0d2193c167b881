import ECSStore

/// The outcome of Attach/DetachKeyPair for one instance (`decisions.md`).
public struct BindingResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case success
        case instanceNotFound
        case notAttached
        case incorrectStatus
    }
    public var instanceId: String
    public var outcome: Outcome
}

/// AttachKeyPair and DetachKeyPair: the heart of LocalECS.
///
/// Whole-call checks come first and a failed call changes nothing: the key pair must exist in
/// the caller's account and region, and no target may run Windows. Then each instance is
/// bound or unbound inside the same transaction, with per-instance outcomes in request order.
/// The binding shows at once; the login changes only at the next start or reboot.
public struct KeyBindingService: Sendable {
    let store: any Store
    let clock: any Clock

    public init(store: any Store, clock: any Clock) {
        self.store = store; self.clock = clock
    }

    public enum Change: Sendable { case attach, detach }

    /// - Parameter instanceIds: distinct IDs in first-seen order (the parser removes duplicates).
    public func apply(_ change: Change, _ caller: Caller, region: String, keyPairName: String,
                      instanceIds: [String]) async throws -> [BindingResult] {
        _ = try Validation.region(region)
        let account = caller.accountId
        let now = clock.nowMillis()
        return try await store.write { tx in
            guard try tx.keyPair(account: account, region: region, name: keyPairName) != nil else {
                throw DomainError.keyPairNotFound(keyPairName)
            }
            let found = try tx.instancesForUpdate(account: account, ids: instanceIds).filter { $0.regionId == region }
            if let windows = found.first(where: \.isWindows) { throw DomainError.windowsInstance(windows.id) }
            let byId = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var results: [BindingResult] = []
            results.reserveCapacity(instanceIds.count)
            for id in instanceIds {
                guard var r = byId[id] else {
                    results.append(BindingResult(instanceId: id, outcome: .instanceNotFound))
                    continue
                }
                if r.status(at: now) == .pending {
                    results.append(BindingResult(instanceId: id, outcome: .incorrectStatus))
                    continue
                }
                switch change {
                case .attach:
                    if r.boundKeyPair != keyPairName {
                        r.boundKeyPair = keyPairName
                        try tx.updateInstance(r)
                    }
                case .detach:
                    guard r.boundKeyPair == keyPairName else {
                        results.append(BindingResult(instanceId: id, outcome: .notAttached))
                        continue
                    }
                    r.boundKeyPair = nil
                    try tx.updateInstance(r)
                }
                results.append(BindingResult(instanceId: id, outcome: .success))
            }
            return results
        }
    }
}
