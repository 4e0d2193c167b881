/// The ECS (2014-05-26) actions LocalECS serves, each declared once.
///
/// RPCParameters follow `ecs-api.md`; RAM actions and resource ARNs follow each API page's
/// "RAM authorization" table. RPCParameters a client may send but LocalECS does not model are not
/// listed: the parser ignores them.
///
/// Access levels and condition keys follow ECS's "RAM authorization" reference
/// (https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-ram, also
/// /help/en/ecs/authentication-rules), read 2026-11-30, checked against the RunInstances and
/// CreateInstance API pages' tables (`docs/ram-table.md`). It lists no dependent action for any of
/// these actions, and no RAM authorization at all for DescribeRegions, DescribeZones,
/// DescribeInstanceTypes and DescribeAvailableResource.
public enum ECSActions {
    static let instanceIdsInvalid = ECSError(code: "InvalidInstanceIds.ValueNotSupported", status: 400,
        message: "The specified parameter InstanceIds is not valid.")
        .hinted("InstanceIds must be a JSON array of 1 to 50 non-empty instance IDs, for example [\"i-bp1abc\",\"i-bp1def\"].")
    static let instanceIdsTooMany = ECSError(code: "InstanceKeyPairLimitExceeded", status: 403,
        message: "The specified instances are beyond the permitted range.")
    static let keyPairNamesInvalid = ECSError(code: "InvalidKeyPairNames.ValueNotSupported", status: 400,
        message: "The specified parameter \"KeyPairNames\" is not valid.")
        .hinted("KeyPairNames must be a JSON array of 1 to 100 non-empty key pair names, for example [\"demo\"].")
    static let keyPairNamesTooMany = ECSError(code: "InstanceKeyPairLimitExceeded", status: 403,
        message: "Exceeding the allowed amount of instance which will be deleted.")
    static let describeInstanceIdsInvalid = ECSError(code: "InvalidInstanceIds.Malformed", status: 400,
        message: "The specified parameter \"InstanceIds\" is not valid: it must be a JSON array of at most 100 instance IDs.")

    static let region = ParamSpec("RegionId", required: true)
    static let optionalRegion = ParamSpec("RegionId")
    static let dryRun = ParamSpec("DryRun", .boolean)

    /// ECS documents `PageNumber` as "≥ 1"; LocalECS caps it at 2^31-1 (ECS's Integer is 32-bit).
    static let pageNumber = ParamSpec("PageNumber", .integer(1...Int(Int32.max)))
    /// `PageSize` is clamped into 1...`max` (decisions.md), never refused.
    static func pageSize(max: Int) -> ParamSpec { ParamSpec("PageSize", .integer(1...max, clamp: true)) }
    /// Checked in the domain (base64, 32 KB decoded), so the error names what is wrong.
    static let userData = ParamSpec("UserData")
    static let systemDiskCategory = ParamSpec("SystemDisk.Category")
    /// The range the domain checks against the image is narrower; this only bounds the number.
    static let systemDiskSize = ParamSpec("SystemDisk.Size", .integer(1...65536, error: ECSError(
        code: "InvalidSystemDiskSize.ValueNotSupported", status: 400,
        message: "The specified parameter \"SystemDisk.Size\" is not valid.").hinted("SystemDisk.Size is in GiB, 20 to 2048.")))
    /// Every field the SDKs' `RunInstancesRequestDataDisk` carries: the domain honours or refuses
    /// each (none is skipped). ECS attaches at most 16 data disks to an instance.
    static let dataDisks = ParamSpec("DataDisk", .records(fields: [
        "Size", "Category", "PerformanceLevel", "DeleteWithInstance", "DiskName", "Description", "Device",
        "SnapshotId", "Encrypted", "KMSKeyId", "EncryptAlgorithm", "AutoSnapshotPolicyId", "BurstingEnabled",
        "ProvisionedIops", "StorageClusterId",
    ], max: 16))
    static let diskIdsInvalid = ECSError(code: "InvalidDiskIds.Malformed", status: 400,
        message: "The specified parameter \"DiskIds\" is not valid.")
        .hinted("DiskIds must be a JSON array of at most 100 disk IDs, for example [\"d-bp1abc\"].")
    static let amountInvalid = ECSError(code: "InvalidParam.Amount", status: 403,
        message: "The specified parameter \"Amount\" is not valid: it must be 1 to 100.")

    public static let createKeyPair = ActionSpec("CreateKeyPair", access: .create, resources: [.anyKeyPair], params: [
        region, ParamSpec("KeyPairName", required: true), ParamSpec("ResourceGroupId"), ParamSpec("Tag", .tags),
    ])
    public static let importKeyPair = ActionSpec("ImportKeyPair", access: .create, resources: [.anyKeyPair], params: [
        region, ParamSpec("KeyPairName", required: true), ParamSpec("PublicKeyBody", .string(maxLength: 16384), required: true),
        ParamSpec("ResourceGroupId"), ParamSpec("Tag", .tags),
    ])
    public static let describeKeyPairs = ActionSpec("DescribeKeyPairs", access: .get, resources: [.keyPair(param: "KeyPairName")], params: [
        region, ParamSpec("KeyPairName"), ParamSpec("KeyPairFingerPrint"), ParamSpec("ResourceGroupId"),
        pageNumber, pageSize(max: 50),
        ParamSpec("IncludePublicKey", .boolean), ParamSpec("Tag", .tags),
    ])
    public static let deleteKeyPairs = ActionSpec("DeleteKeyPairs", access: .delete, resources: [.keyPairs(param: "KeyPairNames")], params: [
        region, ParamSpec("KeyPairNames", .jsonStringArray(max: 100, invalid: keyPairNamesInvalid, tooMany: keyPairNamesTooMany), required: true, nonEmpty: true),
    ])
    public static let attachKeyPair = ActionSpec("AttachKeyPair", access: .update, resources: [.keyPair(param: "KeyPairName"), .instances(param: "InstanceIds")], params: [
        region, ParamSpec("KeyPairName", required: true),
        ParamSpec("InstanceIds", .jsonStringArray(max: 50, invalid: instanceIdsInvalid, tooMany: instanceIdsTooMany), required: true, nonEmpty: true),
    ])
    public static let detachKeyPair = ActionSpec("DetachKeyPair", access: .update, resources: [.keyPair(param: "KeyPairName"), .instances(param: "InstanceIds")], params: [
        region, ParamSpec("KeyPairName", required: true),
        ParamSpec("InstanceIds", .jsonStringArray(max: 50, invalid: instanceIdsInvalid, tooMany: instanceIdsTooMany), required: true, nonEmpty: true),
    ])
    public static let describeRegions = ActionSpec("DescribeRegions", access: .list, resources: [.all], params: [
        ParamSpec("AcceptLanguage"), ParamSpec("InstanceChargeType"), ParamSpec("ResourceType"),
    ])
    public static let describeImages = ActionSpec("DescribeImages", access: .get, resources: [.all], params: [
        region, ParamSpec("ImageId"), ParamSpec("ImageName"), ParamSpec("ImageOwnerAlias"), ParamSpec("OSType"),
        ParamSpec("Architecture"), pageNumber, pageSize(max: 100),
    ])
    public static let describeInstanceTypes = ActionSpec("DescribeInstanceTypes", access: .list, resources: [.all], params: [
        ParamSpec("InstanceTypes", .repeatList(max: 10)), ParamSpec("InstanceTypeFamily"), ParamSpec("CpuArchitecture"),
        ParamSpec("InstanceCategory"), ParamSpec("MinimumCpuCoreCount", .integer(0...1024)),
        ParamSpec("MaximumCpuCoreCount", .integer(0...1024)), ParamSpec("MinimumMemorySize"), ParamSpec("MaximumMemorySize"),
        ParamSpec("MaxResults", .integer(1...1600)), ParamSpec("NextToken", .string(maxLength: 10)),
    ])
    /// RunInstances' condition keys, in the reference's order. CreateInstance lists the same keys.
    static let runInstancesConditionKeys = [
        "vpc:IsDefaultVSwitch", "vpc:IsDefaultVpc", "vpc:VPC", "ecs:IsDiskEncrypted", "ecs:InstanceTypeFamily",
        "ecs:InstanceType", "ecs:ImageOwnerId", "ecs:ImageSource", "ecs:NotSpecifySecurityGroupId", "ecs:LoginAsNonRoot",
        "ecs:IsSystemDiskByokEncrypted", "ecs:IsDiskByokEncrypted", "ecs:PasswordInherit", "ecs:PasswordCustomized",
        "ecs:IsSystemDiskEncrypted", "ecs:ImagePlatform", "ecs:SecurityHardeningMode", "ecs:AssociatePublicIpAddress",
        "vpc:CreateDefaultVpc", "ecs:SecurityEnhancementStrategy",
    ]
    public static let runInstances = ActionSpec("RunInstances", access: .create,
        resources: [.anyInstance, .securityGroups(single: "SecurityGroupId", list: "SecurityGroupIds")],
        conditionKeys: runInstancesConditionKeys, params: [
        region, ParamSpec("ImageId"), ParamSpec("InstanceType"), ParamSpec("KeyPairName"),
        ParamSpec("Password"), ParamSpec("PasswordInherit", .boolean), ParamSpec("InstanceName"), ParamSpec("HostName"),
        ParamSpec("Description"), ParamSpec("Amount", .integer(1...100, error: amountInvalid)),
        ParamSpec("MinAmount", .integer(1...100)),
        ParamSpec("ClientToken"), ParamSpec("ZoneId"), ParamSpec("SecurityGroupId"), ParamSpec("VSwitchId"),
        ParamSpec("InstanceChargeType"), ParamSpec("ResourceGroupId"), ParamSpec("UniqueSuffix", .boolean),
        ParamSpec("Tag", .tags), dryRun, userData, systemDiskCategory, systemDiskSize, dataDisks,
        // ECS: an instance is in at most 5 groups at launch (SecurityGroupIds.N, N 1-5).
        ParamSpec("SecurityGroupIds", .repeatList(max: 5)),
    ])
    public static let createInstance = ActionSpec("CreateInstance", access: .create,
        resources: [.anyInstance, .securityGroups(single: "SecurityGroupId", list: "SecurityGroupIds")], conditionKeys: [
        "vpc:VPC", "vpc:IsDefaultVSwitch", "vpc:IsDefaultVpc", "ecs:IsDiskEncrypted", "ecs:InstanceType", "ecs:InstanceTypeFamily",
        "ecs:ImageOwnerId", "ecs:ImageSource", "ecs:NotSpecifySecurityGroupId", "ecs:LoginAsNonRoot",
        "ecs:IsSystemDiskByokEncrypted", "ecs:IsDiskByokEncrypted", "ecs:PasswordInherit", "ecs:PasswordCustomized",
        "ecs:IsSystemDiskEncrypted", "ecs:ImagePlatform", "ecs:SecurityHardeningMode", "vpc:CreateDefaultVpc",
        "ecs:SecurityEnhancementStrategy", "ecs:AssociatePublicIpAddress",
    ], params: [
        region, ParamSpec("ImageId"), ParamSpec("InstanceType", required: true), ParamSpec("KeyPairName"),
        ParamSpec("Password"), ParamSpec("PasswordInherit", .boolean), ParamSpec("InstanceName"), ParamSpec("HostName"),
        ParamSpec("Description"), ParamSpec("ClientToken"), ParamSpec("ZoneId"), ParamSpec("SecurityGroupId"),
        ParamSpec("VSwitchId"), ParamSpec("InstanceChargeType"), ParamSpec("ResourceGroupId"), ParamSpec("Tag", .tags), dryRun,
        userData, systemDiskCategory, systemDiskSize, dataDisks,
    ])
    public static let describeInstances = ActionSpec("DescribeInstances", access: .list, resources: [.instances(param: "InstanceIds")], params: [
        region,
        ParamSpec("InstanceIds", .jsonStringArray(max: 100, invalid: describeInstanceIdsInvalid, tooMany: describeInstanceIdsInvalid)),
        ParamSpec("KeyPairName"), ParamSpec("Status"), ParamSpec("InstanceName"), ParamSpec("ImageId"),
        ParamSpec("InstanceType"), ParamSpec("ZoneId"), ParamSpec("ResourceGroupId"), ParamSpec("Tag", .tags),
        ParamSpec("VpcId"), ParamSpec("VSwitchId"), ParamSpec("SecurityGroupId"), pageNumber, pageSize(max: 100),
        // ECS turns MaxResults below 10 into 10 and above 100 into 100.
        ParamSpec("MaxResults", .integer(10...100, clamp: true)), ParamSpec("NextToken", .string(maxLength: 10)), dryRun,
    ])
    public static let describeInstanceStatus = ActionSpec("DescribeInstanceStatus", access: .list, resources: [.instances(param: "InstanceId")], params: [
        region, ParamSpec("InstanceId", .repeatList(max: 100)), ParamSpec("ZoneId"),
        pageNumber, pageSize(max: 50),
    ])
    public static let describeInstanceAttribute = ActionSpec("DescribeInstanceAttribute", access: .get, resources: [.instance(param: "InstanceId")], params: [
        optionalRegion, ParamSpec("InstanceId", required: true),
    ])
    public static let modifyInstanceAttribute = ActionSpec("ModifyInstanceAttribute", access: .update, resources: [.instance(param: "InstanceId")],
        conditionKeys: ["ecs:tag", "ecs:PasswordCustomized"], params: [
        optionalRegion, ParamSpec("InstanceId", required: true), ParamSpec("Password"), ParamSpec("InstanceName"),
        ParamSpec("HostName"), ParamSpec("Description"), ParamSpec("UserData"), ParamSpec("DeletionProtection", .boolean),
        ParamSpec("Recyclable", .boolean), ParamSpec("CreditSpecification"),
    ])
    public static let startInstance = ActionSpec("StartInstance", access: .update, resources: [.instance(param: "InstanceId")], params: [
        optionalRegion, ParamSpec("InstanceId", required: true), ParamSpec("InitLocalDisk", .boolean), dryRun,
    ])
    public static let stopInstance = ActionSpec("StopInstance", access: .update, resources: [.instance(param: "InstanceId")], params: [
        optionalRegion, ParamSpec("InstanceId", required: true), ParamSpec("ForceStop", .boolean),
        ParamSpec("StoppedMode"), ParamSpec("ConfirmStop", .boolean), dryRun,
    ])
    public static let rebootInstance = ActionSpec("RebootInstance", access: .update, resources: [.instance(param: "InstanceId")], params: [
        optionalRegion, ParamSpec("InstanceId", required: true), ParamSpec("ForceStop", .boolean), dryRun,
    ])
    public static let deleteInstance = ActionSpec("DeleteInstance", access: .delete, resources: [.instance(param: "InstanceId")], params: [
        optionalRegion, ParamSpec("InstanceId", required: true), ParamSpec("Force", .boolean),
        ParamSpec("ForceStop", .boolean), ParamSpec("TerminateSubscription", .boolean), dryRun,
    ])

    public static let describeUserData = ActionSpec("DescribeUserData", access: .get, resources: [.instance(param: "InstanceId")], params: [
        region, ParamSpec("InstanceId", required: true),
    ])
    public static let describeDisks = ActionSpec("DescribeDisks", access: .list, resources: [.all], params: [
        region, ParamSpec("ZoneId"), ParamSpec("DiskIds", .jsonStringArray(max: 100, invalid: diskIdsInvalid, tooMany: diskIdsInvalid)),
        ParamSpec("InstanceId"), ParamSpec("DiskType"), ParamSpec("Category"), ParamSpec("Status"), ParamSpec("DiskName"),
        ParamSpec("ResourceGroupId"), ParamSpec("Tag", .tags), pageNumber, pageSize(max: 100),
        ParamSpec("MaxResults", .integer(10...500, clamp: true)), ParamSpec("NextToken", .string(maxLength: 10)), dryRun,
    ])

    /// What Terraform's `alicloud_instance` reads after every create and on every plan.
    public static let describeInstanceMaintenanceAttributes = ActionSpec("DescribeInstanceMaintenanceAttributes", access: .get,
        resources: [.instances(param: "InstanceId")], params: [
        region, ParamSpec("InstanceId", .repeatList(max: 100)), pageNumber, pageSize(max: 100),
    ])
    public static let describeInstanceAttachmentAttributes = ActionSpec("DescribeInstanceAttachmentAttributes", access: .get,
        resources: [.instances(param: "InstanceIds")], params: [
        region, ParamSpec("InstanceIds", .jsonStringArray(max: 100, invalid: describeInstanceIdsInvalid, tooMany: describeInstanceIdsInvalid)),
        pageNumber, pageSize(max: 100),
    ])
    public static let describeInstanceRamRole = ActionSpec("DescribeInstanceRamRole", access: .get,
        resources: [.instances(param: "InstanceIds")], params: [
        region, ParamSpec("InstanceIds", .jsonStringArray(max: 100, invalid: describeInstanceIdsInvalid, tooMany: describeInstanceIdsInvalid)),
        ParamSpec("RamRoleName"), pageNumber, pageSize(max: 100),
    ])
    public static let describeNetworkInterfaces = ActionSpec("DescribeNetworkInterfaces", access: .get, resources: [.all], params: [
        region, ParamSpec("NetworkInterfaceId", .repeatList(max: 100)), ParamSpec("InstanceId"), ParamSpec("Type"),
        ParamSpec("VpcId"), ParamSpec("VSwitchId"), ParamSpec("SecurityGroupId"),
        pageNumber, pageSize(max: 500),
        ParamSpec("MaxResults", .integer(10...500, clamp: true)), ParamSpec("NextToken", .string(maxLength: 10)),
    ])

    public static let describeZones = ActionSpec("DescribeZones", access: .list, resources: [.all], params: [
        region, ParamSpec("InstanceChargeType"), ParamSpec("SpotStrategy"), ParamSpec("AcceptLanguage"), ParamSpec("Verbose", .boolean),
    ])
    public static let describeAvailableResource = ActionSpec("DescribeAvailableResource", access: .list, resources: [.all], params: [
        region, ParamSpec("DestinationResource", required: true), ParamSpec("ZoneId"), ParamSpec("InstanceChargeType"),
        ParamSpec("SpotStrategy"), ParamSpec("InstanceType"), ParamSpec("Cores", .integer(0...1024)), ParamSpec("Memory"),
        ParamSpec("SystemDiskCategory"), ParamSpec("DataDiskCategory"), ParamSpec("NetworkCategory"), ParamSpec("IoOptimized"),
        ParamSpec("ResourceType"), ParamSpec("Scope"),
    ])

    /// Every action above, in declaration order.
    public static let all: [ActionSpec] = [
        createKeyPair,
        importKeyPair,
        describeKeyPairs,
        deleteKeyPairs,
        attachKeyPair,
        detachKeyPair,
        describeRegions,
        describeImages,
        describeInstanceTypes,
        runInstances,
        createInstance,
        describeInstances,
        describeInstanceStatus,
        modifyInstanceAttribute,
        describeInstanceAttribute,
        startInstance,
        stopInstance,
        rebootInstance,
        deleteInstance,
        describeUserData,
        describeDisks,
        describeInstanceMaintenanceAttributes,
        describeInstanceAttachmentAttributes,
        describeInstanceRamRole,
        describeNetworkInterfaces,
        describeZones,
        describeAvailableResource,
    ] + SecurityGroupActions.all
}

/// All declared actions, looked up by product and name.
public struct ActionTable: Sendable {
    private let byKey: [String: ActionSpec]

    public init(_ specs: [ActionSpec]) {
        var d: [String: ActionSpec] = [:]
        for s in specs { d[s.product.rawValue + "/" + s.name] = s }
        byKey = d
    }

    public func spec(product: Product, action: String) -> ActionSpec? {
        byKey[product.rawValue + "/" + action]
    }

    public func has(product: Product) -> Bool {
        byKey.keys.contains { $0.hasPrefix(product.rawValue + "/") }
    }
}
