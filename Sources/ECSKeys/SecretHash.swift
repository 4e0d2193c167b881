import Crypto
import CryptoExtras

/// One-way forms of request secrets, for records that must recognise a secret again but never
/// show it: the idempotency record of RunInstances/CreateInstance keeps a digest of the request,
/// and an instance password in it is a salted slow hash, never the text.
public enum SecretHash {
    /// PBKDF2-HMAC-SHA256 rounds: the minimum swift-crypto accepts, OWASP's 2023 figure.
    public static let rounds = 210_000
    static let scheme = "pbkdf2-sha256"

    /// Lower-case hex SHA-256 of the UTF-8 text.
    public static func sha256Hex(_ text: String) -> String {
        hex(Array(SHA256.hash(data: Array(text.utf8))))
    }

    /// `pbkdf2-sha256$210000$<salt hex>$<hash hex>` with a fresh random 16-byte salt (or `salt`).
    public static func passwordHash(_ password: String, salt: [UInt8]? = nil, rounds: Int = SecretHash.rounds) -> String {
        let salt = salt ?? (0..<16).map { _ in UInt8.random(in: .min ... .max) }
        return "\(scheme)$\(rounds)$\(hex(salt))$\(hex(derive(password, salt: salt, rounds: rounds)))"
    }

    /// Whether `password` is the one `stored` (from `passwordHash`) was made from; compared in constant time.
    public static func verifyPassword(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Substring(scheme), let rounds = Int(parts[1]), (1...10_000_000).contains(rounds),
              let salt = unhex(parts[2]), let expected = unhex(parts[3]) else { return false }
        let actual = derive(password, salt: salt, rounds: rounds)
        guard actual.count == expected.count else { return false }
        return zip(actual, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func derive(_ password: String, salt: [UInt8], rounds: Int) -> [UInt8] {
        // Cannot fail: SHA-256 and a 32-byte output are always supported.
        let key = try! KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: salt, using: .sha256,
                                                      outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0x0F)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func unhex(_ text: Substring) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let h = nibble(chars[i]), let l = nibble(chars[i + 1]) else { return nil }
            out.append(h << 4 | l)
        }
        return out
    }
}
