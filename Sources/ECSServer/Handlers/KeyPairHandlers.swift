import ECSAPI
import ECSDomain
import ECSStore

/// CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPairs, AttachKeyPair, DetachKeyPair.
enum KeyPairHandlers {
    static let all: [ServedAction] = [
        ServedAction(ECSActions.createKeyPair, create),
        ServedAction(ECSActions.importKeyPair, importKey),
        ServedAction(ECSActions.describeKeyPairs, describe),
        ServedAction(ECSActions.deleteKeyPairs, delete),
        ServedAction(ECSActions.attachKeyPair, { try await bind(.attach, $0) }),
        ServedAction(ECSActions.detachKeyPair, { try await bind(.detach, $0) }),
    ]

    static func create(_ c: Call) async throws -> WireObject {
        let created = try await c.services.keyPairs.create(
            c.caller, region: c.region, name: c.input.string("KeyPairName")!,
            resourceGroupId: c.input.string("ResourceGroupId"), tags: c.tags)
        return [
            "KeyPairId": .string(created.record.id),
            "KeyPairName": .string(created.record.name),
            "KeyPairFingerPrint": .string(created.record.fingerprint),
            "PrivateKeyBody": .string(created.privateKeyPEM),
        ]
    }

    static func importKey(_ c: Call) async throws -> WireObject {
        let r = try await c.services.keyPairs.importKey(
            c.caller, region: c.region, name: c.input.string("KeyPairName")!,
            publicKeyBody: c.input.string("PublicKeyBody")!, resourceGroupId: c.input.string("ResourceGroupId"), tags: c.tags)
        return [
            "KeyPairId": .string(r.id),
            "KeyPairName": .string(r.name),
            "KeyPairFingerPrint": .string(r.fingerprint),
        ]
    }

    /// DescribeKeyPairs' item, declared once and written through the compiled shape.
    static let item: WireShape<KeyPairRecord> = [
        "KeyPairName": .string { $0.name },
        "KeyPairFingerPrint": .string { $0.fingerprint },
        "CreationTime": .string { ECSTime.minutes($0.createdAt) },
        "ResourceGroupId": .string { $0.resourceGroupId },
        "Tags": .value { .tags($0.tags) },
    ]
    static let itemWithPublicKey = WireShape(item.fields + [("PublicKey", .string { $0.publicKey })])

    static func describe(_ c: Call) async throws -> WireObject {
        let page = try KeyPairService.page(number: c.input.integer("PageNumber"), size: c.input.integer("PageSize"))
        let includePublicKey = c.input.boolean("IncludePublicKey") ?? false
        let result = try await c.services.keyPairs.describe(
            c.caller, region: c.region, name: c.input.string("KeyPairName"), fingerprint: c.input.string("KeyPairFingerPrint"),
            resourceGroupId: c.input.string("ResourceGroupId"), tags: c.tags, page: page)
        return [
            "TotalCount": .integer(result.total),
            "PageNumber": .integer(page.number),
            "PageSize": .integer(page.size),
            "KeyPairs": (includePublicKey ? itemWithPublicKey : item).list(item: "KeyPair", result.items),
        ]
    }

    static func delete(_ c: Call) async throws -> WireObject {
        try await c.services.keyPairs.delete(c.caller, region: c.region, names: c.input.list("KeyPairNames")!)
        return [:]
    }

    static func bind(_ change: KeyBindingService.Change, _ c: Call) async throws -> WireObject {
        let name = c.input.string("KeyPairName")!
        let results = try await c.services.bindings.apply(change, c.caller, region: c.region, keyPairName: name,
                                                          instanceIds: c.input.list("InstanceIds")!)
        let items: [WireValue] = results.map { r in
            let (code, message): (String, String)
            switch r.outcome {
            case .success: (code, message) = ("200", "successful")
            case .instanceNotFound: (code, message) = ("InvalidInstanceId.NotFound", "The specified InstanceId does not exist.")
            case .notAttached: (code, message) = ("InvalidKeyPair.NotAttached", "The specified key pair is not attached to the instance.")
            case .incorrectStatus: (code, message) = ("IncorrectInstanceStatus", "The current status of the resource does not support this operation.")
            }
            return .object(["Code": .string(code), "Message": .string(message), "InstanceId": .string(r.instanceId),
                            "Success": .string(r.outcome == .success ? "true" : "false")])
        }
        // Counts and `Success` are JSON strings, as the reference's sample and the SDK models type
        // them (decisions.md, amended); the keys in the sample's order.
        return [
            "KeyPairName": .string(name),
            "RequestId": .null,
            "TotalCount": .string(String(results.count)),
            "FailCount": .string(String(results.filter { $0.outcome != .success }.count)),
            "Results": .list(item: "Result", items),
        ]
    }
}
