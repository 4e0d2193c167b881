/// The VPC (2016-04-28) actions LocalECS serves on the same endpoint, told apart by `Version`.
/// Parameters follow `alibabacloud-vpc20160428`'s request models; RAM actions and ARNs follow each
/// API page's authorization table (`vpc:CreateVpc` on all resources, `vpc:DeleteVpc` on
/// `acs:vpc:{region}:{account}:vpc/{VpcId}`, `vpc:DeleteVSwitch` on `…:vswitch/{VSwitchId}`).
/// Parameters a client may send but LocalECS does not model (IPv6, IPAM pools, DHCP options)
/// are refused when set to anything that would change the result, never silently dropped.
/// Owner IDs are account IDs (16 digits, beyond a 32-bit integer): compared as text.
/// Condition keys follow each API page's table as read 2026-11-30 (`docs/ram-table.md` lists the
/// pages): DescribeVpcs, DescribeVpcAttribute, DescribeVSwitches and DescribeRouteTableList
/// declare keys; CreateVpc and DescribeVSwitchAttributes list none; no page lists a dependent
/// action. The pages of DeleteVpc, CreateVSwitch, DeleteVSwitch and the tag actions could not be
/// read, so those declare none.
public enum VPCActions {
    static let region = ParamSpec("RegionId", required: true)
    static let dryRun = ParamSpec("DryRun", .boolean)
    static let pageNumber = ParamSpec("PageNumber", .integer(1...Int(Int32.max)))
    /// The VPC API documents PageSize 1-50, default 10; LocalECS clamps, as ECS does.
    static let pageSize = ParamSpec("PageSize", .integer(1...50, clamp: true))
    static let name = ParamSpec("VpcName", .string(maxLength: 128))
    static let description = ParamSpec("Description", .string(maxLength: 256))

    public static let createVpc = ActionSpec("CreateVpc", .vpc, access: .create, resources: [.network(kind: "vpc", param: nil)], params: [
        region, ParamSpec("CidrBlock"), name, description, ParamSpec("ResourceGroupId"), ParamSpec("Tag", .tags),
        ParamSpec("ClientToken", .string(maxLength: 64)), dryRun,
        ParamSpec("EnableIpv6", .boolean), ParamSpec("Ipv6CidrBlock"), ParamSpec("Ipv6Isp"), ParamSpec("UserCidr"),
        ParamSpec("Ipv4IpamPoolId"), ParamSpec("Ipv6IpamPoolId"), ParamSpec("Ipv4CidrMask", .integer(0...32)),
        ParamSpec("Ipv6CidrMask", .integer(0...128)), ParamSpec("EnableDnsHostname", .boolean),
    ])
    public static let describeVpcs = ActionSpec("DescribeVpcs", .vpc, access: .list, resources: [.all], conditionKeys: ["vpc:tag"], params: [
        region, ParamSpec("VpcId", .string(maxLength: 4096)), name, ParamSpec("IsDefault", .boolean), ParamSpec("ResourceGroupId"),
        ParamSpec("Tag", .tags), pageNumber, pageSize, dryRun, ParamSpec("DhcpOptionsSetId"), ParamSpec("EnableIpv6", .boolean),
        ParamSpec("VpcOwnerId", .string(maxLength: 32)),
    ])
    public static let deleteVpc = ActionSpec("DeleteVpc", .vpc, access: .delete, resources: [.network(kind: "vpc", param: "VpcId")], params: [
        region, ParamSpec("VpcId", required: true), ParamSpec("ForceDelete", .boolean), ParamSpec("ClientToken", .string(maxLength: 64)),
        dryRun,
    ])
    public static let createVSwitch = ActionSpec("CreateVSwitch", .vpc, access: .create,
                                                 resources: [.network(kind: "vpc", param: "VpcId"), .network(kind: "vswitch", param: nil)], params: [
        region, ParamSpec("VpcId", required: true), ParamSpec("ZoneId", required: true), ParamSpec("CidrBlock", required: true),
        ParamSpec("VSwitchName", .string(maxLength: 128)), description, ParamSpec("Tag", .tags),
        ParamSpec("ClientToken", .string(maxLength: 64)),
        ParamSpec("Ipv6CidrBlock", .integer(0...255)), ParamSpec("VpcIpv6CidrBlock"), ParamSpec("CidrMask", .integer(0...32)),
        ParamSpec("Ipv6CidrMask", .integer(0...128)),
    ])
    public static let describeVSwitches = ActionSpec("DescribeVSwitches", .vpc, access: .list, resources: [.all], conditionKeys: ["vpc:VPC"], params: [
        region, ParamSpec("VpcId"), ParamSpec("VSwitchId"), ParamSpec("ZoneId"), ParamSpec("VSwitchName", .string(maxLength: 128)),
        ParamSpec("IsDefault", .boolean), ParamSpec("ResourceGroupId"), ParamSpec("Tag", .tags), pageNumber, pageSize, dryRun,
        ParamSpec("RouteTableId"), ParamSpec("EnableIpv6", .boolean), ParamSpec("VSwitchOwnerId", .string(maxLength: 32)),
    ])
    public static let deleteVSwitch = ActionSpec("DeleteVSwitch", .vpc, access: .delete, resources: [.network(kind: "vswitch", param: "VSwitchId")], params: [
        region, ParamSpec("VSwitchId", required: true), dryRun,
    ])

    /// The VPC API's own tag actions (note `UnTagResources`, with a capital T, as the SDK names it).
    static let tagged = ResourceSpec.taggedNetworks(idsParam: "ResourceId", typeParam: "ResourceType")
    public static let tagResources = ActionSpec("TagResources", .vpc, access: .update, resources: [tagged], params: [
        region, ParamSpec("ResourceType", required: true), ParamSpec("ResourceId", .repeatList(max: 50), required: true),
        ParamSpec("Tag", .tags),
    ])
    public static let unTagResources = ActionSpec("UnTagResources", .vpc, access: .update, resources: [tagged], params: [
        region, ParamSpec("ResourceType", required: true), ParamSpec("ResourceId", .repeatList(max: 50), required: true),
        ParamSpec("TagKey", .repeatList(max: 20)), ParamSpec("All", .boolean),
    ])
    public static let listTagResources = ActionSpec("ListTagResources", .vpc, access: .list, resources: [.all], params: [
        region, ParamSpec("ResourceType", required: true), ParamSpec("ResourceId", .repeatList(max: 50)), ParamSpec("Tag", .tags),
        ParamSpec("MaxResults", .integer(1...50)), ParamSpec("NextToken", .string(maxLength: 16)),
    ])

    /// The reads Terraform's alicloud_vpc / alicloud_vswitch and footmark make after every write.
    public static let describeVpcAttribute = ActionSpec("DescribeVpcAttribute", .vpc, access: .get,
                                                        resources: [.network(kind: "vpc", param: "VpcId")],
                                                        conditionKeys: ["vpc:tag"], params: [
        region, ParamSpec("VpcId", required: true), ParamSpec("IsDefault", .boolean), dryRun,
    ])
    public static let describeVSwitchAttributes = ActionSpec("DescribeVSwitchAttributes", .vpc, access: .get,
                                                             resources: [.network(kind: "vswitch", param: "VSwitchId")], params: [
        region, ParamSpec("VSwitchId", required: true), dryRun,
    ])
    public static let describeRouteTableList = ActionSpec("DescribeRouteTableList", .vpc, access: .list, resources: [.all],
                                                          conditionKeys: ["vpc:VRouter", "vpc:VBR"], params: [
        region, ParamSpec("VpcId"), ParamSpec("RouteTableId"), ParamSpec("RouteTableName"), ParamSpec("RouteTableType"),
        ParamSpec("RouterType"), ParamSpec("RouterId"), ParamSpec("ResourceGroupId"), pageNumber, pageSize,
    ])

    /// Every action above, in declaration order.
    public static let all: [ActionSpec] = [
        createVpc,
        describeVpcs,
        deleteVpc,
        createVSwitch,
        describeVSwitches,
        deleteVSwitch,
        describeVpcAttribute,
        describeVSwitchAttributes,
        describeRouteTableList,
        tagResources,
        unTagResources,
        listTagResources,
    ]
}
