import Crypto

public enum Fingerprint {
    /// RFC 4716 §4 fingerprint: MD5 over the SSH public-key blob (the base64-decoded second field of
    /// an OpenSSH public-key line), as 16 lower-case hex octets joined by `:` (47 characters).
    public static func md5(blob: [UInt8]) -> String {
        Insecure.MD5.hash(data: blob).map { hexOctet($0) }.joined(separator: ":")
    }

    private static func hexOctet(_ byte: UInt8) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
