import ECSAPI
import ECSDomain
import ECSStore

/// DescribeInstanceMaintenanceAttributes, DescribeInstanceAttachmentAttributes, DescribeInstanceRamRole,
/// DescribeNetworkInterfaces: what Terraform's `alicloud_instance` Read calls besides DescribeInstances
/// (its Read fails when the first two list nothing for the instance). LocalECS models no maintenance
/// settings, private pools or instance RAM roles: the answers are ECS's defaults for an instance that
/// never changed them. Each instance has one network interface, its primary one, named after it.
enum InstanceReadHandlers {
    static let all: [ServedAction] = [
        ServedAction(ECSActions.describeInstanceMaintenanceAttributes, maintenance),
        ServedAction(ECSActions.describeInstanceAttachmentAttributes, attachment),
        ServedAction(ECSActions.describeInstanceRamRole, ramRole),
        ServedAction(ECSActions.describeNetworkInterfaces, networkInterfaces),
    ]

    static func instances(_ c: Call, ids: [String]?, page: (offset: Int, size: Int),
                          filter: InstanceFilter = InstanceFilter()) async throws -> Page<InstanceView> {
        var f = filter
        f.ids = ids
        return try await c.services.instances.describe(c.caller, region: c.region, filter: f, offset: page.offset, limit: page.size)
    }

    static func maintenance(_ c: Call) async throws -> WireObject {
        let page = try KeyPairService.page(number: c.input.integer("PageNumber"), size: c.input.integer("PageSize"), maxSize: 100)
        let result = try await instances(c, ids: c.input.list("InstanceId"), page: (page.offset, page.size))
        return [
            "PageSize": .integer(page.size),
            "RequestId": .null,
            "PageNumber": .integer(page.number),
            "TotalCount": .integer(result.total),
            "MaintenanceAttributes": .list(item: "MaintenanceAttribute", result.items.map { v in
                .object([
                    "NotifyOnMaintenance": .boolean(false),
                    "InstanceId": .string(v.record.id),
                    "MaintenanceWindows": .list(item: "MaintenanceWindow", [.object([
                        "EndTime": .string("03:00:00Z"), "StartTime": .string("02:00:00Z"),
                    ])]),
                    "ActionOnMaintenance": .object([
                        "DefaultValue": .string("AutoRecover"),
                        "Value": .string("AutoRecover"),
                        "SupportedValues": .list(item: "SupportedValue", ["Stop", "AutoRecover", "AutoRedeploy"].map { .string($0) }),
                    ]),
                ])
            }),
        ]
    }

    static func attachment(_ c: Call) async throws -> WireObject {
        let page = try KeyPairService.page(number: c.input.integer("PageNumber"), size: c.input.integer("PageSize"), maxSize: 100)
        let result = try await instances(c, ids: c.input.list("InstanceIds"), page: (page.offset, page.size))
        return [
            "PageSize": .integer(page.size),
            "RequestId": .null,
            "PageNumber": .integer(page.number),
            "TotalCount": .integer(result.total),
            "Instances": .list(item: "Instance", result.items.map { v in
                .object([
                    "InstanceId": .string(v.record.id),
                    // Launched without PrivatePoolOptions: ECS's default criterion, no pool.
                    "PrivatePoolOptionsMatchCriteria": .string("None"),
                    "PrivatePoolOptionsId": .string(""),
                ])
            }),
        ]
    }

    /// No instance has a RAM role (LocalECS serves no AttachInstanceRamRole), so the set is empty,
    /// and a `RamRoleName` filter cannot match anything.
    static func ramRole(_ c: Call) async throws -> WireObject {
        _ = try KeyPairService.page(number: c.input.integer("PageNumber"), size: c.input.integer("PageSize"), maxSize: 100)
        // Still looked up, so RAM and a malformed list are answered as for any other instance read.
        _ = try await instances(c, ids: c.input.list("InstanceIds"), page: (0, 1))
        return [
            "RequestId": .null,
            "TotalCount": .integer(0),
            "RegionId": .string(c.region),
            "InstanceRamRoleSets": .list(item: "InstanceRamRoleSet", []),
        ]
    }

    static func networkInterfaces(_ c: Call) async throws -> WireObject {
        let i = c.input
        let (offset, limit, pageNumber) = try InstanceHandlers.paging(i, maxResults: 500)
        var ids = i.list("NetworkInterfaceId").map { $0.compactMap(instanceId(ofInterface:)) }
        if let owner = i.string("InstanceId") { ids = (ids ?? [owner]).filter { $0 == owner } }
        // Only primary interfaces exist; an ID naming none matches nothing.
        let empty = (i.string("Type").map { $0 != "Primary" } ?? false) || ids?.isEmpty == true
        let filter = InstanceFilter(vpcId: i.string("VpcId"), vSwitchId: i.string("VSwitchId"), securityGroupId: i.string("SecurityGroupId"))
        let result = empty ? Page<InstanceView>(total: 0, items: [])
            : try await instances(c, ids: ids, page: (offset, limit), filter: filter)
        let next = result.nextToken(after: offset)
        return [
            "NextToken": .string(next),
            "PageSize": .integer(limit),
            "PageNumber": .integer(pageNumber),
            "RequestId": .null,
            "TotalCount": .integer(result.total),
            "NetworkInterfaceSets": .list(item: "NetworkInterfaceSet", result.items.map { .object(InstanceShapes.networkInterface($0)) }),
        ]
    }

    /// `eni-X` is the primary interface of `i-X`.
    static func instanceId(ofInterface id: String) -> String? {
        id.hasPrefix("eni-") && id.count > 4 ? "i-" + id.dropFirst(4) : nil
    }
}
