/// The public address of an instance: an address of its own in 127.0.0.0/8, which Linux routes
/// to `lo` without configuration, so an SSH client reaches each instance at `ADDRESS:PORT`.
///
/// Slot n (1, 2, …) maps to 127.1.0.1, 127.1.0.2, … 127.1.0.254, 127.1.1.1, …: 127.0.0.0/16 is
/// left to the host (127.0.0.1 is the API's), and last octets 0 and 255 are skipped so no
/// address looks like a network or broadcast address to a tool that assumes a /24.
public enum LoopbackAddress {
    static let perBlock: Int64 = 254
    /// Slots available: 127.1.0.0 to 127.255.255.0 in /24 blocks of 254.
    public static let capacity: Int64 = 255 * 256 * perBlock

    /// The address of `slot`, nil for 0 (no address yet) or beyond `capacity`.
    public static func address(slot: Int64) -> String? {
        guard slot >= 1, slot <= capacity else { return nil }
        let index = slot - 1
        let block = index / perBlock
        let host = index % perBlock + 1
        return "127.\(1 + block / 256).\(block % 256).\(host)"
    }

    /// The slot an address came from, nil if `address` is not one `address(slot:)` makes.
    public static func slot(address: String) -> Int64? {
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts[0] == "127", let b = Int64(parts[1]), let c = Int64(parts[2]), let d = Int64(parts[3]),
              (1...255).contains(b), (0...255).contains(c), (1...254).contains(d) else { return nil }
        return ((b - 1) * 256 + c) * perBlock + d
    }
}
