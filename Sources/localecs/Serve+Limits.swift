import ArgumentParser
import ECSServer

extension Serve {
    /// `HTTPLimits` from the environment (LOCALECS_MAX_URI_BYTES, …; see `HTTPLimits`).
    /// Durations read like `--transition-delay`: `10s`, `500ms`, a bare number is seconds.
    static func limits(_ defaults: HTTPLimits) throws -> HTTPLimits {
        var l = defaults
        func positive(_ name: String, _ value: Int) throws -> Int {
            let v = try Env.int(name) ?? value
            guard v > 0 else { throw ValidationError("\(name) must be 1 or more") }
            return v
        }
        func duration(_ name: String, _ value: Duration) throws -> Duration {
            guard let text = Env.string(name) else { return value }
            guard let ms = Duration.parseMillis(text), ms > 0 else { throw ValidationError("\(name) must look like 10s or 500ms, not \(text)") }
            return .milliseconds(ms)
        }
        l.maxURIBytes = try positive("LOCALECS_MAX_URI_BYTES", l.maxURIBytes)
        l.maxHeaderBytes = try positive("LOCALECS_MAX_HEADER_BYTES", l.maxHeaderBytes)
        l.maxHeaderCount = try positive("LOCALECS_MAX_HEADER_COUNT", l.maxHeaderCount)
        l.maxInflight = try positive("LOCALECS_MAX_INFLIGHT", l.maxInflight)
        l.headTimeout = try duration("LOCALECS_HEAD_TIMEOUT", l.headTimeout)
        l.bodyTimeout = try duration("LOCALECS_BODY_TIMEOUT", l.bodyTimeout)
        l.idleTimeout = try duration("LOCALECS_IDLE_TIMEOUT", l.idleTimeout)
        l.shutdownTimeout = try duration("LOCALECS_SHUTDOWN_TIMEOUT", l.shutdownTimeout)
        return l
    }
}
