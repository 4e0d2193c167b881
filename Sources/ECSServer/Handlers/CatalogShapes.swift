import ECSAPI
import ECSDomain

/// How DescribeImages and DescribeInstanceTypes show the built-in catalogue: every field of the
/// official SDK's response models, with values that describe the catalogue's public images and
/// pay-as-you-go types (no GPUs, no local disks, no credits).
enum CatalogShapes {
    static func image(_ img: Image) -> WireObject {
        let size = String(img.sizeGiB)
        return [
            "ImageId": .string(img.id), "ImageName": .string(img.name), "ImageOwnerAlias": .string("system"),
            "ImageOwnerId": .integer(0), "ImageFamily": .string(""), "ImageVersion": .string(""),
            "Description": .string(""), "CreationTime": .string(creationTime(img)),
            "OSType": .string(img.osType), "OSName": .string(img.osName), "OSNameEn": .string(img.osNameEn),
            "Platform": .string(img.platform), "Architecture": .string(img.architecture), "Size": .integer(img.sizeGiB),
            "Status": .string("Available"), "Progress": .string("100%"), "Usage": .string("instance"),
            "IsSupportIoOptimized": .boolean(true), "IsSupportCloudinit": .boolean(!img.isWindows),
            "IsPublic": .boolean(true), "IsCopied": .boolean(false), "IsSelfShared": .string(""),
            "IsSubscribed": .boolean(false), "Usable": .boolean(true), "LicenseType": .string(""),
            "LoginAsNonRootSupported": .boolean(false), "ProductCode": .string(""), "SupplierName": .string(""),
            "ResourceGroupId": .string(""), "BootMode": .string(img.architecture == "arm64" ? "UEFI" : "BIOS"),
            "Tags": .tags([]),
            "DiskDeviceMappings": .list(item: "DiskDeviceMapping", [.object([
                "Device": .string("/dev/xvda"), "Size": .string(size), "Type": .string("system"), "SnapshotId": .string(""),
                "Format": .string(""), "Encrypted": .boolean(false), "ImportOSSBucket": .string(""),
                "ImportOSSObject": .string(""), "Progress": .string("100%"), "RemainTime": .integer(0),
            ])]),
            "Features": .object([
                "NvmeSupport": .string("supported"), "ImdsSupport": .string("v2"),
                "CpuOnlineUpgrade": .string("unsupported"), "CpuOnlineDowngrade": .string("unsupported"),
                "MemoryOnlineUpgrade": .string("unsupported"), "MemoryOnlineDowngrade": .string("unsupported"),
            ]),
            "DetectionOptions": .object(["Status": .string(""), "Items": .list(item: "Item", [])]),
            "SecureBootOptions": .object(["SecureBootSupport": .string("unsupported")]),
        ]
    }

    /// The date in the image ID (`…_alibase_20240819.vhd`), as ECS's creation time.
    static func creationTime(_ img: Image) -> String {
        let digits = img.id.split(separator: "_").last.map { $0.prefix(8) } ?? ""
        guard digits.count == 8, digits.allSatisfy(\.isNumber) else { return "" }
        return "\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.dropFirst(6))T00:00:00Z"
    }

    static func instanceType(_ t: InstanceType) -> WireObject {
        let letter = t.family.split(separator: ".").last?.first ?? "g"
        let burstable = t.family.hasPrefix("ecs.t")
        let category: String
        switch letter {
        case "c": category = "Compute-optimized"
        case "r": category = "Memory-optimized"
        case "t": category = "Shared"
        case "e", "u": category = "General-purpose"
        default: category = "General-purpose"
        }
        let level = burstable ? "CreditEntryLevel" : (letter == "e" || letter == "u" ? "EntryLevel" : "EnterpriseLevel")
        let enis = max(2, min(t.cpu + 1, 8))
        let queues = max(1, min(t.cpu, 8))
        return [
            "InstanceTypeId": .string(t.id), "InstanceTypeFamily": .string(t.family),
            "CpuCoreCount": .integer(t.cpu), "MemorySize": .double(Double(t.memoryMiB) / 1024),
            "CpuArchitecture": .string("X86"), "PhysicalProcessorModel": .string("Intel Xeon"),
            "CpuSpeedFrequency": .double(2.7), "CpuTurboFrequency": .double(3.5),
            "InstanceCategory": .string(category), "InstanceFamilyLevel": .string(level),
            "GPUAmount": .integer(0), "GPUSpec": .string(""), "GPUMemorySize": .double(0),
            "LocalStorageAmount": .integer(0), "LocalStorageCapacity": .integer(0), "LocalStorageCategory": .string(""),
            "BaselineCredit": .integer(0), "InitialCredit": .integer(0),
            "EniQuantity": .integer(enis), "EniTotalQuantity": .integer(enis),
            "EniPrivateIpAddressQuantity": .integer(6), "EniIpv6AddressQuantity": .integer(6),
            "EniTrunkSupported": .boolean(!burstable), "EriQuantity": .integer(0),
            "InstanceBandwidthRx": .integer(1_024_000 * max(1, t.cpu / 2)), "InstanceBandwidthTx": .integer(1_024_000 * max(1, t.cpu / 2)),
            "InstancePpsRx": .integer(300_000 * max(1, t.cpu / 2)), "InstancePpsTx": .integer(300_000 * max(1, t.cpu / 2)),
            "DiskQuantity": .integer(17), "NvmeSupport": .string("unsupported"),
            "MaximumQueueNumberPerEni": .integer(queues), "PrimaryEniQueueNumber": .integer(queues),
            "SecondaryEniQueueNumber": .integer(queues), "TotalEniQueueQuantity": .integer(queues * enis),
            "QueuePairNumber": .integer(0), "NetworkCardQuantity": .integer(1),
            "NetworkCards": .list(item: "NetworkCardInfo", [.object(["NetworkCardIndex": .integer(0)])]),
            "JumboFrameSupport": .boolean(false), "NetworkEncryptionSupport": .boolean(false),
            "CpuOptions": .object([
                "Core": .integer(max(1, t.cpu / 2)), "ThreadsPerCore": .integer(t.cpu > 1 ? 2 : 1), "CoreFactor": .integer(1),
                "HyperThreadingAdjustable": .boolean(false), "NestedVirtualizationSupport": .string("unsupported"),
                "SupportedTopologyTypes": .list(item: "SupportedTopologyType", []),
            ]),
            "EnhancedNetwork": .object([
                "SriovSupport": .boolean(false), "RssSupport": .boolean(true), "VfQueueNumberPerEni": .integer(0),
                "ExpressSupport": .boolean(false),
            ]),
            "Clock": .object(["PtpSupport": .string("unsupported")]),
            "NetworkInfo": .object(["BandwidthWeighting": .object(["WeightingInfos": .list(item: "WeightingInfo", [])])]),
            "SecurityOptions": .object(["SecureBootSupport": .string("unsupported")]),
            "SupportedBootModes": .list(item: "SupportedBootMode", [.string("BIOS"), .string("UEFI")]),
            "Attributes": .list(item: "Attribute", []),
        ]
    }
}
