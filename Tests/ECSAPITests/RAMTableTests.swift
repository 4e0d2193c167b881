import ECSAPI
import Foundation
import Testing

/// The RAM table generated from the declaration matches the seed's own (`docs/seed-DetachKeyPair.txt`).
@Suite("RAM table")
struct RAMTableTests {
    /// The seed table's cells, in reading order, between its header row and "Request parameters".
    static func seedCells() throws -> [String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/seed-DetachKeyPair.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let header = try #require(lines.firstIndex(of: "Dependent action").map { $0 + 1 })
        let end = try #require(lines[header...].firstIndex(of: "Request parameters"))
        return lines[header..<end].flatMap { $0.split(separator: " ").map(String.init) }
    }

    @Test func detachKeyPairRowMatchesTheSeed() throws {
        let t = RAMTable(ECSActions.detachKeyPair)
        var generated = [t.action, t.accessLevel]
        for r in t.resourceTypes { generated += [(r.required ? "*" : "") + r.name, r.arn] }
        generated.append(t.conditionKeys.isEmpty ? "None" : t.conditionKeys.joined(separator: ","))
        generated.append(t.dependentActions.isEmpty ? "None" : t.dependentActions.joined(separator: ","))
        #expect(generated == (try Self.seedCells()))
    }

    @Test func textTableStarsRequiredTypesAndSaysNone() {
        let text = RAMTable(ECSActions.detachKeyPair).text()
        #expect(text.contains("ecs:DetachKeyPair  update"))
        #expect(text.contains("*Instance  acs:ecs:{#regionId}:{#accountId}:instance/{#instanceId}"))
        #expect(text.contains("*KeyPair  acs:ecs:{#regionId}:{#accountId}:keypair/{#keypairName}"))
        let firstRow = text.split(separator: "\n")[1].split(separator: " ")
        #expect(firstRow.suffix(2) == ["None", "None"])
        let all = RAMTable(ECSActions.describeRegions)
        #expect(all.resourceTypes.map(\.name) == ["All Resources"] && all.resourceTypes[0].required == false)
        #expect(RAMTable(ActionTrailActions.lookupEvents).action == "actiontrail:LookupEvents")
    }

    /// RunInstances' row of ECS's "RAM authorization" reference
    /// (https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-ram, read
    /// 2026-11-30, the same list as the RunInstances API page's table): twenty keys, no dependent action.
    @Test func runInstancesDeclaresTheReferenceConditionKeys() {
        let t = RAMTable(ECSActions.runInstances)
        #expect(t.accessLevel == "create")
        #expect(t.conditionKeys == [
            "vpc:IsDefaultVSwitch", "vpc:IsDefaultVpc", "vpc:VPC", "ecs:IsDiskEncrypted", "ecs:InstanceTypeFamily",
            "ecs:InstanceType", "ecs:ImageOwnerId", "ecs:ImageSource", "ecs:NotSpecifySecurityGroupId", "ecs:LoginAsNonRoot",
            "ecs:IsSystemDiskByokEncrypted", "ecs:IsDiskByokEncrypted", "ecs:PasswordInherit", "ecs:PasswordCustomized",
            "ecs:IsSystemDiskEncrypted", "ecs:ImagePlatform", "ecs:SecurityHardeningMode", "ecs:AssociatePublicIpAddress",
            "vpc:CreateDefaultVpc", "ecs:SecurityEnhancementStrategy",
        ])
        #expect(t.dependentActions.isEmpty)
        #expect(Set(RAMTable(ECSActions.createInstance).conditionKeys) == Set(t.conditionKeys))
    }

    /// The same reference: AuthorizeSecurityGroup(Egress) are `create` with the two rule keys;
    /// RevokeSecurityGroup(Egress) `delete` with `ecs:tag`; ModifyInstanceAttribute `ecs:tag` and
    /// `ecs:PasswordCustomized`; the key pair actions none.
    @Test func securityGroupAndInstanceRowsFollowTheReference() {
        for spec in [SecurityGroupActions.authorizeSecurityGroup, SecurityGroupActions.authorizeSecurityGroupEgress] {
            #expect(RAMTable(spec).accessLevel == "create")
            #expect(spec.conditionKeys == ["ecs:SecurityGroupIpProtocols", "ecs:SecurityGroupSourceCidrIps"])
        }
        for spec in [SecurityGroupActions.revokeSecurityGroup, SecurityGroupActions.revokeSecurityGroupEgress] {
            #expect(RAMTable(spec).accessLevel == "delete" && spec.conditionKeys == ["ecs:tag"])
        }
        #expect(ECSActions.modifyInstanceAttribute.conditionKeys == ["ecs:tag", "ecs:PasswordCustomized"])
        for spec in [ECSActions.createKeyPair, ECSActions.importKeyPair, ECSActions.attachKeyPair, ECSActions.deleteKeyPairs] {
            #expect(spec.conditionKeys.isEmpty && spec.dependentActions.isEmpty, "\(spec.name)")
        }
    }

    /// The RAM, STS, ActionTrail and VPC API pages' tables (2026-11-30; `docs/ram-table.md`).
    @Test func otherProductsFollowTheirPages() {
        #expect(RAMActions.createRole.conditionKeys == ["ram:TrustedPrincipalTypes", "ram:ServiceNames"])
        #expect(RAMTable(RAMActions.listRoles).accessLevel == "get")
        #expect(RAMTable(ActionTrailActions.lookupEvents).accessLevel == "get")
        #expect(STSActions.assumeRole.conditionKeys.isEmpty && STSActions.assumeRole.dependentActions.isEmpty)
        #expect(VPCActions.describeVSwitches.conditionKeys == ["vpc:VPC"])
        #expect(VPCActions.describeVpcs.conditionKeys == ["vpc:tag"])
        #expect(VPCActions.createVpc.conditionKeys.isEmpty)
    }

    @Test func textTableListsOneConditionKeyPerLine() {
        let lines = RAMTable(SecurityGroupActions.authorizeSecurityGroup).text().split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines[1] == ["ecs:AuthorizeSecurityGroup", "create", "*SecurityGroup",
                             "acs:ecs:{#regionId}:{#accountId}:securitygroup/{#securitygroupId}", "ecs:SecurityGroupIpProtocols", "None"])
        #expect(lines[2] == ["ecs:SecurityGroupSourceCidrIps"])
        #expect(lines.count == 3)
    }

    /// Every declared key is `service:name` (what a policy's Condition can name), once per action.
    @Test func declaredConditionKeysAreWellFormed() {
        for spec in DeclarationJSON.actions {
            #expect(Set(spec.conditionKeys).count == spec.conditionKeys.count, "\(spec.name) lists a key twice")
            for key in spec.conditionKeys + spec.dependentActions {
                let parts = key.split(separator: ":", omittingEmptySubsequences: false)
                #expect(parts.count == 2 && parts.allSatisfy { !$0.isEmpty }, "\(spec.name): \(key)")
            }
        }
    }

    @Test func everyDeclaredActionHasATableInTheJSON() throws {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(DeclarationJSON.render().utf8)) as? [String: Any])
        let actions = try #require(root["Actions"] as? [[String: Any]])
        for a in actions {
            let ram = try #require(a["RAM"] as? [String: Any])
            #expect((ram["Action"] as? String)?.hasSuffix(":" + (a["Name"] as? String ?? "?")) == true)
            #expect((ram["ResourceTypes"] as? [Any])?.isEmpty == false)
        }
    }
}
