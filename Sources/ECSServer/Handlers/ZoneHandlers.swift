import ECSAPI
import ECSDomain

/// DescribeZones and DescribeAvailableResource: what Terraform's `alicloud_zones` and
/// `alicloud_instance_types` data sources ask first. Every zone of the catalogue offers every
/// instance type, the system disk categories RunInstances accepts, and VPC networking.
enum ZoneHandlers {
    static let all: [ServedAction] = [
        ServedAction(ECSActions.describeZones, zones),
        ServedAction(ECSActions.describeAvailableResource, availableResource),
    ]

    static let dataDiskCategories = ["cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto"]
    static let generations = ["ecs-3", "ecs-4", "ecs-5", "ecs-6"]

    static func zoneName(_ zone: String, _ region: Region, english: Bool) -> String {
        let letter = zone.last.map { String($0).uppercased() } ?? ""
        return english ? "\(region.id) Zone \(letter)" : "\(region.localName) 可用区 \(letter)"
    }

    static func zones(_ c: Call) async throws -> WireObject {
        let region = try Validation.region(c.region)
        let english = c.input.string("AcceptLanguage")?.lowercased().hasPrefix("en") ?? false
        let verbose = c.input.boolean("Verbose") ?? true
        let types = Catalog.instanceTypes.map(\.id)
        let families = Array(Set(Catalog.instanceTypes.map(\.family))).sorted()
        func strings(_ item: String, _ values: [String]) -> WireValue { .list(item: item, values.map { .string($0) }) }
        return ["Zones": .list(item: "Zone", region.zones.map { z -> WireValue in
            var o: WireObject = [
                "ZoneId": .string(z),
                "LocalName": .string(zoneName(z, region, english: english)),
                "ZoneType": .string("AvailabilityZone"),
            ]
            // Verbose=false: ECS leaves out the resource lists.
            guard verbose else { return .object(o) }
            o.append("AvailableResourceCreation", strings("ResourceTypes", ["VSwitch", "IoOptimized", "Instance", "Disk"]))
            o.append("AvailableDiskCategories", strings("DiskCategories", dataDiskCategories))
            o.append("AvailableInstanceTypes", strings("InstanceTypes", types))
            o.append("AvailableVolumeCategories", strings("VolumeCategories", []))
            o.append("AvailableDedicatedHostTypes", strings("DedicatedHostType", []))
            o.append("DedicatedHostGenerations", strings("DedicatedHostGeneration", []))
            o.append("AvailableResources", .list(item: "ResourcesInfo", [.object([
                "IoOptimized": .boolean(true),
                "SystemDiskCategories": strings("supportedSystemDiskCategory", Validation.systemDiskCategories),
                "DataDiskCategories": strings("supportedDataDiskCategory", dataDiskCategories),
                "InstanceTypes": strings("supportedInstanceType", types),
                "InstanceTypeFamilies": strings("supportedInstanceTypeFamily", families),
                "InstanceGenerations": strings("supportedInstanceGeneration", generations),
                "NetworkTypes": strings("supportedNetworkCategory", ["vpc"]),
            ])]))
            return .object(o)
        })]
    }

    /// One available value, as ECS lists it (`Min`/`Max`/`Unit` only where the value has a range).
    static func supported(_ value: String, min: Int? = nil, max: Int? = nil, unit: String? = nil) -> WireValue {
        var o: WireObject = ["Status": .string("Available"), "StatusCategory": .string("WithStock"), "Value": .string(value)]
        if let min, let max, let unit {
            o.append("Min", .integer(min)); o.append("Max", .integer(max)); o.append("Unit", .string(unit))
        }
        return .object(o)
    }

    static func availableResource(_ c: Call) async throws -> WireObject {
        let i = c.input
        let region = try Validation.region(c.region)
        let destination = i.string("DestinationResource")!
        if let z = i.string("ZoneId"), !region.zones.contains(z) {
            throw ECSError(code: "InvalidZoneId.NotFound", status: 404, message: "The specified zone does not exist.")
                .hinted("Zones of \(region.id): \(region.zones.joined(separator: ", ")).")
        }
        var memory: Double?
        if let m = i.string("Memory") {
            guard let v = Double(m), v.isFinite, v >= 0 else { throw ECSError.invalidParameter("Memory", "It must be a number of GiB, such as 8.") }
            memory = v
        }
        if let t = i.string("InstanceType"), Catalog.instanceType(t) == nil {
            throw ECSError(code: "InvalidInstanceType.ValueNotSupported", status: 400,
                           message: "The specified InstanceType does not exist or beyond the permitted range.")
        }
        let types = Catalog.instanceTypes.filter { t in
            (i.string("InstanceType").map { $0 == t.id } ?? true) && (i.integer("Cores").map { $0 == t.cpu } ?? true)
                && (memory.map { $0 == Double(t.memoryMiB) / 1024 } ?? true)
        }
        let systemCategory = i.string("SystemDiskCategory"), dataCategory = i.string("DataDiskCategory")
        let values: [WireValue]
        switch destination {
        case "Zone": values = []
        case "IoOptimized": values = [supported("optimized")]
        case "InstanceType": values = types.map { supported($0.id) }
        case "SystemDisk":
            values = Validation.systemDiskCategories.filter { systemCategory == nil || $0 == systemCategory }
                .map { supported($0, min: 20, max: 2048, unit: "GiB") }
        case "DataDisk":
            values = dataDiskCategories.filter { dataCategory == nil || $0 == dataCategory }
                .map { supported($0, min: 20, max: 32768, unit: "GiB") }
        case "Network": values = [supported("vpc")]
        default:
            throw ECSError(code: "InvalidDestinationResource.ValueNotSupported", status: 400,
                           message: "The specified parameter DestinationResource is not valid.")
                .hinted("Use Zone, IoOptimized, InstanceType, SystemDisk, DataDisk or Network.")
        }
        let zones = region.zones.filter { i.string("ZoneId") == nil || i.string("ZoneId") == $0 }
        // A filter that leaves nothing available (an instance type that matches none) lists no zone.
        let listed = destination == "Zone" || !values.isEmpty ? zones : []
        return ["AvailableZones": .list(item: "AvailableZone", listed.map { z in
            .object([
                "ZoneId": .string(z), "RegionId": .string(region.id), "Status": .string("Available"),
                "StatusCategory": .string("WithStock"),
                "AvailableResources": .list(item: "AvailableResource", [.object([
                    "Type": .string(destination),
                    "SupportedResources": .list(item: "SupportedResource", destination == "Zone" ? [supported(z)] : values),
                ])]),
            ])
        })]
    }
}
