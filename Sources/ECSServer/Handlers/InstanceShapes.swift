import ECSAPI
import ECSDomain
import ECSStore

/// How DescribeInstances, DescribeInstanceAttribute and DescribeDisks show an instance and its
/// system disk: every field of the official SDK's response models, with a value true to the
/// state, keys in the order of the API reference's response samples.
///
/// The order matters to footmark (Ansible's library): it sets attributes in key order and its
/// setters read `EipAddress` while handling `PublicIpAddress`, so `EipAddress` must come first.
/// Network wrappers are always present, even empty: Terraform dereferences them unchecked.
enum InstanceShapes {
    /// One `Instances.Instance[]` item of DescribeInstances.
    static func item(_ v: InstanceView) -> WireObject {
        let r = v.record
        let cpu = v.type?.cpu ?? 0
        return [
            "ResourceGroupId": .string(r.resourceGroupId),
            "Memory": .integer(v.type?.memoryMiB ?? 0),
            "InstanceChargeType": .string("PostPaid"),
            "Cpu": .integer(cpu),
            "OSName": .string(v.image?.osName ?? ""),
            "InstanceNetworkType": .string("vpc"),
            "InnerIpAddress": Fixed.noIpAddresses,
            "ExpiredTime": .string(expiredTime),
            "ImageId": .string(r.imageId),
            "EipAddress": Fixed.eipAddress,
            "ImageOptions": Fixed.imageOptions,
            "VlanId": .string(""),
            "HostName": .string(r.hostName),
            "Tags": .tags(r.tags),
            "Status": .string(v.status.rawValue),
            "HibernationOptions": Fixed.hibernationOptions,
            "AdditionalInfo": Fixed.additionalInfo,
            "MetadataOptions": Fixed.metadataOptions,
            "InstanceId": .string(r.id),
            "StoppedMode": .string(stoppedMode(v)),
            "CpuOptions": .object([
                "TopologyType": .string(""), "TurboMode": .string(""), "EnableVISST": .boolean(false),
                "EnableVRDT": .boolean(false), "ThreadsPerCore": .integer(cpu > 1 ? 2 : 1), "Numa": .string(""),
                "CoreCount": .integer(max(1, cpu / 2)), "NestedVirtualization": .string(""),
            ]),
            "StartTime": .string(r.startedAt > 0 ? ECSTime.minutes(r.startedAt) : ""),
            "DeletionProtection": .boolean(false),
            "SecurityGroupIds": .list(item: "SecurityGroupId", v.record.securityGroupIds.map { .string($0) }),
            "VpcAttributes": vpcAttributes(r),
            "InternetChargeType": .string("PayByTraffic"),
            "InstanceName": .string(r.name),
            "DeploymentSetId": .string(""),
            "InternetMaxBandwidthOut": .integer(0),
            "SerialNumber": .string(r.id),
            "OSType": .string(r.osType),
            "CreationTime": .string(ECSTime.minutes(r.createdAt)),
            "AutoReleaseTime": .string(""),
            "Description": .string(r.description),
            "InstanceTypeFamily": .string(v.type?.family ?? ""),
            "DedicatedInstanceAttribute": Fixed.dedicatedInstanceAttribute,
            "PublicIpAddress": .list(item: "IpAddress", r.publicIp.isEmpty ? [] : [.string(r.publicIp)]),
            "GPUSpec": .string(""),
            "NetworkInterfaces": .list(item: "NetworkInterface", [.object(primaryInterface(r))]),
            "SpotPriceLimit": .double(0),
            "DeviceAvailable": .boolean(true),
            "SaleCycle": .string(""),
            "InstanceType": .string(r.instanceType),
            "SpotStrategy": .string("NoSpot"),
            "OSNameEn": .string(v.image?.osNameEn ?? ""),
            "IoOptimized": .boolean(true),
            "ZoneId": .string(r.zoneId),
            "ClusterId": .string(""),
            "EcsCapacityReservationAttr": Fixed.capacityReservation,
            "DedicatedHostAttribute": Fixed.dedicatedHostAttribute,
            "GPUAmount": .integer(0),
            "OperationLocks": Fixed.noLockReasons,
            "InternetMaxBandwidthIn": .integer(0),
            "Recyclable": .boolean(false),
            "RegionId": .string(r.regionId),
            "CreditSpecification": .string(""),
            "SpotDuration": .integer(0),
            "SpotInterruptionBehavior": .string("Terminate"),
            "KeyPairName": .string(r.boundKeyPair ?? ""),
            "HpcClusterId": .string(""),
            "LocalStorageCapacity": .integer(0),
            "LocalStorageAmount": .integer(0),
            "ISP": .string(""),
            "RdmaIpAddress": Fixed.noIpAddresses,
            "DeploymentSetGroupNo": .integer(0),
            "PrivateDnsNameOptions": Fixed.privateDnsNameOptions,
            "SecurityOptions": Fixed.securityOptions,
            "ClockOptions": Fixed.clockOptions,
            "EnableNVS": .boolean(false),
        ]
    }

    /// The parts of an item that are the same for every instance, built once: a page of 100 items
    /// would otherwise build (and free) them 100 times over.
    enum Fixed {
        static let noIpAddresses: WireValue = .list(item: "IpAddress", [])
        static let noLockReasons: WireValue = .list(item: "LockReason", [])
        static let eipAddress: WireValue = .object([
            "Bandwidth": .integer(0), "AllocationId": .string(""), "IpAddress": .string(""),
            "IsSupportUnassociate": .boolean(false), "InternetChargeType": .string(""),
        ])
        static let imageOptions: WireValue = .object(["LoginAsNonRoot": .boolean(false), "CurrentOSNVMeSupported": .boolean(true)])
        static let hibernationOptions: WireValue = .object(["Configured": .boolean(false)])
        static let additionalInfo: WireValue = .object([
            "EnableHighDensityMode": .boolean(false), "ManagedHostId": .string(""), "NodeSerialNumber": .string(""),
        ])
        static let metadataOptions: WireValue = .object([
            "HttpPutResponseHopLimit": .integer(1), "HttpTokens": .string("optional"), "HttpEndpoint": .string("enabled"),
            "InstanceMetadataTags": .string("disabled"),
        ])
        static let dedicatedInstanceAttribute: WireValue = .object(["Tenancy": .string(""), "Affinity": .string("")])
        static let capacityReservation: WireValue = .object([
            "CapacityReservationPreference": .string(""), "CapacityReservationId": .string(""),
        ])
        static let dedicatedHostAttribute: WireValue = .object([
            "DedicatedHostId": .string(""), "DedicatedHostName": .string(""), "DedicatedHostClusterId": .string(""),
        ])
        static let privateDnsNameOptions: WireValue = .object([
            "HostnameType": .string("Custom"), "EnableInstanceIdDnsARecord": .boolean(false),
            "EnableInstanceIdDnsAAAARecord": .boolean(false), "EnableIpDnsARecord": .boolean(false),
            "EnableIpDnsPtrRecord": .boolean(false),
        ])
        static let securityOptions: WireValue = .object(["EnableSecureBoot": .boolean(false)])
        static let clockOptions: WireValue = .object(["PtpStatus": .string("disabled")])
        static let noIpv6Sets: WireValue = .list(item: "Ipv6Set", [])
        static let noIpv4PrefixSets: WireValue = .list(item: "Ipv4PrefixSet", [])
        static let noIpv6PrefixSets: WireValue = .list(item: "Ipv6PrefixSet", [])
    }

    /// DescribeInstanceAttribute's body. `RequestId` stands where the sample has it (the
    /// renderer fills it in). It has no KeyPairName and no OSType, as on ECS.
    static func attribute(_ v: InstanceView) -> WireObject {
        let r = v.record
        return [
            "Status": .string(v.status.rawValue),
            "SerialNumber": .string(r.id),
            "CreationTime": .string(ECSTime.minutes(r.createdAt)),
            "RequestId": .null,
            "Description": .string(r.description),
            "InstanceName": .string(r.name),
            "InstanceNetworkType": .string("vpc"),
            "Memory": .integer(v.type?.memoryMiB ?? 0),
            "ImageId": .string(r.imageId),
            "ClusterId": .string(""),
            "VlanId": .string(""),
            "StoppedMode": .string(stoppedMode(v)),
            "HostName": .string(r.hostName),
            "InstanceId": .string(r.id),
            "InternetChargeType": .string("PayByTraffic"),
            "ZoneId": .string(r.zoneId),
            "InternetMaxBandwidthIn": .integer(0),
            "InstanceType": .string(r.instanceType),
            "Cpu": .integer(v.type?.cpu ?? 0),
            "RegionId": .string(r.regionId),
            // A string here, unlike DescribeInstances' boolean: the reference and the SDK model say so.
            "IoOptimized": .string("optimized"),
            "InternetMaxBandwidthOut": .integer(0),
            "ExpiredTime": .string(expiredTime),
            "InstanceChargeType": .string("PostPaid"),
            "CreditSpecification": .string(""),
            "EnableJumboFrame": .boolean(false),
            "EnableNetworkEncryption": .boolean(false),
            "NetworkOptions": .object([
                "EnableJumboFrame": .boolean(false), "BandwidthWeighting": .string(""), "EnableNetworkEncryption": .boolean(false),
            ]),
            "DedicatedHostAttribute": .object(["DedicatedHostId": .string(""), "DedicatedHostName": .string("")]),
            "EipAddress": .object([
                "AllocationId": .string(""), "Bandwidth": .integer(0), "InternetChargeType": .string(""), "IpAddress": .string(""),
            ]),
            "SecurityGroupIds": .list(item: "SecurityGroupId", v.record.securityGroupIds.map { .string($0) }),
            "PublicIpAddress": .list(item: "IpAddress", r.publicIp.isEmpty ? [] : [.string(r.publicIp)]),
            "InnerIpAddress": .list(item: "IpAddress", []),
            "VpcAttributes": vpcAttributes(r),
            "OperationLocks": .list(item: "LockReason", []),
            "SecurityOptions": .object(["EnableSecureBoot": .boolean(false)]),
        ]
    }

    /// One `Disks.Disk[]` item of DescribeDisks: a disk attached to its instance.
    static func disk(_ d: DiskView) -> WireObject {
        let r = d.instance.record
        let attachedAt = ECSTime.minutes(r.createdAt)
        let essd = d.category == "cloud_essd"
        let iops = essd ? Self.essdIOPS(level: d.performanceLevel, size: d.size) : 0
        return [
            "SerialNumber": .string(d.id.dropFirst(2).lowercased()),
            "CreationTime": .string(attachedAt),
            "Status": .string(d.status),
            "Type": .string(d.type),
            "PerformanceLevel": .string(d.performanceLevel),
            "BdfId": .string(""),
            "EnableAutoSnapshot": .boolean(false),
            "StorageSetId": .string(""),
            "StorageSetPartitionNumber": .integer(0),
            "DiskId": .string(d.id),
            "DeleteAutoSnapshot": .boolean(true),
            "StorageClusterId": .string(""),
            "Encrypted": .boolean(false),
            "IOPSRead": .integer(0),
            "MountInstanceNum": .integer(1),
            "Description": .string(d.description),
            "Device": .string(d.device),
            "DiskName": .string(d.name),
            "Portable": .boolean(false),
            // A data disk made empty (not from a snapshot or image) has no image.
            "ImageId": .string(d.data == nil ? r.imageId : ""),
            "KMSKeyId": .string(""),
            "DeleteWithInstance": .boolean(true),
            "DetachedTime": .string(""),
            "SourceSnapshotId": .string(""),
            "AutoSnapshotPolicyId": .string(""),
            "EnableAutomatedSnapshotPolicy": .boolean(false),
            "IOPSWrite": .integer(0),
            "InstanceId": .string(r.id),
            "IOPS": .integer(iops),
            "RegionId": .string(r.regionId),
            "ExpiredTime": .string(expiredTime),
            "Size": .integer(d.size),
            "ResourceGroupId": .string(r.resourceGroupId),
            "DiskChargeType": .string("PostPaid"),
            "ZoneId": .string(r.zoneId),
            "AttachedTime": .string(attachedAt),
            "Category": .string(d.category),
            "ProductCode": .string(""),
            "MultiAttach": .string("Disabled"),
            "OperationLocks": .list(item: "OperationLock", []),
            "MountInstances": .list(item: "MountInstance", [.object([
                "AttachedTime": .string(attachedAt), "InstanceId": .string(r.id), "Device": .string(d.device),
            ])]),
            "Tags": .tagsValueFirst([]),
            "Attachments": .list(item: "Attachment", [.object([
                "InstanceId": .string(r.id), "Device": .string(d.device), "AttachedTime": .string(attachedAt),
            ])]),
            "ProvisionedIops": .integer(0),
            "BurstingEnabled": .boolean(false),
            "Throughput": .integer(0),
            "ThroughputRead": .integer(0),
            "ThroughputWrite": .integer(0),
            "Placement": .object(["ZoneIds": .string("")]),
            // Not in the reference's sample: after everything it lists.
            "SourceDiskId": .string(""),
            "DataSource": .object(["Id": .string(""), "Type": .string("")]),
        ]
    }

    /// ESSD's published IOPS formula per level (1,800 + 12 or 50 per GiB), capped where the level caps it.
    /// Sizes are at most 65536 GiB (validated), so nothing here overflows.
    static func essdIOPS(level: String, size: Int) -> Int {
        switch level {
        case "PL0": return min(1800 + 12 * size, 10000)
        case "PL2": return min(1800 + 50 * size, 100000)
        case "PL3": return min(1800 + 50 * size, 1000000)
        default: return min(1800 + 50 * size, 50000)
        }
    }

    /// Pay-as-you-go instances do not expire; ECS shows a far-future date.
    static let expiredTime = "2099-12-31T15:59Z"

    static func stoppedMode(_ v: InstanceView) -> String { v.status == .stopped ? "KeepCharging" : "Not-applicable" }

    static func vpcAttributes(_ r: InstanceRecord) -> WireValue {
        .object([
            "VpcId": .string(r.vpcId), "NatIpAddress": .string(""), "VSwitchId": .string(r.vSwitchId),
            "PrivateIpAddress": .list(item: "IpAddress", [.string(r.privateIp)]),
        ])
    }

    static func primaryInterface(_ r: InstanceRecord) -> WireObject {
        let suffix = r.id.dropFirst(2)
        return [
            "Type": .string("Primary"),
            "MacAddress": .string(macAddress(r.id)),
            "NetworkInterfaceId": .string("eni-" + suffix),
            "PrimaryIpAddress": .string(r.privateIp),
            "PrivateIpSets": .list(item: "PrivateIpSet", [.object([
                "PrivateIpAddress": .string(r.privateIp), "PrivateDnsName": .string(""), "Primary": .boolean(true),
            ])]),
            "Ipv6Sets": Fixed.noIpv6Sets,
            "Ipv4PrefixSets": Fixed.noIpv4PrefixSets,
            "Ipv6PrefixSets": Fixed.noIpv6PrefixSets,
        ]
    }

    /// One `NetworkInterfaceSets.NetworkInterfaceSet[]` item of DescribeNetworkInterfaces: the
    /// instance's primary interface, attached since the instance was created.
    static func networkInterface(_ v: InstanceView) -> WireObject {
        let r = v.record
        let primary = primaryInterface(r)
        var vpc: WireObject = [:]
        if case .object(let o) = vpcAttributes(r) { vpc = o }
        return [
            "CreationTime": .string(ECSTime.minutes(r.createdAt)),
            "VpcId": vpc["VpcId"] ?? .string(""),
            "Type": .string("Primary"),
            "Status": .string("InUse"),
            "NetworkInterfaceTrafficMode": .string("Standard"),
            "NetworkInterfaceName": .string(""),
            "MacAddress": primary["MacAddress"] ?? .string(""),
            "QueuePairNumber": .integer(0),
            "NetworkInterfaceId": primary["NetworkInterfaceId"] ?? .string(""),
            "ServiceID": .integer(0),
            "InstanceId": .string(r.id),
            "OwnerId": .string(r.accountId),
            "ServiceManaged": .boolean(false),
            "VSwitchId": vpc["VSwitchId"] ?? .string(""),
            "Description": .string(""),
            "ResourceGroupId": .string(r.resourceGroupId),
            "ZoneId": .string(r.zoneId),
            "PrivateIpAddress": .string(r.privateIp),
            "QueueNumber": .integer(0),
            "PrivateIpSets": .list(item: "PrivateIpSet", [.object([
                "PrivateIpAddress": .string(r.privateIp), "Primary": .boolean(true),
                "AssociatedPublicIp": .object(["PublicIpAddress": .string(""), "AllocationId": .string("")]),
                "PrivateDnsName": .string(""),
            ])]),
            "Ipv6Sets": .list(item: "Ipv6Set", []),
            "Ipv4PrefixSets": .list(item: "Ipv4PrefixSet", []),
            "Ipv6PrefixSets": .list(item: "Ipv6PrefixSet", []),
            "Tags": .tagsValueFirst([]),
            "SecurityGroupIds": .list(item: "SecurityGroupId", r.securityGroupIds.map(WireValue.string)),
            "AssociatedPublicIp": .object(["PublicIpAddress": .string(""), "AllocationId": .string("")]),
            "Attachment": .object([
                "DeviceIndex": .integer(0), "InstanceId": .string(r.id), "TrunkNetworkInterfaceId": .string(""),
                "NetworkCardIndex": .integer(0),
            ]),
            "DeleteOnRelease": .boolean(true),
            "SourceDestCheck": .boolean(false),
        ]
    }

    /// A locally administered unicast MAC (`00:16:3e` is Alibaba's OUI, used by ECS) derived from the ID.
    static func macAddress(_ id: String) -> String {
        var h: UInt32 = 2166136261
        for b in id.utf8 { h = (h ^ UInt32(b)) &* 16777619 }
        let octets = [UInt8((h >> 16) & 0x7f), UInt8((h >> 8) & 0xff), UInt8(h & 0xff)]
        return String(unsafeUninitializedCapacity: 17) { out in
            for (i, b) in "00:16:3e".utf8.enumerated() { out[i] = b }
            for (n, o) in octets.enumerated() {
                out[8 + 3 * n] = UInt8(ascii: ":")
                out[9 + 3 * n] = hexDigits[Int(o >> 4)]
                out[10 + 3 * n] = hexDigits[Int(o & 0x0f)]
            }
            return 17
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
