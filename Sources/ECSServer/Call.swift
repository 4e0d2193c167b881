import ECSAPI
import ECSDomain
import ECSStore

/// One authenticated, parsed and authorized API call, as a handler receives it.
struct Call: Sendable {
    let spec: ActionSpec
    let input: Input
    let caller: Caller
    let services: Services
    let requestId: String

    /// The required RegionId of region-scoped actions (the parser guarantees it).
    var region: String { input.string("RegionId") ?? "" }

    var tags: [ResourceTag] { input.tags.map { ResourceTag(key: $0.key, value: $0.value) } }
}

/// What serves one action.
typealias ActionHandler = @Sendable (Call) async throws -> WireObject

extension WireValue {
    static func tags(_ tags: [ResourceTag]) -> WireValue {
        .list(item: "Tag", tags.map { .object(["TagKey": .string($0.key), "TagValue": .string($0.value)]) })
    }

    /// The same tags value-first, as the samples of DescribeSecurityGroups, DescribeDisks and
    /// DescribeNetworkInterfaces list them.
    static func tagsValueFirst(_ tags: [ResourceTag]) -> WireValue {
        .list(item: "Tag", tags.map { .object(["TagValue": .string($0.value), "TagKey": .string($0.key)]) })
    }
}
