import ECSCalendar

/// ECS's time formats, written without Foundation's formatters (they are slow and locale-bound).
public enum ECSTime {
    /// `2023-09-04T08:33Z`: the minute-precision UTC form ECS uses for CreationTime.
    public static func minutes(_ millis: Int64) -> String {
        let c = CivilDate.components(seconds: Int(millis / 1000))
        return "\(c.year)-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute))Z"
    }

    /// `2023-09-04T08:33:12Z`.
    public static func seconds(_ millis: Int64) -> String {
        let c = CivilDate.components(seconds: Int(millis / 1000))
        return "\(c.year)-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
    }

    static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
