import ECSAPI
import ECSDomain
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Per-connection guard between the HTTP codec and Hummingbird's request handling.
///
/// - A request's head must be complete within `headTimeout` of its first byte, its body within
///   `bodyTimeout` of its head; otherwise 408 `RequestTimeout` and the connection is closed
///   (a slowloris client holds sockets, never the server's attention or memory for long).
/// - A head whose target, header bytes or header count is over the limits is refused with
///   414/431 `InvalidParameter` and never reaches the router; so is a head NIO's decoder
///   refused (400, or 431 for its size backstop).
/// - An RPC request (`/`, not the admin routes) is held here until its body is complete, then
///   admitted whole if `InflightLimiter` has a slot, else answered 503 `ServiceUnavailable` at
///   once, on the event loop (the connection stays open). So a slow body never occupies a slot
///   or a handler task, and a refusal does not wait for a thread of a pool busy with calls.
///
/// Refusals are minimal HTTP/1.1 responses with an ECS JSON error body (`RequestId`, `HostId`,
/// `Code`, `Message`, `Recommend`), JSON whatever `Format` asked since the request was not
/// parsed that far, and `Connection: close` except for the 503 (that request was read whole).
/// All state lives on the channel's event loop.
package final class RequestGuard: ChannelDuplexHandler {
    package typealias InboundIn = HTTPRequestPart
    package typealias InboundOut = HTTPRequestPart
    package typealias OutboundIn = HTTPResponsePart
    package typealias OutboundOut = HTTPResponsePart

    /// What is being read now.
    private enum Reading {
        case nothing
        case head(deadline: NIODeadline)
        case body(deadline: NIODeadline)
    }

    private let limits: HTTPLimits
    private let inflight: InflightLimiter
    private let logger: Logger
    private var context: ChannelHandlerContext?
    private var reading = Reading.nothing
    /// The RPC request being received, held until its body is complete.
    private var held: (head: HTTPRequest, body: [ByteBuffer], bytes: Int)?
    /// Per request passed on whose response has not ended, in order: whether it holds an
    /// in-flight slot. While one is open, a refusal cannot write a response of its own
    /// without interleaving, so it only closes.
    private var passed: [Bool] = []
    /// Set once the connection is being refused: later parts are dropped, and the connection
    /// closes after the response in progress.
    private var refused = false
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var host = "ecs.aliyuncs.com"

    package init(limits: HTTPLimits, inflight: InflightLimiter, logger: Logger) {
        self.limits = limits
        self.inflight = inflight
        self.logger = logger
    }

    package func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    package func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
        releaseSlots()
    }

    package func channelInactive(context: ChannelHandlerContext) {
        releaseSlots()
        context.fireChannelInactive()
    }

    /// The connection closed before these responses ended: give their slots back.
    private func releaseSlots() {
        for slot in passed where slot { inflight.leave() }
        passed.removeAll()
    }

    /// Called by `FirstByteHandler` for every read, before decoding.
    func bytesArrived() {
        if case .nothing = reading, !refused {
            let deadline = NIODeadline.now() + TimeAmount(limits.headTimeout)
            reading = .head(deadline: deadline)
            arm(deadline)
        }
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refused { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if let authority = head.authority { host = authority }
            if let refusal = check(head) {
                refuse(context, refusal)
                return
            }
            let deadline = NIODeadline.now() + TimeAmount(limits.bodyTimeout)
            reading = .body(deadline: deadline)
            arm(deadline)
            if Self.isRPC(head) {
                held = (head, [], 0)
                return
            }
            passed.append(false)
        case .body(let chunk):
            if var request = held {
                request.bytes += chunk.readableBytes
                if request.bytes > RPCHandler.maxBody {
                    refuse(context, Refusal(status: 400, message: "The request body exceeds 1 MiB."))
                    return
                }
                request.body.append(chunk)
                held = request
                return
            }
        case .end:
            reading = .nothing
            if let request = held {
                held = nil
                admit(context, request)
                return
            }
        }
        context.fireChannelRead(data)
    }

    /// The RPC route; the admin views (`/_localecs/…`) are exempt from the in-flight bound.
    static func isRPC(_ head: HTTPRequest) -> Bool {
        guard let path = head.path else { return false }
        return path == "/" || path.hasPrefix("/?")
    }

    /// A complete RPC request: passed on with a slot, or answered 503 here.
    private func admit(_ context: ChannelHandlerContext, _ request: (head: HTTPRequest, body: [ByteBuffer], bytes: Int)) {
        guard inflight.tryEnter() else {
            let busy = ECSError.serviceUnavailable
            if passed.isEmpty {
                // The request was read whole, so the connection can carry the next one.
                writeError(context, Refusal(status: busy.status, code: busy.code, message: busy.message), close: false)
            } else {
                refuse(context, Refusal(status: busy.status, code: busy.code, message: busy.message))
            }
            return
        }
        passed.append(true)
        context.fireChannelRead(wrapInboundOut(.head(request.head)))
        for chunk in request.body { context.fireChannelRead(wrapInboundOut(.body(chunk))) }
        context.fireChannelRead(wrapInboundOut(.end(nil)))
    }

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), !passed.isEmpty {
            if passed.removeFirst() { inflight.leave() }
            if refused && passed.isEmpty {
                let written = context.writeAndFlush(data)
                written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
                if let promise { written.cascade(to: promise) }
                return
            }
        }
        context.write(data, promise: promise)
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parse = error as? HTTPParserError, !refused else {
            context.fireErrorCaught(error)
            return
        }
        // The decoder gave up on this connection: answer in ECS's envelope instead of
        // Hummingbird's bare 400, and close.
        if case .headerOverflow = parse {
            refuse(context, Refusal(status: 431, message: "The request head is too large: at most \(limits.maxURIBytes) bytes of request target, "
                + "\(limits.maxHeaderBytes) bytes of headers and \(limits.maxHeaderCount) header fields are accepted."))
        } else {
            refuse(context, Refusal(status: 400, message: "The request is not valid HTTP/1.1 (\(parse))."))
        }
    }

    struct Refusal {
        var status: Int
        var code = "InvalidParameter"
        var message: String
    }

    /// The head's limits, in the order a client would fix them.
    private func check(_ head: HTTPRequest) -> Refusal? {
        let target = head.path?.utf8.count ?? 0
        if target > limits.maxURIBytes {
            return Refusal(status: 414, message: "The request target is \(target) bytes, over the limit of \(limits.maxURIBytes): "
                + "send the parameters in a form body (POST, Content-Type: application/x-www-form-urlencoded).")
        }
        var count = 0, bytes = 0
        for field in head.headerFields {
            count += 1
            bytes += field.name.rawName.utf8.count + field.value.utf8.count
        }
        if count > limits.maxHeaderCount {
            return Refusal(status: 431, message: "The request has \(count) header fields, over the limit of \(limits.maxHeaderCount).")
        }
        if bytes > limits.maxHeaderBytes {
            return Refusal(status: 431, message: "The request headers are \(bytes) bytes, over the limit of \(limits.maxHeaderBytes).")
        }
        return nil
    }

    /// Refuses the connection: writes the error (unless a response is in progress) and closes.
    private func refuse(_ context: ChannelHandlerContext, _ refusal: Refusal) {
        refused = true
        reading = .nothing
        held = nil
        timer?.cancel()
        timer = nil
        logger.debug("refusing connection: \(refusal.status) \(refusal.message)")
        guard passed.isEmpty else {
            // The handler still owns the response stream; the connection closes after that
            // response (write), or on the backstop below if the handler waits for a body.
            context.fireErrorCaught(ECSError(code: refusal.code, status: refusal.status, message: refusal.message))
            context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .seconds(5)) { context.close(promise: nil) }
            return
        }
        writeError(context, refusal, close: true)
    }

    /// A minimal response in ECS's JSON error envelope, written from here (no handler owns it).
    private func writeError(_ context: ChannelHandlerContext, _ refusal: Refusal, close: Bool) {
        let requestId = IDs.request()
        let body: WireObject = [
            "RequestId": .string(requestId),
            "HostId": .string(host),
            "Code": .string(refusal.code),
            "Message": .string(refusal.message),
            "Recommend": .string("https://api.aliyun.com/troubleshoot?q=\(refusal.code)&product=Ecs&requestId=\(requestId)"),
        ]
        let bytes = JSONWriter.write(body)
        var fields = HTTPFields()
        fields[.contentType] = Renderer.jsonType
        fields[.contentLength] = String(bytes.count)
        if close { fields[.connection] = "close" }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .init(code: refusal.status), headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: bytes))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if close {
            let channel = context.channel
            written.assumeIsolated().whenComplete { _ in Self.lingeringClose(channel) }
        }
    }

    /// Closes after a refusal without losing it: a client still sending (a body over the limit,
    /// say) gets a reset if the socket closes under it, and with the reset loses the answer. So
    /// the output is shut first, what still arrives is read and dropped (`refused`), and the
    /// connection closes when the client closes its side or after `lingerSeconds`.
    static let lingerSeconds: Int64 = 2

    static func lingeringClose(_ channel: any Channel) {
        let halfClosed = channel.eventLoop.makePromise(of: Void.self)
        channel.close(mode: .output, promise: halfClosed)
        halfClosed.futureResult.whenFailure { _ in channel.close(promise: nil) }
        channel.eventLoop.scheduleTask(in: .seconds(lingerSeconds)) { channel.close(promise: nil) }
    }

    /// One timer per connection, re-armed lazily: it fires at the earliest deadline it was
    /// given and then checks what is being read now.
    private func arm(_ deadline: NIODeadline) {
        if let at = timerDeadline, at <= deadline, timer != nil { return }
        timer?.cancel()
        timerDeadline = deadline
        guard let context else { return }
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            timerDeadline = nil
            fire()
        }
    }

    private func fire() {
        guard let context, !refused else { return }
        let now = NIODeadline.now()
        switch reading {
        case .nothing:
            return
        case .head(let deadline), .body(let deadline):
            guard deadline <= now else {
                arm(deadline)
                return
            }
        }
        let seconds = { (d: Duration) in
            let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
            return ms % 1000 == 0 ? "\(ms / 1000)" : String(Double(ms) / 1000)
        }
        var isHead = false
        if case .head = reading { isHead = true }
        let message = isHead
            ? "The request head was not received within \(seconds(limits.headTimeout)) s of its first byte; the connection is closed."
            : "The request body was not received within \(seconds(limits.bodyTimeout)) s of its head; the connection is closed."
        refuse(context, Refusal(status: 408, code: "RequestTimeout", message: message))
    }
}

@available(*, unavailable)
extension RequestGuard: Sendable {}
