import Crypto

public enum Fingerprint {
    /// RFC 4716 §4 fingerprint: MD5 over the SSH public-key blob (the base64-decoded second field of
    /// an OpenSSH public-key line), as 16 lower-case hex octets joined by `:` (47 characters).
    public static func md5(blob: [UInt8]) -> String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(47)
        for byte in Insecure.MD5.hash(data: blob) {
            if !out.isEmpty { out.append(UInt8(ascii: ":")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
