import ECSAPI
import ECSDomain
import ECSStore

/// DescribeVpcAttribute, DescribeVSwitchAttributes and DescribeRouteTableList: the VPC API reads
/// that Terraform's `alicloud_vpc` and `alicloud_vswitch` (and footmark's VPC connection) make after
/// every write and on every plan. Each VPC has one vRouter and one System route table, made with
/// it and named after its ID (`vrt-…`, `vtb-…`), associated with every vSwitch of the VPC.
enum VPCReadHandlers {
    static let all: [ServedAction] = [
        ServedAction(VPCActions.describeVpcAttribute, vpcAttribute),
        ServedAction(VPCActions.describeVSwitchAttributes, vSwitchAttributes),
        ServedAction(VPCActions.describeRouteTableList, routeTableList),
    ]

    static func dryRun(_ c: Call) throws {
        if c.input.boolean("DryRun") == true { throw DomainError.dryRunPassed }
    }

    static func vpc(_ c: Call, id: String) async throws -> VpcView? {
        try await c.services.networks.describeVpcs(c.caller, region: c.region, filter: NetworkFilter(vpcIds: [id]), offset: 0, limit: 1).items.first
    }

    static func vpcAttribute(_ c: Call) async throws -> WireObject {
        let id = c.input.string("VpcId")!
        try dryRun(c)
        guard let v = try await vpc(c, id: id) else { throw NetworkError.vpcNotFound(id) }
        let r = v.record
        return [
            "CreationTime": .string(ECSTime.seconds(r.createdAt)),
            "Status": .string(v.status.rawValue),
            "VpcId": .string(r.id),
            "IsDefault": .boolean(false),
            "ClassicLinkEnabled": .boolean(false),
            "OwnerId": VPCHandlers.ownerId(r.accountId),
            "RegionId": .string(r.regionId),
            "VpcName": .string(r.name),
            "VRouterId": .string(VPCHandlers.vRouterId(r.id)),
            "DhcpOptionsSetStatus": .string("Available"),
            "CidrBlock": .string(r.cidrBlock),
            "RequestId": .string(""),
            "Description": .string(r.description),
            "ResourceGroupId": .string(r.resourceGroupId),
            "DhcpOptionsSetId": .string(""),
            "Ipv6CidrBlock": .string(""),
            "VSwitchIds": .list(item: "VSwitchId", v.vSwitchIds.map(WireValue.string)),
            "UserCidrs": .list(item: "UserCidr", []),
            "SecondaryCidrBlocks": .list(item: "SecondaryCidrBlock", []),
            "AssociatedCens": .list(item: "AssociatedCen", []),
            "CloudResources": .list(item: "CloudResourceSetType", [
                .object(["ResourceCount": .integer(v.vSwitchIds.count), "ResourceType": .string("VSwitch")]),
                .object(["ResourceCount": .integer(1), "ResourceType": .string("VRouter")]),
                .object(["ResourceCount": .integer(1), "ResourceType": .string("RouteTable")]),
            ]),
            "Ipv6CidrBlocks": .list(item: "Ipv6CidrBlock", []),
            "SupportIpv4Gateway": .boolean(true),
            "Ipv4GatewayId": .string(""),
            "Tags": VPCHandlers.tags(r.tags),
            "AssociatedPropagationSources": .list(item: "AssociatedPropagationSources", []),
            "EnabledIpv6": .boolean(false),
            "DnsHostnameStatus": .string("DISABLED"),
        ]
    }

    static func vSwitchAttributes(_ c: Call) async throws -> WireObject {
        let id = c.input.string("VSwitchId")!
        try dryRun(c)
        let found = try await c.services.networks.describeVSwitches(c.caller, region: c.region, vpcId: nil,
                                                                     filter: NetworkFilter(vSwitchId: id), offset: 0, limit: 1)
        guard let v = found.items.first else { throw NetworkError.vSwitchNotFound(id) }
        let r = v.record
        return [
            "VpcId": .string(r.vpcId),
            "Status": .string(v.status.rawValue),
            "CreationTime": .string(ECSTime.seconds(r.createdAt)),
            "IsDefault": .boolean(false),
            "AvailableIpAddressCount": .integer(v.availableIpAddressCount),
            "NetworkAclId": .string(""),
            "OwnerId": VPCHandlers.ownerId(r.accountId),
            "VSwitchId": .string(r.id),
            "RequestId": .string(""),
            "CidrBlock": .string(r.cidrBlock),
            "Description": .string(r.description),
            "ResourceGroupId": .string(r.resourceGroupId),
            "ZoneId": .string(r.zoneId),
            "Ipv6CidrBlock": .string(""),
            "VSwitchName": .string(r.name),
            "ShareType": .string("Sharing"),
            "EnabledIpv6": .boolean(false),
            "RouteTable": .object(["RouteTableId": .string(VPCHandlers.routeTableId(r.vpcId)), "RouteTableType": .string("System")]),
            "Tags": VPCHandlers.tags(r.tags),
        ]
    }

    /// The VPCs' System route tables; filters that name another kind of table or router match none.
    static func routeTableList(_ c: Call) async throws -> WireObject {
        let i = c.input
        let p = try VPCHandlers.page(c)
        var ids: [String]? = i.string("VpcId").map { [$0] }
        var none = false
        func narrow(_ id: String?, prefix: String) {
            guard let id else { return }
            guard id.hasPrefix(prefix), id.count > prefix.count else { none = true; return }
            let vpc = "vpc-" + id.dropFirst(prefix.count)
            if let have = ids, !have.contains(vpc) { none = true }
            ids = [vpc]
        }
        narrow(i.string("RouteTableId"), prefix: "vtb-")
        narrow(i.string("RouterId"), prefix: "vrt-")
        if let t = i.string("RouteTableType"), t != "System" { none = true }
        if let t = i.string("RouterType"), t != "VRouter" { none = true }
        if let n = i.string("RouteTableName"), !n.isEmpty { none = true }
        var filter = NetworkFilter(vpcIds: ids, resourceGroupId: i.string("ResourceGroupId"))
        filter.matchesNothing = none
        let result = try await c.services.networks.describeVpcs(c.caller, region: c.region, filter: filter, offset: p.offset, limit: p.size)
        let items: [WireValue] = result.items.map { v in
            let r = v.record
            return .object([
                "VpcId": .string(r.id),
                "CreationTime": .string(ECSTime.seconds(r.createdAt)),
                "Status": .string("Available"),
                "RouterId": .string(VPCHandlers.vRouterId(r.id)),
                "AssociateType": .string("VSwitch"),
                "RouteTableId": .string(VPCHandlers.routeTableId(r.id)),
                "OwnerId": VPCHandlers.ownerId(r.accountId),
                "Description": .string(""),
                "RouteTableType": .string("System"),
                "ResourceGroupId": .string(r.resourceGroupId),
                "RouterType": .string("VRouter"),
                "RouteTableName": .string(""),
                "Tags": VPCHandlers.tags([]),
                "VSwitchIds": .list(item: "VSwitchId", v.vSwitchIds.map(WireValue.string)),
                "GatewayIds": .list(item: "GatewayIds", []),
                "RoutePropagationEnable": .boolean(true),
            ])
        }
        return [
            "RequestId": .string(""),
            "PageSize": .integer(p.size),
            "PageNumber": .integer(p.number),
            "TotalCount": .integer(result.total),
            "RouterTableList": .list(item: "RouterTableListType", items),
        ]
    }
}
