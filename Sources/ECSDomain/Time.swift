/// ECS's time formats, written without Foundation's formatters (they are slow and locale-bound).
public enum ECSTime {
    /// `2023-09-04T08:33Z`: the minute-precision UTC form ECS uses for CreationTime.
    public static func minutes(_ millis: Int64) -> String {
        let c = civil(millis)
        return "\(c.y)-\(pad(c.m))-\(pad(c.d))T\(pad(c.hh)):\(pad(c.mm))Z"
    }

    /// `2023-09-04T08:33:12Z`.
    public static func seconds(_ millis: Int64) -> String {
        let c = civil(millis)
        return "\(c.y)-\(pad(c.m))-\(pad(c.d))T\(pad(c.hh)):\(pad(c.mm)):\(pad(c.ss))Z"
    }

    static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// Days-from-civil inverse (Howard Hinnant's algorithm).
    static func civil(_ millis: Int64) -> (y: Int, m: Int, d: Int, hh: Int, mm: Int, ss: Int) {
        let secs = Int(millis / 1000)
        var days = secs / 86400
        var rem = secs % 86400
        if rem < 0 { rem += 86400; days -= 1 }
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d, rem / 3600, (rem % 3600) / 60, rem % 60)
    }
}
