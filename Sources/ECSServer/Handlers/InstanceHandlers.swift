import ECSAPI
import ECSDomain
import ECSStore

/// RunInstances, CreateInstance, DescribeInstances, DescribeInstanceAttribute, DescribeInstanceStatus,
/// ModifyInstanceAttribute, StartInstance, StopInstance, RebootInstance, DeleteInstance.
enum InstanceHandlers {
    static let all: [ServedAction] = [
        ServedAction(ECSActions.runInstances, { try await launch($0, autoStart: true) }),
        ServedAction(ECSActions.createInstance, { try await launch($0, autoStart: false) }),
        ServedAction(ECSActions.describeInstances, describe),
        ServedAction(ECSActions.describeInstanceAttribute, attribute),
        ServedAction(ECSActions.describeInstanceStatus, status),
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
            resourceGroupId: i.string("ResourceGroupId"), tags: c.tags, dryRun: dryRun(c))
        let ids = try await c.services.instances.launch(c.caller, req, autoStart: autoStart)
        if autoStart {
            return ["InstanceIdSets": .list(item: "InstanceIdSet", ids.map { .string($0) })]
        }
        return ["InstanceId": .string(ids[0])]
    }

    static func describe(_ c: Call) async throws -> WireObject {
        let i = c.input
        let filter = InstanceFilter(ids: i.list("InstanceIds"), keyPairName: i.string("KeyPairName"), status: i.string("Status"),
                                    instanceName: i.string("InstanceName"), imageId: i.string("ImageId"),
                                    instanceType: i.string("InstanceType"), zoneId: i.string("ZoneId"),
                                    resourceGroupId: i.string("ResourceGroupId"), tags: c.tags)
        // Token paging (MaxResults/NextToken) when asked for, else page numbers.
        let tokenPaging = i.integer("MaxResults") != nil || i.string("NextToken") != nil
        let offset: Int, limit: Int, pageNumber: Int
        if tokenPaging {
            limit = min(max(i.integer("MaxResults") ?? 10, 10), 100)
            if let t = i.string("NextToken") {
                guard let o = Int(t), o >= 0 else { throw ECSError.invalidParameter("NextToken", "Use the NextToken of the previous page.") }
                offset = o
            } else { offset = 0 }
            pageNumber = offset / limit + 1
        } else {
            let page = try KeyPairService.page(number: i.integer("PageNumber"), size: i.integer("PageSize"), maxSize: 100)
            (offset, limit, pageNumber) = (page.offset, page.size, page.number)
        }
        let result = try await c.services.instances.describe(c.caller, region: c.region, filter: filter, offset: offset, limit: limit)
        let next = offset + result.items.count < result.total ? String(offset + result.items.count) : ""
        return [
            "TotalCount": .integer(result.total),
            "PageNumber": .integer(pageNumber),
            "PageSize": .integer(limit),
            "NextToken": .string(next),
            "Instances": .list(item: "Instance", result.items.map { .object(item($0)) }),
        ]
    }

    static func item(_ v: InstanceView) -> WireObject {
        var o = common(v)
        o.append("KeyPairName", .string(v.record.boundKeyPair ?? ""))
        o.append("OSType", .string(v.record.osType))
        o.append("OSName", .string(v.image?.osName ?? ""))
        o.append("OSNameEn", .string(v.image?.osNameEn ?? ""))
        o.append("StartTime", .string(v.record.startedAt > 0 ? ECSTime.minutes(v.record.startedAt) : ""))
        o.append("Tags", .tags(v.record.tags))
        return o
    }

    /// The fields DescribeInstances and DescribeInstanceAttribute share. Network wrappers are always
    /// present, even empty: Terraform dereferences them without checking.
    static func common(_ v: InstanceView) -> WireObject {
        let r = v.record
        return [
            "InstanceId": .string(r.id),
            "InstanceName": .string(r.name),
            "RegionId": .string(r.regionId),
            "ZoneId": .string(r.zoneId),
            "ImageId": .string(r.imageId),
            "InstanceType": .string(r.instanceType),
            "HostName": .string(r.hostName),
            "Description": .string(r.description),
            "Status": .string(v.status.rawValue),
            "Cpu": .integer(v.type?.cpu ?? 0),
            "Memory": .integer(v.type?.memoryMiB ?? 0),
            "CreationTime": .string(ECSTime.minutes(r.createdAt)),
            "ExpiredTime": .string("2099-12-31T15:59Z"),
            "InstanceChargeType": .string("PostPaid"),
            "InternetChargeType": .string("PayByTraffic"),
            "InstanceNetworkType": .string("vpc"),
            "IoOptimized": .boolean(true),
            "StoppedMode": .string(v.status == .stopped ? "KeepCharging" : "Not-applicable"),
            "ResourceGroupId": .string(r.resourceGroupId),
            "SerialNumber": .string(r.id),
            "OperationLocks": .list(item: "LockReason", []),
            // The instance's own loopback address, where its SSH server listens (issue 11).
            "PublicIpAddress": .list(item: "IpAddress", r.publicIp.isEmpty ? [] : [.string(r.publicIp)]),
            "InnerIpAddress": .list(item: "IpAddress", []),
            "SecurityGroupIds": .list(item: "SecurityGroupId", []),
            "EipAddress": .object(["AllocationId": .string(""), "IpAddress": .string(""), "InternetChargeType": .string("")]),
            "VpcAttributes": .object([
                "VpcId": .string(""), "VSwitchId": .string(""), "NatIpAddress": .string(""),
                "PrivateIpAddress": .list(item: "IpAddress", [.string(r.privateIp)]),
            ]),
        ]
    }

    static func attribute(_ c: Call) async throws -> WireObject {
        let v = try await c.services.instances.get(c.caller, id: id(c), region: c.input.string("RegionId"))
        return common(v)
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
