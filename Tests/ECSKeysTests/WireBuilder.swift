import Foundation

/// Builds SSH wire blobs for crafted test keys, e.g. `WireBuilder().string("ssh-rsa").mpint(e).mpint(n).bytes`.
/// Written independently of the module's own encoder.
struct WireBuilder {
    var bytes: [UInt8] = []

    func uint32(_ value: Int) -> Self {
        Self(bytes: bytes + [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    /// A raw `string` (length-prefixed bytes), encoded exactly as given (also used for hand-made mpints).
    func string(_ value: [UInt8]) -> Self {
        Self(bytes: uint32(value.count).bytes + value)
    }

    func string(_ value: String) -> Self {
        string(Array(value.utf8))
    }

    /// Appends raw bytes.
    func raw(_ value: [UInt8]) -> Self {
        Self(bytes: bytes + value)
    }

    /// A positive `mpint` from a big-endian magnitude, with the sign byte added when needed.
    func mpint(_ magnitude: [UInt8]) -> Self {
        let trimmed = Array(magnitude.drop(while: { $0 == 0 }))
        return string(trimmed.first.map { $0 >= 0x80 } == true ? [0] + trimmed : trimmed)
    }

    static func line(_ type: String, _ blob: [UInt8], comment: String? = nil) -> String {
        let base = type + " " + Data(blob).base64EncodedString()
        return comment.map { base + " " + $0 } ?? base
    }
}

enum TestKeys {
    /// An odd modulus of exactly `bits` bits (top bit set), deterministic filler.
    static func modulus(bits: Int) -> [UInt8] {
        let byteCount = (bits + 7) / 8
        var bytes = (0..<byteCount).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let topBits = bits - (byteCount - 1) * 8
        bytes[0] = UInt8(truncatingIfNeeded: 1 << (topBits - 1)) | (bytes[0] & UInt8(truncatingIfNeeded: (1 << (topBits - 1)) - 1))
        bytes[byteCount - 1] |= 1
        return bytes
    }

    static let f4: [UInt8] = [0x01, 0x00, 0x01]

    static func rsaBlob(e: [UInt8] = f4, n: [UInt8]) -> [UInt8] {
        WireBuilder().string("ssh-rsa").mpint(e).mpint(n).bytes
    }

    /// Decodes the base64 field of an OpenSSH line.
    static func blob(of line: String) -> [UInt8] {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\n" })
        return [UInt8](Data(base64Encoded: String(fields[1]))!)
    }

    /// First two fields of an OpenSSH line.
    static func typeAndData(of line: String) -> String {
        line.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(2).joined(separator: " ")
    }
}
