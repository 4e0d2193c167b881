import ECSStore
import Testing

/// Security groups, instances' memberships and key pairs' tags, on every backend.
@Suite("Security group store")
struct SecurityGroupStoreTests {
    func group(_ account: String, _ id: String, region: String = hz, vpc: String = "", name: String = "g", at: Int64,
               tags: [ResourceTag] = [], rules: [SecurityGroupRule] = []) -> SecurityGroupRecord {
        SecurityGroupRecord(accountId: account, regionId: region, id: id, name: name, description: "d", vpcId: vpc,
                            groupType: "normal", resourceGroupId: "", tags: tags, rules: rules, createdAt: at)
    }

    @Test(arguments: Backend.all)
    func groupsRulesMembershipsAndCounts(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount(), other = newAccount()
            @Sendable func g(_ id: String) -> String { id + "-" + a }
            let rule = SecurityGroupRule(id: "sgr-1", direction: "ingress", ipProtocol: "TCP", portRange: "22/22",
                                         sourceCidrIp: "0.0.0.0/0", description: "ssh & \"more\"", createdAt: 5)
            let red = ResourceTag(key: "color", value: "red")
            let first = group(a, g("sg-1"), vpc: "vpc-1", name: "web", at: 10, tags: [red], rules: [rule])
            try await store.write { tx throws in
                try tx.insertSecurityGroup(first)
                try tx.insertSecurityGroup(group(a, g("sg-2"), name: "db", at: 20))
                try tx.insertSecurityGroup(group(a, g("sg-3"), region: sh, vpc: "vpc-1", at: 5))
                try tx.insertSecurityGroup(group(other, g("sg-o"), vpc: "vpc-1", at: 1))
                var i = instance(a, g("i-1"), at: 1)
                i.securityGroupIds = [g("sg-1"), g("sg-2")]
                try tx.insertInstance(i)
                var j = instance(a, g("i-2"), at: 2)
                j.securityGroupIds = [g("sg-2")]
                try tx.insertInstance(j)
            }
            #expect(isConflict(await thrown { try await store.write { try $0.insertSecurityGroup(first) } }))
            try await store.read { tx throws in
                #expect(try tx.securityGroup(account: a, id: g("sg-1")) == first)
                #expect(try tx.securityGroup(account: other, id: g("sg-1")) == nil)
                #expect(try tx.securityGroups(account: a, region: hz, query: SecurityGroupQuery()).map(\.id) == [g("sg-1"), g("sg-2")])
                #expect(try tx.securityGroups(account: a, region: hz, query: SecurityGroupQuery(vpcId: "vpc-1")).map(\.id) == [g("sg-1")])
                #expect(try tx.securityGroups(account: a, region: hz, query: SecurityGroupQuery(name: .wildcard("w*"))).map(\.id) == [g("sg-1")])
                #expect(try tx.securityGroups(account: a, region: hz, query: SecurityGroupQuery(tags: [red])).map(\.id) == [g("sg-1")])
                #expect(try tx.securityGroups(account: a, region: hz, query: SecurityGroupQuery(ids: [g("sg-2"), g("sg-o")])).map(\.id) == [g("sg-2")])
                #expect(try Set(tx.securityGroups(ids: [g("sg-1"), g("sg-o")]).map(\.id)) == [g("sg-1"), g("sg-o")])
                #expect(try tx.securityGroupCount(account: a, region: hz) == 2)
                #expect(try tx.securityGroupCount(account: a, vpcId: "vpc-1") == 2)
                #expect(try tx.securityGroupCount(account: other, vpcId: "vpc-1") == 1)
                #expect(try tx.instancesInSecurityGroup(account: a, id: g("sg-1")) == 1)
                #expect(try tx.instancesInSecurityGroup(account: a, id: g("sg-2")) == 2)
                // A prefix of another group's ID is not that group.
                #expect(try tx.instancesInSecurityGroup(account: a, id: "sg-") == 0)
                #expect(try tx.instance(account: a, id: g("i-1"))?.securityGroupIds == [g("sg-1"), g("sg-2")])
                #expect(try tx.instances(account: a, region: hz, query: InstanceQuery(securityGroupId: g("sg-1"))).items.map(\.id) == [g("i-1")])
            }
            var changed = first
            changed.name = "web2"; changed.rules = []; changed.tags = []
            let update = changed
            try await store.write { tx throws in
                try tx.updateSecurityGroup(update)
                var i = try tx.instancesForUpdate(account: a, ids: [g("i-1")])[0]
                i.securityGroupIds = [g("sg-2")]
                try tx.updateInstance(i)
                try tx.deleteSecurityGroup(account: a, id: g("sg-3"))
            }
            try await store.read { tx throws in
                #expect(try tx.securityGroup(account: a, id: g("sg-1")) == update)
                #expect(try tx.instancesInSecurityGroup(account: a, id: g("sg-1")) == 0)
                #expect(try tx.securityGroup(account: a, id: g("sg-3")) == nil)
                let state = try tx.stateRecords(account: a)
                #expect(Set(state.securityGroups.map(\.id)) == [g("sg-1"), g("sg-2")])
            }
            try await store.write { try $0.deleteState(.resources(ofAccount: a)) }
            #expect(try await store.read { try $0.securityGroupCount(account: a, region: hz) } == 0)
            #expect(try await store.read { try $0.securityGroupCount(account: other, vpcId: "vpc-1") } == 1)
        }
    }

    @Test(arguments: Backend.all)
    func keyPairTagsAreReplaced(_ backend: Backend) async throws {
        try await withStore(backend) { store throws in
            let a = newAccount()
            let kp = KeyPairRecord(accountId: a, regionId: hz, name: "kp", id: "ssh-1" + a, fingerprint: "f", publicKey: "p",
                                   resourceGroupId: "", tags: [], createdAt: 1)
            try await store.write { try $0.insertKeyPair(kp) }
            let tags = [ResourceTag(key: "a", value: "1"), ResourceTag(key: "b&=", value: "")]
            try await store.write { try $0.updateKeyPairTags(account: a, region: hz, name: "kp", tags: tags) }
            #expect(try await store.read { try $0.keyPair(account: a, region: hz, name: "kp") }?.tags == tags)
        }
    }
}
