import ECSCalendar

/// ECS's time formats, written without Foundation's formatters (they are slow and locale-bound).
public enum ECSTime {
    /// `2023-09-04T08:33Z`: the minute-precision UTC form ECS uses for CreationTime.
    public static func minutes(_ millis: Int64) -> String {
        let c = CivilDate.components(seconds: Int(millis / 1000))
        // Written digit by digit: a DescribeInstances page formats 200 of these.
        guard (1000...9999).contains(c.year) else {
            return "\(c.year)-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute))Z"
        }
        return String(unsafeUninitializedCapacity: 17) { out in
            func two(_ v: Int, at i: Int) {
                out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v / 10)
                out[i + 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            }
            two(c.year / 100, at: 0); two(c.year % 100, at: 2)
            out[4] = UInt8(ascii: "-"); two(c.month, at: 5)
            out[7] = UInt8(ascii: "-"); two(c.day, at: 8)
            out[10] = UInt8(ascii: "T"); two(c.hour, at: 11)
            out[13] = UInt8(ascii: ":"); two(c.minute, at: 14)
            out[16] = UInt8(ascii: "Z")
            return 17
        }
    }

    /// `2023-09-04T08:33:12Z`.
    public static func seconds(_ millis: Int64) -> String {
        let c = CivilDate.components(seconds: Int(millis / 1000))
        return "\(c.year)-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
    }

    static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
