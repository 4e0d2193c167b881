import ECSKeys
import ECSStore

/// A key pair just created: the only moment its private key exists.
public struct CreatedKeyPair: Sendable {
    public var record: KeyPairRecord
    public var privateKeyPEM: String
}

/// DescribeKeyPairs' paging, after defaults and clamping.
public struct PageRequest: Sendable, Equatable {
    public var number: Int
    public var size: Int
    public init(number: Int, size: Int) { self.number = number; self.size = size }
    /// Rows to skip. Checked: a page beyond `Int.max` rows is past any store's end, so it
    /// saturates instead of trapping (a trap would end the whole server).
    public var offset: Int {
        guard number >= 1, size >= 0 else { return 0 }  // `page(number:size:)` never builds these
        let (skip, overflow) = (number - 1).multipliedReportingOverflow(by: size)
        return overflow ? Int.max : skip
    }
}

/// Create, import, list and delete key pairs: the rules of `ecs-api.md` §4–8 and `decisions.md`.
public struct KeyPairService: Sendable {
    let store: any Store
    let clock: any Clock
    let config: DomainConfig
    /// RSA keys made ahead of time; nil generates each one when asked (`--key-pool 0`).
    let keyPool: KeyPool?

    public init(store: any Store, clock: any Clock, config: DomainConfig, keyPool: KeyPool? = nil) {
        self.store = store; self.clock = clock; self.config = config; self.keyPool = keyPool
    }

    /// Generates an RSA 2048 key pair and stores its public half. The private key is returned
    /// to the caller once and kept nowhere.
    public func create(_ caller: Caller, region: String, name: String, resourceGroupId: String?,
                       tags: [ResourceTag]) async throws -> CreatedKeyPair {
        try checkNew(region: region, name: name, resourceGroupId: resourceGroupId, tags: tags)
        // Key generation is slow (tens of ms): it happens before, not inside, the transaction, and
        // usually ahead of time. A key taken here and then refused (name taken, quota) is dropped.
        let generated = try keyPool?.take() ?? KeyGenerator.generateRSA2048()
        let record = KeyPairRecord(accountId: caller.accountId, regionId: region, name: name, id: IDs.keyPair(),
                                   fingerprint: generated.fingerprint, publicKey: generated.publicKey,
                                   resourceGroupId: resourceGroupId ?? "", tags: tags, createdAt: clock.nowMillis())
        try await insert(record)
        return CreatedKeyPair(record: record, privateKeyPEM: generated.privateKeyPEM)
    }

    /// Stores a caller's OpenSSH public key after parsing it for real.
    public func importKey(_ caller: Caller, region: String, name: String, publicKeyBody: String,
                          resourceGroupId: String?, tags: [ResourceTag]) async throws -> KeyPairRecord {
        try checkNew(region: region, name: name, resourceGroupId: resourceGroupId, tags: tags)
        let parsed: ParsedPublicKey
        do { parsed = try PublicKeyParser.parse(publicKeyBody) } catch { throw DomainError.publicKeyMalformed(String(describing: error)) }
        let record = KeyPairRecord(accountId: caller.accountId, regionId: region, name: name, id: IDs.keyPair(),
                                   fingerprint: parsed.fingerprint, publicKey: parsed.normalized,
                                   resourceGroupId: resourceGroupId ?? "", tags: tags, createdAt: clock.nowMillis())
        try await insert(record)
        return record
    }

    private func checkNew(region: String, name: String, resourceGroupId: String?, tags: [ResourceTag]) throws(DomainError) {
        _ = try Validation.region(region)
        guard Validation.isValidKeyPairName(name) else { throw .keyPairNameMalformed(name) }
        try Validation.checkTags(tags)
        try Validation.checkResourceGroup(resourceGroupId)
    }

    private func insert(_ record: KeyPairRecord) async throws {
        let quota = config.keyPairQuota
        try await store.write { tx in
            try tx.lockKeyPairs(account: record.accountId, region: record.regionId)
            if try tx.keyPair(account: record.accountId, region: record.regionId, name: record.name) != nil {
                throw DomainError.keyPairExists(record.name)
            }
            if try tx.keyPairCount(account: record.accountId, region: record.regionId) >= quota {
                throw DomainError.keyPairQuotaExceeded(limit: quota)
            }
            do {
                try tx.insertKeyPair(record)
            } catch StoreError.conflict {
                throw DomainError.keyPairExists(record.name)
            }
        }
    }

    /// Paging rules: size defaults to 10 and is clamped to 1–50; number defaults to 1 and must be ≥ 1.
    public static func page(number: Int?, size: Int?, maxSize: Int = 50) throws(DomainError) -> PageRequest {
        let n = number ?? 1
        guard n >= 1 else { throw .pageNumberInvalid }
        return PageRequest(number: n, size: min(max(size ?? 10, 1), maxSize))
    }

    /// Lists key pairs, oldest first; `name` with `*` matches as a wildcard, without it exactly.
    public func describe(_ caller: Caller, region: String, name: String?, fingerprint: String?,
                         resourceGroupId: String?, tags: [ResourceTag], page: PageRequest) async throws -> Page<KeyPairRecord> {
        _ = try Validation.region(region)
        // A byte test: String.contains(String) is Foundation's, through CFStringFind (~1 % of W1).
        let match: NameMatch? = name.map { $0.utf8.contains(UInt8(ascii: "*")) ? .wildcard($0) : .exact($0) }
        let query = KeyPairQuery(name: match, fingerprint: fingerprint, resourceGroupId: resourceGroupId, tags: tags,
                                 offset: page.offset, limit: page.size)
        let account = caller.accountId
        return try await store.read { try $0.keyPairs(account: account, region: region, query: query) }
    }

    /// Deletes all named key pairs or none: a bound one refuses the whole call; unknown names are skipped.
    public func delete(_ caller: Caller, region: String, names: [String]) async throws {
        _ = try Validation.region(region)
        let account = caller.accountId
        try await store.write { tx in
            try tx.lockKeyPairs(account: account, region: region)
            for name in names where try tx.instancesBound(account: account, region: region, keyPair: name) > 0 {
                throw DomainError.keyPairAttached(name)
            }
            try tx.deleteKeyPairs(account: account, region: region, names: names)
        }
    }
}
