import Crypto

extension Signature {
    /// The only V3 algorithm accepted.
    public static let v3Algorithm = "ACS3-HMAC-SHA256"

    /// Lower-hex SHA-256 of an empty body, the usual `x-acs-content-sha256`.
    public static let emptyBodySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Headers a V3 request must list in `SignedHeaders`.
    public static let v3RequiredSignedHeaders = [
        "host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256",
    ]

    /// Lower-hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? emptyBodySHA256 : Hex.lower(SHA256.hash(data: bytes))
    }

    /// The V3 CanonicalRequest, newline-separated:
    /// method (as given), `/`, the canonical query (``RequestView/query`` only — never the form — sorted by name
    /// in byte order, stable, each `percentEncode(name)=percentEncode(value)`, joined with `&`; blank values give `k=`),
    /// one `name:value\n` line per entry of `signedHeaders` in the order given (value trimmed of spaces and tabs;
    /// a repeated header's trimmed values sorted and joined with `,`; an absent header gives `name:`),
    /// an empty line, `signedHeaders` joined with `;`, and the hashed payload — the `x-acs-content-sha256`
    /// header as sent (trimmed), or the SHA-256 of the body when that header is absent.
    public static func v3CanonicalRequest(_ request: RequestView, signedHeaders: [String]) -> String {
        String(decoding: v3CanonicalBytes(request, signedHeaders: signedHeaders), as: UTF8.self)
    }

    /// ``v3CanonicalRequest(_:signedHeaders:)`` as UTF-8 bytes (verification hashes them as they are).
    static func v3CanonicalBytes(_ request: RequestView, signedHeaders: [String]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(contentsOf: request.method.utf8)
        out.appendASCII("\n/\n")

        var order = Array(request.query.indices)
        order.sort { a, b in
            let x = request.query[a].name, y = request.query[b].name
            if x == y { return a < b }
            return ASCII.precedes(x, y)
        }
        var first = true
        for i in order {
            if !first { out.append(0x26) }
            first = false
            appendPercentEncoded(request.query[i].name, to: &out)
            out.append(0x3D)
            appendPercentEncoded(request.query[i].value, to: &out)
        }
        out.append(0x0A)

        for name in signedHeaders {
            out.append(contentsOf: name.utf8)
            out.append(0x3A)
            var values: [Substring] = []
            for h in request.headers where ASCII.equalsIgnoringCase(h.name, name) {
                values.append(ASCII.trimmed(h.value[...]))
            }
            if values.count > 1 {
                values.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            }
            for (k, v) in values.enumerated() {
                if k > 0 { out.append(0x2C) }
                out.append(contentsOf: v.utf8)
            }
            out.append(0x0A)
        }
        out.append(0x0A)

        for (k, name) in signedHeaders.enumerated() {
            if k > 0 { out.append(0x3B) }
            out.append(contentsOf: name.utf8)
        }
        out.append(0x0A)
        if let sent = request.header("x-acs-content-sha256") {
            out.append(contentsOf: ASCII.trimmed(sent[...]).utf8)
        } else {
            out.append(contentsOf: sha256Hex(request.body).utf8)
        }
        return out
    }

    /// The V3 StringToSign of canonical bytes, as bytes: the algorithm, a newline, the lower-hex SHA-256.
    static func v3StringToSignBytes(canonical: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(v3Algorithm.utf8.count + 1 + 64)
        out.append(contentsOf: v3Algorithm.utf8)
        out.append(0x0A)
        for b in SHA256.hash(data: canonical) {
            out.append(ASCII.lowerHex(b >> 4))
            out.append(ASCII.lowerHex(b & 0x0F))
        }
        return out
    }

    /// The V3 StringToSign: `ACS3-HMAC-SHA256\n` + lower-hex SHA-256 of the UTF-8 canonical request.
    public static func v3StringToSign(canonicalRequest: String) -> String {
        v3Algorithm + "\n" + Hex.lower(SHA256.hash(data: Array(canonicalRequest.utf8)))
    }

    /// The V3 signature of `stringToSign`: lower-hex HMAC-SHA256 keyed with `secret` as is (no `&`).
    public static func v3Signature(stringToSign: String, secret: String) -> String {
        Hex.lower(v3MAC(stringToSign: stringToSign, secret: secret))
    }

    static func v3MAC(stringToSign: String, secret: String) -> [UInt8] {
        let key = SymmetricKey(data: Array(secret.utf8))
        return Array(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    /// The parsed `Authorization: ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…` header.
    struct V3Authorization: Equatable {
        var credential: String
        var signedHeaders: [String]
        var signature: String
    }

    /// Parses a V3 Authorization header value. Spaces/tabs around the comma-separated fields are tolerated,
    /// unknown fields ignored, the first of a repeated field wins; signed header names are lower-cased.
    static func parseV3Authorization(_ value: String) throws(SignatureFailure) -> V3Authorization {
        // Byte-level on purpose: Character-based splitting costs microseconds per request.
        let v = ASCII.trimmed(value[...]).utf8
        let algorithmEnd = v.firstIndex(where: ASCII.isBlank) ?? v.endIndex
        let algorithm = v[v.startIndex..<algorithmEnd]
        guard algorithm.elementsEqual(v3Algorithm.utf8) else {
            throw .unsupportedSignatureMethod(String(Substring(algorithm)))
        }
        var credential: Substring.UTF8View?, signedHeaders: Substring.UTF8View?, signature: Substring.UTF8View?
        for field in v[algorithmEnd...].split(separator: 0x2C, omittingEmptySubsequences: false) {
            let f = ASCII.trimmed(field)
            guard let eq = f.firstIndex(of: 0x3D) else { throw .malformedAuthorization }
            let key = f[f.startIndex..<eq], val = ASCII.trimmed(f[f.index(after: eq)...])
            if key.elementsEqual("Credential".utf8) {
                if credential == nil { credential = val }
            } else if key.elementsEqual("SignedHeaders".utf8) {
                if signedHeaders == nil { signedHeaders = val }
            } else if key.elementsEqual("Signature".utf8) {
                if signature == nil { signature = val }
            }
        }
        guard let credential, !credential.isEmpty, let signedHeaders, !signedHeaders.isEmpty,
              let signature, !signature.isEmpty
        else { throw .malformedAuthorization }
        var names: [String] = []
        for name in signedHeaders.split(separator: 0x3B, omittingEmptySubsequences: false) {
            let n = ASCII.trimmed(name)
            guard !n.isEmpty else { throw .malformedAuthorization }
            names.append(ASCII.lowercased(String(Substring(n))))
        }
        return V3Authorization(
            credential: String(Substring(credential)), signedHeaders: names, signature: String(Substring(signature)))
    }

    static func claimV3(_ request: RequestView, authorization: String) throws(SignatureFailure) -> SignatureClaim {
        let auth = try parseV3Authorization(authorization)
        for required in v3RequiredSignedHeaders where !auth.signedHeaders.contains(required) {
            throw .missingSignedHeader(required)
        }
        for name in auth.signedHeaders where request.header(name) == nil {
            throw .missingSignedHeader(name)
        }
        guard contentHashMatches(request) else { throw .contentHashMismatch }
        let nonce = request.header("x-acs-signature-nonce") ?? ""
        guard !nonce.isEmpty else { throw .missingParameter("x-acs-signature-nonce") }
        let token = request.header("x-acs-security-token")
        return SignatureClaim(
            version: .v3, accessKeyId: auth.credential, nonce: nonce,
            timestamp: request.header("x-acs-date") ?? "",
            securityToken: (token?.isEmpty ?? true) ? nil : token,
            signature: auth.signature, signedHeaders: auth.signedHeaders)
    }

    /// True when the `x-acs-content-sha256` header (trimmed, either hex case) is the SHA-256 of the body.
    static func contentHashMatches(_ request: RequestView) -> Bool {
        guard let sent = request.header("x-acs-content-sha256") else { return false }
        return ASCII.equalsIgnoringCase(String(ASCII.trimmed(sent[...])), sha256Hex(request.body))
    }

    static func verifyV3(_ request: RequestView, claim: SignatureClaim, secret: String) -> Verification {
        // On bytes throughout: the strings are only needed for a mismatch's message.
        let stringToSign = v3StringToSignBytes(canonical: v3CanonicalBytes(request, signedHeaders: claim.signedHeaders))
        let expected = Array(HMAC<SHA256>.authenticationCode(for: stringToSign, using: SymmetricKey(data: Array(secret.utf8))))
        // The payload is signed through the header; re-check that the header still covers this body.
        guard contentHashMatches(request), let sent = Hex.decode(claim.signature),
              ASCII.constantTimeEquals(sent, expected)
        else {
            return .mismatch(stringToSign: String(decoding: stringToSign, as: UTF8.self))
        }
        return .valid
    }
}
