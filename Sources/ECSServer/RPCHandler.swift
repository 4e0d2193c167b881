import ECSAPI
import ECSDomain
import ECSSignature
import ECSStore
import Hummingbird
import Logging
import NIOCore

/// The one RPC route: `GET`/`POST /`. Parses, authenticates, authorizes and dispatches a call,
/// and renders every outcome (including failures) in ECS's envelope.
struct RPCHandler: Sendable {
    let services: Services
    let actions: ServedActions
    let authenticator: Authenticator
    let authorizer: Authorizer
    let faultInjection: FaultInjection
    let flowControl: FlowControl
    let telemetry: Telemetry?
    let logger: Logger

    static let maxBody = 1 << 20

    init(services: Services, timestampWindow: Double, flowControl: FlowControl = FlowControl(), telemetry: Telemetry? = nil,
         logger: Logger) {
        self.services = services
        self.actions = ServedActions()
        self.authenticator = Authenticator(services: services, timestampWindow: timestampWindow)
        self.authorizer = Authorizer(services: services)
        self.faultInjection = FaultInjection(faults: services.faults, telemetry: telemetry)
        self.flowControl = flowControl
        self.telemetry = telemetry
        self.logger = logger
    }

    func handle(_ request: Request, context: LocalECSContext) async -> Response {
        let started = ContinuousClock.now
        let requestId = IDs.request()
        let host = request.head.authority ?? "ecs.aliyuncs.com"
        let query = FormDecoding.pairs(Substring(request.uri.query ?? ""))
        // The query's Format decides even for a request refused before its body is read.
        var format = ResponseFormat.choose(format: query.last { $0.name == "Format" }?.value, accept: request.headers[.accept])
        var entry = AccessLogEntry(requestId: requestId, logger: logger)
        // The audit trail: every call whose caller is known, refused or not (AuditRecorder).
        var audit: AuditDraft?
        var parsedInput: Input?
        var injected = FaultInjection.Outcome.none
        var served: ActionSpec?
        telemetry?.callStarted()
        do {
            guard request.method == .get || request.method == .post else { throw ECSError.unsupportedHTTPMethod }
            let body = try await request.body.collect(upTo: Self.maxBody)
            let view = Self.view(request, query: query, body: body)
            let params = RPCParameters(view.query + view.form)
            format = ResponseFormat.choose(format: params["Format"], accept: view.header("accept"))
            if entry.enabled {
                entry.action = params["Action"] ?? view.header("x-acs-action")
                entry.accessKeyId = AccessLogEntry.claimedAccessKeyId(params, view)
            }
            try RequestLimits.check(params)

            let (spec, handler) = try route(params, view)
            served = spec
            let caller = try await authenticator.authenticate(view)
            entry.accountId = caller.accountId
            audit = services.audit.begin(spec: spec, caller: caller, params: params, requestId: requestId,
                                         time: services.clock.nowMillis(), sourceIp: context.remoteAddress?.ipAddress,
                                         userAgent: view.header("user-agent"), host: host)
            if let wait = flowControl.admit(product: spec.product, action: spec.name, account: caller.accountId) {
                telemetry?.throttled(spec)
                throw FlowControl.throttled(retryAfterMillis: wait)
            }
            injected = try await faultInjection.apply(spec, params, caller: caller, context: context)
            let input = try InputParser.parse(spec, params)
            parsedInput = input
            if !caller.isRoot {  // root needs no policy check, so no ARN either
                let region = try await authorizationRegion(input, caller: caller)
                var keys = conditionKeys(context: context, view: view)
                if !spec.conditionKeys.isEmpty {  // most actions declare none: no second dictionary
                    keys.merge(ServiceConditionKeys.values(spec, input, account: caller.accountId, region: region)) { common, _ in common }
                }
                try await authorizer.authorize(spec, input, caller: caller, region: region, conditionKeys: keys)
            }
            let call = Call(spec: spec, input: input, caller: caller, services: services, requestId: requestId)
            let output = try await handler(call)
            services.audit.finish(audit, input: input, output: output, error: nil)
            let response = Renderer.success(output, action: spec.name, requestId: requestId, format: format)
            let delayed = await injected.served(response)
            entry.log(code: "OK", status: 200, since: started)
            telemetry?.callEnded(served, code: "OK", duration: .now - started)
            return delayed
        } catch {
            let e = ecsError(error, requestId: requestId)
            services.audit.finish(audit, input: parsedInput, output: nil, error: e)
            if e.code == "SignatureDoesNotMatch" {
                logger.debug("server string to sign: \(e.message.drop { $0 != ":" }.dropFirst())", metadata: ["requestId": "\(requestId)"])
            }
            let response = await injected.served(Renderer.error(e, requestId: requestId, hostId: host, format: format))
            entry.log(code: e.code, status: e.status, since: started)
            telemetry?.callEnded(served, code: e.code, duration: .now - started)
            return response
        }
    }

    /// Action and Version from the query (V1) or the `x-acs-*` headers (V3).
    func route(_ params: RPCParameters, _ view: RequestView) throws -> (ActionSpec, ActionHandler) {
        guard let action = params["Action"] ?? view.header("x-acs-action"), !action.isEmpty else { throw ECSError.missingParameter("Action") }
        guard let version = params["Version"] ?? view.header("x-acs-version"), !version.isEmpty else { throw ECSError.missingParameter("Version") }
        guard let product = Product(rawValue: version), actions.serves(product: product) else { throw ECSError.invalidVersion }
        guard let served = actions.action(product: product, name: action) else { throw ECSError.invalidAction }
        return (served.spec, served.handler)
    }

    /// The region in resource ARNs: the request's, else (actions that carry only an instance ID)
    /// the instance's own, else any.
    func authorizationRegion(_ input: Input, caller: Caller) async throws -> String {
        if let r = input.string("RegionId") { return r }
        if let id = input.string("InstanceId"), let r = try await services.instances.region(caller, id: id) { return r }
        return "*"
    }

    func conditionKeys(context: LocalECSContext, view: RequestView) -> [String: [String]] {
        var keys: [String: [String]] = [
            "acs:CurrentTime": [ECSTime.seconds(services.clock.nowMillis())],
            "acs:SecureTransport": ["false"],
            "acs:MFAPresent": ["false"],
        ]
        if let ip = context.remoteAddress?.ipAddress { keys["acs:SourceIp"] = [ip] }
        return keys
    }

    func ecsError(_ error: any Error, requestId: String) -> ECSError {
        switch error {
        case let e as ECSError: return e
        case let d as DroppedConnection:
            // The connection is already reset; this answer is never read.
            return ECSError(code: "ServiceUnavailable", status: 503, message: "dropped by fault rule \(d.ruleId)")
        case let d as DomainError: return d.ecsError
        case let n as NetworkError: return n.ecsError
        case StoreError.unavailable(let why):
            logger.warning("store unavailable: \(why)", metadata: ["requestId": "\(requestId)"])
            return .serviceUnavailable
        case let e as HTTPError where e.status == .contentTooLarge:
            return ECSError(code: "InvalidParameter", status: 400, message: "The request body exceeds 1 MiB.")
        default:
            logger.error("internal error: \(String(reflecting: error))", metadata: ["requestId": "\(requestId)"])
            return .internalError
        }
    }

    /// Whether a non-empty body holds form parameters. V1 signs the parameters themselves, so
    /// the Content-Type header decides. V3 signs the body's bytes (`x-acs-content-sha256`) but
    /// the official SDKs do not sign Content-Type, so letting that header decide would let anyone
    /// on the way drop it and silently remove signed parameters (`DryRun`, say). A V3 body is
    /// therefore always read as form parameters, whatever Content-Type says: its meaning is
    /// fixed by the signed bytes alone. (No official SDK sends a body with an ECS call.)
    static func readsBodyAsForm(contentType: String?, authorization: String?) -> Bool {
        if let authorization, authorization.hasPrefix("ACS3-") { return true }
        return contentType?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
    }

    /// The signature layer's view of the request: decoded query and form pairs, lower-cased headers.
    static func view(_ request: Request, query: [(name: String, value: String)], body: ByteBuffer) -> RequestView {
        let bytes = Array(body.readableBytesView)
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(16)
        for f in request.headers { headers.append((f.name.canonicalName, f.value)) }
        // HTTP/1's Host header lives in the request head's authority; clients sign it as `host`.
        if let authority = request.head.authority { headers.append(("host", authority)) }
        var form: [(name: String, value: String)] = []
        if !bytes.isEmpty, readsBodyAsForm(contentType: request.headers[.contentType], authorization: request.headers[.authorization]) {
            form = FormDecoding.pairs(bytes)
        }
        return RequestView(method: request.method.rawValue, query: query, form: form, headers: headers, body: bytes)
    }
}
