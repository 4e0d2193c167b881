import ECSAPI
import ECSDomain
import ECSSSH
import ECSSignature
import ECSStore
import Hummingbird
import NIOCore

/// Who may use the admin routes: anyone on a loopback listen address when no token is set;
/// otherwise only requests with `Authorization: Bearer <token>`, compared in constant time.
/// On a non-loopback address without a token they are closed.
struct AdminGate: Sendable {
    let token: String?
    let openWithoutToken: Bool

    init(_ config: ServerConfig) {
        token = config.adminToken.flatMap { $0.isEmpty ? nil : $0 }
        openWithoutToken = Exposure.isLoopback(config.host)
    }

    /// nil when `request` may pass, else the refusal to send.
    func refusal(_ request: Request) -> Response? {
        guard let token else {
            if openWithoutToken { return nil }
            return AdminRoutes.json(403, ["Code": .string("Forbidden.AdminToken"), "Message": .string(
                "The admin routes are closed on a non-loopback address until LOCALECS_ADMIN_TOKEN (--admin-token) is set.")])
        }
        let sent = request.headers[.authorization] ?? ""
        if sent.hasPrefix("Bearer "), Signature.constantTimeEquals(String(sent.dropFirst("Bearer ".count)), token) { return nil }
        return AdminRoutes.json(401, ["Code": .string("InvalidAdminToken"), "Message": .string(
            "The admin routes need the header Authorization: Bearer <LOCALECS_ADMIN_TOKEN>.")])
    }
}

/// `/_localecs/…`: what a user testing automation wants to see that ECS's API does not show,
/// and the state controls (reset, export, import: `AdminStateRoutes`).
/// Not signed: `AdminGate` decides who may use them (health and the declaration table, which
/// hold nothing of any account, are always open).
enum AdminRoutes {
    /// Rendered once: the declarations are constants.
    static let declarations = ByteBuffer(string: DeclarationJSON.render())

    static func add(to router: Router<LocalECSContext>, services: Services, gate: AdminGate, ssh: SSHConfig) {
        router.get("/_localecs/health") { _, _ in
            Response(status: .ok, headers: [.contentType: Renderer.jsonType],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        // Every action the server speaks, with its parameters and RAM table (`localecs actions --json`).
        router.get("/_localecs/actions") { _, _ in
            Response(status: .ok, headers: [.contentType: Renderer.jsonType], body: ResponseBody(byteBuffer: declarations))
        }
        router.get("/_localecs/instances/:id") { request, context in
            if let refusal = gate.refusal(request) { return refusal }
            let id = context.parameters.get("id") ?? ""
            let found: InstanceRecord?
            do {
                found = try await services.store.read { try $0.instanceAnyAccount(id: id) }
            } catch {
                // Not a 404: a caller must be able to tell "no such instance" from "could not look".
                return json(503, ["Code": .string("ServiceUnavailable"), "Message": .string("The store could not be read: \(error)")])
            }
            guard let record = found else {
                return json(404, ["Code": .string("InvalidInstanceId.NotFound"), "Message": .string("The specified InstanceId does not exist.")])
            }
            let v = services.instances.view(record, at: services.clock.nowMillis())
            let login = record.login
            var body: WireObject = [
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
                "PublicIpAddress": .string(record.publicIp),
            ]
            body.fields += sshFields(record, ssh: ssh).fields
            return json(200, body)
        }
        AdminStateRoutes.add(to: router, state: services.state, refusal: gate.refusal, afterReset: services.faults.invalidate)
        AdminFaultRoutes.add(to: router, faults: services.faults, refusal: gate.refusal)
    }

    /// Where and how to log in over SSH; Windows instances have no SSH endpoint.
    static func sshFields(_ r: InstanceRecord, ssh: SSHConfig) -> WireObject {
        guard !r.isWindows, let (host, port) = ssh.endpoint(slot: r.sshSlot) else {
            return ["SSHCommand": .null, "SSHHost": .null, "SSHPort": .null, "HostKeyFingerprint": .null]
        }
        return [
            "SSHCommand": .string(ssh.command(slot: r.sshSlot, keyPair: r.effectiveKeyPair) ?? ""),
            "SSHHost": .string(host),
            "SSHPort": .integer(port),
            // Made at the instance's first boot on the SSH-serving node.
            "HostKeyFingerprint": r.hostKey.flatMap(HostKey.fingerprint).map(WireValue.string) ?? .null,
            "HostPublicKey": r.hostKey.flatMap(HostKey.publicLine).map(WireValue.string) ?? .null,
        ]
    }

    static func json(_ status: Int, _ o: WireObject) -> Response {
        Response(status: .init(code: status), headers: [.contentType: Renderer.jsonType],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: JSONWriter.write(o))))
    }
}
