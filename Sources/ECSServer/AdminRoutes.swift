import ECSAPI
import ECSDomain
import Hummingbird
import NIOCore

/// `/_localecs/…`: what a user testing automation wants to see that ECS's API does not show,
/// and the state controls (reset, export, import: `AdminStateRoutes`).
/// Unsigned, so bind the server to a private address (the default is 127.0.0.1).
enum AdminRoutes {
    static func add(to router: Router<LocalECSContext>, services: Services) {
        router.get("/_localecs/health") { _, _ in
            Response(status: .ok, headers: [.contentType: Renderer.jsonType],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/_localecs/instances/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            let view = try? await services.store.read { try $0.instanceAnyAccount(id: id) }
            guard let record = view ?? nil else {
                return json(404, ["Code": .string("InvalidInstanceId.NotFound"), "Message": .string("The specified InstanceId does not exist.")])
            }
            let v = services.instances.view(record, at: services.clock.nowMillis())
            let login = record.login
            return json(200, [
                "InstanceId": .string(record.id),
                "AccountId": .string(record.accountId),
                "RegionId": .string(record.regionId),
                "Status": .string(v.status.rawValue),
                "OSType": .string(record.osType),
                "BoundKeyPair": login.boundKeyPair.map(WireValue.string) ?? .null,
                "EffectiveKeyPair": login.effectiveKeyPair.map(WireValue.string) ?? .null,
                "PasswordSet": .boolean(record.passwordSet),
                "PasswordLoginEffective": .boolean(login.passwordLoginEffective),
                "RestartPending": .boolean(login.restartPending),
            ])
        }
        AdminStateRoutes.add(to: router, state: services.state)
    }

    static func json(_ status: Int, _ o: WireObject) -> Response {
        Response(status: .init(code: status), headers: [.contentType: Renderer.jsonType],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: JSONWriter.write(o))))
    }
}
