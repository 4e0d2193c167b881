import ECSAPI
import ECSDomain
import ECSStore

/// TagResources, UntagResources, ListTagResources (ResourceType instance, keypair, securitygroup).
enum TagHandlers {
    static let all: [ServedAction] = [
        ServedAction(SecurityGroupActions.tagResources, { c in
            try await c.services.tags.tag(c.caller, region: c.region, type: c.input.string("ResourceType")!,
                                          ids: c.input.list("ResourceId") ?? [], tags: c.tags)
            return [:]
        }),
        ServedAction(SecurityGroupActions.untagResources, { c in
            try await c.services.tags.untag(c.caller, region: c.region, type: c.input.string("ResourceType")!,
                                            ids: c.input.list("ResourceId") ?? [], keys: c.input.list("TagKey") ?? [],
                                            all: c.input.boolean("All") ?? false)
            return [:]
        }),
        ServedAction(SecurityGroupActions.listTagResources, list),
    ]

    static func list(_ c: Call) async throws -> WireObject {
        var offset = 0
        if let t = c.input.string("NextToken") {
            guard let o = Int(t), o >= 0 else { throw DomainError.nextTokenInvalid }
            offset = o
        }
        let keys = (c.input.records("TagFilter") ?? []).compactMap { $0["TagKey"] }
        let result = try await c.services.tags.list(c.caller, region: c.region, type: c.input.string("ResourceType")!,
                                                    ids: c.input.list("ResourceId"), tags: c.tags, tagKeys: keys, offset: offset)
        return [
            "NextToken": .string(result.next.map(String.init) ?? ""),
            "RequestId": .null,
            "TagResources": .list(item: "TagResource", result.items.map {
                .object(["TagValue": .string($0.value), "ResourceType": .string($0.resourceType),
                         "ResourceId": .string($0.resourceId), "TagKey": .string($0.key)])
            }),
        ]
    }
}
