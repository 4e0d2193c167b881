/// Pure signature checking for the two ECS RPC schemes (V1 HMAC-SHA1, V3 ACS3-HMAC-SHA256).
///
/// Server flow: ``claim(of:)`` (no secret needed) → ``checkTimestamp(_:now:window:)`` on
/// `claim.timestamp` → look the secret up by `claim.accessKeyId` → ``verify(_:claim:secret:)``.
/// Nothing here does I/O, keeps state, or calls Foundation APIs.
public enum Signature {
    /// Reads the claim: V3 if an `Authorization` header starts with "ACS3-" (after optional blanks), else V1 from query+form params.
    ///
    /// V1 (first occurrence of each parameter, query before form): requires non-blank `AccessKeyId`,
    /// `Signature`, `SignatureNonce`, `Timestamp`, `SignatureMethod`, `SignatureVersion` (checked in that order,
    /// → ``SignatureFailure/missingParameter(_:)``), then `SignatureMethod == "HMAC-SHA1"`
    /// (→ ``SignatureFailure/unsupportedSignatureMethod(_:)``) and `SignatureVersion == "1.0"`
    /// (→ ``SignatureFailure/unsupportedSignatureVersion(_:)``).
    ///
    /// V3: algorithm must be `ACS3-HMAC-SHA256` (→ `unsupportedSignatureMethod`); `Credential`, `SignedHeaders`,
    /// `Signature` must be present and non-blank (→ ``SignatureFailure/malformedAuthorization``); the six
    /// ``v3RequiredSignedHeaders`` must be signed and every signed header present
    /// (→ ``SignatureFailure/missingSignedHeader(_:)``); `x-acs-content-sha256` must equal the body's SHA-256
    /// (→ ``SignatureFailure/contentHashMismatch``); a blank nonce → `missingParameter("x-acs-signature-nonce")`.
    ///
    /// The timestamp is returned raw; validate it with ``checkTimestamp(_:now:window:)``. A blank security
    /// token is reported as nil.
    public static func claim(of request: RequestView) throws(SignatureFailure) -> SignatureClaim {
        if let authorization = request.header("authorization"),
           ASCII.trimmed(authorization[...]).utf8.starts(with: "ACS3-".utf8) {
            return try claimV3(request, authorization: authorization)
        }
        return try claimV1(request)
    }

    /// Recomputes the signature with `secret` and compares in constant time.
    ///
    /// V1: StringToSign over query + form pairs (``v1StringToSign(method:parameters:)``), HMAC-SHA1 keyed
    /// `secret + "&"`, compared with the Base64-decoded `claim.signature`. V3: ``v3CanonicalRequest(_:signedHeaders:)``
    /// with `claim.signedHeaders`, ``v3StringToSign(canonicalRequest:)``, HMAC-SHA256 keyed `secret`, compared with
    /// the hex-decoded `claim.signature` (either case); a body whose SHA-256 is not `x-acs-content-sha256` is also
    /// a mismatch. An undecodable sent signature is a mismatch.
    /// `claim` must come from ``claim(of:)`` for this same request.
    public static func verify(_ request: RequestView, claim: SignatureClaim, secret: String) -> Verification {
        switch claim.version {
        case .v1: verifyV1(request, claim: claim, secret: secret)
        case .v3: verifyV3(request, claim: claim, secret: secret)
        }
    }
}
