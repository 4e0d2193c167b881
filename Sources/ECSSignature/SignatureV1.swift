import Crypto

extension Signature {
    /// The V1 (HMAC-SHA1) StringToSign:
    /// `METHOD & %2F & percentEncode(CanonicalizedQueryString)`, where the canonical string is every pair
    /// except those named `Signature`, sorted by name in UTF-8 byte order (stable for equal names),
    /// each `percentEncode(name)=percentEncode(value)`, joined with `&`. Blank values are kept.
    /// `method` is used as given.
    public static func v1StringToSign(method: String, parameters: [(name: String, value: String)]) -> String {
        var order: [Int] = []
        order.reserveCapacity(parameters.count)
        var size = method.utf8.count + 5
        for i in parameters.indices where parameters[i].name != "Signature" {
            order.append(i)
            size += (parameters[i].name.utf8.count + parameters[i].value.utf8.count) * 2 + 6
        }
        order.sort { a, b in
            let x = parameters[a].name, y = parameters[b].name
            if x == y { return a < b }
            return ASCII.precedes(x, y)
        }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        out.append(contentsOf: method.utf8)
        out.appendASCII("&%2F&")
        var first = true
        for i in order {
            if !first { out.appendASCII("%26") }
            first = false
            appendDoublePercentEncoded(parameters[i].name, to: &out)
            out.appendASCII("%3D")
            appendDoublePercentEncoded(parameters[i].value, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The V1 signature of `stringToSign`: Base64 of HMAC-SHA1 keyed with `secret + "&"`.
    public static func v1Signature(stringToSign: String, secret: String) -> String {
        Base64.encode(v1MAC(stringToSign: stringToSign, secret: secret))
    }

    static func v1MAC(stringToSign: String, secret: String) -> [UInt8] {
        var keyBytes = Array(secret.utf8)
        keyBytes.append(0x26)
        let key = SymmetricKey(data: keyBytes)
        return Array(HMAC<Insecure.SHA1>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    /// All V1 signed parameters of a request: query pairs then form pairs (``v1StringToSign(method:parameters:)``
    /// drops `Signature` and sorts).
    static func v1Parameters(of request: RequestView) -> [(name: String, value: String)] {
        request.form.isEmpty ? request.query : request.query + request.form
    }

    static func claimV1(_ request: RequestView) throws(SignatureFailure) -> SignatureClaim {
        var accessKeyId: String?, signature: String?, nonce: String?, timestamp: String?
        var method: String?, version: String?, token: String?
        func scan(_ pairs: [(name: String, value: String)]) {
            for p in pairs {
                switch p.name {
                case "AccessKeyId": if accessKeyId == nil { accessKeyId = p.value }
                case "Signature": if signature == nil { signature = p.value }
                case "SignatureNonce": if nonce == nil { nonce = p.value }
                case "Timestamp": if timestamp == nil { timestamp = p.value }
                case "SignatureMethod": if method == nil { method = p.value }
                case "SignatureVersion": if version == nil { version = p.value }
                case "SecurityToken": if token == nil { token = p.value }
                default: break
                }
            }
        }
        scan(request.query)
        scan(request.form)
        guard let accessKeyId, !accessKeyId.isEmpty else { throw .missingParameter("AccessKeyId") }
        guard let signature, !signature.isEmpty else { throw .missingParameter("Signature") }
        guard let nonce, !nonce.isEmpty else { throw .missingParameter("SignatureNonce") }
        guard let timestamp, !timestamp.isEmpty else { throw .missingParameter("Timestamp") }
        guard let method, !method.isEmpty else { throw .missingParameter("SignatureMethod") }
        guard let version, !version.isEmpty else { throw .missingParameter("SignatureVersion") }
        guard method == "HMAC-SHA1" else { throw .unsupportedSignatureMethod(method) }
        guard version == "1.0" else { throw .unsupportedSignatureVersion(version) }
        return SignatureClaim(
            version: .v1, accessKeyId: accessKeyId, nonce: nonce, timestamp: timestamp,
            securityToken: (token?.isEmpty ?? true) ? nil : token, signature: signature, signedHeaders: [])
    }

    static func verifyV1(_ request: RequestView, claim: SignatureClaim, secret: String) -> Verification {
        let stringToSign = v1StringToSign(method: request.method, parameters: v1Parameters(of: request))
        let expected = v1MAC(stringToSign: stringToSign, secret: secret)
        guard let sent = Base64.decode(claim.signature), ASCII.constantTimeEquals(sent, expected) else {
            return .mismatch(stringToSign: stringToSign)
        }
        return .valid
    }
}
