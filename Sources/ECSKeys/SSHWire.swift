/// Reader for the SSH wire encoding (RFC 4251 §5) of public-key blobs.
///
/// Strict: an `mpint` must be minimal (no superfluous leading zero byte) and non-negative, so that
/// a blob that passes is byte-for-byte the canonical encoding OpenSSH would produce for the same key,
/// and the MD5 over it equals what `ssh-keygen -l -E md5` prints.
struct SSHWireReader {
    private let bytes: [UInt8]
    private var offset: Int = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset == bytes.count }

    var remaining: Int { bytes.count - offset }

    mutating func readUInt32(_ field: String) throws(PublicKeyError) -> UInt32 {
        guard remaining >= 4 else {
            throw .malformed("truncated blob: no length for \(field)")
        }
        var value: UInt32 = 0
        for byte in bytes[offset..<offset + 4] {
            value = value << 8 | UInt32(byte)
        }
        offset += 4
        return value
    }

    /// A `string`: uint32 length, then that many bytes.
    mutating func readString(_ field: String) throws(PublicKeyError) -> [UInt8] {
        let length = try readUInt32(field)
        guard UInt64(length) <= UInt64(remaining) else {
            throw .malformed("truncated blob: \(field) claims \(length) bytes, \(remaining) left")
        }
        let value = Array(bytes[offset..<offset + Int(length)])
        offset += Int(length)
        return value
    }

    /// A `string` holding US-ASCII text (key type, curve identifier).
    mutating func readText(_ field: String) throws(PublicKeyError) -> String {
        let raw = try readString(field)
        guard raw.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            throw .malformed("\(field) is not printable ASCII")
        }
        return String(decoding: raw, as: UTF8.self)
    }

    /// A non-negative, minimally encoded `mpint`. Returns its magnitude, big-endian, without
    /// leading zeros (empty for zero).
    mutating func readUnsignedMPInt(_ field: String) throws(PublicKeyError) -> [UInt8] {
        let raw = try readString(field)
        guard let first = raw.first else { return [] }
        if first & 0x80 != 0 {
            throw .malformed("\(field) is negative")
        }
        if first == 0 {
            guard raw.count >= 2, raw[1] & 0x80 != 0 else {
                throw .malformed("\(field) has a superfluous leading zero byte")
            }
            return Array(raw.dropFirst())
        }
        return raw
    }
}

/// Writer for the SSH wire encoding.
struct SSHWireWriter {
    private(set) var bytes: [UInt8] = []

    mutating func appendUInt32(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendString(_ value: some Collection<UInt8>) {
        appendUInt32(UInt32(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func appendString(_ value: String) {
        appendString(Array(value.utf8))
    }

    /// Appends an unsigned big-endian magnitude as a minimal, non-negative `mpint`.
    mutating func appendUnsignedMPInt(_ magnitude: some Collection<UInt8>) {
        var value = Array(magnitude.drop(while: { $0 == 0 }))
        if let first = value.first, first & 0x80 != 0 {
            value.insert(0, at: 0)
        }
        appendString(value)
    }
}

/// Helpers on unsigned big-endian magnitudes.
enum Magnitude {
    /// Number of significant bits; 0 for zero.
    static func bitLength(_ magnitude: [UInt8]) -> Int {
        guard let index = magnitude.firstIndex(where: { $0 != 0 }) else { return 0 }
        let significantBytes = magnitude.count - index
        return (significantBytes - 1) * 8 + (8 - magnitude[index].leadingZeroBitCount)
    }

    static func isZero(_ magnitude: [UInt8]) -> Bool {
        magnitude.allSatisfy { $0 == 0 }
    }

    static func isOdd(_ magnitude: [UInt8]) -> Bool {
        (magnitude.last ?? 0) & 1 == 1
    }
}
