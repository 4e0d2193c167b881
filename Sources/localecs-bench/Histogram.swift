/// A small HDR-style latency histogram: exact below 128 ns, then 64 linear sub-buckets per power of
/// two (relative error under 1.6 %), up to about 2^40 ns (18 minutes). Values are nanoseconds.
struct Histogram: Sendable {
    static let subBits = 7
    static let half = 1 << (subBits - 1)
    static let bucketCount = (40 - subBits + 2) * half + (1 << subBits)

    private(set) var counts = [UInt64](repeating: 0, count: Histogram.bucketCount)
    private(set) var count: UInt64 = 0
    private(set) var sum: UInt64 = 0
    private(set) var max: UInt64 = 0
    private(set) var min: UInt64 = .max

    static func index(_ v: UInt64) -> Int {
        guard v > 0 else { return 0 }
        let msb = 63 - v.leadingZeroBitCount
        if msb < subBits { return Int(v) }
        let shift = msb - subBits + 1
        return Swift.min(shift * half + Int(v >> UInt64(shift)), bucketCount - 1)
    }

    /// The range of values bucket `i` holds.
    static func bounds(_ i: Int) -> (lower: UInt64, upper: UInt64) {
        if i < (1 << subBits) { return (UInt64(i), UInt64(i)) }
        let shift = i / half - 1
        let m = UInt64(i - shift * half)
        return (m << UInt64(shift), ((m + 1) << UInt64(shift)) - 1)
    }

    mutating func record(_ v: UInt64) {
        counts[Self.index(v)] += 1
        count += 1
        sum &+= v
        if v > max { max = v }
        if v < min { min = v }
    }

    mutating func merge(_ o: Histogram) {
        for i in 0..<counts.count { counts[i] += o.counts[i] }
        count += o.count
        sum &+= o.sum
        max = Swift.max(max, o.max)
        min = Swift.min(min, o.min)
    }

    /// The value at quantile `q` (0…1): the middle of the bucket holding the rank, clamped to the exact max.
    func quantile(_ q: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = Swift.max(UInt64((q * Double(count)).rounded(.up)), 1)
        var seen: UInt64 = 0
        for (i, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen >= rank {
                let b = Self.bounds(i)
                return Swift.min(b.lower + (b.upper - b.lower) / 2, max)
            }
        }
        return max
    }

    var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }
}
