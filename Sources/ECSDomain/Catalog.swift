/// A region LocalECS answers for.
public struct Region: Sendable, Equatable {
    public var id: String
    public var localName: String
    public var endpoint: String
    public var zones: [String]
}

/// A public image: its OS decides whether key pairs are possible.
public struct Image: Sendable, Equatable {
    public var id: String
    public var name: String
    public var osType: String   // "linux" or "windows"
    public var osName: String
    public var osNameEn: String
    public var platform: String
    public var architecture: String
    public var sizeGiB: Int
    public var isWindows: Bool { osType == "windows" }
}

/// An instance type: vCPUs and memory as DescribeInstances reports them.
public struct InstanceType: Sendable, Equatable {
    public var id: String
    public var family: String
    public var cpu: Int
    public var memoryMiB: Int
}

/// The built-in catalogue: regions, zones, public images and instance types.
public enum Catalog {
    public static let regions: [Region] = [
        ("cn-hangzhou", "华东1（杭州）", ["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j"]),
        ("cn-shanghai", "华东2（上海）", ["cn-shanghai-e", "cn-shanghai-f", "cn-shanghai-g"]),
        ("cn-beijing", "华北2（北京）", ["cn-beijing-g", "cn-beijing-h", "cn-beijing-i"]),
        ("cn-shenzhen", "华南1（深圳）", ["cn-shenzhen-d", "cn-shenzhen-e"]),
        ("cn-qingdao", "华北1（青岛）", ["cn-qingdao-b", "cn-qingdao-c"]),
        ("cn-zhangjiakou", "华北3（张家口）", ["cn-zhangjiakou-a", "cn-zhangjiakou-b"]),
        ("cn-hongkong", "中国香港", ["cn-hongkong-b", "cn-hongkong-c"]),
        ("ap-southeast-1", "新加坡", ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"]),
        ("ap-northeast-1", "日本（东京）", ["ap-northeast-1a", "ap-northeast-1b"]),
        ("us-west-1", "美国（硅谷）", ["us-west-1a", "us-west-1b"]),
        ("us-east-1", "美国（弗吉尼亚）", ["us-east-1a", "us-east-1b"]),
        ("eu-central-1", "德国（法兰克福）", ["eu-central-1a", "eu-central-1b"]),
        ("eu-west-1", "英国（伦敦）", ["eu-west-1a", "eu-west-1b"]),
    ].map { Region(id: $0.0, localName: $0.1, endpoint: "ecs.\($0.0).aliyuncs.com", zones: $0.2) }

    private static let regionIndex: [String: Region] = Dictionary(uniqueKeysWithValues: regions.map { ($0.id, $0) })

    public static func region(_ id: String) -> Region? { regionIndex[id] }

    public static let images: [Image] = [
        Image(id: "aliyun_3_x64_20G_alibase_20240819.vhd", name: "aliyun_3_x64_20G_alibase_20240819.vhd", osType: "linux",
              osName: "Alibaba Cloud Linux  3.2104 LTS 64位", osNameEn: "Alibaba Cloud Linux  3.2104 LTS 64 bit",
              platform: "Aliyun", architecture: "x86_64", sizeGiB: 20),
        Image(id: "ubuntu_22_04_x64_20G_alibase_20240101.vhd", name: "ubuntu_22_04_x64_20G_alibase_20240101.vhd", osType: "linux",
              osName: "Ubuntu  22.04 64位", osNameEn: "Ubuntu  22.04 64 bit", platform: "Ubuntu", architecture: "x86_64", sizeGiB: 20),
        Image(id: "centos_7_9_x64_20G_alibase_20240628.vhd", name: "centos_7_9_x64_20G_alibase_20240628.vhd", osType: "linux",
              osName: "CentOS  7.9 64位", osNameEn: "CentOS  7.9 64 bit", platform: "CentOS", architecture: "x86_64", sizeGiB: 20),
        Image(id: "debian_12_6_x64_20G_alibase_20240823.vhd", name: "debian_12_6_x64_20G_alibase_20240823.vhd", osType: "linux",
              osName: "Debian  12.6 64位", osNameEn: "Debian  12.6 64 bit", platform: "Debian", architecture: "x86_64", sizeGiB: 20),
        Image(id: "ubuntu_22_04_arm64_20G_alibase_20240101.vhd", name: "ubuntu_22_04_arm64_20G_alibase_20240101.vhd", osType: "linux",
              osName: "Ubuntu  22.04 64位 ARM版", osNameEn: "Ubuntu  22.04 64 bit ARM", platform: "Ubuntu", architecture: "arm64", sizeGiB: 20),
        Image(id: "win2022_21H2_x64_dtc_en-us_40G_alibase_20240815.vhd", name: "win2022_21H2_x64_dtc_en-us_40G_alibase_20240815.vhd",
              osType: "windows", osName: "Windows Server  2022 数据中心版 64位英文版",
              osNameEn: "Windows Server  2022 Data Center Edition 64bit English Edition", platform: "Windows Server 2022",
              architecture: "x86_64", sizeGiB: 40),
        Image(id: "win2019_1809_x64_dtc_en-us_40G_alibase_20240815.vhd", name: "win2019_1809_x64_dtc_en-us_40G_alibase_20240815.vhd",
              osType: "windows", osName: "Windows Server  2019 数据中心版 64位英文版",
              osNameEn: "Windows Server  2019 Data Center Edition 64bit English Edition", platform: "Windows Server 2019",
              architecture: "x86_64", sizeGiB: 40),
    ]

    private static let imageIndex: [String: Image] = Dictionary(uniqueKeysWithValues: images.map { ($0.id, $0) })

    /// A catalogue image; unknown IDs are `InvalidImageId.NotFound` to the caller.
    public static func image(_ id: String) -> Image? { imageIndex[id] }

    public static let instanceTypes: [InstanceType] = [
        ("ecs.g7.large", 2, 8), ("ecs.g7.xlarge", 4, 16), ("ecs.g7.2xlarge", 8, 32),
        ("ecs.c7.large", 2, 4), ("ecs.c7.xlarge", 4, 8), ("ecs.c7.2xlarge", 8, 16),
        ("ecs.r7.large", 2, 16), ("ecs.r7.xlarge", 4, 32),
        ("ecs.g6.large", 2, 8), ("ecs.c6.large", 2, 4), ("ecs.g8i.large", 2, 8),
        ("ecs.t6-c1m1.large", 2, 2), ("ecs.t6-c1m2.large", 2, 4), ("ecs.t5-lc1m1.small", 1, 1),
        ("ecs.e-c1m1.large", 2, 2), ("ecs.u1-c1m2.large", 2, 4),
    ].map { t in
        let family = t.0.split(separator: ".").dropLast().joined(separator: ".")
        return InstanceType(id: t.0, family: family, cpu: t.1, memoryMiB: t.2 * 1024)
    }

    private static let typeIndex: [String: InstanceType] = Dictionary(uniqueKeysWithValues: instanceTypes.map { ($0.id, $0) })

    public static func instanceType(_ id: String) -> InstanceType? { typeIndex[id] }
}
