import ArgumentParser
import ECSDomain
import ECSServer
import ECSSSH
import ECSStore
import Foundation
import Logging

/// `localecs serve`: runs the server until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the LocalECS server.")

    @Option(help: "Address to listen on (LOCALECS_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (LOCALECS_PORT; default \(ServerConfig.defaultPort)).")
    var port: Int?

    @OptionGroup var storeOption: StoreOption

    @Option(help: ArgumentHelp("Time an instance spends in each transient status, e.g. 1s, 250ms, 0 for instant (LOCALECS_TRANSITION_DELAY; default 1s).",
                               valueName: "duration"))
    var transitionDelay: String?

    @Option(help: ArgumentHelp("Load this estate file (localecs state export) before listening; the store is then memory unless --store is given.",
                               valueName: "estate.json"))
    var state: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error (LOCALECS_LOG_LEVEL; default info).")
    var logLevel: String?

    @Option(help: "Bearer token the /_localecs admin routes require; without one they answer on a loopback address only (LOCALECS_ADMIN_TOKEN).")
    var adminToken: String?

    @Option(help: ArgumentHelp("Flow control: [PRODUCT:]ACTION=RATE[/BURST] calls per second per account, ACTION * for the whole product; repeatable (LOCALECS_RATE_LIMITS, comma-separated; default none).",
                               valueName: "limit"))
    var rateLimit: [String] = []

    @Flag(inversion: .prefixedNo, help: "Serve Prometheus metrics on GET /metrics (LOCALECS_METRICS=0 turns them off; default on).")
    var metrics: Bool?

    @Option(help: "Log format: text or json (one JSON object a line) (LOCALECS_LOG_FORMAT; default text).")
    var logFormat: String?

    @Flag(help: "Listen on a non-loopback address even with the default root access key secret (LOCALECS_ALLOW_DEFAULT_CREDENTIALS=1).")
    var allowDefaultCredentials = false

    @Option(help: ArgumentHelp("Serve SSH on every Running Linux instance from this node: on or off; with several nodes on one PostgreSQL store, exactly one should say on (LOCALECS_SSH; default on).",
                               valueName: "on|off"))
    var ssh: String?

    @Option(help: "Port every instance's SSH server listens on, at the instance's own loopback address (LOCALECS_SSH_PORT; default \(SSHConfig.defaultPort)).")
    var sshPort: Int?

    @Option(help: ArgumentHelp("loopback: each instance at its own 127.x.y.z, all on --ssh-port (Linux); ports: each instance at 127.0.0.1, port --ssh-port + its number (macOS) (LOCALECS_SSH_ADDRESSING; default loopback on Linux, ports on macOS).",
                               valueName: "loopback|ports"))
    var sshAddressing: String?
    @Option(help: ArgumentHelp("Record every API call in the ActionTrail audit trail: on or off (LOCALECS_AUDIT; default on).", valueName: "on|off"))
    var audit: String?

    @Option(help: ArgumentHelp("Days the audit trail keeps events (LOCALECS_AUDIT_RETENTION_DAYS; default \(AuditConfig.defaultRetentionDays)).", valueName: "days"))
    var auditRetentionDays: Int?

    @Option(help: ArgumentHelp("The most RSA keys CreateKeyPair keeps made ahead of time, by a background thread at low priority, filled as demand shows; 0 makes each key when asked (LOCALECS_KEY_POOL; default \(ServerConfig.defaultKeyPool)).", valueName: "keys"))
    var keyPool: Int?

    func run() async throws {
        let config = try makeConfig()
        let level = logLevel ?? Env.string("LOCALECS_LOG_LEVEL") ?? "info"
        guard let parsedLevel = Logger.Level(rawValue: level) else { throw ValidationError("--log-level must be trace, debug, info, notice, warning or error") }
        switch logFormat ?? Env.string("LOCALECS_LOG_FORMAT") ?? "text" {
        case "text": break
        case "json": LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        case let f: throw ValidationError("--log-format must be text or json, not \(f)")
        }
        var configured = Logger(label: "localecs")
        configured.logLevel = parsedLevel
        let logger = configured
        let started = ContinuousClock.now
        let openFiles = raiseOpenFileLimit()
        // Parse the estate before opening anything: a bad file fails fast with its own message.
        let estate = try state.map { try Estate.decode(try readEstate($0)) }
        let store = try await openStore(config.store, config: config)
        if let estate {
            do {
                let n = try await StateService(store: store, clock: SystemClock(), root: config.root).load(estate, replace: false)
                logger.info("loaded \(n) records from \(state ?? "")")
            } catch {
                await store.close()
                throw error
            }
        }
        let sshLine = config.ssh.enabled
            ? (config.ssh.addressing == .loopback ? "SSH on each Running Linux instance at its PublicIpAddress, port \(config.ssh.port)"
                                                  : "SSH on each Running Linux instance at 127.0.0.1, port \(config.ssh.port) + its number")
            : "SSH off on this node (--ssh off)"
        // Made before the API so that /metrics can count its logins; started once the API is built.
        let sshServer = config.ssh.enabled
            ? SSHServer(store: store, clock: SystemClock(), config: config.ssh, log: { logger.warning("\($0)") }) : nil
        let sshMetrics: [MetricsSource] = sshServer.map { s in [
            MetricsSource(name: "localecs_ssh_logins", unit: "total", help: "Successful SSH logins to instances (key or password).",
                          kind: .counter) { s.logins },
            MetricsSource(name: "localecs_ssh_sessions", unit: "", help: "SSH connections being served now.", kind: .gauge) { s.activeSessions },
            MetricsSource(name: "localecs_ssh_endpoints", unit: "", help: "Instances whose SSH endpoint listens now.", kind: .gauge) { s.endpointCount },
        ] } ?? []
        let app = try await buildApplication(config, store: store, metrics: sshMetrics, logger: logger) { port in
            let ms = (ContinuousClock.now - started).components
            let elapsed = Double(ms.seconds) * 1000 + Double(ms.attoseconds) / 1e15
            Console.line("LocalECS listening on http://\(config.host):\(port) (store: \(store.description))")
            logger.info("ready in \(String(format: "%.1f", elapsed)) ms; account \(config.accountId), access key \(config.accessKeyId); open files limit \(openFiles)")
            logger.info("\(sshLine)")
        }
        // Started once the API could be built, and stopped before the store closes.
        let sshTask = sshServer.map { s in Task { await s.run() } }
        do {
            try await runUntilSignalled(app, timeout: config.limits.shutdownTimeout, logger: logger)
        } catch {
            sshTask?.cancel()
            await sshTask?.value
            await store.close()
            if let message = listenFailureMessage(error, host: config.host, port: config.port) { throw CLIError(message) }
            throw error
        }
        sshTask?.cancel()
        await sshTask?.value
        await store.close()
        logger.info("stopped; \(store.description) closed")
    }

    func makeConfig() throws -> ServerConfig {
        var c = ServerConfig()
        c.host = host ?? Env.string("LOCALECS_HOST") ?? c.host
        c.port = try port ?? Env.int("LOCALECS_PORT") ?? c.port
        guard (0...65535).contains(c.port) else { throw ValidationError("--port must be 0 to 65535") }
        // A fixture estate goes into a fresh memory store unless a store is named on the command
        // line (LOCALECS_STORE is not enough: loading a fixture into a persistent store by accident
        // would be refused anyway as soon as it holds resources).
        c.store = state != nil && storeOption.store == nil ? .memory : try storeOption.location()
        c.accountId = Env.string("LOCALECS_ACCOUNT_ID") ?? c.accountId
        guard AccountService.isValidAccountId(c.accountId) else { throw ValidationError("LOCALECS_ACCOUNT_ID must be 16 digits") }
        c.accessKeyId = Env.string("LOCALECS_ACCESS_KEY_ID") ?? c.accessKeyId
        c.accessKeySecret = Env.string("LOCALECS_ACCESS_KEY_SECRET") ?? c.accessKeySecret
        c.domain.keyPairQuota = try Env.int("LOCALECS_KEYPAIR_QUOTA") ?? c.domain.keyPairQuota
        guard c.domain.keyPairQuota >= 0 else { throw ValidationError("LOCALECS_KEYPAIR_QUOTA must be 0 or more") }
        if let d = transitionDelay ?? Env.string("LOCALECS_TRANSITION_DELAY") {
            guard let ms = Duration.parseMillis(d) else { throw ValidationError("--transition-delay must look like 1s, 250ms or 0, not \(d)") }
            c.domain.transitionMillis = ms
        }
        if let s = Env.string("LOCALECS_SQLITE_SYNCHRONOUS")?.uppercased() {
            guard s == "FULL" || s == "NORMAL" else { throw ValidationError("LOCALECS_SQLITE_SYNCHRONOUS must be FULL or NORMAL") }
            c.sqliteSynchronous = s
        }
        c.postgresPoolSize = try Env.int("LOCALECS_PG_POOL_SIZE") ?? c.postgresPoolSize
        c.adminToken = adminToken ?? Env.string("LOCALECS_ADMIN_TOKEN")
        c.allowDefaultCredentials = allowDefaultCredentials || Env.string("LOCALECS_ALLOW_DEFAULT_CREDENTIALS") == "1"
        if let metrics { c.metrics = metrics } else if let m = Env.string("LOCALECS_METRICS") {
            guard m == "0" || m == "1" else { throw ValidationError("LOCALECS_METRICS must be 0 or 1, not \(m)") }
            c.metrics = m == "1"
        }
        if let problem = Exposure.startProblem(c) { throw ValidationError(problem) }
        c.limits = try Self.limits(c.limits)
        switch (audit ?? Env.string("LOCALECS_AUDIT") ?? "on").lowercased() {
        case "on", "1", "true": c.audit.enabled = true
        case "off", "0", "false": c.audit.enabled = false
        case let other: throw ValidationError("--audit (LOCALECS_AUDIT) must be on or off, not \(other)")
        }
        c.audit.retentionDays = try auditRetentionDays ?? Env.int("LOCALECS_AUDIT_RETENTION_DAYS") ?? c.audit.retentionDays
        guard (1...36_500).contains(c.audit.retentionDays) else {
            throw ValidationError("--audit-retention-days (LOCALECS_AUDIT_RETENTION_DAYS) must be 1 to 36500")
        }
        c.keyPool = try keyPool ?? Env.int("LOCALECS_KEY_POOL") ?? c.keyPool
        guard (0...100_000).contains(c.keyPool) else {
            throw ValidationError("--key-pool (LOCALECS_KEY_POOL) must be 0 to 100000 keys")
        }
        let specs = rateLimit.isEmpty ? (Env.string("LOCALECS_RATE_LIMITS")?.split(separator: ",").map(String.init) ?? []) : rateLimit
        do { c.rateLimits = try specs.map { try RateLimit.parse($0) } } catch { throw ValidationError("--rate-limit \(error)") }
        c.ssh = try Self.sshConfig(flag: ssh, port: sshPort, addressing: sshAddressing)
        return c
    }
}

extension Serve {
    /// The SSH settings from flags, then `LOCALECS_SSH*`, then defaults.
    static func sshConfig(flag: String?, port: Int?, addressing: String?) throws -> SSHConfig {
        var s = SSHConfig()
        #if os(macOS)
        s.addressing = .ports
        #endif
        switch (flag ?? Env.string("LOCALECS_SSH"))?.lowercased() {
        case nil, "on": s.enabled = true
        case "off": s.enabled = false
        case let other?: throw ValidationError("--ssh must be on or off, not \(other)")
        }
        s.port = try port ?? Env.int("LOCALECS_SSH_PORT") ?? s.port
        guard (1...65535).contains(s.port) else { throw ValidationError("--ssh-port must be 1 to 65535") }
        switch (addressing ?? Env.string("LOCALECS_SSH_ADDRESSING"))?.lowercased() {
        case nil: break
        case "loopback": s.addressing = .loopback
        case "ports": s.addressing = .ports
        case let other?: throw ValidationError("--ssh-addressing must be loopback or ports, not \(other)")
        }
        return s
    }
}

extension Duration {
    /// `1s`, `1.5s`, `250ms`, `0`; a bare number is seconds.
    static func parseMillis(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let (number, scale): (Substring, Double) =
            t.hasSuffix("ms") ? (t.dropLast(2), 1) : t.hasSuffix("s") ? (t.dropLast(1), 1000) : (Substring(t), 1000)
        guard let v = Double(number), v >= 0, v.isFinite, v < 86_400_000 else { return nil }
        return Int64((v * scale).rounded())
    }
}

/// Unbuffered lines on stdout, so a script waiting for the ready line sees it at once.
enum Console {
    static func line(_ s: String) {
        FileHandle.standardOutput.write(Data((s + "\n").utf8))
    }
}
