import ECSDomain
import ECSStore
import ECSStorePostgres
import ECSStoreSQLite
import Foundation
import Hummingbird
import Logging

/// Opens the configured store (creating the SQLite file's folder when needed).
public func openStore(_ location: ServerConfig.StoreLocation, config: ServerConfig) async throws -> any Store {
    switch location {
    case .memory:
        return try SQLiteStore(path: nil)
    case .sqlite(let path):
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        return try SQLiteStore(path: path, synchronous: config.sqliteSynchronous)
    case .postgres(let url):
        return try await PostgresStore.open(url: url, poolSize: config.postgresPoolSize)
    }
}

/// Builds the Hummingbird application over an open store, bootstrapping the default account.
///
/// - Parameter onRunning: called once the socket listens (the CLI prints its ready line there).
public func buildApplication(_ config: ServerConfig, store: any Store, clock: any Clock = SystemClock(),
                             logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
    async throws -> some ApplicationProtocol {
    let services = Services(store: store, clock: clock, config: config.domain, root: config.root)
    if try await services.accounts.ensureAccount(id: config.accountId, accessKeyId: config.accessKeyId, secret: config.accessKeySecret) {
        logger.info("created account \(config.accountId) with root access key \(config.accessKeyId)")
    }
    let router = buildRouter(services: services, config: config, logger: logger)
    return Application(
        responder: router.buildResponder(),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "LocalECS"),
        onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? config.port) },
        logger: logger)
}

/// The routes: the RPC endpoint and the admin views. Exposed for `app.test(.router)` tests.
public func buildRouter(services: Services, config: ServerConfig, logger: Logger) -> Router<LocalECSContext> {
    let router = Router(context: LocalECSContext.self)
    let rpc = RPCHandler(services: services, timestampWindow: config.timestampWindow, logger: logger)
    for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
        router.on("/", method: method) { request, context in await rpc.handle(request, context: context) }
    }
    AdminRoutes.add(to: router, services: services)
    return router
}
