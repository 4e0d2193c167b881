import Foundation

public enum PublicKeyParser {
    /// Key types accepted by ImportKeyPair.
    public static let supportedTypes: [String] = [
        "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
    ]

    /// Longest accepted input, in UTF-8 bytes (a 16384-bit RSA key line is about 2.8 KB).
    public static let maximumLength = 16 * 1024

    /// Accepts an OpenSSH one-line public key: ssh-rsa (modulus ≥ 1024 bits), ssh-dss, ecdsa-sha2-nistp256/384/521.
    /// The key is validated by actually parsing the blob: the type string inside the blob must equal the outer type,
    /// the SSH wire fields (mpint/string) must be well-formed with no trailing bytes, RSA e must be odd and > 1 and n must be positive,
    /// the ECDSA curve identifier must match the type and the point must be a valid uncompressed point ON THE CURVE,
    /// DSA must have the 4 mpints.
    /// Everything else (ssh-ed25519, certificates, PEM, garbage, empty, bad base64, truncated blobs) throws.
    /// Also accepts leading/trailing whitespace and a trailing comment (which may contain spaces).
    public static func parse(_ text: String) throws(PublicKeyError) -> ParsedPublicKey {
        guard text.utf8.count <= maximumLength else {
            throw .malformed("longer than \(maximumLength) bytes")
        }
        let line = try OpenSSHLine(text)

        guard supportedTypes.contains(line.type) else {
            throw .malformed("unsupported key type \(describe(line.type))")
        }
        guard let blob = Base64.decode(line.base64) else {
            throw .malformed("key data is not valid base64")
        }

        let bits = try KeyBlobValidator.validate(blob: blob, type: line.type)
        return ParsedPublicKey(
            type: line.type,
            blob: blob,
            normalized: line.type + " " + Data(blob).base64EncodedString(),
            comment: line.comment,
            fingerprint: Fingerprint.md5(blob: blob),
            bits: bits
        )
    }

    /// A short, log-safe rendering of an unexpected type field.
    private static func describe(_ type: String) -> String {
        let shown = type.unicodeScalars.prefix(40).map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "?" }
        return "\"" + shown.joined() + (type.unicodeScalars.count > 40 ? "…" : "") + "\""
    }
}

/// The three fields of an OpenSSH public-key line: `type base64 [comment]`.
struct OpenSSHLine {
    var type: String
    var base64: String
    var comment: String?

    init(_ text: String) throws(PublicKeyError) {
        // Keys are ASCII in practice: split their bytes directly. Only text with other
        // characters takes the scalar path, which also trims Unicode whitespace.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            try self.init(ascii: Array(text.utf8))
        } else {
            try self.init(scalars: text)
        }
    }

    private init(ascii bytes: [UInt8]) throws(PublicKeyError) {
        func outer(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
        func separator(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        var start = 0
        var end = bytes.count
        while start < end, outer(bytes[start]) { start += 1 }
        while end > start, outer(bytes[end - 1]) { end -= 1 }
        guard start < end else { throw .malformed("empty") }
        if bytes[start..<end].contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) {
            throw .malformed("not a single line (PEM, RFC 4716 or several keys?)")
        }
        var index = start
        func field() -> String {
            let from = index
            while index < end, !separator(bytes[index]) { index += 1 }
            let value = String(decoding: bytes[from..<index], as: UTF8.self)
            while index < end, separator(bytes[index]) { index += 1 }
            return value
        }
        type = field()
        base64 = field()
        guard !base64.isEmpty else { throw .malformed("no key data after the type field") }
        comment = index < end ? String(decoding: bytes[index..<end], as: UTF8.self) : nil
    }

    private init(scalars text: String) throws(PublicKeyError) {
        let scalars = Array(text.unicodeScalars)
        var start = 0
        var end = scalars.count
        while start < end, Self.isOuterWhitespace(scalars[start]) { start += 1 }
        while end > start, Self.isOuterWhitespace(scalars[end - 1]) { end -= 1 }
        guard start < end else {
            throw .malformed("empty")
        }
        let body = scalars[start..<end]
        if body.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) {
            throw .malformed("not a single line (PEM, RFC 4716 or several keys?)")
        }

        var index = body.startIndex
        func field() -> String {
            var result = String.UnicodeScalarView()
            while index < body.endIndex, !Self.isSeparator(body[index]) {
                result.append(body[index])
                index += 1
            }
            while index < body.endIndex, Self.isSeparator(body[index]) { index += 1 }
            return String(result)
        }

        type = field()
        base64 = field()
        guard !base64.isEmpty else {
            throw .malformed("no key data after the type field")
        }
        var rest = String.UnicodeScalarView()
        rest.append(contentsOf: body[index...])
        comment = rest.isEmpty ? nil : String(rest)
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t"
    }

    private static func isOuterWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }
}
