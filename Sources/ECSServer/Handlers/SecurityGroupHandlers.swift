import ECSAPI
import ECSDomain
import ECSStore

/// CreateSecurityGroup, DescribeSecurityGroups, DescribeSecurityGroupAttribute, Authorize/Revoke
/// (ingress and egress), ModifySecurityGroupAttribute, DeleteSecurityGroup, Join/LeaveSecurityGroup.
enum SecurityGroupHandlers {
    static let all: [ServedAction] = [
        ServedAction(SecurityGroupActions.createSecurityGroup, create),
        ServedAction(SecurityGroupActions.describeSecurityGroups, describe),
        ServedAction(SecurityGroupActions.describeSecurityGroupAttribute, attribute),
        ServedAction(SecurityGroupActions.authorizeSecurityGroup, { try await authorize($0, ingress: true) }),
        ServedAction(SecurityGroupActions.authorizeSecurityGroupEgress, { try await authorize($0, ingress: false) }),
        ServedAction(SecurityGroupActions.revokeSecurityGroup, { try await revoke($0, ingress: true) }),
        ServedAction(SecurityGroupActions.revokeSecurityGroupEgress, { try await revoke($0, ingress: false) }),
        ServedAction(SecurityGroupActions.modifySecurityGroupAttribute, { c in
            try await c.services.securityGroups.modify(c.caller, region: c.region, id: id(c), name: c.input.string("SecurityGroupName"),
                                                       description: c.input.string("Description"))
            return [:]
        }),
        ServedAction(SecurityGroupActions.deleteSecurityGroup, { c in
            try await c.services.securityGroups.delete(c.caller, region: c.region, id: id(c))
            return [:]
        }),
        ServedAction(SecurityGroupActions.joinSecurityGroup, { try await membership($0, join: true) }),
        ServedAction(SecurityGroupActions.leaveSecurityGroup, { try await membership($0, join: false) }),
    ]

    static func id(_ c: Call) -> String { c.input.string("SecurityGroupId")! }

    static func create(_ c: Call) async throws -> WireObject {
        let i = c.input
        let id = try await c.services.securityGroups.create(
            c.caller, region: c.region, name: i.string("SecurityGroupName"), description: i.string("Description"),
            vpcId: i.string("VpcId"), groupType: i.string("SecurityGroupType"), resourceGroupId: i.string("ResourceGroupId"),
            tags: c.tags, clientToken: i.string("ClientToken"))
        // The reference's sample puts the ID before RequestId.
        return ["SecurityGroupId": .string(id), "RequestId": .null]
    }

    /// The rules a call names: `Permissions.N.*` when given, else the legacy single-rule fields.
    static func rules(_ c: Call, ingress: Bool) -> [RuleFields] {
        if let p = c.input.records("Permissions") { return p }
        var f: RuleFields = [:]
        for name in ingress ? SecurityGroupActions.ingressFields : SecurityGroupActions.egressFields {
            if let v = c.input.string(name) { f[name] = v }
        }
        return f.isEmpty ? [] : [f]
    }

    static func authorize(_ c: Call, ingress: Bool) async throws -> WireObject {
        try await c.services.securityGroups.authorize(c.caller, region: c.region, id: id(c), rules: rules(c, ingress: ingress), ingress: ingress)
        return [:]
    }

    static func revoke(_ c: Call, ingress: Bool) async throws -> WireObject {
        try await c.services.securityGroups.revoke(c.caller, region: c.region, id: id(c), ruleIds: c.input.list("SecurityGroupRuleId") ?? [],
                                                   rules: rules(c, ingress: ingress), ingress: ingress)
        return [:]
    }

    static func membership(_ c: Call, join: Bool) async throws -> WireObject {
        guard let instance = c.input.string("InstanceId") else {
            if c.input.string("NetworkInterfaceId") != nil {
                throw ECSError(code: "InvalidNetworkInterfaceId.NotFound", status: 404, message: "The specified NetworkInterfaceId does not exist.")
                    .hinted("LocalECS serves no elastic network interfaces: give InstanceId.")
            }
            throw ECSError.missingParameter("InstanceId")
        }
        let region = c.input.string("RegionId")
        if join {
            try await c.services.securityGroups.join(c.caller, region: region, id: id(c), instanceId: instance)
        } else {
            try await c.services.securityGroups.leave(c.caller, region: region, id: id(c), instanceId: instance)
        }
        return [:]
    }

    static func describe(_ c: Call) async throws -> WireObject {
        let i = c.input
        var ids: [String]?
        if let one = i.string("SecurityGroupId") { ids = [one] }
        if let many = i.list("SecurityGroupIds") { ids = InputParser.distinct((ids ?? []) + many) }
        let filter = SecurityGroupFilter(ids: ids, name: i.string("SecurityGroupName"), fuzzy: i.boolean("FuzzyQuery") ?? false,
                                         vpcId: i.string("VpcId"), groupType: i.string("SecurityGroupType"),
                                         networkType: i.string("NetworkType"), resourceGroupId: i.string("ResourceGroupId"), tags: c.tags)
        let (offset, limit, pageNumber) = try InstanceHandlers.paging(i, maxResults: 100, maxPageSize: 50)
        if i.boolean("DryRun") ?? false { throw DomainError.dryRunPassed }
        let result = try await c.services.securityGroups.describe(c.caller, region: c.region, filter: filter, offset: offset, limit: limit)
        let next = result.nextToken(after: offset)
        let items: [WireValue] = result.items.map { v in
            let g = v.record
            let capacity = g.groupType == "enterprise" ? 65536 : 2000
            return .object([
                "SecurityGroupId": .string(g.id),
                "SecurityGroupName": .string(g.name),
                "Description": .string(g.description),
                "SecurityGroupType": .string(g.groupType),
                "VpcId": .string(g.vpcId),
                "CreationTime": .string(ECSTime.seconds(g.createdAt)),
                "EcsCount": .integer(v.instanceCount),
                "AvailableInstanceAmount": .integer(max(capacity - v.instanceCount, 0)),
                "ResourceGroupId": .string(g.resourceGroupId),
                "ServiceManaged": .boolean(false),
                "Tags": .tagsValueFirst(g.tags),
                "RuleCount": .integer(g.rules.count),
                "GroupToGroupRuleCount": .integer(g.rules.filter { !$0.sourceGroupId.isEmpty || !$0.destGroupId.isEmpty }.count),
            ])
        }
        return [
            "RequestId": .null,
            "RegionId": .string(c.region),
            "NextToken": .string(next),
            "SecurityGroups": .list(item: "SecurityGroup", items),
            "TotalCount": .integer(result.total),
            "PageNumber": .integer(pageNumber),
            "PageSize": .integer(limit),
        ]
    }

    static func attribute(_ c: Call) async throws -> WireObject {
        let g = try await c.services.securityGroups.get(c.caller, region: c.region, id: id(c))
        let direction = c.input.string("Direction") ?? "all"
        guard ["all", "ingress", "egress"].contains(direction) else { throw DomainError.directionInvalid(direction) }
        var rules = g.rules.filter { direction == "all" || $0.direction == direction }
        if let nic = c.input.string("NicType") {
            guard nic == "internet" || nic == "intranet" else { throw DomainError.nicTypeInvalid(nic) }
            rules = rules.filter { $0.nicType == nic }
        }
        var next = ""
        if c.input.integer("MaxResults") != nil || c.input.string("NextToken") != nil {
            let limit = c.input.integer("MaxResults") ?? 100
            var offset = 0
            if let t = c.input.string("NextToken") {
                guard let o = Int(t), o >= 0 else { throw DomainError.nextTokenInvalid }
                offset = o
            }
            let page = Array(rules.dropFirst(offset).prefix(limit))
            if offset + page.count < rules.count { next = String(offset + page.count) }
            rules = page
        }
        let names = try await c.services.securityGroups.names(c.caller, ids: rules.flatMap { [$0.sourceGroupId, $0.destGroupId] }.filter { !$0.isEmpty })
        let account = c.caller.accountId
        let permissions: [WireValue] = rules.map { r in
            .object([
                "SecurityGroupRuleId": .string(r.id),
                "Direction": .string(r.direction),
                "SourceGroupId": .string(r.sourceGroupId),
                "DestGroupOwnerAccount": .string(r.destGroupId.isEmpty ? "" : account),
                "DestPrefixListId": .string(r.destPrefixListId),
                "DestPrefixListName": .string(""),
                "SourceCidrIp": .string(r.sourceCidrIp),
                "Ipv6DestCidrIp": .string(r.ipv6DestCidrIp),
                "CreateTime": .string(ECSTime.seconds(r.createdAt)),
                "Ipv6SourceCidrIp": .string(r.ipv6SourceCidrIp),
                "DestGroupId": .string(r.destGroupId),
                "DestCidrIp": .string(r.destCidrIp),
                "IpProtocol": .string(r.ipProtocol),
                // A string in the SDK model and the reference's sample ("Priority": "1").
                "Priority": .string(String(r.priority)),
                "DestGroupName": .string(names[r.destGroupId] ?? ""),
                "NicType": .string(r.nicType),
                "Policy": .string(r.policy),
                "Description": .string(r.description),
                "PortRange": .string(r.portRange),
                "SourcePrefixListName": .string(""),
                "SourcePrefixListId": .string(r.sourcePrefixListId),
                "SourceGroupOwnerAccount": .string(r.sourceGroupId.isEmpty ? "" : account),
                "SourceGroupName": .string(names[r.sourceGroupId] ?? ""),
                "SourcePortRange": .string(r.sourcePortRange),
                "PortRangeListId": .string(""),
                "PortRangeListName": .string(""),
            ])
        }
        return [
            "VpcId": .string(g.vpcId),
            "RequestId": .null,
            // Whether instances in the group reach each other: a normal group's default, an enterprise group's not.
            "InnerAccessPolicy": .string(g.groupType == "enterprise" ? "Drop" : "Accept"),
            "Description": .string(g.description),
            "SecurityGroupId": .string(g.id),
            "SecurityGroupName": .string(g.name),
            "RegionId": .string(g.regionId),
            "Permissions": .list(item: "Permission", permissions),
            "NextToken": .string(next),
            // Not in the sample; the SDK model's last field, so last here.
            "SnapshotPolicyIds": .list(item: "SnapshotPolicyId", []),
        ]
    }
}
