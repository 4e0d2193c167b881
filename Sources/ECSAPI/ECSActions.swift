/// The ECS (2014-05-26) actions LocalECS serves, each declared once.
///
/// RPCParameters follow `ecs-api.md`; RAM actions and resource ARNs follow each API page's
/// "RAM authorization" table. RPCParameters a client may send but LocalECS does not model are not
/// listed: the parser ignores them.
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

    public static let all: [ActionSpec] = [
        ActionSpec("CreateKeyPair", access: .create, resources: [.anyKeyPair], params: [
            region, ParamSpec("KeyPairName", required: true), ParamSpec("ResourceGroupId"), ParamSpec("Tag", .tags),
        ]),
        ActionSpec("ImportKeyPair", access: .create, resources: [.anyKeyPair], params: [
            region, ParamSpec("KeyPairName", required: true), ParamSpec("PublicKeyBody", .string(maxLength: 16384), required: true),
            ParamSpec("ResourceGroupId"), ParamSpec("Tag", .tags),
        ]),
        ActionSpec("DescribeKeyPairs", access: .get, resources: [.keyPair(param: "KeyPairName")], params: [
            region, ParamSpec("KeyPairName"), ParamSpec("KeyPairFingerPrint"), ParamSpec("ResourceGroupId"),
            ParamSpec("PageNumber", .integer()), ParamSpec("PageSize", .integer()),
            ParamSpec("IncludePublicKey", .boolean), ParamSpec("Tag", .tags),
        ]),
        ActionSpec("DeleteKeyPairs", access: .delete, resources: [.keyPairs(param: "KeyPairNames")], params: [
            region, ParamSpec("KeyPairNames", .jsonStringArray(max: 100, invalid: keyPairNamesInvalid, tooMany: keyPairNamesTooMany), required: true, nonEmpty: true),
        ]),
        ActionSpec("AttachKeyPair", access: .update, resources: [.keyPair(param: "KeyPairName"), .instances(param: "InstanceIds")], params: [
            region, ParamSpec("KeyPairName", required: true),
            ParamSpec("InstanceIds", .jsonStringArray(max: 50, invalid: instanceIdsInvalid, tooMany: instanceIdsTooMany), required: true, nonEmpty: true),
        ]),
        ActionSpec("DetachKeyPair", access: .update, resources: [.keyPair(param: "KeyPairName"), .instances(param: "InstanceIds")], params: [
            region, ParamSpec("KeyPairName", required: true),
            ParamSpec("InstanceIds", .jsonStringArray(max: 50, invalid: instanceIdsInvalid, tooMany: instanceIdsTooMany), required: true, nonEmpty: true),
        ]),
        ActionSpec("DescribeRegions", access: .list, resources: [.all], params: [
            ParamSpec("AcceptLanguage"), ParamSpec("InstanceChargeType"), ParamSpec("ResourceType"),
        ]),
        ActionSpec("DescribeImages", access: .list, resources: [.all], params: [
            region, ParamSpec("ImageId"), ParamSpec("ImageName"), ParamSpec("ImageOwnerAlias"), ParamSpec("OSType"),
            ParamSpec("Architecture"), ParamSpec("PageNumber", .integer()), ParamSpec("PageSize", .integer()),
        ]),
        ActionSpec("DescribeInstanceTypes", access: .list, resources: [.all], params: [
            ParamSpec("InstanceTypes", .repeatList(max: 10)), ParamSpec("InstanceTypeFamily"),
        ]),
        ActionSpec("RunInstances", access: .create, resources: [.anyInstance], params: [
            region, ParamSpec("ImageId"), ParamSpec("InstanceType"), ParamSpec("KeyPairName"),
            ParamSpec("Password"), ParamSpec("PasswordInherit", .boolean), ParamSpec("InstanceName"), ParamSpec("HostName"),
            ParamSpec("Description"), ParamSpec("Amount", .integer()), ParamSpec("MinAmount", .integer()),
            ParamSpec("ClientToken"), ParamSpec("ZoneId"), ParamSpec("SecurityGroupId"), ParamSpec("VSwitchId"),
            ParamSpec("InstanceChargeType"), ParamSpec("ResourceGroupId"), ParamSpec("UniqueSuffix", .boolean),
            ParamSpec("Tag", .tags), dryRun,
        ]),
        ActionSpec("CreateInstance", access: .create, resources: [.anyInstance], params: [
            region, ParamSpec("ImageId"), ParamSpec("InstanceType", required: true), ParamSpec("KeyPairName"),
            ParamSpec("Password"), ParamSpec("PasswordInherit", .boolean), ParamSpec("InstanceName"), ParamSpec("HostName"),
            ParamSpec("Description"), ParamSpec("ClientToken"), ParamSpec("ZoneId"), ParamSpec("SecurityGroupId"),
            ParamSpec("VSwitchId"), ParamSpec("InstanceChargeType"), ParamSpec("ResourceGroupId"), ParamSpec("Tag", .tags), dryRun,
        ]),
        ActionSpec("DescribeInstances", access: .list, resources: [.instances(param: "InstanceIds")], params: [
            region,
            ParamSpec("InstanceIds", .jsonStringArray(max: 100, invalid: describeInstanceIdsInvalid, tooMany: describeInstanceIdsInvalid)),
            ParamSpec("KeyPairName"), ParamSpec("Status"), ParamSpec("InstanceName"), ParamSpec("ImageId"),
            ParamSpec("InstanceType"), ParamSpec("ZoneId"), ParamSpec("ResourceGroupId"), ParamSpec("Tag", .tags),
            ParamSpec("PageNumber", .integer()), ParamSpec("PageSize", .integer()),
            ParamSpec("MaxResults", .integer()), ParamSpec("NextToken"), dryRun,
        ]),
        ActionSpec("DescribeInstanceStatus", access: .list, resources: [.instances(param: "InstanceId")], params: [
            region, ParamSpec("InstanceId", .repeatList(max: 100)), ParamSpec("ZoneId"),
            ParamSpec("PageNumber", .integer()), ParamSpec("PageSize", .integer()),
        ]),
        ActionSpec("DescribeInstanceAttribute", access: .get, resources: [.instance(param: "InstanceId")], params: [
            optionalRegion, ParamSpec("InstanceId", required: true),
        ]),
        ActionSpec("StartInstance", access: .update, resources: [.instance(param: "InstanceId")], params: [
            optionalRegion, ParamSpec("InstanceId", required: true), ParamSpec("InitLocalDisk", .boolean), dryRun,
        ]),
        ActionSpec("StopInstance", access: .update, resources: [.instance(param: "InstanceId")], params: [
            optionalRegion, ParamSpec("InstanceId", required: true), ParamSpec("ForceStop", .boolean),
            ParamSpec("StoppedMode"), ParamSpec("ConfirmStop", .boolean), dryRun,
        ]),
        ActionSpec("RebootInstance", access: .update, resources: [.instance(param: "InstanceId")], params: [
            optionalRegion, ParamSpec("InstanceId", required: true), ParamSpec("ForceStop", .boolean), dryRun,
        ]),
        ActionSpec("DeleteInstance", access: .delete, resources: [.instance(param: "InstanceId")], params: [
            optionalRegion, ParamSpec("InstanceId", required: true), ParamSpec("Force", .boolean),
            ParamSpec("ForceStop", .boolean), ParamSpec("TerminateSubscription", .boolean), dryRun,
        ]),
    ]
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
