import ECSDomain

/// Everything the server needs, read once at the edge (flags > environment > defaults).
public struct ServerConfig: Sendable {
    public enum StoreLocation: Sendable, Equatable {
        case sqlite(path: String)
        case memory
        case postgres(url: String)

        /// Parses `sqlite:PATH`, `memory` or `postgres://…` (also `postgresql://…`).
        public static func parse(_ text: String) -> StoreLocation? {
            if text == "memory" { return .memory }
            if text.hasPrefix("sqlite:") {
                let path = String(text.dropFirst("sqlite:".count))
                return path.isEmpty ? nil : .sqlite(path: path)
            }
            if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") { return .postgres(url: text) }
            return nil
        }
    }

    public var host: String
    public var port: Int
    public var store: StoreLocation
    public var accountId: String
    public var accessKeyId: String
    public var accessKeySecret: String
    public var domain: DomainConfig
    /// SQLite's `synchronous` for the writer: `FULL` (default: every acknowledged write is on disk) or `NORMAL`.
    public var sqliteSynchronous: String
    /// PostgreSQL connections per node.
    public var postgresPoolSize: Int
    /// Seconds a signed request's timestamp may be off (ECS: 15 minutes).
    public var timestampWindow: Double
    /// The bearer token the admin routes (`/_localecs/…` but health) require (LOCALECS_ADMIN_TOKEN).
    /// Without one they answer on a loopback listen address only.
    public var adminToken: String?
    /// Listen on a non-loopback address with the default root secret anyway (`--allow-default-credentials`).
    public var allowDefaultCredentials: Bool
    /// HTTP limits and timeouts, the bound on concurrent calls, the graceful-shutdown bound.
    public var limits = HTTPLimits()
    /// The ActionTrail audit trail: on or off, retention.
    public var audit = AuditConfig()
    /// Flow-control limits (`--rate-limit`, LOCALECS_RATE_LIMITS); none by default.
    public var rateLimits: [RateLimit] = []
    /// Serve `GET /metrics` and count for it (`--no-metrics`, LOCALECS_METRICS=0 turn it off).
    public var metrics = true
    /// SSH on Running Linux instances: whether this node serves it, the port, the addressing.
    public var ssh = SSHConfig()
    /// The most RSA keys CreateKeyPair keeps made ahead of time (`--key-pool`, LOCALECS_KEY_POOL); 0: none.
    public var keyPool = ServerConfig.defaultKeyPool

    /// The account a new (or reset) store holds.
    public var root: RootAccount { RootAccount(id: accountId, accessKeyId: accessKeyId, secret: accessKeySecret) }

    public static let defaultPort = 8787
    /// A burst of 1,000 CreateKeyPair calls, about 2.2 MB of keys at most; the pool fills only as demand shows (`KeyPool`).
    public static let defaultKeyPool = 1000
    /// The embedded store's file, relative to the working folder; its folder is the only one created unasked.
    public static let defaultSQLitePath = "./localecs-data/localecs.sqlite"
    public static let defaultAccountId = "1000000000000001"
    public static let defaultAccessKeyId = "LTAI5tLocalECSDefaultKey"
    public static let defaultAccessKeySecret = "LocalECSDefaultSecret0123456789"

    public init(host: String = "127.0.0.1", port: Int = ServerConfig.defaultPort,
                store: StoreLocation = .sqlite(path: ServerConfig.defaultSQLitePath),
                accountId: String = ServerConfig.defaultAccountId, accessKeyId: String = ServerConfig.defaultAccessKeyId,
                accessKeySecret: String = ServerConfig.defaultAccessKeySecret, domain: DomainConfig = DomainConfig(),
                sqliteSynchronous: String = "FULL", postgresPoolSize: Int = 8, timestampWindow: Double = 900,
                adminToken: String? = nil, allowDefaultCredentials: Bool = false) {
        self.host = host; self.port = port; self.store = store; self.accountId = accountId
        self.accessKeyId = accessKeyId; self.accessKeySecret = accessKeySecret; self.domain = domain
        self.sqliteSynchronous = sqliteSynchronous; self.postgresPoolSize = postgresPoolSize
        self.timestampWindow = timestampWindow
        self.adminToken = adminToken; self.allowDefaultCredentials = allowDefaultCredentials
    }
}
