// ISO 8601 instants for the Date* condition operators and acs:CurrentTime.

/// An instant in time parsed from ISO 8601 text, comparable at nanosecond precision.
public struct PolicyDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z (negative before).
    public let secondsSinceEpoch: Int64
    /// Nanoseconds within the second, 0 ..< 1_000_000_000.
    public let nanoseconds: Int32

    /// Creates an instant from seconds since the Unix epoch plus nanoseconds (0 ..< 1e9).
    public init(secondsSinceEpoch: Int64, nanoseconds: Int32 = 0) {
        self.secondsSinceEpoch = secondsSinceEpoch
        self.nanoseconds = nanoseconds
    }

    /// Parses ISO 8601 text:
    /// - date only `2012-11-11` (midnight UTC);
    /// - date-time `2012-11-11T23:59:59Z`, with optional seconds (`T23:59Z`), optional fraction
    ///   of a second (`.5`, `.123456789`, up to 9 digits; more digits are truncated), `T` or `t`;
    /// - zone `Z`/`z`, `±HH:MM`, `±HHMM` or `±HH`; a date-time without zone is taken as UTC.
    /// Years are 4 digits (0000–9999). Fields out of range (month 13, Feb 30, hour 24, second 60)
    /// are refused. Returns nil when `text` is not such a date.
    public init?(iso8601 text: String) {
        var p = Scanner(Array(text.utf8))
        guard let year = p.digits(4), p.eat(UInt8(ascii: "-")),
              let month = p.digits(2), p.eat(UInt8(ascii: "-")),
              let day = p.digits(2) else { return nil }
        guard (1...12).contains(month), (1...PolicyDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        var seconds = PolicyDate.daysFromCivil(year: year, month: month, day: day) * 86_400
        var nanos: Int64 = 0
        if p.atEnd {
            self.init(secondsSinceEpoch: seconds, nanoseconds: 0)
            return
        }
        guard p.eat(UInt8(ascii: "T")) || p.eat(UInt8(ascii: "t")) else { return nil }
        guard let hour = p.digits(2), p.eat(UInt8(ascii: ":")), let minute = p.digits(2),
              hour < 24, minute < 60 else { return nil }
        var second = 0
        if p.eat(UInt8(ascii: ":")) {
            guard let s = p.digits(2), s < 60 else { return nil }
            second = s
            if p.eat(UInt8(ascii: ".")) || p.eat(UInt8(ascii: ",")) {
                var count = 0
                while let d = p.digit() {
                    if count < 9 { nanos = nanos * 10 + Int64(d) }
                    count += 1
                }
                guard count > 0 else { return nil }
                for _ in min(count, 9)..<9 { nanos *= 10 }
            }
        }
        seconds += Int64(hour * 3600 + minute * 60 + second)
        if p.eat(UInt8(ascii: "Z")) || p.eat(UInt8(ascii: "z")) {
            // UTC
        } else if let sign = p.peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            p.advance()
            guard let oh = p.digits(2), oh <= 23 else { return nil }
            var om = 0
            if p.eat(UInt8(ascii: ":")) {
                guard let m = p.digits(2) else { return nil }
                om = m
            } else if let m = p.digits(2) {
                om = m
            }
            guard om < 60 else { return nil }
            let offset = Int64(oh * 3600 + om * 60)
            seconds += sign == UInt8(ascii: "+") ? -offset : offset
        }
        guard p.atEnd else { return nil }
        self.init(secondsSinceEpoch: seconds, nanoseconds: Int32(nanos))
    }

    /// Orders instants chronologically.
    public static func < (lhs: PolicyDate, rhs: PolicyDate) -> Bool {
        (lhs.secondsSinceEpoch, lhs.nanoseconds) < (rhs.secondsSinceEpoch, rhs.nanoseconds)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, with `.fffffffff` when there are nanoseconds.
    public var description: String {
        var days = secondsSinceEpoch / 86_400
        if secondsSinceEpoch % 86_400 < 0 { days -= 1 }
        let rem = secondsSinceEpoch - days * 86_400
        let (y, m, d) = PolicyDate.civilFromDays(days)
        func pad(_ v: Int64, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2))"
        if nanoseconds != 0 { out += "." + pad(Int64(nanoseconds), 9) }
        return out + "Z"
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// A tiny cursor over ASCII bytes.
private struct Scanner {
    let bytes: [UInt8]
    var i = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { i == bytes.count }

    func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }

    mutating func advance() { i += 1 }

    mutating func eat(_ b: UInt8) -> Bool {
        guard peek() == b else { return false }
        i += 1
        return true
    }

    mutating func digit() -> Int? {
        guard let b = peek(), b >= 48, b <= 57 else { return nil }
        i += 1
        return Int(b - 48)
    }

    /// Exactly `n` decimal digits, or nil (cursor unchanged).
    mutating func digits(_ n: Int) -> Int? {
        let start = i
        var v = 0
        for _ in 0..<n {
            guard let d = digit() else { i = start; return nil }
            v = v * 10 + d
        }
        return v
    }
}
