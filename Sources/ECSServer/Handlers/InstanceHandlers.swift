import ECSAPI
import ECSDomain
import ECSStore

/// RunInstances, CreateInstance, DescribeInstances, DescribeInstanceAttribute, DescribeInstanceStatus,
/// ModifyInstanceAttribute, StartInstance, StopInstance, RebootInstance, DeleteInstance, DescribeUserData, DescribeDisks.
enum InstanceHandlers {
    static let all: [ServedAction] = [
        ServedAction(ECSActions.runInstances, { try await launch($0, autoStart: true) }),
        ServedAction(ECSActions.createInstance, { try await launch($0, autoStart: false) }),
        ServedAction(ECSActions.describeInstances, describe),
        ServedAction(ECSActions.describeInstanceAttribute, attribute),
        ServedAction(ECSActions.describeInstanceStatus, status),
        ServedAction(ECSActions.describeUserData, userData),
        ServedAction(ECSActions.describeDisks, disks),
        ServedAction(ECSActions.modifyInstanceAttribute, { c in
            let i = c.input
            try await c.services.instances.modifyAttribute(c.caller, id: id(c), region: i.string("RegionId"), AttributeChange(
                password: i.string("Password"), instanceName: i.string("InstanceName"), hostName: i.string("HostName"),
                description: i.string("Description")))
            return [:]
        }),
        ServedAction(ECSActions.startInstance, { c in try await c.services.instances.start(c.caller, id: id(c), region: c.input.string("RegionId"), dryRun: dryRun(c)); return [:] }),
        ServedAction(ECSActions.stopInstance, { c in try await c.services.instances.stop(c.caller, id: id(c), region: c.input.string("RegionId"), dryRun: dryRun(c)); return [:] }),
        ServedAction(ECSActions.rebootInstance, { c in try await c.services.instances.reboot(c.caller, id: id(c), region: c.input.string("RegionId"), dryRun: dryRun(c)); return [:] }),
        ServedAction(ECSActions.deleteInstance, { c in
            try await c.services.instances.delete(c.caller, id: id(c), region: c.input.string("RegionId"),
                                                  force: c.input.boolean("Force") ?? false, dryRun: dryRun(c))
            return [:]
        }),
    ]

    static func id(_ c: Call) -> String { c.input.string("InstanceId")! }
    static func dryRun(_ c: Call) -> Bool { c.input.boolean("DryRun") ?? false }

    static func launch(_ c: Call, autoStart: Bool) async throws -> WireObject {
        let i = c.input
        let req = LaunchRequest(
            region: c.region, imageId: i.string("ImageId"), instanceType: i.string("InstanceType"),
            keyPairName: i.string("KeyPairName"), password: i.string("Password"), passwordInherit: i.boolean("PasswordInherit") ?? false,
            instanceName: i.string("InstanceName"), hostName: i.string("HostName"), description: i.string("Description"),
            amount: autoStart ? (i.integer("Amount") ?? 1) : 1, clientToken: i.string("ClientToken"), zoneId: i.string("ZoneId"),
            resourceGroupId: i.string("ResourceGroupId"), tags: c.tags, dryRun: dryRun(c), userData: i.string("UserData"),
            systemDiskCategory: i.string("SystemDisk.Category"), systemDiskSize: i.integer("SystemDisk.Size"),
            vSwitchId: i.string("VSwitchId"), securityGroupId: i.string("SecurityGroupId"),
            instanceChargeType: i.string("InstanceChargeType"), securityGroupIds: i.list("SecurityGroupIds") ?? [],
            dataDisks: i.records("DataDisk") ?? [])
        let ids = try await c.services.instances.launch(c.caller, req, autoStart: autoStart)
        // LocalECS charges nothing: the price of what was launched is 0. (OrderId is for
        // subscriptions only, which LocalECS does not sell.)
        if autoStart {
            return ["InstanceIdSets": .list(item: "InstanceIdSet", ids.map { .string($0) }), "TradePrice": .double(0)]
        }
        return ["InstanceId": .string(ids[0]), "TradePrice": .double(0)]
    }

    static func describe(_ c: Call) async throws -> WireObject {
        let i = c.input
        let filter = InstanceFilter(ids: i.list("InstanceIds"), keyPairName: i.string("KeyPairName"), status: i.string("Status"),
                                    instanceName: i.string("InstanceName"), imageId: i.string("ImageId"),
                                    instanceType: i.string("InstanceType"), zoneId: i.string("ZoneId"),
                                    resourceGroupId: i.string("ResourceGroupId"), vpcId: i.string("VpcId"),
                                    vSwitchId: i.string("VSwitchId"), tags: c.tags,
                                    securityGroupId: i.string("SecurityGroupId"))
        let (offset, limit, pageNumber) = try paging(i, maxResults: 100)
        let result = try await c.services.instances.describe(c.caller, region: c.region, filter: filter, offset: offset, limit: limit)
        let next = result.nextToken(after: offset)
        return [
            "NextToken": .string(next),
            "PageSize": .integer(limit),
            "PageNumber": .integer(pageNumber),
            "RequestId": .null,
            "TotalCount": .integer(result.total),
            "Instances": InstanceShapes.itemShape.list(item: "Instance", result.items),
        ]
    }

    static func attribute(_ c: Call) async throws -> WireObject {
        let v = try await c.services.instances.get(c.caller, id: id(c), region: c.input.string("RegionId"))
        return InstanceShapes.attribute(v)
    }

    static func userData(_ c: Call) async throws -> WireObject {
        let v = try await c.services.instances.userData(c.caller, id: id(c), region: c.region)
        return ["UserData": .string(v.record.userData ?? ""), "InstanceId": .string(v.record.id), "RegionId": .string(v.record.regionId)]
    }

    static func disks(_ c: Call) async throws -> WireObject {
        let i = c.input
        let filter = DiskFilter(ids: i.list("DiskIds"), instanceId: i.string("InstanceId"), zoneId: i.string("ZoneId"),
                                diskType: i.string("DiskType"), category: i.string("Category"), status: i.string("Status"),
                                name: i.string("DiskName"), resourceGroupId: i.string("ResourceGroupId"), tags: c.tags)
        let (offset, limit, pageNumber) = try paging(i, maxResults: 500)
        if dryRun(c) { throw DomainError.dryRunPassed }
        let result = try await c.services.instances.disks(c.caller, region: c.region, filter: filter, offset: offset, limit: limit)
        let next = result.nextToken(after: offset)
        return [
            "NextToken": .string(next),
            "PageSize": .integer(limit),
            "PageNumber": .integer(pageNumber),
            "RequestId": .null,
            "TotalCount": .integer(result.total),
            "Disks": .list(item: "Disk", result.items.map { .object(InstanceShapes.disk($0)) }),
        ]
    }

    /// Token paging (MaxResults/NextToken) when asked for, else page numbers (ECS: one or the other).
    static func paging(_ i: Input, maxResults: Int, maxPageSize: Int = 100) throws -> (offset: Int, limit: Int, pageNumber: Int) {
        if i.integer("MaxResults") != nil || i.string("NextToken") != nil {
            let limit = min(max(i.integer("MaxResults") ?? 10, 10), maxResults)
            var offset = 0
            if let t = i.string("NextToken") {
                guard let o = Int(t), o >= 0 else { throw ECSError.invalidParameter("NextToken", "Use the NextToken of the previous page.") }
                offset = o
            }
            return (offset, limit, offset / limit + 1)
        }
        let page = try KeyPairService.page(number: i.integer("PageNumber"), size: i.integer("PageSize"), maxSize: maxPageSize)
        return (page.offset, page.size, page.number)
    }

    static func status(_ c: Call) async throws -> WireObject {
        let page = try KeyPairService.page(number: c.input.integer("PageNumber"), size: c.input.integer("PageSize"))
        let ids = c.input.list("InstanceId")
        let filter = InstanceFilter(ids: ids, zoneId: c.input.string("ZoneId"))
        let result = try await c.services.instances.describe(c.caller, region: c.region, filter: filter, offset: page.offset, limit: page.size)
        return [
            "TotalCount": .integer(result.total),
            "PageNumber": .integer(page.number),
            "PageSize": .integer(page.size),
            "InstanceStatuses": .list(item: "InstanceStatus", result.items.map {
                .object(["InstanceId": .string($0.record.id), "Status": .string($0.status.rawValue)])
            }),
        ]
    }
}
