/// An error as ECS puts it on the wire: a code, an HTTP status and a message a person can act on.
///
/// Every failure that reaches a client is one of these; the server renders it once, in the
/// envelope of `protocol-and-ram.md` §2.1, in JSON or XML.
public struct ECSError: Error, Sendable, Equatable {
    public var code: String
    public var status: Int
    public var message: String
    /// Present only on RAM denials (`Forbidden.RAM`), rendered as `AccessDeniedDetail`.
    public var accessDeniedDetail: [(String, String)]?
    /// Extra response headers (for example `x-acs-retry-after` on throttling).
    public var headers: [(String, String)]
    /// What to do about it, in LocalECS's words, rendered in the envelope's `Recommend` field.
    /// `message` stays ECS's own text, which clients and tests match on.
    public var hint: String?

    public init(code: String, status: Int, message: String,
                accessDeniedDetail: [(String, String)]? = nil, headers: [(String, String)] = []) {
        self.code = code
        self.status = status
        self.message = message
        self.accessDeniedDetail = accessDeniedDetail
        self.headers = headers
    }

    public static func == (a: ECSError, b: ECSError) -> Bool {
        a.code == b.code && a.status == b.status && a.message == b.message
    }

    /// The same error with `hint` in `Recommend`.
    public func hinted(_ hint: String) -> ECSError {
        var copy = self
        copy.hint = hint
        return copy
    }
}

// The common catalogue (protocol-and-ram.md §2.2). Operation-specific errors live beside the
// domain mapping in the server; these are the ones the protocol layer itself raises.
extension ECSError {
    public static func missingParameter(_ name: String) -> ECSError {
        ECSError(code: "MissingParameter", status: 400,
                 message: "The input parameter \"\(name)\" that is mandatory for processing this request is not supplied.")
    }
    public static func invalidParameter(_ name: String, _ detail: String? = nil) -> ECSError {
        var message = "The specified parameter \"\(name)\" is not valid."
        if let detail { message += " " + detail }
        return ECSError(code: "InvalidParameter", status: 400, message: message)
    }
    public static let invalidAction = ECSError(code: "InvalidAction.NotFound", status: 404,
        message: "Specified api is not found, please check your url and method.")
        .hinted("LocalECS serves the actions listed under \"Supported operations\" in its README; check the Action name and Version.")
    public static let invalidVersion = ECSError(code: "InvalidVersion", status: 400,
        message: "Specified parameter Version is not valid.")
        .hinted("LocalECS serves ECS 2014-05-26, RAM 2015-05-01, STS 2015-04-01 and ActionTrail 2020-07-06 on this endpoint.")
    public static let unsupportedHTTPMethod = ECSError(code: "UnsupportedHTTPMethod", status: 403,
        message: "This HTTP method is not supported.")
    public static func signatureDoesNotMatch(stringToSign: String) -> ECSError {
        ECSError(code: "SignatureDoesNotMatch", status: 400,
                 message: "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign)
            .hinted("The AccessKeySecret the client signed with is not the one stored for this AccessKeyId, or a proxy changed the request; compare the client's string to sign with the server's above (the server logs it at --log-level debug).")
    }
    public static func incompleteSignature(_ detail: String) -> ECSError {
        ECSError(code: "IncompleteSignature", status: 400,
                 message: "The request signature does not conform to Aliyun standards. server string to sign is:" + detail)
    }
    public static let invalidSignatureMethod = ECSError(code: "InvalidSignatureMethod", status: 400,
        message: "Specified signature method is not supported.")
    public static let accessKeyNotFound = ECSError(code: "InvalidAccessKeyId.NotFound", status: 404,
        message: "Specified access key is not found.")
        .hinted("The server's store has no such AccessKeyId: the default account's key is LTAI5tLocalECSDefaultKey unless LOCALECS_ACCESS_KEY_ID was set when the store was created; other keys come from CreateAccessKey or `localecs accounts create`.")
    public static let accessKeyInactive = ECSError(code: "InvalidAccessKeyId.Inactive", status: 400,
        message: "Specified access key is disabled.")
    public static let nonceUsed = ECSError(code: "SignatureNonceUsed", status: 400,
        message: "Specified signature nonce was used already.")
        .hinted("Every request needs a fresh SignatureNonce (x-acs-signature-nonce in V3): this one was replayed within the 15-minute window.")
    public static let timestampExpired = ECSError(code: "InvalidTimeStamp.Expired", status: 400,
        message: "Specified time stamp or date value is expired.")
        .hinted("The request's Timestamp (x-acs-date in V3) must be within 15 minutes of the server's clock, in UTC (yyyy-MM-ddTHH:mm:ssZ).")
    public static let timestampFormat = ECSError(code: "InvalidTimeStamp.Format", status: 400,
        message: "Specified time stamp or date value is not well formatted.")
    public static let missingSecurityToken = ECSError(code: "MissingSecurityToken", status: 400,
        message: "SecurityToken is mandatory for this action.")
    public static let invalidSecurityTokenMalformed = ECSError(code: "InvalidSecurityToken.Malformed", status: 400,
        message: "Specified SecurityToken is malformed.")
    public static let invalidSecurityTokenExpired = ECSError(code: "InvalidSecurityToken.Expired", status: 400,
        message: "Specified SecurityToken is expired.")
    public static let invalidSecurityTokenMismatch = ECSError(code: "InvalidSecurityToken.MismatchWithAccessKey", status: 400,
        message: "Specified SecurityToken mismatch with the AccessKey.")
    public static let internalError = ECSError(code: "InternalError", status: 500,
        message: "The request processing has failed due to some unknown error, exception or failure.")
    public static let serviceUnavailable = ECSError(code: "ServiceUnavailable", status: 503,
        message: "The request has failed due to a temporary failure of the server.")
    public static let invalidRegion = ECSError(code: "InvalidRegionId.NotFound", status: 404,
        message: "The specified RegionId does not exist.")
    public static let forbiddenRAMMessage =
        "User not authorized to operate on the specified resource, or this API doesn't support RAM."
}
