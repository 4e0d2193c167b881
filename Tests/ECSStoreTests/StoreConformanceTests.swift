import ECSStore
import Testing

/// The `Store` protocol's contract, method by method, on every backend.
@Suite("Store conformance")
struct StoreConformanceTests {
    struct Boom: Error, Equatable {}

    @Test(arguments: Backend.all)
    func accountsAndAccessKeys(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount(), root = "AK" + a, user = "AKU" + a
            try await store.write { tx throws in
                try tx.insertAccount(a, createdAt: 5)
                try tx.insertAccessKey(AccessKeyRecord(id: root, secret: "s1", accountId: a, userName: nil, status: .active, createdAt: 5))
                try tx.insertAccessKey(AccessKeyRecord(id: user + "2", secret: "s3", accountId: a, userName: "bob", status: .active, createdAt: 7))
                try tx.insertAccessKey(AccessKeyRecord(id: user + "1", secret: "s2", accountId: a, userName: "bob", status: .inactive, createdAt: 7))
                try tx.insertAccessKey(AccessKeyRecord(id: user + "0", secret: "s4", accountId: a, userName: "bob", status: .active, createdAt: 9))
            }
            try await store.read { tx throws in
                #expect(try tx.accountExists(a))
                #expect(try !tx.accountExists(newAccount()))
                #expect(try tx.accessKey(id: root) == AccessKeyRecord(id: root, secret: "s1", accountId: a, userName: nil, status: .active, createdAt: 5))
                #expect(try tx.accessKey(id: "nope" + a) == nil)
                // Ordered by created_at, then ID.
                #expect(try tx.accessKeys(account: a, userName: "bob").map(\.id) == [user + "1", user + "2", user + "0"])
                #expect(try tx.accessKeys(account: a, userName: "alice").isEmpty)
                #expect(try tx.accessKeys(account: newAccount(), userName: "bob").isEmpty)
            }
            #expect(isConflict(await thrown { try await store.write { try $0.insertAccount(a, createdAt: 6) } }))
            #expect(isConflict(await thrown {
                try await store.write {
                    try $0.insertAccessKey(AccessKeyRecord(id: root, secret: "x", accountId: newAccount(), userName: nil, status: .active, createdAt: 1))
                }
            }))
            try await store.write { tx throws in
                try tx.updateAccessKeyStatus(account: a, id: user + "1", status: .active)
                try tx.updateAccessKeyStatus(account: newAccount(), id: user + "2", status: .inactive)  // other account: no effect
                try tx.deleteAccessKey(account: a, id: user + "0")
            }
            try await store.read { tx throws in
                #expect(try tx.accessKey(id: user + "1")?.status == .active)
                #expect(try tx.accessKey(id: user + "2")?.status == .active)
                #expect(try tx.accessKey(id: user + "0") == nil)
            }
        }
    }

    @Test(arguments: Backend.all)
    func keyPairRoundTripAndUniqueness(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount(), b = newAccount()
            let tags = [ResourceTag(key: "a=b&c", value: "100%"), ResourceTag(key: "k", value: "")]
            let k1 = keyPair(a, "k1", at: 10, fingerprint: "aa:bb", group: "rg-1", tags: tags)
            try await store.write { tx throws in
                try tx.insertKeyPair(k1)
                try tx.insertKeyPair(keyPair(a, "k1", region: sh))
                try tx.insertKeyPair(keyPair(b, "k1"))
                try tx.insertKeyPair(keyPair(a, "k2"))
            }
            try await store.read { tx throws in
                #expect(try tx.keyPair(account: a, region: hz, name: "k1") == k1)
                #expect(try tx.keyPair(account: a, region: hz, name: "K1") == nil)
                #expect(try tx.keyPair(account: a, region: "cn-beijing", name: "k1") == nil)
                #expect(try tx.keyPairCount(account: a, region: hz) == 2)
                #expect(try tx.keyPairCount(account: a, region: sh) == 1)
                #expect(try tx.keyPairCount(account: newAccount(), region: hz) == 0)
            }
            #expect(isConflict(await thrown { try await store.write { try $0.insertKeyPair(keyPair(a, "k1")) } }))
            try await store.write { tx throws in
                try tx.lockKeyPairs(account: a, region: hz)
                try tx.deleteKeyPairs(account: a, region: hz, names: ["k1", "unknown", "k2"])
            }
            try await store.read { tx throws in
                #expect(try tx.keyPairCount(account: a, region: hz) == 0)
                #expect(try tx.keyPair(account: a, region: sh, name: "k1") != nil)
                #expect(try tx.keyPair(account: b, region: hz, name: "k1") != nil)
            }
        }
    }

    @Test(arguments: Backend.all)
    func keyPairQueriesMatchOrderAndPage(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount()
            let red = ResourceTag(key: "color", value: "red"), big = ResourceTag(key: "size", value: "big")
            // Same created_at for most, so the name breaks ties, byte-wise ("K" < "a" < "k").
            let all = ["kp-b", "kp-a", "KP-c", "kp_x", "kp%y", "k?p", "k[1]", "k!z", "alpha", "kpx"]
            try await store.write { tx throws in
                for (i, n) in all.enumerated() {
                    try tx.insertKeyPair(keyPair(a, n, at: n == "alpha" ? 50 : 7, fingerprint: i % 2 == 0 ? "even" : "odd",
                                                 group: i < 3 ? "rg-x" : "", tags: i < 4 ? [red, big] : (i < 6 ? [red] : [])))
                }
                try tx.insertKeyPair(keyPair(a, "kp-other-region", region: sh))
            }
            func names(_ q: KeyPairQuery) async throws -> [String] {
                try await store.read { try $0.keyPairs(account: a, region: hz, query: q) }.items.map(\.name)
            }
            func total(_ q: KeyPairQuery) async throws -> Int {
                try await store.read { try $0.keyPairs(account: a, region: hz, query: q) }.total
            }
            #expect(try await names(KeyPairQuery(limit: 50)) == ["KP-c", "k!z", "k?p", "k[1]", "kp%y", "kp-a", "kp-b", "kp_x", "kpx", "alpha"])
            #expect(try await names(KeyPairQuery(name: .wildcard("kp-*"), limit: 50)) == ["kp-a", "kp-b"])
            #expect(try await names(KeyPairQuery(name: .wildcard("kp_*"), limit: 50)) == ["kp_x"])
            #expect(try await names(KeyPairQuery(name: .wildcard("kp%*"), limit: 50)) == ["kp%y"])
            #expect(try await names(KeyPairQuery(name: .wildcard("k?*"), limit: 50)) == ["k?p"])
            #expect(try await names(KeyPairQuery(name: .wildcard("k[*"), limit: 50)) == ["k[1]"])
            #expect(try await names(KeyPairQuery(name: .wildcard("k!*"), limit: 50)) == ["k!z"])
            #expect(try await names(KeyPairQuery(name: .wildcard("*-*"), limit: 50)) == ["KP-c", "kp-a", "kp-b"])
            #expect(try await names(KeyPairQuery(name: .wildcard("*P*"), limit: 50)) == ["KP-c"])
            #expect(try await names(KeyPairQuery(name: .wildcard("k*x"), limit: 50)) == ["kp_x", "kpx"])
            #expect(try await names(KeyPairQuery(name: .wildcard("*"), limit: 50)).count == 10)
            #expect(try await names(KeyPairQuery(name: .exact("kp-a"), limit: 50)) == ["kp-a"])
            #expect(try await names(KeyPairQuery(name: .exact("kp-*"), limit: 50)) == [])
            #expect(try await names(KeyPairQuery(name: .exact("KP-A"), limit: 50)) == [])
            #expect(try await names(KeyPairQuery(fingerprint: "even", limit: 50)) == ["KP-c", "k[1]", "kp%y", "kp-b", "alpha"])
            #expect(try await names(KeyPairQuery(resourceGroupId: "rg-x", limit: 50)) == ["KP-c", "kp-a", "kp-b"])
            // Tags: all asked must be present.
            #expect(try await names(KeyPairQuery(tags: [red], limit: 50)) == ["KP-c", "k?p", "kp%y", "kp-a", "kp-b", "kp_x"])
            #expect(try await names(KeyPairQuery(tags: [red, big], limit: 50)) == ["KP-c", "kp-a", "kp-b", "kp_x"])
            #expect(try await names(KeyPairQuery(tags: [ResourceTag(key: "color", value: "blue")], limit: 50)) == [])
            // Filters combine with AND.
            #expect(try await names(KeyPairQuery(name: .wildcard("kp*"), fingerprint: "odd", tags: [red], limit: 50)) == ["kp-a", "kp_x"])
            // Paging: total counts every match; offset past the end gives no items.
            let page = try await store.read { try $0.keyPairs(account: a, region: hz, query: KeyPairQuery(offset: 3, limit: 4)) }
            #expect(page.total == 10)
            #expect(page.items.map(\.name) == ["k[1]", "kp%y", "kp-a", "kp-b"])
            let tagged = try await store.read { try $0.keyPairs(account: a, region: hz, query: KeyPairQuery(tags: [red], offset: 4, limit: 4)) }
            #expect(tagged.total == 6)
            #expect(tagged.items.map(\.name) == ["kp-b", "kp_x"])
            #expect(try await total(KeyPairQuery(offset: 40, limit: 10)) == 10)
            #expect(try await names(KeyPairQuery(offset: 40, limit: 10)) == [])
            #expect(try await names(KeyPairQuery(limit: 0)) == [])
        }
    }

    @Test(arguments: Backend.all)
    func instanceRoundTripAndQueries(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount(), other = newAccount()
            let red = ResourceTag(key: "color", value: "red")
            // Instance IDs are unique across accounts, and PostgreSQL's database is shared: suffix them.
            @Sendable func i(_ id: String) -> String { id + "-" + a }
            var f = instance(a, i("i-full"), name: "web-1", at: 30, keyPair: "kp", tags: [red, ResourceTag(key: "x&y", value: "=")])
            f.effectiveKeyPair = "old"; f.passwordSet = true; f.passwordLoginEffective = true; f.startedAt = 31
            f.resourceGroupId = "rg-9"; f.zoneId = "cn-hangzhou-j"; f.imageId = "img-2"; f.instanceType = "ecs.t6"
            let full = f
            try await store.write { tx throws in
                try tx.insertInstance(full)
                try tx.insertInstance(instance(a, i("i-b"), name: "Web-2", at: 20, keyPair: "kp"))
                try tx.insertInstance(instance(a, i("i-a"), name: "web_3", at: 20, tags: [red]))
                try tx.insertInstance(instance(a, i("i-c"), name: "db", at: 40))
                try tx.insertInstance(instance(a, i("i-sh"), region: sh, at: 1, keyPair: "kp"))
                try tx.insertInstance(instance(other, i("i-other"), at: 1, keyPair: "kp"))
            }
            #expect(isConflict(await thrown { try await store.write { try $0.insertInstance(instance(a, i("i-a"))) } }))
            // IDs are unique across accounts too.
            #expect(isConflict(await thrown { try await store.write { try $0.insertInstance(instance(other, i("i-a"))) } }))
            try await store.read { tx throws in
                #expect(try tx.instance(account: a, id: i("i-full")) == full)
                #expect(try tx.instance(account: other, id: i("i-full")) == nil)
                #expect(try tx.instanceAnyAccount(id: i("i-other"))?.accountId == other)
                #expect(try tx.instanceAnyAccount(id: i("i-none")) == nil)
                #expect(try tx.instancesBound(account: a, region: hz, keyPair: "kp") == 2)
                #expect(try tx.instancesBound(account: a, region: sh, keyPair: "kp") == 1)
                #expect(try tx.instancesBound(account: a, region: hz, keyPair: "KP") == 0)
            }
            func ids(_ q: InstanceQuery) async throws -> [String] {
                try await store.read { try $0.instances(account: a, region: hz, query: q) }.items.map(\.id)
            }
            // Ordered by created_at, then ID; nil limit means every row.
            #expect(try await ids(InstanceQuery()) == [i("i-a"), i("i-b"), i("i-full"), i("i-c")])
            #expect(try await ids(InstanceQuery(offset: 1)) == [i("i-b"), i("i-full"), i("i-c")])
            #expect(try await ids(InstanceQuery(ids: [i("i-c"), i("i-a"), i("i-none"), i("i-other")])) == [i("i-a"), i("i-c")])
            #expect(try await ids(InstanceQuery(ids: [])) == [])
            #expect(try await ids(InstanceQuery(keyPairName: "kp")) == [i("i-b"), i("i-full")])
            #expect(try await ids(InstanceQuery(name: .exact("web-1"))) == [i("i-full")])
            #expect(try await ids(InstanceQuery(name: .wildcard("web*"))) == [i("i-a"), i("i-full")])
            #expect(try await ids(InstanceQuery(name: .wildcard("web_*"))) == [i("i-a")])
            #expect(try await ids(InstanceQuery(name: .wildcard("*eb-*"))) == [i("i-b"), i("i-full")])
            #expect(try await ids(InstanceQuery(imageId: "img-2")) == [i("i-full")])
            #expect(try await ids(InstanceQuery(instanceType: "ecs.t6")) == [i("i-full")])
            #expect(try await ids(InstanceQuery(zoneId: "cn-hangzhou-j")) == [i("i-full")])
            #expect(try await ids(InstanceQuery(resourceGroupId: "rg-9")) == [i("i-full")])
            #expect(try await ids(InstanceQuery(tags: [red])) == [i("i-a"), i("i-full")])
            #expect(try await ids(InstanceQuery(tags: [red], offset: 1, limit: 5)) == [i("i-full")])
            let page = try await store.read { try $0.instances(account: a, region: hz, query: InstanceQuery(offset: 1, limit: 2)) }
            #expect(page.total == 4)
            #expect(page.items.map(\.id) == [i("i-b"), i("i-full")])
            let past = try await store.read { try $0.instances(account: a, region: hz, query: InstanceQuery(offset: 9, limit: 2)) }
            #expect(past.total == 4 && past.items.isEmpty)
            let tagged = try await store.read { try $0.instances(account: a, region: hz, query: InstanceQuery(tags: [red], offset: 0, limit: 1)) }
            #expect(tagged.total == 2 && tagged.items.map(\.id) == [i("i-a")])
        }
    }

    @Test(arguments: Backend.all)
    func instancesForUpdateUpdateAndDelete(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount(), other = newAccount()
            try await store.write { tx throws in
                for id in ["i-1", "i-2", "i-3"] { try tx.insertInstance(instance(a, id + a)) }
                try tx.insertInstance(instance(other, "i-x" + a))
            }
            let locked = try await store.write { tx throws in
                try tx.instancesForUpdate(account: a, ids: ["i-3" + a, "i-none", "i-1" + a, "i-x" + a, "i-3" + a])
            }
            // ID order, each once; unknown and other accounts' IDs skipped.
            #expect(locked.map(\.id) == ["i-1" + a, "i-3" + a])
            #expect(try await store.write { try $0.instancesForUpdate(account: a, ids: []) }.isEmpty)

            var r = locked[0]
            r.name = "renamed"; r.hostName = "host2"; r.description = "desc2"; r.phases = "Stopping,Stopped"; r.phaseStartedAt = 99
            r.stepMillis = 5; r.boundKeyPair = "kp"; r.effectiveKeyPair = "kp0"; r.passwordSet = true
            r.passwordLoginEffective = true; r.tags = [ResourceTag(key: "t", value: "v")]; r.startedAt = 98
            let updated = r
            try await store.write { tx throws in
                try tx.updateInstance(updated)
                var wrong = updated
                wrong.accountId = other; wrong.name = "not me"
                try tx.updateInstance(wrong)  // matches no row: the account is part of the key
            }
            #expect(try await store.read { try $0.instance(account: a, id: updated.id) } == updated)
            var cleared = updated
            cleared.boundKeyPair = nil; cleared.effectiveKeyPair = nil; cleared.passwordSet = false
            let c = cleared
            try await store.write { try $0.updateInstance(c) }
            #expect(try await store.read { try $0.instance(account: a, id: c.id) } == c)

            try await store.write { tx throws in
                try tx.deleteInstance(account: other, id: "i-2" + a)  // not its instance
                try tx.deleteInstance(account: a, id: "i-3" + a)
            }
            try await store.read { tx throws in
                #expect(try tx.instance(account: a, id: "i-2" + a) != nil)
                #expect(try tx.instance(account: a, id: "i-3" + a) == nil)
            }
        }
    }

    @Test(arguments: Backend.all)
    func idempotencyRecords(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount()
            let rec = IdempotencyRecord(accountId: a, token: "tok", action: "RunInstances", requestDigest: "d1", result: "i-1,i-2", createdAt: 3)
            try await store.write { try $0.insertIdempotency(rec) }
            try await store.read { tx throws in
                #expect(try tx.idempotency(account: a, token: "tok", action: "RunInstances") == rec)
                #expect(try tx.idempotency(account: a, token: "tok", action: "CreateInstance") == nil)
                #expect(try tx.idempotency(account: a, token: "TOK", action: "RunInstances") == nil)
                #expect(try tx.idempotency(account: newAccount(), token: "tok", action: "RunInstances") == nil)
            }
            var again = rec
            again.requestDigest = "d2"
            let dup = again
            #expect(isConflict(await thrown { try await store.write { try $0.insertIdempotency(dup) } }))
            var otherAction = rec
            otherAction.action = "CreateInstance"
            let oa = otherAction
            try await store.write { try $0.insertIdempotency(oa) }
        }
    }

    @Test(arguments: Backend.all)
    func ramUsersPoliciesAttachments(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount()
            @Sendable func user(_ n: String) -> UserRecord {
                UserRecord(accountId: a, name: n, id: "u-" + n, displayName: "D " + n, email: n + "@x", mobilePhone: "86-1", comments: "c",
                           createdAt: 1, updatedAt: 2)
            }
            try await store.write { tx throws in
                for n in ["bob", "Zed", "alice", "carol"] { try tx.insertUser(user(n)) }
                try tx.insertPolicy(PolicyRecord(accountId: a, name: "p2", document: "{}", description: "two", createdAt: 1, updatedAt: 1))
                try tx.insertPolicy(PolicyRecord(accountId: a, name: "P1", document: "{\"Version\":\"1\"}", description: "", createdAt: 1, updatedAt: 4))
                try tx.insertAttachment(PolicyAttachmentRecord(accountId: a, userName: "bob", policyType: "Custom", policyName: "p2", attachedAt: 9))
                try tx.insertAttachment(PolicyAttachmentRecord(accountId: a, userName: "bob", policyType: "System", policyName: "AliyunECSFullAccess", attachedAt: 9))
                try tx.insertAttachment(PolicyAttachmentRecord(accountId: a, userName: "bob", policyType: "Custom", policyName: "P1", attachedAt: 3))
                try tx.insertAttachment(PolicyAttachmentRecord(accountId: a, userName: "alice", policyType: "Custom", policyName: "p2", attachedAt: 1))
            }
            try await store.read { tx throws in
                #expect(try tx.user(account: a, name: "bob") == user("bob"))
                #expect(try tx.user(account: a, name: "Bob") == nil)
                #expect(try tx.user(account: newAccount(), name: "bob") == nil)
                // Byte order; `after` is an exclusive marker.
                #expect(try tx.users(account: a, after: nil, limit: 10).map(\.name) == ["Zed", "alice", "bob", "carol"])
                #expect(try tx.users(account: a, after: nil, limit: 2).map(\.name) == ["Zed", "alice"])
                #expect(try tx.users(account: a, after: "alice", limit: 2).map(\.name) == ["bob", "carol"])
                #expect(try tx.users(account: a, after: "carol", limit: 2).isEmpty)
                #expect(try tx.users(account: a, after: nil, limit: -1).count == 4)  // negative: no limit, as SQLite reads it
                #expect(try tx.policy(account: a, name: "P1")?.document == "{\"Version\":\"1\"}")
                #expect(try tx.policy(account: a, name: "p1") == nil)
                #expect(try tx.policies(account: a).map(\.name) == ["P1", "p2"])
                #expect(try tx.attachments(account: a, userName: "bob").map(\.policyName) == ["P1", "AliyunECSFullAccess", "p2"])
                #expect(try tx.attachmentCount(account: a, policyType: "Custom", policyName: "p2") == 2)
                #expect(try tx.attachmentCount(account: a, policyType: "System", policyName: "p2") == 0)
            }
            #expect(isConflict(await thrown { try await store.write { try $0.insertUser(user("bob")) } }))
            #expect(isConflict(await thrown {
                try await store.write { try $0.insertPolicy(PolicyRecord(accountId: a, name: "p2", document: "", description: "", createdAt: 0, updatedAt: 0)) }
            }))
            #expect(isConflict(await thrown {
                try await store.write {
                    try $0.insertAttachment(PolicyAttachmentRecord(accountId: a, userName: "bob", policyType: "Custom", policyName: "p2", attachedAt: 0))
                }
            }))
            try await store.write { tx throws in
                try tx.deleteAttachment(account: a, userName: "bob", policyType: "Custom", policyName: "p2")
                try tx.deletePolicy(account: a, name: "P1")
                try tx.deleteUser(account: a, name: "Zed")
            }
            try await store.read { tx throws in
                #expect(try tx.attachmentCount(account: a, policyType: "Custom", policyName: "p2") == 1)
                #expect(try tx.policies(account: a).map(\.name) == ["p2"])
                #expect(try tx.users(account: a, after: nil, limit: 10).map(\.name) == ["alice", "bob", "carol"])
            }
        }
    }

    @Test(arguments: Backend.all)
    func ramRolesAttachmentsAndSTSSessions(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount()
            @Sendable func role(_ n: String) -> RoleRecord {
                RoleRecord(accountId: a, name: n, id: "r-" + n, description: "d " + n, trustPolicy: "{\"Version\":\"1\"}",
                           maxSessionDuration: 7200, createdAt: 1, updatedAt: 2)
            }
            let session = STSSessionRecord(accessKeyId: "STS." + a, secret: "s", token: "CAIS" + a, accountId: a, roleName: "ops",
                                           roleId: "r-ops", sessionName: "alice@x", policy: "{\"p\":1}", createdAt: 10, expiresAt: 5_000)
            let bare = STSSessionRecord(accessKeyId: "STS.b" + a, secret: "s2", token: "CAIS2", accountId: a, roleName: "ops",
                                        roleId: "r-ops", sessionName: "s2", policy: nil, createdAt: 10, expiresAt: 100)
            try await store.write { tx throws in
                for n in ["ops", "Admin", "dev"] { try tx.insertRole(role(n)) }
                try tx.insertRoleAttachment(RolePolicyRecord(accountId: a, roleName: "ops", policyType: "Custom", policyName: "p2", attachedAt: 9))
                try tx.insertRoleAttachment(RolePolicyRecord(accountId: a, roleName: "ops", policyType: "System", policyName: "AliyunECSReadOnlyAccess", attachedAt: 3))
                try tx.insertRoleAttachment(RolePolicyRecord(accountId: a, roleName: "dev", policyType: "Custom", policyName: "p2", attachedAt: 1))
                try tx.insertAttachment(PolicyAttachmentRecord(accountId: a, userName: "bob", policyType: "Custom", policyName: "p2", attachedAt: 1))
                try tx.insertSTSSession(session)
                try tx.insertSTSSession(bare)
            }
            try await store.read { tx throws in
                #expect(try tx.role(account: a, name: "ops") == role("ops"))
                #expect(try tx.role(account: a, name: "OPS") == nil)
                #expect(try tx.role(account: newAccount(), name: "ops") == nil)
                #expect(try tx.roles(account: a, after: nil, limit: 10).map(\.name) == ["Admin", "dev", "ops"])
                #expect(try tx.roles(account: a, after: "Admin", limit: 1).map(\.name) == ["dev"])
                #expect(try tx.roles(account: a, after: nil, limit: -1).count == 3)
                #expect(try tx.roleAttachments(account: a, roleName: "ops").map(\.policyName) == ["AliyunECSReadOnlyAccess", "p2"])
                #expect(try tx.roleAttachments(account: a, roleName: "Admin").isEmpty)
                // Users' and roles' attachments both count.
                #expect(try tx.attachmentCount(account: a, policyType: "Custom", policyName: "p2") == 3)
                #expect(try tx.stsSession(accessKeyId: session.accessKeyId) == session)
                #expect(try tx.stsSession(accessKeyId: bare.accessKeyId)?.policy == nil)
                #expect(try tx.stsSession(accessKeyId: "STS.nope") == nil)
            }
            #expect(isConflict(await thrown { try await store.write { try $0.insertRole(role("ops")) } }))
            #expect(isConflict(await thrown {
                try await store.write {
                    try $0.insertRoleAttachment(RolePolicyRecord(accountId: a, roleName: "ops", policyType: "Custom", policyName: "p2", attachedAt: 0))
                }
            }))
            #expect(isConflict(await thrown { try await store.write { try $0.insertSTSSession(session) } }))
            try await store.write { tx throws in
                try tx.deleteRoleAttachment(account: a, roleName: "ops", policyType: "Custom", policyName: "p2")
                try tx.deleteRole(account: a, name: "Admin")
                try tx.deleteSTSSessions(expiredBefore: 101)
            }
            try await store.read { tx throws in
                #expect(try tx.roleAttachments(account: a, roleName: "ops").map(\.policyName) == ["AliyunECSReadOnlyAccess"])
                #expect(try tx.attachmentCount(account: a, policyType: "Custom", policyName: "p2") == 2)
                #expect(try tx.roles(account: a, after: nil, limit: 10).map(\.name) == ["dev", "ops"])
                #expect(try tx.stsSession(accessKeyId: bare.accessKeyId) == nil)
                #expect(try tx.stsSession(accessKeyId: session.accessKeyId) == session)
            }
        }
    }

    @Test(arguments: Backend.all)
    func aFailedWriteLeavesNothingAndKeepsItsError(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount()
            let e = await thrown {
                try await store.write { tx throws in
                    try tx.insertAccount(a, createdAt: 1)
                    try tx.insertKeyPair(keyPair(a, "k"))
                    throw Boom()
                }
            }
            #expect(e as? Boom == Boom())
            try await store.read { tx throws in
                #expect(try !tx.accountExists(a))
                #expect(try tx.keyPair(account: a, region: hz, name: "k") == nil)
            }
            let v = try await store.write { tx throws in
                try tx.insertAccount(a, createdAt: 1)
                return 42
            }
            #expect(v == 42)
            #expect(try await store.read { try $0.accountExists(a) })
        }
    }

    /// A refused insert fails that statement only: the body may catch it and carry on, as in SQLite.
    @Test(arguments: Backend.all)
    func aCaughtConflictDoesNotSpoilTheTransaction(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount()
            try await store.write { try $0.insertKeyPair(keyPair(a, "taken")) }
            let caught = try await store.write { tx -> Bool in
                var caught = false
                do { try tx.insertKeyPair(keyPair(a, "taken")) } catch StoreError.conflict { caught = true }
                try tx.insertKeyPair(keyPair(a, "after"))
                return caught
            }
            #expect(caught)
            #expect(try await store.read { try $0.keyPairCount(account: a, region: hz) } == 2)
        }
    }

    @Test(arguments: Backend.all)
    func noncesAreSpentOnceAndPurged(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let ak = "AK" + newAccount()
            // Times far in the past: no other test's nonce is that old, so the purge touches only these.
            #expect(try await store.useNonce(accessKeyId: ak, nonce: "n1", expiresAt: 2_000, now: 1_000))
            #expect(try await !store.useNonce(accessKeyId: ak, nonce: "n1", expiresAt: 2_500, now: 1_500))
            #expect(try await store.useNonce(accessKeyId: ak + "x", nonce: "n1", expiresAt: 2_000, now: 1_000))
            #expect(try await store.useNonce(accessKeyId: ak, nonce: "N1", expiresAt: 2_000, now: 1_000))
            #expect(try await store.useNonce(accessKeyId: ak, nonce: "n2", expiresAt: 9_000, now: 5_000))
            // Expired but not purged yet: taken over, not a replay.
            #expect(try await store.useNonce(accessKeyId: ak, nonce: "n1", expiresAt: 3_500, now: 2_500))
            // A nonce that came with a request stamped ahead is kept until that stamp leaves the
            // window, however long after its arrival (issue 9: it was purged by arrival time).
            #expect(try await store.useNonce(accessKeyId: ak, nonce: "ahead", expiresAt: 50_000, now: 5_000))
            try await store.purgeNonces(expiredBefore: 8_000)
            #expect(try await !store.useNonce(accessKeyId: ak, nonce: "n2", expiresAt: 14_000, now: 8_000))
            #expect(try await !store.useNonce(accessKeyId: ak, nonce: "ahead", expiresAt: 49_000, now: 49_000))
            try await store.purgeNonces(expiredBefore: 10_000)
            #expect(try await store.useNonce(accessKeyId: ak, nonce: "n2", expiresAt: 16_000, now: 10_000))
            try await store.purgeNonces(expiredBefore: 50_001)
            #expect(try await store.useNonce(accessKeyId: ak, nonce: "ahead", expiresAt: 60_000, now: 50_001))
        }
    }

    @Test(arguments: Backend.all)
    func aClosedStoreIsUnavailable(_ backend: Backend) async throws {
        let opened = try await backend.open()
        defer { opened.cleanup() }
        await opened.store.close()
        #expect(isUnavailable(await thrown { try await opened.store.write { try $0.insertAccount(newAccount(), createdAt: 0) } }))
        #expect(isUnavailable(await thrown { _ = try await opened.store.useNonce(accessKeyId: "a", nonce: "b", expiresAt: 0 + 900_000, now: 0) }))
    }
}
