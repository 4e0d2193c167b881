/// The STS (2015-04-01) actions LocalECS serves: `AssumeRole`, whose RAM action `sts:AssumeRole`
/// is checked against the role's ARN as given in `RoleArn` (RAM's authorization table).
/// Parameters follow `alibabacloud-sts20150401`'s request model. The API page's table (2026-11-30)
/// says access level `get`, no condition key, no dependent action. LocalECS keeps `create`: the
/// audit trail's `eventRW` follows the access level, and `get` would turn the recorded AssumeRole
/// events (which issue credentials) from Write into Read.
public enum STSActions {
    /// STS's own limits: at least 900 s, at most 43200 s (a role's MaxSessionDuration may lower that).
    static let durationInvalid = ECSError(code: "InvalidParameter.DurationSeconds", status: 400,
        message: "The Min/Max value of DurationSeconds is 900/43200 seconds.")
    public static let assumeRole = ActionSpec("AssumeRole", .sts, access: .create, resources: [.arn(param: "RoleArn")], params: [
        ParamSpec("RoleArn", required: true), ParamSpec("RoleSessionName", required: true), ParamSpec("Policy"),
        ParamSpec("DurationSeconds", .integer(900...43200, error: durationInvalid)), ParamSpec("ExternalId"), ParamSpec("SourceIdentity"),
    ])

    /// Every action above, in declaration order.
    public static let all: [ActionSpec] = [
        assumeRole,
    ]
}
