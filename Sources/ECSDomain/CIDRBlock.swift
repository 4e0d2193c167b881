/// An IPv4 CIDR block (`192.168.0.0/16`) and the arithmetic VPCs and vSwitches need.
///
/// Everything is `UInt32` with masks built by shifts that cannot overflow (`prefix` is checked
/// to be 0...32 before any shift), so no input — however long, signed or odd — can trap.
public struct CIDRBlock: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The network address (host bits zero).
    public let network: UInt32
    public let prefix: Int

    /// Parses `a.b.c.d/n` in canonical form: four decimal octets 0-255 without leading zeros or
    /// signs, a prefix 0-32, and no host bits set (ECS refuses `10.0.0.1/8`). Nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = Self.parseAddress(parts[0]),
              let prefix = Self.parseNumber(parts[1], max: 32) else { return nil }
        let mask = Self.mask(prefix)
        guard address & ~mask == 0 else { return nil }
        self.network = address
        self.prefix = prefix
    }

    public init(network: UInt32, prefix: Int) {
        let p = Swift.min(Swift.max(prefix, 0), 32)
        self.prefix = p
        self.network = network & Self.mask(p)
    }

    /// The netmask of a prefix length 0...32 (`/24` → 0xFFFFFF00).
    public static func mask(_ prefix: Int) -> UInt32 {
        guard prefix > 0 else { return 0 }
        guard prefix < 32 else { return .max }
        return ~(UInt32.max >> UInt32(prefix))
    }

    public var mask: UInt32 { Self.mask(prefix) }
    /// The last address of the block.
    public var broadcast: UInt32 { network | ~mask }
    /// How many addresses the block spans (2^(32-prefix)); a UInt64 because /0 spans 2^32.
    public var size: UInt64 { UInt64(1) << UInt64(32 - prefix) }

    public func contains(_ address: UInt32) -> Bool { address & mask == network }
    /// Whether `other` lies wholly inside this block (equal blocks included).
    public func contains(_ other: CIDRBlock) -> Bool { other.prefix >= prefix && contains(other.network) }
    public func overlaps(_ other: CIDRBlock) -> Bool { contains(other.network) || other.contains(network) }

    public var description: String { Self.format(network) + "/" + String(prefix) }

    /// `a.b.c.d`.
    public static func format(_ address: UInt32) -> String {
        "\(address >> 24).\((address >> 16) & 0xFF).\((address >> 8) & 0xFF).\(address & 0xFF)"
    }

    /// A dotted quad, strictly: four octets of 1-3 digits, 0-255, no leading zero.
    public static func parseAddress(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for o in octets {
            guard let n = parseNumber(o, max: 255) else { return nil }
            value = value << 8 | UInt32(n)
        }
        return value
    }

    /// A decimal 0...max with at most 3 digits and no leading zero ("0" itself is fine).
    static func parseNumber(_ text: Substring, max: Int) -> Int? {
        guard !text.isEmpty, text.count <= 3, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if text.count > 1 && text.first == "0" { return nil }
        var n = 0
        for b in text.utf8 { n = n * 10 + Int(b - 0x30) }
        return n <= max ? n : nil
    }

    /// The private ranges (RFC 1918) a VPC's block must lie in, as ECS documents for CreateVpc.
    public static let privateRanges: [CIDRBlock] = [
        CIDRBlock(network: 0x0A00_0000, prefix: 8), CIDRBlock(network: 0xAC10_0000, prefix: 12), CIDRBlock(network: 0xC0A8_0000, prefix: 16),
    ]
}

/// The private addresses of a vSwitch that instances may get.
///
/// ECS reserves the first address and the last three of every vSwitch block (for
/// 192.168.1.0/24: .0, .253, .254, .255, the vRouter's gateway among them); every other
/// address may go to an instance, lowest free first.
public enum VSwitchAddresses {
    /// The first and last address an instance may get, or nil when the block has none
    /// (ECS's smallest vSwitch is /29: 8 addresses, 4 usable).
    public static func usableRange(_ block: CIDRBlock) -> ClosedRange<UInt32>? {
        guard block.prefix <= 29 else { return nil }
        let first = block.network + 1
        let last = block.broadcast - 3
        return first <= last ? first...last : nil
    }

    /// How many addresses instances may get in the block.
    public static func capacity(_ block: CIDRBlock) -> Int {
        guard let r = usableRange(block) else { return 0 }
        return Int(r.upperBound - r.lowerBound) + 1
    }

    /// The lowest usable address not in `used`, or nil when the vSwitch is full.
    /// `used` holds dotted quads (the instances' stored private IPs); foreign ones are ignored.
    public static func allocate(in block: CIDRBlock, used: [String]) -> String? {
        guard let range = usableRange(block) else { return nil }
        let taken = Set(used.compactMap { CIDRBlock.parseAddress(Substring($0)) }.filter { range.contains($0) })
        var a = range.lowerBound
        while true {
            if !taken.contains(a) { return CIDRBlock.format(a) }
            if a == range.upperBound { return nil }
            a += 1
        }
    }
}
