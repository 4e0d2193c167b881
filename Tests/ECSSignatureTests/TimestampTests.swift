import ECSSignature
import Testing

@Suite("Timestamps")
struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0.0),
        ("2016-02-23T12:46:24Z", 1_456_231_584.0),
        ("2023-10-26T10:22:32Z", 1_698_315_752.0),
        ("2024-02-29T23:59:59Z", 1_709_251_199.0),
        ("2000-03-01T00:00:00Z", 951_868_800.0),
        ("2026-11-29T06:17:54Z", 1_795_933_074.0),
        ("1969-12-31T23:59:59Z", -1.0),
        ("2024-01-01T00:00:00.5Z", 1_704_067_200.5),
        ("2024-01-01T00:00:00.250Z", 1_704_067_200.25),
        ("2024-01-01T00:00:00.123456789Z", 1_704_067_200.123456789),
    ])
    func parses(raw: String, seconds: Double) throws {
        let parsed = try #require(Signature.parseTimestamp(raw))
        #expect(abs(parsed - seconds) < 1e-6)
    }

    @Test(arguments: [
        "", "2024-01-01", "2024-01-01T00:00:00", "2024-01-01 00:00:00Z", "2024-01-01t00:00:00z",
        "2024-01-01T00:00:00+08:00", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1234567890Z",
        "2024-13-01T00:00:00Z", "2024-00-01T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z", "2024-01-00T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z",
        "2024-01-01T00:00:60Z", "24-01-01T00:00:00Z", "2024-1-01T00:00:00Z", "20x4-01-01T00:00:00Z",
        "2024-01-01T00:00:00ZZ", "2024-01-01T00:00:00,5Z", "mock date", " 2024-01-01T00:00:00Z",
        "２０２４-01-01T00:00:00Z",
    ])
    func rejects(raw: String) {
        #expect(Signature.parseTimestamp(raw) == nil)
        #expect(throws: SignatureFailure.timestampFormat) { try Signature.checkTimestamp(raw, now: 0) }
    }

    @Test func leapYears() {
        #expect(Signature.parseTimestamp("2000-02-29T00:00:00Z") != nil)
        #expect(Signature.parseTimestamp("2100-02-29T00:00:00Z") == nil)
    }

    @Test func windowBothDirections() throws {
        let ts = "2024-01-01T00:00:00Z"
        let t = 1_704_067_200.0
        try Signature.checkTimestamp(ts, now: t)
        try Signature.checkTimestamp(ts, now: t + 900)  // 15 min late, inclusive
        try Signature.checkTimestamp(ts, now: t - 900)  // 15 min early (client clock ahead)
        #expect(throws: SignatureFailure.timestampExpired) { try Signature.checkTimestamp(ts, now: t + 900.001) }
        #expect(throws: SignatureFailure.timestampExpired) { try Signature.checkTimestamp(ts, now: t - 900.001) }
        #expect(throws: SignatureFailure.timestampExpired) { try Signature.checkTimestamp(ts, now: t + 86_400) }
        // Custom window.
        try Signature.checkTimestamp(ts, now: t + 59, window: 60)
        #expect(throws: SignatureFailure.timestampExpired) { try Signature.checkTimestamp(ts, now: t + 61, window: 60) }
        // Format wins over expiry.
        #expect(throws: SignatureFailure.timestampFormat) { try Signature.checkTimestamp("2016-02-23", now: t) }
    }

    @Test(arguments: [0.0, 0.999, 951_868_800.0, 1_456_231_584.7, 1_704_067_199.0, 1_709_251_199.0, 4_102_444_799.0, -1.0])
    func formatRoundTrips(now: Double) throws {
        let s = Signer.timestamp(now: now)
        #expect(s.utf8.count == 20)
        #expect(Signature.parseTimestamp(s) == now.rounded(.down))
    }

    @Test func formatsKnownInstants() {
        #expect(Signer.timestamp(now: 0) == "1970-01-01T00:00:00Z")
        #expect(Signer.timestamp(now: 1_456_231_584.9) == "2016-02-23T12:46:24Z")
        #expect(Signer.timestamp(now: 1_709_251_199) == "2024-02-29T23:59:59Z")
        #expect(Signer.timestamp(now: -1) == "1969-12-31T23:59:59Z")
    }

    @Test func everyDayOfFourHundredYearsRoundTrips() {
        // One instant per day over a full Gregorian cycle exercises every month length and leap rule.
        var now = 946_684_800.0 + 3_723  // 2000-01-01T01:02:03Z
        for _ in 0..<146_097 {
            let s = Signer.timestamp(now: now)
            if Signature.parseTimestamp(s) != now {
                Issue.record("\(now) → \(s)")
                return
            }
            now += 86_400
        }
    }
}
