import ECSDomain
import ECSStore
import Foundation
import Testing

/// Reset, export and import (`deleteState`, `stateRecords`, `insertState` and `StateService`)
/// on every backend. The PostgreSQL database is shared by tests running at once, so there only
/// account-scoped operations run; wiping the whole store runs on the SQLite backends.
@Suite("Store state: reset, export, import")
struct StateTests {
    /// One of everything in account `a`, with tags, optional fields and a settled instance.
    static func fill(_ store: any Store, _ a: String) async throws {
        try await store.write { tx in
            try tx.insertAccount(a, createdAt: 5)
            try tx.insertAccessKey(AccessKeyRecord(id: "AK" + a, secret: "root/secret", accountId: a, userName: nil, status: .active, createdAt: 5))
            try tx.insertAccessKey(AccessKeyRecord(id: "AKU" + a, secret: "s2", accountId: a, userName: "bob", status: .inactive, createdAt: 6))
            try tx.insertUser(UserRecord(accountId: a, name: "bob", id: "2" + a, displayName: "Bob \"B\"", email: "b@x", mobilePhone: "",
                                         comments: "é ✓", createdAt: 6, updatedAt: 7))
            try tx.insertPolicy(PolicyRecord(accountId: a, name: "p1", document: #"{"Version":"1","Statement":[]}"#, description: "",
                                             createdAt: 8, updatedAt: 8))
            try tx.insertAttachment(PolicyAttachmentRecord(accountId: a, userName: "bob", policyType: "Custom", policyName: "p1", attachedAt: 9))
            try tx.insertRole(RoleRecord(accountId: a, name: "r1", id: "3" + a, description: "d", trustPolicy: "{}", maxSessionDuration: 3600,
                                         createdAt: 10, updatedAt: 10))
            try tx.insertRoleAttachment(RolePolicyRecord(accountId: a, roleName: "r1", policyType: "System", policyName: "AliyunECSFullAccess",
                                                         attachedAt: 11))
            try tx.insertKeyPair(keyPair(a, "k2", at: 12, tags: [ResourceTag(key: "a=b&c", value: "100%")]))
            try tx.insertKeyPair(keyPair(a, "k1", region: sh, at: 13))
            var i = instance(a, "i-" + a + "b", at: 14, keyPair: "k2", tags: [ResourceTag(key: "env", value: "ci")])
            i.effectiveKeyPair = "k2"; i.passwordSet = true
            i.userData = "IyEvYmluL3NoCmVjaG8gaGkK"; i.systemDiskCategory = "cloud_auto"; i.systemDiskSize = 80
            i.dataDisks = Self.dataDisks
            try tx.insertInstance(i)
            try tx.insertInstance(instance(a, "i-" + a + "a", at: 15))
            try tx.insertIdempotency(IdempotencyRecord(accountId: a, token: "t", action: "RunInstances", requestDigest: "d", result: "i-x", createdAt: 16))
        }
    }

    static let dataDisks = [
        DataDiskRecord(index: 1, category: "cloud_essd", size: 100, performanceLevel: "PL1", name: "db", description: "données", device: "/dev/xvdc"),
        DataDiskRecord(index: 2, category: "cloud", size: 5, performanceLevel: "", name: "", description: "", device: "/dev/xvdb"),
    ]

    static func json(_ store: any Store, _ a: String?) async throws -> String {
        let records = try await store.read { try $0.stateRecords(account: a) }
        return String(decoding: try Estate(records).canonicalJSON(), as: UTF8.self)
    }

    @Test(arguments: Backend.all)
    func exportImportExportIsByteIdentical(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = newAccount()
            try await Self.fill(store, a)
            let first = try await Self.json(store, a)
            let estate = try Estate.decode(Data(first.utf8))
            #expect(estate.accounts.count == 1)
            #expect(estate.accounts[0].keyPairs.map(\.name) == ["k2", "k1"])  // cn-hangzhou before cn-shanghai
            #expect(estate.accounts[0].instances.map(\.id) == ["i-\(a)a", "i-\(a)b"])
            #expect(first.contains(#""format" : "localecs-estate/1""#))
            // User data and the system disk travel in the estate and come back the same.
            #expect(estate.accounts[0].instances[1].userData == "IyEvYmluL3NoCmVjaG8gaGkK")
            #expect(estate.accounts[0].instances[1].systemDisk == Estate.SystemDisk(category: "cloud_auto", size: 80))
            #expect(estate.accounts[0].instances[0].userData == nil)
            #expect(estate.accounts[0].instances[1].dataDisks == Self.dataDisks)
            #expect(estate.accounts[0].instances[0].dataDisks == nil)
            // Replace the account by its own estate: same bytes.
            try await store.write { tx in
                try tx.deleteState(.accounts([a]))
                try tx.insertState(try estate.records())
            }
            #expect(try await Self.json(store, a) == first)
            // The quota counter follows the rows.
            #expect(try await store.read { try $0.keyPairCount(account: a, region: hz) } == 1)
            // Importing it on top again conflicts (the IDs exist) and changes nothing.
            #expect(isConflict(await thrown { try await store.write { try $0.insertState(try estate.records()) } }))
            #expect(try await Self.json(store, a) == first)
        }
    }

    @Test(arguments: Backend.all)
    func resetOfOneAccountKeepsItsRootKeysAndOtherAccounts(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = newAccount(), b = newAccount()
            try await Self.fill(store, a)
            try await Self.fill(store, b)
            let before = try await Self.json(store, b)
            let state = StateService(store: store, clock: ManualClock(), root: RootAccount(id: a, accessKeyId: "AK" + a, secret: "x"))
            try await state.reset(account: a)
            try await store.read { tx in
                let r = try tx.stateRecords(account: a)
                #expect(r.accounts.map(\.id) == [a])
                #expect(r.accessKeys.map(\.id) == ["AK" + a])
                #expect(r.users.isEmpty && r.policies.isEmpty && r.roles.isEmpty && r.userPolicies.isEmpty && r.rolePolicies.isEmpty)
                #expect(r.keyPairs.isEmpty && r.instances.isEmpty)
                #expect(try tx.keyPairCount(account: a, region: hz) == 0)
                #expect(try tx.idempotency(account: a, token: "t", action: "RunInstances") == nil)
                #expect(try tx.idempotency(account: b, token: "t", action: "RunInstances") != nil)
            }
            #expect(try await Self.json(store, b) == before)
            let missing = newAccount()
            #expect(await thrown { try await state.reset(account: missing) } as? StateError == .accountNotFound(missing))
        }
    }

    @Test(arguments: [Backend.sqliteMemory, .sqliteFile])
    func resetEverythingKeepsNoncesAndRestoresTheRootAccount(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = newAccount(), root = RootAccount(id: "1000000000000001", accessKeyId: "LTAIroot", secret: "sk")
            try await Self.fill(store, a)
            #expect(try await store.useNonce(accessKeyId: "AK" + a, nonce: "n1", expiresAt: 1_000_000, now: 1))
            let state = StateService(store: store, clock: ManualClock(), root: root)
            try await state.reset()
            try await store.read { tx in
                #expect(try !tx.holdsResources())
                let r = try tx.stateRecords(account: nil)
                #expect(r.accounts.map(\.id) == [root.id])
                #expect(r.accessKeys.map(\.id) == [root.accessKeyId])
                #expect(r.count == 2)
            }
            #expect(try await !store.useNonce(accessKeyId: "AK" + a, nonce: "n1", expiresAt: 1_000_000, now: 2), "a reset must not reopen a replay")
        }
    }

    @Test(arguments: [Backend.sqliteMemory, .sqliteFile])
    func loadRefusesANonEmptyStoreUnlessReplacing(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = newAccount(), root = RootAccount(id: "1000000000000001", accessKeyId: "LTAIroot", secret: "sk")
            let state = StateService(store: store, clock: ManualClock(), root: root)
            try await state.reset()
            try await Self.fill(store, a)
            let full = try await state.export()
            let bytes = try full.canonicalJSON()
            #expect(await thrown { try await state.load(full, replace: false) } as? StateError == .notEmpty)
            try await state.load(full, replace: true)
            #expect(try await state.export().canonicalJSON() == bytes)
            // Into a new store (only its root account): accepted, and the same bytes come out.
            try await state.reset()
            try await state.load(full, replace: false)
            #expect(try await state.export().canonicalJSON() == bytes)
            // An access key ID the estate gives to another account: a conflict, nothing written.
            try await state.reset()
            var clash = Estate(accounts: [full.accounts.first { $0.id == a }!])
            clash.accounts[0].accessKeys[0].id = root.accessKeyId
            #expect(await thrown { try await state.load(clash, replace: false) }.map { "\($0)" }?.contains("conflicts") == true)
            #expect(try await store.read { try $0.holdsResources() } == false)
        }
    }

    /// Writers of one account racing resets of it: every write either commits wholly before a
    /// reset or after it (each write makes a key pair and an instance bound to it, so a reset in
    /// the middle would leave an instance without its key pair), and nothing fails.
    @Test(arguments: Backend.all)
    func resetsRacingWritersLeaveNoHalfState(_ backend: Backend) async throws {
        try await withStore(backend, poolSize: 8) { store in
            let a = newAccount()
            try await store.write { try $0.insertAccount(a, createdAt: 1) }
            let state = StateService(store: store, clock: ManualClock(), root: RootAccount(id: a, accessKeyId: "AK" + a, secret: "x"))
            let errors = await concurrently(9) { n -> [String] in
                var errors: [String] = []
                for i in 0..<20 {
                    do {
                        if n == 8 {
                            if i % 4 == 0 { try await state.reset(account: a) }
                            let r = try await store.read { try $0.stateRecords(account: a) }
                            let names = Set(r.keyPairs.map(\.name))
                            if let orphan = r.instances.first(where: { !names.contains($0.boundKeyPair ?? "") }) {
                                errors.append("half state: \(orphan.id) without its key pair")
                            }
                        } else {
                            try await store.write { tx in
                                let name = "k-\(n)-\(i)"
                                try tx.insertKeyPair(keyPair(a, name))
                                try tx.insertInstance(instance(a, "i-\(a)-\(n)-\(i)", keyPair: name))
                            }
                        }
                    } catch {
                        errors.append("\(error)")
                    }
                }
                return errors
            }
            #expect(errors.flatMap { $0 } == [])
            try await state.reset(account: a)
            try await store.read { tx throws in
                #expect(try tx.stateRecords(account: a).count == 1)
                #expect(try tx.keyPairCount(account: a, region: hz) == 0)
            }
        }
    }

    @Test func decodingRefusesWithClearMessages() throws {
        func error(_ text: String) -> String {
            do { _ = try Estate.decode(Data(text.utf8)); return "accepted" } catch { return "\(error)" }
        }
        #expect(error("nope") == "malformed estate: not a JSON object (not valid JSON)")
        #expect(error("{}").contains(#"no "format" field"#))
        #expect(error(#"{"format":"localecs-estate/9","accounts":[]}"#) == #"unknown estate format "localecs-estate/9": this LocalECS reads localecs-estate/1"#)
        #expect(error(#"{"format":"localecs-estate/1"}"#).contains(#"missing field "accounts""#))
        #expect(error(#"{"format":"localecs-estate/1","accounts":[{"id":"12","createdAt":1,"accessKeys":[],"users":[],"policies":[],"userPolicies":[],"roles":[],"rolePolicies":[],"keyPairs":[],"instances":[]}]}"#)
                == #"invalid estate: account ID "12" is not 16 digits"#)
        #expect(error(#"{"format":"localecs-estate/1","accounts":[{"id":"1000000000000001","createdAt":"x"}]}"#)
                == "malformed estate: accounts[0].createdAt should be an integer")
        #expect(error(#"{"format":"localecs-estate/1","accounts":[]}"#) == "accepted")
    }
}
