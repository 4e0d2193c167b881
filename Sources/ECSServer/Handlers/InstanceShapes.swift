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
    static func item(_ v: InstanceView) -> WireObject { itemShape.object(v) }

    /// DescribeInstances' item, declared once: a page writes it through the compiled shape
    /// (constants and keys rendered once), `item(_:)` builds the same as a tree.
    static let itemShape: WireShape<InstanceView> = [
        "ResourceGroupId": .string { $0.record.resourceGroupId },
        "Memory": .integer { $0.type?.memoryMiB ?? 0 },
        "InstanceChargeType": .constant(.string("PostPaid")),
        "Cpu": .integer { $0.type?.cpu ?? 0 },
        "OSName": .string { $0.image?.osName ?? "" },
        "InstanceNetworkType": .constant(.string("vpc")),
        "InnerIpAddress": .constant(Fixed.noIpAddresses),
        "ExpiredTime": .constant(.string(expiredTime)),
        "ImageId": .string { $0.record.imageId },
        "EipAddress": .constant(Fixed.eipAddress),
        "ImageOptions": .constant(Fixed.imageOptions),
        "VlanId": .constant(.string("")),
        "HostName": .string { $0.record.hostName },
        "Tags": .value { .tags($0.record.tags) },
        "Status": .string { $0.status.rawValue },
        "HibernationOptions": .constant(Fixed.hibernationOptions),
        "AdditionalInfo": .constant(Fixed.additionalInfo),
        "MetadataOptions": .constant(Fixed.metadataOptions),
        "InstanceId": .string { $0.record.id },
        "StoppedMode": .string { stoppedMode($0) },
        "CpuOptions": .object([
            "TopologyType": .constant(.string("")), "TurboMode": .constant(.string("")), "EnableVISST": .constant(.boolean(false)),
            "EnableVRDT": .constant(.boolean(false)), "ThreadsPerCore": .integer { ($0.type?.cpu ?? 0) > 1 ? 2 : 1 },
            "Numa": .constant(.string("")), "CoreCount": .integer { max(1, ($0.type?.cpu ?? 0) / 2) },
            "NestedVirtualization": .constant(.string("")),
        ]),
        "StartTime": .string { $0.record.startedAt > 0 ? ECSTime.minutes($0.record.startedAt) : "" },
        "DeletionProtection": .constant(.boolean(false)),
        "SecurityGroupIds": .strings(item: "SecurityGroupId") { $0.record.securityGroupIds },
        "VpcAttributes": .object(vpcAttributesShape),
        "InternetChargeType": .constant(.string("PayByTraffic")),
        "InstanceName": .string { $0.record.name },
        "DeploymentSetId": .constant(.string("")),
        "InternetMaxBandwidthOut": .constant(.integer(0)),
        "SerialNumber": .string { $0.record.id },
        "OSType": .string { $0.record.osType },
        "CreationTime": .string { ECSTime.minutes($0.record.createdAt) },
        "AutoReleaseTime": .constant(.string("")),
        "Description": .string { $0.record.description },
        "InstanceTypeFamily": .string { $0.type?.family ?? "" },
        "DedicatedInstanceAttribute": .constant(Fixed.dedicatedInstanceAttribute),
        "PublicIpAddress": .strings(item: "IpAddress") { v in let ip = v.record.publicIp; return ip.isEmpty ? [] : [ip] },
        "GPUSpec": .constant(.string("")),
        "NetworkInterfaces": .single(item: "NetworkInterface", primaryInterfaceShape),
        "SpotPriceLimit": .constant(.double(0)),
        "DeviceAvailable": .constant(.boolean(true)),
        "SaleCycle": .constant(.string("")),
        "InstanceType": .string { $0.record.instanceType },
        "SpotStrategy": .constant(.string("NoSpot")),
        "OSNameEn": .string { $0.image?.osNameEn ?? "" },
        "IoOptimized": .constant(.boolean(true)),
        "ZoneId": .string { $0.record.zoneId },
        "ClusterId": .constant(.string("")),
        "EcsCapacityReservationAttr": .constant(Fixed.capacityReservation),
        "DedicatedHostAttribute": .constant(Fixed.dedicatedHostAttribute),
        "GPUAmount": .constant(.integer(0)),
        "OperationLocks": .constant(Fixed.noLockReasons),
        "InternetMaxBandwidthIn": .constant(.integer(0)),
        "Recyclable": .constant(.boolean(false)),
        "RegionId": .string { $0.record.regionId },
        "CreditSpecification": .constant(.string("")),
        "SpotDuration": .constant(.integer(0)),
        "SpotInterruptionBehavior": .constant(.string("Terminate")),
        "KeyPairName": .string { $0.record.boundKeyPair ?? "" },
        "HpcClusterId": .constant(.string("")),
        "LocalStorageCapacity": .constant(.integer(0)),
        "LocalStorageAmount": .constant(.integer(0)),
        "ISP": .constant(.string("")),
        "RdmaIpAddress": .constant(Fixed.noIpAddresses),
        "DeploymentSetGroupNo": .constant(.integer(0)),
        "PrivateDnsNameOptions": .constant(Fixed.privateDnsNameOptions),
        "SecurityOptions": .constant(Fixed.securityOptions),
        "ClockOptions": .constant(Fixed.clockOptions),
        "EnableNVS": .constant(.boolean(false)),
    ]

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
            "VpcAttributes": vpcAttributes(v),
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

    static func vpcAttributes(_ v: InstanceView) -> WireValue { .object(vpcAttributesShape.object(v)) }

    static let vpcAttributesShape: WireShape<InstanceView> = [
        "VpcId": .string { $0.record.vpcId }, "NatIpAddress": .constant(.string("")), "VSwitchId": .string { $0.record.vSwitchId },
        "PrivateIpAddress": .strings(item: "IpAddress") { [$0.record.privateIp] },
    ]

    static let primaryInterfaceShape: WireShape<InstanceView> = [
        "Type": .constant(.string("Primary")),
        "MacAddress": .string { macAddress($0.record.id) },
        "NetworkInterfaceId": .string { interfaceId($0.record) },
        "PrimaryIpAddress": .string { $0.record.privateIp },
        "PrivateIpSets": .single(item: "PrivateIpSet", [
            "PrivateIpAddress": .string { $0.record.privateIp }, "PrivateDnsName": .constant(.string("")),
            "Primary": .constant(.boolean(true)),
        ]),
        "Ipv6Sets": .constant(Fixed.noIpv6Sets),
        "Ipv4PrefixSets": .constant(Fixed.noIpv4PrefixSets),
        "Ipv6PrefixSets": .constant(Fixed.noIpv6PrefixSets),
    ]

    /// `i-X`'s primary interface is `eni-X`.
    static func interfaceId(_ r: InstanceRecord) -> String { "eni-" + r.id.dropFirst(2) }

    /// One `NetworkInterfaceSets.NetworkInterfaceSet[]` item of DescribeNetworkInterfaces: the
    /// instance's primary interface, attached since the instance was created.
    static func networkInterface(_ v: InstanceView) -> WireObject {
        let r = v.record
        return [
            "CreationTime": .string(ECSTime.minutes(r.createdAt)),
            "VpcId": .string(r.vpcId),
            "Type": .string("Primary"),
            "Status": .string("InUse"),
            "NetworkInterfaceTrafficMode": .string("Standard"),
            "NetworkInterfaceName": .string(""),
            "MacAddress": .string(macAddress(r.id)),
            "QueuePairNumber": .integer(0),
            "NetworkInterfaceId": .string(interfaceId(r)),
            "ServiceID": .integer(0),
            "InstanceId": .string(r.id),
            "OwnerId": .string(r.accountId),
            "ServiceManaged": .boolean(false),
            "VSwitchId": .string(r.vSwitchId),
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
