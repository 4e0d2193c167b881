import Foundation

/// PEM armour (RFC 7468): header line, base64 body wrapped at 64 columns, footer line, each ending in `\n`.
enum PEM {
    /// Built as bytes, without an intermediate base64 `String`, so that a caller holding a private
    /// key can overwrite every copy it made.
    static func encodeBytes(label: String, der: [UInt8]) -> [UInt8] {
        let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let encodedCount = (der.count + 2) / 3 * 4
        var out: [UInt8] = []
        out.reserveCapacity(encodedCount + encodedCount / 64 + 2 * label.utf8.count + 40)
        out.append(contentsOf: "-----BEGIN \(label)-----\n".utf8)
        var column = 0
        func put(_ c: UInt8) {
            out.append(c)
            column += 1
            if column == 64 { out.append(UInt8(ascii: "\n")); column = 0 }
        }
        var i = 0
        while i < der.count {
            let b0 = Int(der[i]), b1 = i + 1 < der.count ? Int(der[i + 1]) : 0, b2 = i + 2 < der.count ? Int(der[i + 2]) : 0
            put(alphabet[b0 >> 2])
            put(alphabet[(b0 & 0x03) << 4 | b1 >> 4])
            put(i + 1 < der.count ? alphabet[(b1 & 0x0F) << 2 | b2 >> 6] : UInt8(ascii: "="))
            put(i + 2 < der.count ? alphabet[b2 & 0x3F] : UInt8(ascii: "="))
            i += 3
        }
        if column != 0 { out.append(UInt8(ascii: "\n")) }
        out.append(contentsOf: "-----END \(label)-----\n".utf8)
        return out
    }
}
