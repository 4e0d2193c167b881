import ECSCalendar
import ECSDomain
import Testing

@Suite("ECSTime")
struct TimeTests {
    /// The formatter before it wrote digits itself (issue 15), as the reference.
    static func reference(_ millis: Int64) -> String {
        let c = CivilDate.components(seconds: Int(millis / 1000))
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year)-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute))Z"
    }

    @Test("minutes: yyyy-MM-ddTHH:mmZ, the same as the reference across centuries, leap days and the epoch")
    func minutes() {
        #expect(ECSTime.minutes(0) == "1970-01-01T00:00Z")
        #expect(ECSTime.minutes(1_693_816_392_000) == "2023-09-04T08:33Z")
        #expect(ECSTime.minutes(951_782_400_000) == "2000-02-29T00:00Z")
        var t: Int64 = -62_000_000_000_000
        while t < 300_000_000_000_000 {
            #expect(ECSTime.minutes(t) == Self.reference(t))
            t += 7_777_777_777_777
        }
    }
}
