/// The two signing schemes ECS clients use.
public enum SignatureVersion: Sendable, Equatable {
    /// `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`, everything in the query/form parameters.
    case v1
    /// `Authorization: ACS3-HMAC-SHA256 …` header with `x-acs-*` headers.
    case v3
}

/// What a request claims about its own signing, extracted before the secret is known.
///
/// Produced by ``Signature/claim(of:)``; the server uses `accessKeyId` to find the secret,
/// `timestamp` for ``Signature/checkTimestamp(_:now:window:)``, `nonce` for replay protection,
/// then hands the claim back to ``Signature/verify(_:claim:secret:)``.
public struct SignatureClaim: Sendable, Equatable {
    /// Which scheme the request uses.
    public var version: SignatureVersion
    /// V1 `AccessKeyId` parameter; V3 `Credential` from the Authorization header. Never empty.
    public var accessKeyId: String
    /// V1 `SignatureNonce` parameter; V3 `x-acs-signature-nonce` header. Never empty.
    public var nonce: String
    /// Raw: V1 `Timestamp` param, V3 `x-acs-date` header. Not validated by `claim(of:)`.
    public var timestamp: String
    /// V1 `SecurityToken` param, V3 `x-acs-security-token` header; nil when absent.
    public var securityToken: String?
    /// As sent: V1 the (URL-decoded) base64 `Signature` parameter, V3 the hex `Signature=` of the Authorization header.
    public var signature: String
    /// V3 only: the `SignedHeaders` list from the Authorization header, lower-cased, in the order sent. Empty for V1.
    public var signedHeaders: [String]

    /// Memberwise initialiser.
    public init(
        version: SignatureVersion,
        accessKeyId: String,
        nonce: String,
        timestamp: String,
        securityToken: String?,
        signature: String,
        signedHeaders: [String]
    ) {
        self.version = version
        self.accessKeyId = accessKeyId
        self.nonce = nonce
        self.timestamp = timestamp
        self.securityToken = securityToken
        self.signature = signature
        self.signedHeaders = signedHeaders
    }
}
