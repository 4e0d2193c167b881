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
    /// The signature uses the session's secret.
    func authenticateSession(_ view: RequestView, claim: SignatureClaim) async throws -> Caller {
        guard let session = try await services.ram.stsSession(accessKeyId: claim.accessKeyId) else { throw ECSError.accessKeyNotFound }
        guard let token = claim.securityToken, !token.isEmpty else { throw ECSError.missingSecurityToken }
        guard RAMService.isWellFormedSecurityToken(token) else { throw ECSError.invalidSecurityTokenMalformed }
        guard token == session.token else { throw ECSError.invalidSecurityTokenMismatch }
        guard services.clock.nowMillis() < session.expiresAt else { throw ECSError.invalidSecurityTokenExpired }
        try await verify(view, claim: claim, secret: session.secret)
        return Caller(accountId: session.accountId, accessKeyId: session.accessKeyId,
                      session: AssumedRole(roleName: session.roleName, roleId: session.roleId,
                                           sessionName: session.sessionName, policy: session.policy))
    }

    /// The signature with `secret`, then the nonce (spent only by a correctly signed request).
    func verify(_ view: RequestView, claim: SignatureClaim, secret: String) async throws {
        switch Signature.verify(view, claim: claim, secret: secret) {
        case .valid: break
        case .mismatch(let stringToSign): throw ECSError.signatureDoesNotMatch(stringToSign: stringToSign)
        }
        guard try await services.store.useNonce(accessKeyId: claim.accessKeyId, nonce: claim.nonce, now: services.clock.nowMillis()) else {
            throw ECSError.nonceUsed
        }
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
