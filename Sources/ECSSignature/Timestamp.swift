import ECSCalendar
extension Signature {
    /// Parses `yyyy-MM-ddTHH:mm:ssZ`, optionally with fractional seconds (`yyyy-MM-ddTHH:mm:ss.sssZ`,
    /// 1–9 digits), to seconds since 1970-01-01T00:00:00Z. Upper-case `T` and `Z` only, no offsets,
    /// fields range-checked (month 1–12, day within the month, hour 0–23, minute 0–59, second 0–59).
    /// Returns nil if malformed. Uses no `DateFormatter`.
    public static func parseTimestamp(_ raw: String) -> Double? {
        var copy = raw
        return copy.withUTF8 { b -> Double? in
            guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A,
                  b[b.count - 1] == 0x5A
            else { return nil }
            func digits(_ from: Int, _ count: Int) -> Int? {
                var v = 0
                for i in from..<(from + count) {
                    let c = b[i]
                    guard c >= 0x30, c <= 0x39 else { return nil }
                    v = v * 10 + Int(c - 0x30)
                }
                return v
            }
            guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
                  let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
                  (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
                  hour <= 23, minute <= 59, second <= 59
            else { return nil }
            var fraction = 0.0
            if b.count != 20 {
                // ".d…dZ" with 1–9 digits
                let digitCount = b.count - 21
                guard b[19] == 0x2E, (1...9).contains(digitCount), let f = digits(20, digitCount) else { return nil }
                var scale = 1.0
                for _ in 0..<digitCount { scale *= 10 }
                fraction = Double(f) / scale
            }
            let days = CivilDate.daysFromCivil(year: year, month: month, day: day)
            return Double(days * 86_400 + hour * 3_600 + minute * 60 + second) + fraction
        }
    }

    /// Checks the clock-skew window either way: throws ``SignatureFailure/timestampFormat`` when `raw`
    /// does not parse (see ``parseTimestamp(_:)``) and ``SignatureFailure/timestampExpired`` when
    /// `|now - timestamp| > window`. `now` is seconds since 1970; `window` defaults to 900 s (15 minutes).
    public static func checkTimestamp(_ raw: String, now: Double, window: Double = 900) throws(SignatureFailure) {
        guard let t = parseTimestamp(raw) else { throw .timestampFormat }
        if abs(now - t) > window { throw .timestampExpired }
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` for `now` seconds since 1970, truncated to the second.
    static func formatTimestamp(_ now: Double) -> String {
        let secs = Int(now.rounded(.down))
        var days = secs / 86_400
        var rem = secs % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        let (y, m, d) = CivilDate.civilFromDays(days)
        var out: [UInt8] = []
        out.reserveCapacity(20)
        func put(_ v: Int, _ width: Int) {
            var p = 1
            for _ in 1..<width { p *= 10 }
            var v = v
            while p > 0 { out.append(UInt8(0x30 + (v / p) % 10)); v %= p; p /= 10 }
        }
        put(y, 4); out.append(0x2D); put(m, 2); out.append(0x2D); put(d, 2); out.append(0x54)
        put(rem / 3_600, 2); out.append(0x3A); put(rem / 60 % 60, 2); out.append(0x3A); put(rem % 60, 2)
        out.append(0x5A)
        return String(decoding: out, as: UTF8.self)
    }
}
