/// Limits of the HTTP layer: how large a request head may be, how long a client may take to send
/// a request, how long an idle keep-alive connection stays open, how many RPC calls run at once,
/// and how long a graceful shutdown may take. Every refusal is an ECS-style error, never a hang.
///
/// Defaults suit a local emulator that may face a misbehaving client: a slowloris holding
/// hundreds of half-sent requests is cut after `headTimeout`, and a burst beyond `maxInflight`
/// is answered `ServiceUnavailable` (503) at once instead of queueing without bound.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request target (path and query) in bytes; longer → 414. (LOCALECS_MAX_URI_BYTES)
    public var maxURIBytes: Int
    /// Most header bytes (names plus values) in one request; more → 431. (LOCALECS_MAX_HEADER_BYTES)
    public var maxHeaderBytes: Int
    /// Most header fields in one request; more → 431. (LOCALECS_MAX_HEADER_COUNT)
    public var maxHeaderCount: Int
    /// Time from a request's first byte until its head is complete; then 408 and close. (LOCALECS_HEAD_TIMEOUT)
    public var headTimeout: Duration
    /// Time from a request's head until its body is complete; then 408 and close. (LOCALECS_BODY_TIMEOUT)
    public var bodyTimeout: Duration
    /// Time an idle keep-alive connection stays open. (LOCALECS_IDLE_TIMEOUT)
    public var idleTimeout: Duration
    /// RPC calls executing at once; beyond, 503 ServiceUnavailable at once. (LOCALECS_MAX_INFLIGHT)
    public var maxInflight: Int
    /// Longest graceful shutdown after SIGTERM/SIGINT before remaining work is cancelled. (LOCALECS_SHUTDOWN_TIMEOUT)
    public var shutdownTimeout: Duration

    public init(maxURIBytes: Int = 16 * 1024, maxHeaderBytes: Int = 32 * 1024, maxHeaderCount: Int = 100,
                headTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30),
                idleTimeout: Duration = .seconds(60), maxInflight: Int = 256, shutdownTimeout: Duration = .seconds(10)) {
        self.maxURIBytes = maxURIBytes; self.maxHeaderBytes = maxHeaderBytes; self.maxHeaderCount = maxHeaderCount
        self.headTimeout = headTimeout; self.bodyTimeout = bodyTimeout; self.idleTimeout = idleTimeout
        self.maxInflight = maxInflight; self.shutdownTimeout = shutdownTimeout
    }
}
