/// Why a request's signing material is unusable; each maps to one ECS error in the server.
public enum SignatureFailure: Error, Sendable, Equatable {
    /// A required V1 parameter is absent or blank (`AccessKeyId`, `Signature`, `SignatureNonce`,
    /// `Timestamp`, `SignatureMethod`, `SignatureVersion`), or the V3 `x-acs-signature-nonce` header is blank.
    /// The payload is the parameter name to quote. → 400 `MissingParameter`.
    case missingParameter(String)
    /// V1 `SignatureMethod` is not `HMAC-SHA1`, or the V3 algorithm is not `ACS3-HMAC-SHA256`;
    /// the payload is the value sent. → 400 `InvalidSignatureMethod`.
    case unsupportedSignatureMethod(String)
    /// V1 `SignatureVersion` is not `1.0`; the payload is the value sent.
    case unsupportedSignatureVersion(String)
    /// V3 Authorization header unparseable (no `Credential`, `SignedHeaders` or `Signature`, or a blank one).
    /// → 400 `IncompleteSignature`.
    case malformedAuthorization
    /// V3: a required header (`host`, `x-acs-action`, `x-acs-version`, `x-acs-date`,
    /// `x-acs-signature-nonce`, `x-acs-content-sha256`) is not in SignedHeaders, or a signed header
    /// is absent from the request. The payload is the header name. → 400 `IncompleteSignature`.
    case missingSignedHeader(String)
    /// V3: `x-acs-content-sha256` is not the SHA-256 of the body.
    case contentHashMismatch
    /// The timestamp is not `yyyy-MM-ddTHH:mm:ssZ` (optionally with fractional seconds). → 400 `InvalidTimeStamp.Format`.
    case timestampFormat
    /// The timestamp is more than the window (15 minutes) away from now, either way. → 400 `InvalidTimeStamp.Expired`.
    case timestampExpired
}

/// The outcome of recomputing a signature with the caller's secret.
public enum Verification: Sendable, Equatable {
    /// The signature sent matches the one recomputed.
    case valid
    /// `stringToSign` is the server's: the V1 StringToSign or the V3 StringToSign; the server puts it in the error message.
    case mismatch(stringToSign: String)
}
