import ECSAPI
import ECSDomain
import ECSSignature
import ECSStore

/// Steps 2–8 of `protocol-and-ram.md` §2.4: signing material, timestamp window, access key,
/// signature, then the nonce. Signature verification comes before the nonce is spent, so a
/// forged request cannot burn a real client's nonce.
struct Authenticator: Sendable {
    let services: Services
    let timestampWindow: Double

    func authenticate(_ view: RequestView) async throws -> Caller {
        let claim: SignatureClaim
        do {
            claim = try Signature.claim(of: view)
            let now = Double(services.clock.nowMillis()) / 1000
            try Signature.checkTimestamp(claim.timestamp, now: now, window: timestampWindow)
        } catch {
            throw Self.ecsError(error)  // typed throws: always a SignatureFailure
        }
        if claim.accessKeyId.hasPrefix("STS.") { return try await authenticateSession(view, claim: claim) }
        guard let key = try await services.accounts.accessKey(claim.accessKeyId) else { throw ECSError.accessKeyNotFound }
        guard key.status == .active else { throw ECSError.accessKeyInactive }
        if let token = claim.securityToken, !token.isEmpty {
            // A SecurityToken belongs with STS credentials only, never with a long-term key.
            throw ECSError.invalidSecurityTokenMalformed
        }
        try await verify(view, claim: claim, secret: key.secret)
        return Caller(accountId: key.accountId, accessKeyId: key.id, userName: key.userName)
    }

    /// STS credentials (`STS.…` from AssumeRole): the session must exist (on any node: it is
    /// stored), the request must carry its SecurityToken, and the session must not have expired.
    /// The signature (with the session's secret) is checked before the token, and the token is
    /// compared in constant time: an unsigned guess learns nothing about the stored token.
    func authenticateSession(_ view: RequestView, claim: SignatureClaim) async throws -> Caller {
        guard let session = try await services.ram.stsSession(accessKeyId: claim.accessKeyId) else { throw ECSError.accessKeyNotFound }
        guard let token = claim.securityToken, !token.isEmpty else { throw ECSError.missingSecurityToken }
        guard RAMService.isWellFormedSecurityToken(token) else { throw ECSError.invalidSecurityTokenMalformed }
        try checkSignature(view, claim: claim, secret: session.secret)
        guard Signature.constantTimeEquals(RAMService.comparableToken(token, stored: session.token), session.token) else {
            throw ECSError.invalidSecurityTokenMismatch
        }
        guard services.clock.nowMillis() < session.expiresAt else { throw ECSError.invalidSecurityTokenExpired }
        try await spendNonce(claim)
        return Caller(accountId: session.accountId, accessKeyId: session.accessKeyId,
                      session: AssumedRole(roleName: session.roleName, roleId: session.roleId,
                                           sessionName: session.sessionName, policy: session.policy))
    }

    /// The signature with `secret`, then the nonce (spent only by a correctly signed request).
    func verify(_ view: RequestView, claim: SignatureClaim, secret: String) async throws {
        try checkSignature(view, claim: claim, secret: secret)
        try await spendNonce(claim)
    }

    func checkSignature(_ view: RequestView, claim: SignatureClaim, secret: String) throws {
        switch Signature.verify(view, claim: claim, secret: secret) {
        case .valid: break
        case .mismatch(let stringToSign): throw ECSError.signatureDoesNotMatch(stringToSign: stringToSign)
        }
    }

    func spendNonce(_ claim: SignatureClaim) async throws {
        let now = services.clock.nowMillis()
        guard try await services.store.useNonce(accessKeyId: claim.accessKeyId, nonce: claim.nonce,
                                                 expiresAt: nonceExpiry(claim, now: now), now: now) else {
            throw ECSError.nonceUsed
        }
    }

    /// The last moment (ms) a request with this claim passes the timestamp window: its timestamp
    /// plus the window, whichever way the skew runs, and never earlier than now plus the window.
    /// Its nonce is kept until then, so it cannot be replayed while it would still be accepted.
    func nonceExpiry(_ claim: SignatureClaim, now: Int64) -> Int64 {
        let windowMillis = Int64((timestampWindow * 1000).rounded(.up))
        // checkTimestamp has bounded the timestamp to now ± window, so nothing here overflows.
        let stamped = Signature.parseTimestamp(claim.timestamp).map { Int64(($0 * 1000).rounded(.up)) } ?? now
        return max(stamped, now) + windowMillis + 1000  // + 1 s: timestamps have second precision
    }

    static func ecsError(_ f: SignatureFailure) -> ECSError {
        switch f {
        case .missingParameter(let name): return .missingParameter(name)
        case .unsupportedSignatureMethod: return .invalidSignatureMethod
        case .unsupportedSignatureVersion(let v):
            return ECSError(code: "InvalidSignatureVersion", status: 400, message: "Specified signature version \(v) is not supported; use 1.0.")
        case .malformedAuthorization:
            return .incompleteSignature("the Authorization header must be ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…")
        case .missingSignedHeader(let h):
            return .incompleteSignature("the header \(h) must be present and listed in SignedHeaders")
        case .contentHashMismatch:
            return ECSError(code: "ContentSHA256NotMatched", status: 400,
                            message: "The x-acs-content-sha256 header does not match the SHA-256 of the request body.")
        case .timestampFormat: return .timestampFormat
        case .timestampExpired: return .timestampExpired
        }
    }
}
