/// Client-side signing, used by Swift tests and by the benchmark load generator (behaves like the real SDKs).
public enum Signer {
    /// Returns the full query pairs to send (adds AccessKeyId, Format?, SignatureMethod, SignatureVersion,
    /// SignatureNonce, Timestamp, Version, Action, Signature).
    ///
    /// Output order: `Action`, `Version`, `Format` (omitted when nil), the caller's `parameters` in their order,
    /// `Timestamp`, `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`, `SignatureNonce`, `AccessKeyId`, and
    /// `Signature` last — like the old Python SDK. `parameters` must not repeat those names. The signature covers
    /// `method`, so send the pairs with that method (in the query, or in a form body: V1 signs both alike).
    public static func signV1(
        method: String, action: String, version: String, parameters: [(name: String, value: String)],
        accessKeyId: String, secret: String, nonce: String, timestamp: String, format: String? = "JSON"
    ) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = [("Action", action), ("Version", version)]
        pairs.reserveCapacity(parameters.count + 9)
        if let format { pairs.append(("Format", format)) }
        pairs.append(contentsOf: parameters)
        pairs.append(("Timestamp", timestamp))
        pairs.append(("SignatureMethod", "HMAC-SHA1"))
        pairs.append(("SignatureVersion", "1.0"))
        pairs.append(("SignatureNonce", nonce))
        pairs.append(("AccessKeyId", accessKeyId))
        let stringToSign = Signature.v1StringToSign(method: method, parameters: pairs)
        pairs.append(("Signature", Signature.v1Signature(stringToSign: stringToSign, secret: secret)))
        return pairs
    }

    /// Returns the headers to send (host, x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce,
    /// x-acs-content-sha256, accept, authorization), names lower-case, in that order.
    ///
    /// Every header but `authorization` is signed (`accept;host;x-acs-action;x-acs-content-sha256;x-acs-date;
    /// x-acs-signature-nonce;x-acs-version`), `accept` is `application/json`, the content hash is the SHA-256 of
    /// `body`. `query` must be sent as the request's query string (e.g. with ``queryString(_:)``), to path `/`.
    public static func signV3(
        method: String, host: String, action: String, version: String, query: [(name: String, value: String)],
        body: [UInt8], accessKeyId: String, secret: String, nonce: String, date: String
    ) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("host", host),
            ("x-acs-action", action),
            ("x-acs-version", version),
            ("x-acs-date", date),
            ("x-acs-signature-nonce", nonce),
            ("x-acs-content-sha256", Signature.sha256Hex(body)),
            ("accept", "application/json"),
        ]
        let signed = headers.map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let view = RequestView(method: method, query: query, form: [], headers: headers, body: body)
        let canonical = Signature.v3CanonicalRequest(view, signedHeaders: signed)
        let signature = Signature.v3Signature(
            stringToSign: Signature.v3StringToSign(canonicalRequest: canonical), secret: secret)
        headers.append((
            "authorization",
            "\(Signature.v3Algorithm) Credential=\(accessKeyId),SignedHeaders=\(signed.joined(separator: ";")),Signature=\(signature)"
        ))
        return headers
    }

    /// Encodes pairs as a query string (percentEncode for names and values), `name=value` joined with `&`,
    /// in the order given, without a leading `?`. Empty input gives "".
    public static func queryString(_ pairs: [(name: String, value: String)]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(pairs.reduce(0) { $0 + ($1.name.utf8.count + $1.value.utf8.count) * 3 + 2 })
        for (i, p) in pairs.enumerated() {
            if i > 0 { out.append(0x26) }
            Signature.appendPercentEncoded(p.name, to: &out)
            out.append(0x3D)
            Signature.appendPercentEncoded(p.value, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Current UTC time as yyyy-MM-ddTHH:mm:ssZ. `now` is seconds since 1970 (fraction truncated).
    public static func timestamp(now: Double) -> String {
        Signature.formatTimestamp(now)
    }
}
