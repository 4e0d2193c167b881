/// A validated OpenSSH public key.
public struct ParsedPublicKey: Sendable, Equatable {
    /// Key type: `ssh-rsa`, `ssh-dss`, `ecdsa-sha2-nistp256`, `ecdsa-sha2-nistp384` or `ecdsa-sha2-nistp521`.
    public var type: String
    /// The decoded SSH wire blob.
    public var blob: [UInt8]
    /// `type base64` with the comment dropped: what the server stores and returns as `PublicKey`.
    public var normalized: String
    /// The trailing comment, if any (may contain spaces); `nil` when absent.
    public var comment: String?
    /// MD5 fingerprint of `blob` (see `Fingerprint.md5(blob:)`).
    public var fingerprint: String
    /// RSA modulus bits, DSA `p` bits, or the curve size (256, 384, 521).
    public var bits: Int

    public init(type: String, blob: [UInt8], normalized: String, comment: String?, fingerprint: String, bits: Int) {
        self.type = type
        self.blob = blob
        self.normalized = normalized
        self.comment = comment
        self.fingerprint = fingerprint
        self.bits = bits
    }
}
