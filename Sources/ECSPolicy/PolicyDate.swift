import ECSCalendar
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
        var seconds = Int64(CivilDate.daysFromCivil(year: year, month: month, day: day)) * 86_400
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
        let (y, m, d) = CivilDate.civilFromDays(Int(days))
        func pad(_ v: Int64, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        var out = "\(pad(Int64(y), 4))-\(pad(Int64(m), 2))-\(pad(Int64(d), 2))T\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2))"
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
