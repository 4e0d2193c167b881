/// A freshly generated key pair, as CreateKeyPair returns it.
///
/// `privateKeyPEM` is secret: hand it to the caller once, never store or log it.
public struct GeneratedKeyPair: Sendable {
    /// Complete PKCS#1 PEM block: `-----BEGIN RSA PRIVATE KEY-----\n`, base64 lines of 64 columns,
    /// `-----END RSA PRIVATE KEY-----\n`.
    public var privateKeyPEM: String
    /// OpenSSH one-line public key, `ssh-rsa AAAA…`, without comment.
    public var publicKey: String
    /// MD5 of the SSH public-key blob, 16 lower-case hex octets joined by `:` (RFC 4716).
    public var fingerprint: String

    public init(privateKeyPEM: String, publicKey: String, fingerprint: String) {
        self.privateKeyPEM = privateKeyPEM
        self.publicKey = publicKey
        self.fingerprint = fingerprint
    }
}

extension GeneratedKeyPair: CustomStringConvertible, CustomDebugStringConvertible {
    /// Never prints the private key, so that interpolating a key pair into a log line is harmless.
    public var description: String {
        "GeneratedKeyPair(publicKey: \(publicKey), fingerprint: \(fingerprint), privateKeyPEM: <redacted>)"
    }

    public var debugDescription: String { description }
}
