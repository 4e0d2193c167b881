#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the application until SIGTERM or SIGINT, then shuts down gracefully within a bound.
///
/// Hummingbird's graceful shutdown stops accepting, closes idle keep-alive connections at once
/// and lets each request already read get its answer. A request still being received (a slow
/// body) could hold that up until its `bodyTimeout`; `timeout` bounds the whole shutdown: after
/// it the remaining work is cancelled (its connections closed) and this returns normally. If
/// cancellation or closing the store hangs (a call blocked in the database does not notice
/// cancellation), a watchdog exits the process 2 s later: SQLite and PostgreSQL commit
/// atomically, so that is no worse than a crash and acknowledges nothing it did not commit.
public func runUntilSignalled(_ app: some ApplicationProtocol, timeout: Duration, logger: Logger) async throws {
    var configuration = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    configuration.maximumGracefulShutdownDuration = timeout
    let group = ServiceGroup(configuration: configuration)
    // Not cancelled when this returns: it also bounds closing the store that follows.
    Task.detached {
        for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
            try? await Task.sleep(for: timeout + .seconds(2))
            logger.error("shutdown did not finish within \(timeout) plus 2 s; exiting")
            exit(0)
        }
    }
    do {
        try await group.run()
    } catch let error as ServiceGroupError {
        // Timing out of a graceful shutdown is still a shutdown we asked for: exit cleanly.
        logger.warning("graceful shutdown did not finish within \(timeout); remaining connections were cancelled (\(error))")
    }
}
