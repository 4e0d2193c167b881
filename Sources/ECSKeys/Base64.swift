/// Strict RFC 4648 base64 decoding, as OpenSSH's `b64_pton` requires of key data: standard alphabet,
/// padding to a multiple of 4, `=` only at the very end, and the unused bits of the last symbol zero.
/// (Foundation's `Data(base64Encoded:)` is laxer: it accepts "====" and "AA=A".)
public enum Base64 {
    public static func decode(_ text: String) -> [UInt8]? {
        let symbols = Array(text.utf8)
        guard !symbols.isEmpty, symbols.count % 4 == 0 else { return nil }
        let padding = symbols.suffix(2).filter { $0 == UInt8(ascii: "=") }.count
        if padding == 1, symbols[symbols.count - 2] == UInt8(ascii: "=") {
            return nil  // "x=y" is not padding
        }

        var output: [UInt8] = []
        output.reserveCapacity(symbols.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for symbol in symbols.dropLast(padding) {
            guard let value = sextet(symbol) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
                accumulator &= (1 << UInt32(bitCount)) - 1
            }
        }
        // Left over: 0 bits (no padding), 4 bits ("xx=="), or 2 bits ("xxx="); they must be zero.
        guard accumulator == 0 else { return nil }
        return output
    }

    private static func sextet(_ symbol: UInt8) -> UInt8? {
        switch symbol {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): symbol - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): symbol - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): symbol - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
