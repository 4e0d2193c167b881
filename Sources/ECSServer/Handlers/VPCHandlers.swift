import ECSAPI
import ECSDomain
import ECSStore

/// The VPC API (2016-04-28): CreateVpc, DescribeVpcs, DeleteVpc, CreateVSwitch,
/// DescribeVSwitches, DeleteVSwitch. Shapes follow `alibabacloud-vpc20160428`'s response models
/// (every field they carry), keys in the order of the reference's samples.
enum VPCHandlers {
    static let all: [ServedAction] = [
        ServedAction(VPCActions.createVpc, createVpc),
        ServedAction(VPCActions.describeVpcs, describeVpcs),
        ServedAction(VPCActions.deleteVpc, deleteVpc),
        ServedAction(VPCActions.createVSwitch, createVSwitch),
        ServedAction(VPCActions.describeVSwitches, describeVSwitches),
        ServedAction(VPCActions.deleteVSwitch, deleteVSwitch),
        ServedAction(VPCActions.tagResources, tagResources),
        ServedAction(VPCActions.unTagResources, unTagResources),
        ServedAction(VPCActions.listTagResources, listTagResources),
    ]

    /// Parameters LocalECS does not model (IPv6, IPAM pools, user CIDRs): refused when set to
    /// anything but their "off" value, so no request is answered as if they had been honoured.
    static func refuseUnmodelled(_ c: Call, _ names: [String]) throws {
        for n in names {
            if let b = c.input.boolean(n) {
                if b { throw unmodelled(n) }
            } else if c.input.values[n] != nil {
                throw unmodelled(n)
            }
        }
    }

    static func unmodelled(_ name: String) -> ECSError {
        ECSError.invalidParameter(name).hinted("LocalECS models IPv4 VPCs only (no IPv6, IPAM pools, user CIDRs or DNS hostnames): leave \(name) out.")
    }

    /// The VPC API's tags are `{"Tag":[{"Key","Value"}]}` (ECS's say TagKey/TagValue).
    static func tags(_ tags: [ResourceTag]) -> WireValue {
        .list(item: "Tag", tags.map { .object(["Key": .string($0.key), "Value": .string($0.value)]) })
    }

    /// The account ID as the integer `OwnerId` the models carry (16 digits fit an Int64).
    static func ownerId(_ account: String) -> WireValue { .integer(Int(account) ?? 0) }

    /// The VPC's vRouter and route table: one each, made with it, named after its ID.
    static func vRouterId(_ vpcId: String) -> String { "vrt-" + vpcId.dropFirst(4) }
    static func routeTableId(_ vpcId: String) -> String { "vtb-" + vpcId.dropFirst(4) }

    static func spec(_ c: Call, name: String) -> NetworkSpec {
        NetworkSpec(cidrBlock: c.input.string("CidrBlock"), name: c.input.string(name), description: c.input.string("Description"),
                    resourceGroupId: c.input.string("ResourceGroupId"), tags: c.tags, dryRun: c.input.boolean("DryRun") ?? false)
    }

    static func page(_ c: Call) throws -> PageRequest {
        try KeyPairService.page(number: c.input.integer("PageNumber"), size: c.input.integer("PageSize"))
    }

    static func createVpc(_ c: Call) async throws -> WireObject {
        try refuseUnmodelled(c, ["EnableIpv6", "Ipv6CidrBlock", "Ipv6Isp", "UserCidr", "Ipv4IpamPoolId", "Ipv6IpamPoolId",
                                 "Ipv4CidrMask", "Ipv6CidrMask", "EnableDnsHostname"])
        let v = try await c.services.networks.createVpc(c.caller, region: c.region, spec(c, name: "VpcName"),
                                                        clientToken: c.input.string("ClientToken"))
        return [
            "VpcId": .string(v.id),
            "VRouterId": .string(vRouterId(v.id)),
            "RequestId": .string(""),
            "RouteTableId": .string(routeTableId(v.id)),
            "ResourceGroupId": .string(v.resourceGroupId),
        ]
    }

    static func describeVpcs(_ c: Call) async throws -> WireObject {
        let p = try page(c)
        let ids = c.input.string("VpcId").map { $0.split(separator: ",").map { String($0).trimmingSpaces } }
        var filter = NetworkFilter(vpcIds: ids, name: c.input.string("VpcName"), isDefault: c.input.boolean("IsDefault"),
                                   resourceGroupId: c.input.string("ResourceGroupId"), tags: c.tags)
        // No DHCP option set or IPv6 block exists, and every VPC is the caller's: such filters match none.
        if c.input.string("DhcpOptionsSetId") != nil || c.input.boolean("EnableIpv6") == true
            || c.input.string("VpcOwnerId").map({ $0 != c.caller.accountId }) == true {
            filter.matchesNothing = true
        }
        let result = try await c.services.networks.describeVpcs(c.caller, region: c.region, filter: filter, offset: p.offset, limit: p.size)
        let items: [WireValue] = result.items.map { v in
            let r = v.record
            return .object([
                "CreationTime": .string(ECSTime.seconds(r.createdAt)),
                "Status": .string(v.status.rawValue),
                "VpcId": .string(r.id),
                "IsDefault": .boolean(false),
                "OwnerId": ownerId(r.accountId),
                "RegionId": .string(r.regionId),
                "VpcName": .string(r.name),
                "VRouterId": .string(vRouterId(r.id)),
                "DhcpOptionsSetStatus": .string("Available"),
                "CidrBlock": .string(r.cidrBlock),
                "Description": .string(r.description),
                "ResourceGroupId": .string(r.resourceGroupId),
                "DhcpOptionsSetId": .string(""),
                "Ipv6CidrBlock": .string(""),
                "CenStatus": .string(""),
                "Tags": tags(r.tags),
                "Ipv6CidrBlocks": .list(item: "Ipv6CidrBlock", []),
                "VSwitchIds": .list(item: "VSwitchId", v.vSwitchIds.map(WireValue.string)),
                "SecondaryCidrBlocks": .list(item: "SecondaryCidrBlock", []),
                "UserCidrs": .list(item: "UserCidr", []),
                "NatGatewayIds": .list(item: "NatGatewayIds", []),
                "RouterTableIds": .list(item: "RouterTableIds", [.string(routeTableId(r.id))]),
                "EnabledIpv6": .boolean(false),
                "DnsHostnameStatus": .string("DISABLED"),
            ])
        }
        return [
            "PageSize": .integer(p.size),
            "RequestId": .string(""),
            "PageNumber": .integer(p.number),
            "TotalCount": .integer(result.total),
            "Vpcs": .list(item: "Vpc", items),
        ]
    }

    static func deleteVpc(_ c: Call) async throws -> WireObject {
        try await c.services.networks.deleteVpc(c.caller, region: c.region, id: c.input.string("VpcId")!,
                                                dryRun: c.input.boolean("DryRun") ?? false)
        return [:]
    }

    static func createVSwitch(_ c: Call) async throws -> WireObject {
        try refuseUnmodelled(c, ["Ipv6CidrBlock", "VpcIpv6CidrBlock", "CidrMask", "Ipv6CidrMask"])
        let s = try await c.services.networks.createVSwitch(c.caller, region: c.region, vpcId: c.input.string("VpcId")!,
                                                            zoneId: c.input.string("ZoneId")!, spec(c, name: "VSwitchName"),
                                                            clientToken: c.input.string("ClientToken"))
        return ["RequestId": .string(""), "VSwitchId": .string(s.id)]
    }

    static func describeVSwitches(_ c: Call) async throws -> WireObject {
        let p = try page(c)
        var filter = NetworkFilter(vSwitchId: c.input.string("VSwitchId"), zoneId: c.input.string("ZoneId"),
                                   name: c.input.string("VSwitchName"), isDefault: c.input.boolean("IsDefault"),
                                   resourceGroupId: c.input.string("ResourceGroupId"), tags: c.tags)
        var vpcId = c.input.string("VpcId")
        // Each VPC has one route table, named after it; no IPv6 block exists; every vSwitch is the caller's.
        if let rt = c.input.string("RouteTableId") {
            if rt.hasPrefix("vtb-"), vpcId == nil || vpcId.map(routeTableId) == rt {
                vpcId = "vpc-" + rt.dropFirst(4)
            } else {
                filter.matchesNothing = true
            }
        }
        if c.input.boolean("EnableIpv6") == true || c.input.string("VSwitchOwnerId").map({ $0 != c.caller.accountId }) == true {
            filter.matchesNothing = true
        }
        let result = try await c.services.networks.describeVSwitches(c.caller, region: c.region, vpcId: vpcId, filter: filter,
                                                                      offset: p.offset, limit: p.size)
        let items: [WireValue] = result.items.map { v in
            let r = v.record
            return .object([
                "VpcId": .string(r.vpcId),
                "Status": .string(v.status.rawValue),
                "CreationTime": .string(ECSTime.seconds(r.createdAt)),
                "IsDefault": .boolean(false),
                "AvailableIpAddressCount": .integer(v.availableIpAddressCount),
                "NetworkAclId": .string(""),
                "OwnerId": ownerId(r.accountId),
                "VSwitchId": .string(r.id),
                "CidrBlock": .string(r.cidrBlock),
                "Description": .string(r.description),
                "ResourceGroupId": .string(r.resourceGroupId),
                "ZoneId": .string(r.zoneId),
                "Ipv6CidrBlock": .string(""),
                "VSwitchName": .string(r.name),
                "ShareType": .string("Sharing"),
                "EnabledIpv6": .boolean(false),
                "Tags": tags(r.tags),
                "RouteTable": .object(["RouteTableId": .string(routeTableId(r.vpcId)), "RouteTableType": .string("System")]),
            ])
        }
        return [
            "PageSize": .integer(p.size),
            "RequestId": .string(""),
            "PageNumber": .integer(p.number),
            "TotalCount": .integer(result.total),
            "VSwitches": .list(item: "VSwitch", items),
        ]
    }

    static func deleteVSwitch(_ c: Call) async throws -> WireObject {
        try await c.services.networks.deleteVSwitch(c.caller, region: c.region, id: c.input.string("VSwitchId")!,
                                                    dryRun: c.input.boolean("DryRun") ?? false)
        return [:]
    }
}

extension VPCHandlers {
    static func tagResources(_ c: Call) async throws -> WireObject {
        let type = try NetworkService.taggedType(c.input.string("ResourceType")!)
        try await c.services.networks.tag(c.caller, region: c.region, type: type, ids: c.input.list("ResourceId")!, tags: c.tags)
        return [:]
    }

    static func unTagResources(_ c: Call) async throws -> WireObject {
        let type = try NetworkService.taggedType(c.input.string("ResourceType")!)
        try await c.services.networks.untag(c.caller, region: c.region, type: type, ids: c.input.list("ResourceId")!,
                                            keys: c.input.list("TagKey") ?? [], all: c.input.boolean("All") ?? false)
        return [:]
    }

    static func listTagResources(_ c: Call) async throws -> WireObject {
        let type = try NetworkService.taggedType(c.input.string("ResourceType")!)
        let page = try await c.services.networks.listTags(c.caller, region: c.region, type: type, ids: c.input.list("ResourceId"),
                                                          filter: c.tags, after: c.input.string("NextToken"),
                                                          limit: c.input.integer("MaxResults") ?? 50)
        let rows: [WireValue] = page.rows.map { r in
            .object([
                "ResourceType": .string(type.rawValue),
                "TagValue": .string(r.value),
                "ResourceId": .string(r.resourceId),
                "TagKey": .string(r.key),
            ])
        }
        return [
            "NextToken": .string(page.next),
            "RequestId": .string(""),
            "TagResources": .list(item: "TagResource", rows),
        ]
    }
}
