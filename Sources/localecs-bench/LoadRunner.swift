import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The limits of one run; whichever is reached first ends it.
struct LoadPlan: Sendable {
    var port: Int
    var connections: Int
    /// Requests that may be started in all (warm-up included).
    var maxRequests: Int
    /// Seconds of measurement after the warm-up.
    var duration: Double
    var warmup: Double
    /// A request not answered in this many seconds is an error (and its connection is replaced).
    var requestTimeout: Double
    var threads: Int
}

/// What one connection saw.
struct ConnectionStats: Sendable {
    var histogram = Histogram()
    var ok = 0
    var errors = 0
    var warmupRequests = 0
    var connects = 0
    var statuses: [Int: Int] = [:]
    var firstError: String?
    /// Monotonic ns of the last recorded completion.
    var lastCompletion: UInt64 = 0

    mutating func merge(_ o: ConnectionStats) {
        histogram.merge(o.histogram)
        ok += o.ok; errors += o.errors; warmupRequests += o.warmupRequests; connects += o.connects
        for (k, v) in o.statuses { statuses[k, default: 0] += v }
        if firstError == nil { firstError = o.firstError }
        lastCompletion = max(lastCompletion, o.lastCompletion)
    }
}

/// State shared by all connections: the request budget and the clock limits.
final class RunShared: Sendable {
    let issued = Atomic<Int>(0)
    let plan: LoadPlan
    let workload: Workload
    let startNs: UInt64
    let measureFromNs: UInt64
    let stopAtNs: UInt64

    init(plan: LoadPlan, workload: Workload) {
        self.plan = plan
        self.workload = workload
        startNs = NIODeadline.now().uptimeNanoseconds
        measureFromNs = startNs + UInt64(plan.warmup * 1e9)
        stopAtNs = measureFromNs + UInt64(plan.duration * 1e9)
    }

    /// A unique request index, or nil once the budget or the time is spent.
    func take(now: UInt64) -> Int? {
        guard now < stopAtNs else { return nil }
        let i = issued.add(1, ordering: .relaxed).oldValue
        return i < plan.maxRequests ? i : nil
    }
}

/// One logical client connection: keeps a TCP connection open (reopening it when the server
/// closes it, e.g. HTTP/1.0), sends one request at a time, records each answer. Lives on one event loop.
final class Session: @unchecked Sendable {
    let index: Int
    let loop: any EventLoop
    let shared: RunShared
    let done: EventLoopPromise<ConnectionStats>
    var stats = ConnectionStats()
    var rng = FastRandom()
    var seq = 0
    var finished = false
    var connectFailures = 0

    init(index: Int, loop: any EventLoop, shared: RunShared) {
        self.index = index; self.loop = loop; self.shared = shared
        done = loop.makePromise()
    }

    func connect() {
        loop.assertInEventLoop()
        if finished { return }
        stats.connects += 1
        ClientBootstrap(group: loop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ClientHandler(session: self))
                }
            }
            .connect(host: "127.0.0.1", port: shared.plan.port)
            .whenComplete { result in
                if case .failure(let error) = result { self.connectFailed(error) } else { self.connectFailures = 0 }
            }
    }

    private func connectFailed(_ error: any Error) {
        stats.errors += 1
        if stats.firstError == nil { stats.firstError = "connect: \(error)" }
        connectFailures += 1
        if connectFailures >= 20 || NIODeadline.now().uptimeNanoseconds >= shared.stopAtNs { finish(); return }
        loop.scheduleTask(in: .milliseconds(20)) { self.connect() }
    }

    /// The next request to send, or nil when the run is over for this connection.
    func next() -> (PreparedRequest, Int)? {
        guard !finished, let i = shared.take(now: NIODeadline.now().uptimeNanoseconds) else { return nil }
        defer { seq += 1 }
        return (shared.workload.build(index, seq, i, &rng), i)
    }

    func record(startNs: UInt64, endNs: UInt64, status: Int, ok: Bool, sample: @autoclosure () -> String) {
        if startNs < shared.measureFromNs { stats.warmupRequests += 1; return }
        stats.statuses[status, default: 0] += 1
        if ok {
            stats.ok += 1
            stats.histogram.record(endNs - startNs)
        } else {
            stats.errors += 1
            if stats.firstError == nil { stats.firstError = "HTTP \(status): \(sample())" }
        }
        stats.lastCompletion = max(stats.lastCompletion, endNs)
    }

    func failed(_ what: String, startNs: UInt64) {
        if startNs < shared.measureFromNs { stats.warmupRequests += 1; return }
        stats.errors += 1
        if stats.firstError == nil { stats.firstError = what }
    }

    func finish() {
        if finished { return }
        finished = true
        done.succeed(stats)
    }
}

/// Closed loop on one channel: write a request, wait for its full answer, write the next.
final class ClientHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let session: Session
    var inFlight = false
    var startNs: UInt64 = 0
    var status = 0
    var keepAlive = true
    var body: ByteBuffer?
    var timeout: Scheduled<Void>?
    /// The connection ends by our choice (run over, or the server asked to close).
    var closing = false

    init(session: Session) { self.session = session }

    func channelActive(context: ChannelHandlerContext) {
        sendNext(context: context)
    }

    func sendNext(context: ChannelHandlerContext) {
        guard let (req, _) = session.next() else {
            closing = true
            context.close(promise: nil)
            session.finish()
            return
        }
        var head = HTTPRequestHead(version: .http1_1, method: req.method, uri: req.uri)
        for (n, v) in req.headers { head.headers.add(name: n, value: v) }
        inFlight = true
        status = 0
        keepAlive = true
        body = nil
        startNs = NIODeadline.now().uptimeNanoseconds
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !req.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: req.body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        let channel = context.channel
        let started = startNs
        timeout = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(session.shared.plan.requestTimeout * 1e9))) { [weak self] in
            guard let self, self.inFlight, self.startNs == started else { return }
            self.inFlight = false
            self.session.failed("timeout after \(self.session.shared.plan.requestTimeout) s", startNs: started)
            channel.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            status = Int(h.status.code)
            keepAlive = h.isKeepAlive
        case .body(var part):
            if body == nil { body = part } else { body!.writeBuffer(&part) }
        case .end:
            guard inFlight else { return }
            inFlight = false
            timeout?.cancel()
            let end = NIODeadline.now().uptimeNanoseconds
            let ok = (200..<300).contains(status) && matches(body, session.shared.workload.expect)
            let b = body
            session.record(startNs: startNs, endNs: end, status: status, ok: ok,
                           sample: b.map { String(decoding: $0.readableBytesView.prefix(400), as: UTF8.self) } ?? "")
            if keepAlive {
                sendNext(context: context)
            } else {
                // HTTP/1.0 or Connection: close (moto's werkzeug server): a new connection for the next request.
                closing = true
                context.close(promise: nil)
                session.connect()
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if inFlight {
            inFlight = false
            timeout?.cancel()
            session.failed("\(error)", startNs: startNs)
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if closing { return }
        if inFlight {
            inFlight = false
            timeout?.cancel()
            session.failed("connection closed before the answer", startNs: startNs)
        }
        // The server closed an idle keep-alive connection, or we gave up on one: reconnect.
        session.connect()
    }

    func matches(_ body: ByteBuffer?, _ needle: [UInt8]?) -> Bool {
        guard let needle, !needle.isEmpty else { return true }
        guard let body else { return false }
        return body.withUnsafeReadableBytes { hay in
            let n = needle.count
            guard hay.count >= n else { return false }
            let first = needle[0]
            var i = 0
            while i <= hay.count - n {
                if hay[i] == first {
                    var j = 1
                    while j < n && hay[i + j] == needle[j] { j += 1 }
                    if j == n { return true }
                }
                i += 1
            }
            return false
        }
    }
}

/// The result of a run.
struct LoadResult: Sendable {
    var stats: ConnectionStats
    var seconds: Double
    var requestsPerSecond: Double
}

enum LoadRunner {
    static func run(_ plan: LoadPlan, workload: Workload) async throws -> LoadResult {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: plan.threads)
        let shared = RunShared(plan: plan, workload: workload)
        var sessions: [Session] = []
        for c in 0..<plan.connections {
            let loop = group.next()
            let s = Session(index: c, loop: loop, shared: shared)
            sessions.append(s)
            loop.execute { s.connect() }
        }
        // Hard stop: the planned time plus a grace period for answers in flight.
        let hardStop = plan.warmup + plan.duration + plan.requestTimeout + 5
        let all = EventLoopFuture.whenAllComplete(sessions.map(\.done.futureResult), on: group.next())
        let guardLoop = group.next()
        let everyone = sessions
        let killer = guardLoop.scheduleTask(in: .nanoseconds(Int64(hardStop * 1e9))) {
            for s in everyone { s.loop.execute { s.finish() } }
        }
        let results = try await all.get()
        killer.cancel()
        var total = ConnectionStats()
        for r in results { if case .success(let s) = r { total.merge(s) } }
        try await group.shutdownGracefully()
        let end = total.lastCompletion > 0 ? total.lastCompletion : NIODeadline.now().uptimeNanoseconds
        let seconds = max(Double(end - min(shared.measureFromNs, end)) / 1e9, 1e-9)
        return LoadResult(stats: total, seconds: seconds, requestsPerSecond: Double(total.ok) / seconds)
    }
}
