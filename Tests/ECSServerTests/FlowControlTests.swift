import ECSAPI
import ECSServer
import Testing

@Suite("Flow control")
struct FlowControlTests {
    @Test func parsesLimits() throws {
        #expect(try RateLimit.parse("DetachKeyPair=50") == RateLimit(product: .ecs, action: "DetachKeyPair", rate: 50, burst: 50))
        #expect(try RateLimit.parse(" ram:*=0.5/3 ") == RateLimit(product: .ram, action: "*", rate: 0.5, burst: 3))
        #expect(try RateLimit.parse("2014-05-26:X=1.5").burst == 2)
        #expect(try RateLimit.parse("ecs:DescribeInstances=2/1").spec == "ecs:DescribeInstances=2/1")
        #expect(try RateLimit.parse("vpc:CreateVSwitch=3").product == .vpc)
        for bad in ["", "X", "=1", "X=", "X=0", "X=-1", "X=inf", "X=nan", "X=1e300", "X=1/0", "X=1/x", "X=1/2/3",
                    "kms:X=1", "X=1e-300", "X=0.0009", "Desc ribe=1", "a:b:c=1", "X=1/99999999999999999999"] {
            #expect(throws: RateLimitError.self, "\(bad)") { try RateLimit.parse(bad) }
        }
    }

    @Test func tokenBucketPerAccountAndAction() {
        let flow = FlowControl([RateLimit(product: .ecs, action: "DetachKeyPair", rate: 10, burst: 2)])
        let t0 = ContinuousClock.now
        let admit = { (account: String, action: String, at: Duration) in
            flow.admit(product: .ecs, action: action, account: account, now: t0 + at)
        }
        #expect(admit("a", "DetachKeyPair", .zero) == nil)
        #expect(admit("a", "DetachKeyPair", .zero) == nil)
        #expect(admit("a", "DetachKeyPair", .zero) == 100)                   // empty: one token in 100 ms
        #expect(admit("a", "DetachKeyPair", .milliseconds(50)) == 50)
        #expect(admit("b", "DetachKeyPair", .milliseconds(50)) == nil)        // another account has its own bucket
        #expect(admit("a", "AttachKeyPair", .milliseconds(50)) == nil)        // not limited
        #expect(admit("a", "DetachKeyPair", .milliseconds(100)) == nil)       // refilled
        #expect(admit("a", "DetachKeyPair", .seconds(10)) == nil)             // refills only up to the burst
        #expect(admit("a", "DetachKeyPair", .seconds(10)) == nil)
        #expect(admit("a", "DetachKeyPair", .seconds(10)) != nil)
    }

    @Test func productLimitAndReplacement() {
        let flow = FlowControl([RateLimit(product: .ecs, action: "*", rate: 1, burst: 1)])
        let t = ContinuousClock.now
        #expect(flow.admit(product: .ecs, action: "A", account: "a", now: t) == nil)
        #expect(flow.admit(product: .ecs, action: "B", account: "a", now: t) == 1000)
        #expect(flow.admit(product: .ram, action: "B", account: "a", now: t) == nil)
        flow.set([])
        #expect(flow.admit(product: .ecs, action: "B", account: "a", now: t) == nil)
        #expect(flow.limits.isEmpty)
    }

    @Test func throttlingIsECSShaped() {
        let e = FlowControl.throttled(retryAfterMillis: 7)
        #expect((e.code, e.status) == ("Throttling.User", 400))
        #expect(e.headers.map { "\($0.0)=\($0.1)" } == ["x-acs-retry-after=7"])
    }
}
