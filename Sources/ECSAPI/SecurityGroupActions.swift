/// ECS's security group and tag actions (2014-05-26), each declared once.
///
/// Rules come in two forms, both declared: the legacy single-rule parameters (`IpProtocol`,
/// `PortRange`, `SourceCidrIp`, …) and `Permissions.N.*`, which Terraform and the current SDKs
/// send. RAM resources follow the API pages: `acs:ecs:{region}:{account}:securitygroup/{id}`.
/// Access levels and condition keys follow ECS's "RAM authorization" reference
/// (https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-ram), read
/// 2026-11-30; it lists no dependent action for any of these actions.
public enum SecurityGroupActions {
    static let region = ParamSpec("RegionId", required: true)
    static let groupId = ParamSpec("SecurityGroupId", required: true)
    static let groupIdsInvalid = ECSError(code: "InvalidSecurityGroupIds.Malformed", status: 400,
        message: "The specified parameter \"SecurityGroupIds\" is not valid.")
        .hinted("SecurityGroupIds must be a JSON array of at most 100 security group IDs, for example [\"sg-bp1abc\"].")

    /// The fields one rule carries, in the legacy form and in `Permissions.N.*` alike.
    public static let ingressFields = ["IpProtocol", "PortRange", "SourceCidrIp", "Ipv6SourceCidrIp", "SourceGroupId",
                                "SourcePrefixListId", "SourcePortRange", "DestCidrIp", "Ipv6DestCidrIp", "Policy", "Priority",
                                "NicType", "Description"]
    public static let egressFields = ["IpProtocol", "PortRange", "DestCidrIp", "Ipv6DestCidrIp", "DestGroupId", "DestPrefixListId",
                               "SourcePortRange", "SourceCidrIp", "Ipv6SourceCidrIp", "Policy", "Priority", "NicType", "Description"]

    static func ruleParams(_ fields: [String]) -> [ParamSpec] {
        // Priority is checked in the domain, so the error is ECS's `InvalidPriority.ValueNotSupported`.
        fields.map { ParamSpec($0) } + [ParamSpec("Permissions", .records(fields: fields, max: 100)), ParamSpec("ClientToken")]
    }

    /// The rule keys AuthorizeSecurityGroup(Egress) declare: the protocols and source CIDR blocks
    /// of the rules the request adds.
    static let ruleConditionKeys = ["ecs:SecurityGroupIpProtocols", "ecs:SecurityGroupSourceCidrIps"]

    public static let createSecurityGroup = ActionSpec("CreateSecurityGroup", access: .create, resources: [.anySecurityGroup], params: [
        region, ParamSpec("SecurityGroupName"), ParamSpec("Description"), ParamSpec("VpcId"), ParamSpec("SecurityGroupType"),
        ParamSpec("ResourceGroupId"), ParamSpec("Tag", .tags), ParamSpec("ClientToken"), ParamSpec("ServiceManaged", .boolean),
    ])
    public static let describeSecurityGroups = ActionSpec("DescribeSecurityGroups", access: .get, resources: [.all],
        conditionKeys: ["ecs:tag"], params: [
        region, ParamSpec("VpcId"), ParamSpec("SecurityGroupId"),
        ParamSpec("SecurityGroupIds", .jsonStringArray(max: 100, invalid: groupIdsInvalid, tooMany: groupIdsInvalid)),
        ParamSpec("SecurityGroupName"), ParamSpec("SecurityGroupType"), ParamSpec("NetworkType"), ParamSpec("ResourceGroupId"),
        ParamSpec("Tag", .tags), ECSActions.pageNumber, ECSActions.pageSize(max: 50),
        ParamSpec("MaxResults", .integer(10...100, clamp: true)), ParamSpec("NextToken", .string(maxLength: 10)),
        ParamSpec("IsQueryEcsCount", .boolean), ParamSpec("FuzzyQuery", .boolean), ParamSpec("DryRun", .boolean),
    ])
    public static let describeSecurityGroupAttribute = ActionSpec("DescribeSecurityGroupAttribute", access: .get,
        resources: [.securityGroup(param: "SecurityGroupId")], conditionKeys: ["ecs:tag"], params: [
        region, groupId, ParamSpec("NicType"), ParamSpec("Direction"),
        ParamSpec("MaxResults", .integer(10...1000, clamp: true)), ParamSpec("NextToken", .string(maxLength: 10)),
    ])
    public static let authorizeSecurityGroup = ActionSpec("AuthorizeSecurityGroup", access: .create,
        resources: [.securityGroup(param: "SecurityGroupId")], conditionKeys: ruleConditionKeys, params: [region, groupId] + ruleParams(ingressFields))
    public static let authorizeSecurityGroupEgress = ActionSpec("AuthorizeSecurityGroupEgress", access: .create,
        resources: [.securityGroup(param: "SecurityGroupId")], conditionKeys: ruleConditionKeys, params: [region, groupId] + ruleParams(egressFields))
    public static let revokeSecurityGroup = ActionSpec("RevokeSecurityGroup", access: .delete,
        resources: [.securityGroup(param: "SecurityGroupId")], conditionKeys: ["ecs:tag"],
        params: [region, groupId, ParamSpec("SecurityGroupRuleId", .repeatList(max: 100))] + ruleParams(ingressFields))
    public static let revokeSecurityGroupEgress = ActionSpec("RevokeSecurityGroupEgress", access: .delete,
        resources: [.securityGroup(param: "SecurityGroupId")], conditionKeys: ["ecs:tag"],
        params: [region, groupId, ParamSpec("SecurityGroupRuleId", .repeatList(max: 100))] + ruleParams(egressFields))
    public static let modifySecurityGroupAttribute = ActionSpec("ModifySecurityGroupAttribute", access: .update,
        resources: [.securityGroup(param: "SecurityGroupId")], params: [
        region, groupId, ParamSpec("SecurityGroupName"), ParamSpec("Description"),
    ])
    public static let deleteSecurityGroup = ActionSpec("DeleteSecurityGroup", access: .delete,
        resources: [.securityGroup(param: "SecurityGroupId")], params: [region, groupId])
    public static let joinSecurityGroup = ActionSpec("JoinSecurityGroup", access: .update,
        resources: [.securityGroup(param: "SecurityGroupId"), .instance(param: "InstanceId")], params: [
        ParamSpec("RegionId"), groupId, ParamSpec("InstanceId"), ParamSpec("NetworkInterfaceId"),
    ])
    public static let leaveSecurityGroup = ActionSpec("LeaveSecurityGroup", access: .update,
        resources: [.securityGroup(param: "SecurityGroupId"), .instance(param: "InstanceId")], params: [
        ParamSpec("RegionId"), groupId, ParamSpec("InstanceId"), ParamSpec("NetworkInterfaceId"),
    ])

    public static let tagResources = ActionSpec("TagResources", access: .create,
        resources: [.tagged(typeParam: "ResourceType", idsParam: "ResourceId")], params: [
        region, ParamSpec("ResourceType", required: true), ParamSpec("ResourceId", .repeatList(max: 50)),
        ParamSpec("Tag", .tags),
    ])
    public static let untagResources = ActionSpec("UntagResources", access: .delete,
        resources: [.tagged(typeParam: "ResourceType", idsParam: "ResourceId")], params: [
        region, ParamSpec("ResourceType", required: true), ParamSpec("ResourceId", .repeatList(max: 50)),
        ParamSpec("TagKey", .repeatList(max: 20)), ParamSpec("All", .boolean),
    ])
    public static let listTagResources = ActionSpec("ListTagResources", access: .get,
        resources: [.tagged(typeParam: "ResourceType", idsParam: "ResourceId")], params: [
        region, ParamSpec("ResourceType", required: true), ParamSpec("ResourceId", .repeatList(max: 50)),
        ParamSpec("Tag", .tags), ParamSpec("TagFilter", .records(fields: ["TagKey"], max: 10)),
        ParamSpec("NextToken", .string(maxLength: 10)),
    ])

    public static let all: [ActionSpec] = [
        createSecurityGroup, describeSecurityGroups, describeSecurityGroupAttribute, authorizeSecurityGroup,
        authorizeSecurityGroupEgress, revokeSecurityGroup, revokeSecurityGroupEgress, modifySecurityGroupAttribute,
        deleteSecurityGroup, joinSecurityGroup, leaveSecurityGroup, tagResources, untagResources, listTagResources,
    ]
}
