/// The ActionTrail (2020-07-06) actions LocalECS serves: `LookupEvents` over the audit trail the
/// server records of every call. Parameters follow `alibabacloud-actiontrail20200706`'s request
/// model; the RAM action is `actiontrail:LookupEvents`, with no resource-level control, access
/// level `get` and neither condition keys nor dependent actions (the API page's table, 2026-11-30).
public enum ActionTrailActions {
    public static let lookupEvents = ActionSpec("LookupEvents", .actiontrail, access: .get, resources: [.all], params: [
        // ISO 8601 UTC (`2026-11-30T01:02:03Z`); checked by the handler, which owns the defaults.
        ParamSpec("StartTime"), ParamSpec("EndTime"),
        // `LookupAttribute.N.Key` / `.Value`, the same wire shape as ECS's `Tag.N`.
        ParamSpec("LookupAttribute", .tags),
        // ActionTrail documents 0 to 50 (0 means the default, 20); the SDK sends it as a string.
        ParamSpec("MaxResults", .integer(0...50)),
        ParamSpec("NextToken", .string(maxLength: 512)),
        ParamSpec("Direction"),
    ])

    /// Every action above, in declaration order.
    public static let all: [ActionSpec] = [
        lookupEvents,
    ]
}
