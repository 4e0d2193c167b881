import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1 server with LocalECS's limits: NIO's decoder limits as a backstop,
    /// Hummingbird's idle timeout for keep-alive, and a `RequestGuard` for head/body deadlines,
    /// ECS-style refusals of oversized heads and the bound on RPC calls executing at once.
    static func limitedHTTP1(_ limits: HTTPLimits, inflight: InflightLimiter) -> HTTPServerBuilder {
        // NIO counts the URI against both its per-field and its total limit: leave room for both
        // of ours, so that in the common case the guard (with a JSON body) answers, not NIO.
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: max(limits.maxURIBytes, limits.maxHeaderBytes) + 1,
            maxHeaderListSize: limits.maxURIBytes + limits.maxHeaderBytes + 1,
            maxHeaderFieldCount: limits.maxHeaderCount + 1)
        let configuration = HTTP1Channel.Configuration(idleTimeout: TimeAmount(limits.idleTimeout),
                                                       httpDecoderConfiguration: decoder)
        return HTTPServerBuilder { responder in
            LimitedHTTP1Channel(inner: HTTP1Channel(responder: responder, configuration: configuration), limits: limits,
                                inflight: inflight)
        }
    }
}

/// `HTTP1Channel` plus two handlers: `FirstByteHandler` before the HTTP decoder (it sees when a
/// request's first byte arrives) and `RequestGuard` after it (it sees heads, bodies and responses).
struct LimitedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel
    let limits: HTTPLimits
    let inflight: InflightLimiter

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            // Runs on the channel's event loop before its first read, like the inner setup.
            let ops = channel.pipeline.syncOperations
            let guardHandler = RequestGuard(limits: limits, inflight: inflight, logger: logger)
            let state = try ops.handler(type: HTTPConnectionStateHandler.self)
            try ops.addHandler(guardHandler, position: .before(state))
            try ops.addHandler(FirstByteHandler(guardHandler), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Tells the guard that bytes arrived, before the HTTP decoder turns them into parts:
/// the head deadline runs from a request's first byte, not from when the head is complete.
final class FirstByteHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private let requestGuard: RequestGuard

    init(_ requestGuard: RequestGuard) { self.requestGuard = requestGuard }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        requestGuard.bytesArrived()
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension FirstByteHandler: Sendable {}
