import Crypto

/// Checks a decoded SSH public-key blob against its outer type and returns the key size in bits.
enum KeyBlobValidator {
    /// RSA moduli accepted: at least 1024 bits (the documented minimum); at most OpenSSH's 16384.
    static let rsaMinimumBits = 1024
    static let rsaMaximumBits = 16384
    /// Upper bound for DSA `p` (OpenSSL's OPENSSL_DSA_MAX_MODULUS_BITS).
    static let dsaMaximumBits = 10000

    static func validate(blob: [UInt8], type: String) throws(PublicKeyError) -> Int {
        var reader = SSHWireReader(blob)
        let innerType = try reader.readText("key type")
        guard innerType == type else {
            throw .malformed("blob holds a \(innerType.prefix(40)) key but the line says \(type)")
        }

        let bits: Int
        switch type {
        case "ssh-rsa":
            bits = try rsa(&reader)
        case "ssh-dss":
            bits = try dsa(&reader)
        case "ecdsa-sha2-nistp256":
            bits = try ecdsa(&reader, curve: .p256)
        case "ecdsa-sha2-nistp384":
            bits = try ecdsa(&reader, curve: .p384)
        case "ecdsa-sha2-nistp521":
            bits = try ecdsa(&reader, curve: .p521)
        default:
            throw .malformed("unsupported key type")
        }

        guard reader.isAtEnd else {
            throw .malformed("\(reader.remaining) trailing bytes after the key")
        }
        return bits
    }

    // string "ssh-rsa", mpint e, mpint n (RFC 4253 §6.6)
    private static func rsa(_ reader: inout SSHWireReader) throws(PublicKeyError) -> Int {
        let e = try reader.readUnsignedMPInt("RSA e")
        let n = try reader.readUnsignedMPInt("RSA n")
        guard Magnitude.isOdd(e), Magnitude.bitLength(e) > 1 else {
            throw .malformed("RSA e must be odd and greater than 1")
        }
        let bits = Magnitude.bitLength(n)
        guard bits > 0 else {
            throw .malformed("RSA n must be positive")
        }
        guard bits >= rsaMinimumBits else {
            throw .malformed("RSA modulus of \(bits) bits is below \(rsaMinimumBits)")
        }
        guard bits <= rsaMaximumBits else {
            throw .malformed("RSA modulus of \(bits) bits is above \(rsaMaximumBits)")
        }
        return bits
    }

    // string "ssh-dss", mpint p, mpint q, mpint g, mpint y (RFC 4253 §6.6)
    private static func dsa(_ reader: inout SSHWireReader) throws(PublicKeyError) -> Int {
        let p = try reader.readUnsignedMPInt("DSA p")
        let q = try reader.readUnsignedMPInt("DSA q")
        let g = try reader.readUnsignedMPInt("DSA g")
        let y = try reader.readUnsignedMPInt("DSA y")
        for (name, value) in [("p", p), ("q", q), ("g", g), ("y", y)] where Magnitude.isZero(value) {
            throw .malformed("DSA \(name) must be positive")
        }
        let bits = Magnitude.bitLength(p)
        guard bits <= dsaMaximumBits else {
            throw .malformed("DSA p of \(bits) bits is above \(dsaMaximumBits)")
        }
        return bits
    }

    enum Curve {
        case p256, p384, p521

        var identifier: String {
            switch self {
            case .p256: "nistp256"
            case .p384: "nistp384"
            case .p521: "nistp521"
            }
        }

        var bits: Int {
            switch self {
            case .p256: 256
            case .p384: 384
            case .p521: 521
            }
        }

        var coordinateBytes: Int { (bits + 7) / 8 }
    }

    // string "ecdsa-sha2-<id>", string <id>, string Q (uncompressed point) (RFC 5656 §3.1)
    private static func ecdsa(_ reader: inout SSHWireReader, curve: Curve) throws(PublicKeyError) -> Int {
        let identifier = try reader.readText("curve identifier")
        guard identifier == curve.identifier else {
            throw .malformed("curve identifier \(identifier.prefix(40)) does not match \(curve.identifier)")
        }
        let point = try reader.readString("EC point")
        guard point.count == 1 + 2 * curve.coordinateBytes, point.first == 0x04 else {
            throw .malformed("EC point is not an uncompressed \(curve.identifier) point")
        }
        do {
            switch curve {
            case .p256: _ = try P256.Signing.PublicKey(x963Representation: point)
            case .p384: _ = try P384.Signing.PublicKey(x963Representation: point)
            case .p521: _ = try P521.Signing.PublicKey(x963Representation: point)
            }
        } catch {
            throw .malformed("EC point is not on \(curve.identifier)")
        }
        return curve.bits
    }
}
