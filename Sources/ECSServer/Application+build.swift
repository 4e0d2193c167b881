import ECSDomain
import ECSKeys
import ECSStore
import ECSStorePostgres
import ECSStoreSQLite
import Foundation
import Hummingbird
import Logging

/// Builds the Hummingbird application over an open store, bootstrapping the default account.
///
/// - Parameters:
///   - metrics: metrics kept elsewhere (the SSH server's), exported on `/metrics` when it is on.
///   - onRunning: called once the socket listens (the CLI prints its ready line there).
public func buildApplication(_ config: ServerConfig, store: any Store, clock: any Clock = SystemClock(),
                             metrics: [MetricsSource] = [],
                             logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
    async throws -> some ApplicationProtocol {
    if let problem = Exposure.startProblem(config) { throw ExposureError(description: problem) }
    let telemetry = config.metrics ? Telemetry() : nil
    for m in metrics { telemetry?.observe(m) }
    let instrumented: any Store = telemetry.map { InstrumentedStore(inner: store, telemetry: $0) } ?? store
    let keyPool = config.keyPool > 0 ? KeyPool(capacity: config.keyPool) : nil
    if let keyPool, let telemetry { KeyPoolMetrics.observe(keyPool, on: telemetry) }
    let services = Services(store: instrumented, clock: clock, config: config.domain, root: config.root, audit: config.audit,
                            keyPool: keyPool)
    switch try await services.accounts.configureRootKey(account: config.accountId, accessKeyId: config.accessKeyId,
                                                        secret: config.accessKeySecret) {
    case .created: logger.info("created account \(config.accountId) with root access key \(config.accessKeyId)")
    case .unchanged: break
    case .secretReplaced:
        logger.notice("root access key \(config.accessKeyId): the configured secret (LOCALECS_ACCESS_KEY_SECRET) differs from the stored one and replaces it; clients signing with the old secret now get SignatureDoesNotMatch")
    }
    let router = buildRouter(services: services, config: config, logger: logger, telemetry: telemetry)
    return Application(
        responder: router.buildResponder(),
        server: .limitedHTTP1(config.limits, inflight: InflightLimiter(limit: config.limits.maxInflight)),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "LocalECS"),
        services: [services.audit],
        onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? config.port) },
        logger: logger)
}

/// The routes: the RPC endpoint and the admin views. Exposed for `app.test(.router)` tests.
public func buildRouter(services: Services, config: ServerConfig, logger: Logger, telemetry: Telemetry? = nil) -> Router<LocalECSContext> {
    let router = Router(context: LocalECSContext.self)
    let flowControl = FlowControl(config.rateLimits)
    let rpc = RPCHandler(services: services, timestampWindow: config.timestampWindow, flowControl: flowControl,
                         telemetry: telemetry, logger: logger)
    for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
        router.on("/", method: method) { request, context in await rpc.handle(request, context: context) }
    }
    AdminRoutes.add(to: router, services: services, gate: AdminGate(config), ssh: config.ssh)
    AdminRateLimitRoutes.add(to: router, flowControl: flowControl, refusal: AdminGate(config).refusal)
    if let telemetry { MetricsRoute.add(to: router, telemetry: telemetry, store: services.store, refusal: AdminGate(config).refusal) }
    ConsoleRoutes.add(to: router)
    return router
}
