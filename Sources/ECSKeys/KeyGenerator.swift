import CryptoExtras
import Foundation

/// Thrown by `KeyGenerator` when the crypto library hands back something unexpected.
public enum KeyGenerationError: Error, Sendable, Equatable {
    /// The private key's DER encoding is not a PKCS#1 `RSAPrivateKey`.
    case unexpectedPrivateKeyEncoding
}

public enum KeyGenerator {
    /// Generates an RSA 2048 key pair: PKCS#1 PEM private key, OpenSSH public key line, MD5 fingerprint.
    /// Throws only if the crypto library fails.
    public static func generateRSA2048() throws -> GeneratedKeyPair {
        var (pem, publicKey, fingerprint) = try rsa2048Parts()
        defer { pem.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = 0 } } }
        return GeneratedKeyPair(privateKeyPEM: String(decoding: pem, as: UTF8.self), publicKey: publicKey, fingerprint: fingerprint)
    }

    /// A new RSA 2048 key pair with its private key as PEM bytes, which a caller that keeps the key
    /// a while (`KeyPool`) can overwrite once it has handed it out. The DER copy made on the way is
    /// overwritten here; BoringSSL clears the key's own memory when it frees it.
    static func rsa2048Parts() throws -> (privateKeyPEM: [UInt8], publicKey: String, fingerprint: String) {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)

        // `derRepresentation` is BoringSSL's i2d_RSAPrivateKey, i.e. PKCS#1. Armour it ourselves so the
        // layout (label, 64 columns, trailing newline) is ours rather than the library's.
        var der = [UInt8](key.derRepresentation)
        defer { der.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = 0 } } }
        guard isPKCS1RSAPrivateKey(der) else {
            throw KeyGenerationError.unexpectedPrivateKeyEncoding
        }
        let privateKeyPEM = PEM.encodeBytes(label: "RSA PRIVATE KEY", der: der)

        let primitives = try key.publicKey.getKeyPrimitives()
        let blob = rsaPublicKeyBlob(modulus: [UInt8](primitives.modulus), exponent: [UInt8](primitives.publicExponent))
        return (privateKeyPEM, "ssh-rsa " + Data(blob).base64EncodedString(), Fingerprint.md5(blob: blob))
    }

    /// The SSH wire blob of an RSA public key: string "ssh-rsa", mpint e, mpint n (RFC 4253 §6.6).
    static func rsaPublicKeyBlob(modulus: [UInt8], exponent: [UInt8]) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.appendString("ssh-rsa")
        writer.appendUnsignedMPInt(exponent)
        writer.appendUnsignedMPInt(modulus)
        return writer.bytes
    }

    /// PKCS#1 `RSAPrivateKey ::= SEQUENCE { version INTEGER (0), modulus INTEGER, … }` spanning all of `der`.
    /// (PKCS#8 would have an `AlgorithmIdentifier` SEQUENCE after the version.)
    static func isPKCS1RSAPrivateKey(_ der: [UInt8]) -> Bool {
        guard der.count > 8, der[0] == 0x30 else { return false }
        var index = 1
        var length = 0
        if der[index] < 0x80 {
            length = Int(der[index])
            index += 1
        } else {
            let count = Int(der[index] & 0x7F)
            guard count >= 1, count <= 4, der.count > index + count else { return false }
            for byte in der[(index + 1)...(index + count)] {
                length = length << 8 | Int(byte)
            }
            index += 1 + count
        }
        guard index + length == der.count, der.count >= index + 4 else { return false }
        return Array(der[index..<index + 4]) == [0x02, 0x01, 0x00, 0x02]
    }
}
