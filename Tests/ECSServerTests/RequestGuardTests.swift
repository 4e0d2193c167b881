import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

import ECSServer

/// `RequestGuard` on an `EmbeddedChannel`: refusals in ECS's envelope, and the in-flight bound.
/// (Deadlines run on the real clock; tests/sdk/test_limits.py covers them over sockets.)
@Suite struct RequestGuardTests {
    func channel(limits: HTTPLimits = HTTPLimits(), inflight: InflightLimiter) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(RequestGuard(limits: limits, inflight: inflight, logger: Logger(label: "test")))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8787)).wait()
        return channel
    }

    func rpcHead(_ extra: [(String, String)] = []) -> HTTPRequestPart {
        var fields = HTTPFields()
        for (name, value) in extra { fields[HTTPField.Name(name)!] = value }
        return .head(HTTPRequest(method: .get, scheme: nil, authority: "ecs.test", path: "/?Action=DescribeRegions", headerFields: fields))
    }

    /// The response the guard wrote itself: status and JSON body.
    func response(_ channel: EmbeddedChannel) throws -> (status: Int, json: [String: Any], close: Bool) {
        guard case .head(let head) = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no head"); return (0, [:], false) }
        guard case .body(let body) = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no body"); return (0, [:], false) }
        guard case .end = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no end"); return (0, [:], false) }
        let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
        return (head.status.code, json, head.headerFields[.connection] == "close")
    }

    @Test func tooManyHeadersIs431InvalidParameterAndCloses() throws {
        let c = try channel(limits: HTTPLimits(maxHeaderCount: 3), inflight: InflightLimiter(limit: 4))
        try c.writeInbound(rpcHead((1...4).map { ("x-h\($0)", "v") }))
        let r = try response(c)
        #expect(r.status == 431 && r.close)
        #expect(r.json["Code"] as? String == "InvalidParameter")
        #expect((r.json["Message"] as? String)?.contains("over the limit of 3") == true)
        #expect(r.json["HostId"] as? String == "ecs.test" && r.json["RequestId"] != nil)
        #expect(try c.readInbound(as: HTTPRequestPart.self) == nil)
        #expect(!c.isActive)
    }

    @Test func longTargetIs414() throws {
        let c = try channel(limits: HTTPLimits(maxURIBytes: 10), inflight: InflightLimiter(limit: 4))
        try c.writeInbound(rpcHead())
        #expect(try response(c).status == 414)
    }

    @Test func admittedRequestPassesWholeAndReleasesItsSlotAtTheResponseEnd() throws {
        let limiter = InflightLimiter(limit: 1)
        let c = try channel(inflight: limiter)
        try c.writeInbound(rpcHead())
        try c.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "a=b")))
        #expect(try c.readInbound(as: HTTPRequestPart.self) == nil, "held until the body is complete")
        try c.writeInbound(HTTPRequestPart.end(nil))
        guard case .head = try c.readInbound(as: HTTPRequestPart.self) else { Issue.record("no head passed"); return }
        guard case .body = try c.readInbound(as: HTTPRequestPart.self) else { Issue.record("no body passed"); return }
        guard case .end = try c.readInbound(as: HTTPRequestPart.self) else { Issue.record("no end passed"); return }
        #expect(limiter.current == 1)
        try c.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try c.writeOutbound(HTTPResponsePart.end(nil))
        #expect(limiter.current == 0)
    }

    @Test func fullBoundIs503AtOnceAndTheConnectionStaysUsable() throws {
        let limiter = InflightLimiter(limit: 1)
        #expect(limiter.tryEnter())
        let c = try channel(inflight: limiter)
        try c.writeInbound(rpcHead())
        try c.writeInbound(HTTPRequestPart.end(nil))
        let r = try response(c)
        #expect(r.status == 503 && !r.close)
        #expect(r.json["Code"] as? String == "ServiceUnavailable")
        #expect(try c.readInbound(as: HTTPRequestPart.self) == nil)
        #expect(c.isActive)
        limiter.leave()
        try c.writeInbound(rpcHead())
        try c.writeInbound(HTTPRequestPart.end(nil))
        guard case .head = try c.readInbound(as: HTTPRequestPart.self) else { Issue.record("not admitted after a slot freed"); return }
    }

    @Test func adminRoutesAreExemptAndClosingReleasesSlots() throws {
        let limiter = InflightLimiter(limit: 1)
        let c = try channel(inflight: limiter)
        try c.writeInbound(rpcHead())
        try c.writeInbound(HTTPRequestPart.end(nil))
        #expect(limiter.current == 1)
        _ = try c.close().wait()
        #expect(limiter.current == 0)

        #expect(limiter.tryEnter())
        let admin = try channel(inflight: limiter)
        try admin.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .get, scheme: nil, authority: "x", path: "/_localecs/health")))
        guard case .head = try admin.readInbound(as: HTTPRequestPart.self) else { Issue.record("admin route held"); return }
    }
}
