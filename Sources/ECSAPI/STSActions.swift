/// The STS (2015-04-01) actions LocalECS serves: `AssumeRole`, whose RAM action `sts:AssumeRole`
/// is checked against the role's ARN as given in `RoleArn` (RAM's authorization table).
/// Parameters follow `alibabacloud-sts20150401`'s request model.
public enum STSActions {
    public static let all: [ActionSpec] = [
        ActionSpec("AssumeRole", .sts, access: .create, resources: [.arn(param: "RoleArn")], params: [
            ParamSpec("RoleArn", required: true), ParamSpec("RoleSessionName", required: true), ParamSpec("Policy"),
            ParamSpec("DurationSeconds", .integer()), ParamSpec("ExternalId"), ParamSpec("SourceIdentity"),
        ]),
    ]
}
