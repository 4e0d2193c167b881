import ECSAPI
import ECSDomain
import ECSSignature
import ECSStore

/// ActionTrail (2020-07-06) `LookupEvents` over the audit trail, shaped as
/// `alibabacloud-actiontrail20200706`'s response model: `Events` a plain JSON array of event
/// objects, `NextToken` only when more follow, `StartTime`/`EndTime` the range searched.
enum ActionTrailHandlers {
    static let all: [ServedAction] = [
        ServedAction(ActionTrailActions.lookupEvents, lookupEvents),
    ]

    /// `LookupAttribute.N.Key` values ActionTrail documents, each to its stored column.
    static let attributeKeys = ["EventName", "EventRW", "ResourceName", "ResourceType", "User", "EventAccessKeyId", "ServiceName"]
    /// ActionTrail looks back 7 days unless told otherwise.
    static let defaultRange: Int64 = 7 * 86_400_000

    static func lookupEvents(_ c: Call) async throws -> WireObject {
        let now = c.services.clock.nowMillis()
        let end = try c.input.string("EndTime").map { try time($0, name: "EndTime") } ?? now
        let start = try c.input.string("StartTime").map { try time($0, name: "StartTime") } ?? (end - defaultRange)
        guard start <= end else { throw ECSError.invalidParameter("StartTime", "StartTime must not be later than EndTime.") }
        let forward: Bool
        switch c.input.string("Direction")?.uppercased() {
        case nil, "BACKWARD": forward = false
        case "FORWARD": forward = true
        default: throw ECSError.invalidParameter("Direction", "It must be FORWARD or BACKWARD.")
        }
        let limit = c.input.integer("MaxResults").flatMap { $0 == 0 ? nil : $0 } ?? 20
        var q = AuditEventQuery(accountId: c.caller.accountId, start: start, end: end, forward: forward,
                                after: try c.input.string("NextToken").map(cursor), limit: limit + 1)
        var seen = Set<String>()
        var attributes: [Tag] = []
        if case .tags(let t)? = c.input.values["LookupAttribute"] { attributes = t }
        for a in attributes {
            guard attributeKeys.contains(a.key) else {
                throw ECSError.invalidParameter("LookupAttribute", "Key \(a.key) is not supported; use one of \(attributeKeys.joined(separator: ", ")).")
            }
            guard seen.insert(a.key).inserted else {
                throw ECSError.invalidParameter("LookupAttribute", "Key \(a.key) is given twice; give each key at most once.")
            }
            switch a.key {
            case "EventName": q.eventName = a.value
            case "EventRW":
                guard a.value == "Read" || a.value == "Write" else {
                    throw ECSError.invalidParameter("LookupAttribute", "EventRW must be Read or Write.")
                }
                q.eventRW = a.value
            case "ResourceName": q.resourceName = a.value
            case "ResourceType": q.resourceType = a.value
            case "User": q.userName = a.value
            case "EventAccessKeyId": q.accessKeyId = a.value
            default: q.serviceName = a.value
            }
        }
        // The caller's own calls up to this one are in the trail before it is read.
        try await c.services.audit.flush()
        let query = q
        var events = try await c.services.store.auditEvents(query)
        var out: WireObject = [:]
        let more = events.count > limit
        if more { events.removeLast() }
        out.append("StartTime", .string(ECSTime.seconds(start)))
        out.append("EndTime", .string(ECSTime.seconds(end)))
        out.append("Events", .array(events.map { WireValue.rawJSON($0.body) }))
        if more, let last = events.last { out.append("NextToken", .string(token(last))) }
        return out
    }

    static func time(_ raw: String, name: String) throws -> Int64 {
        guard let s = Signature.parseTimestamp(raw), s.isFinite, abs(s) < 1e13 else {
            throw ECSError.invalidParameter(name, "It must be a UTC time in ISO 8601 form, for example 2026-01-02T03:04:05Z.")
        }
        return Int64(s * 1000)
    }

    /// `<eventTime ms>_<eventId>`: event IDs hold only hex digits and dashes.
    static func token(_ e: AuditEventRecord) -> String { "\(e.eventTime)_\(e.eventId)" }

    static func cursor(_ token: String) throws -> AuditCursor {
        let parts = token.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, let t = Int64(parts[0]), parts[1].allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw ECSError.invalidParameter("NextToken", "Pass the NextToken of the previous LookupEvents answer unchanged.")
        }
        return AuditCursor(eventTime: t, eventId: String(parts[1]))
    }
}
