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
    public static let invalidVersion = ECSError(code: "InvalidVersion", status: 400,
        message: "Specified parameter Version is not valid.")
    public static let unsupportedHTTPMethod = ECSError(code: "UnsupportedHTTPMethod", status: 403,
        message: "This HTTP method is not supported.")
    public static func signatureDoesNotMatch(stringToSign: String) -> ECSError {
        ECSError(code: "SignatureDoesNotMatch", status: 400,
                 message: "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign)
    }
    public static func incompleteSignature(_ detail: String) -> ECSError {
        ECSError(code: "IncompleteSignature", status: 400,
                 message: "The request signature does not conform to Aliyun standards. server string to sign is:" + detail)
    }
    public static let invalidSignatureMethod = ECSError(code: "InvalidSignatureMethod", status: 400,
        message: "Specified signature method is not supported.")
    public static let accessKeyNotFound = ECSError(code: "InvalidAccessKeyId.NotFound", status: 404,
        message: "Specified access key is not found.")
    public static let accessKeyInactive = ECSError(code: "InvalidAccessKeyId.Inactive", status: 400,
        message: "Specified access key is disabled.")
    public static let nonceUsed = ECSError(code: "SignatureNonceUsed", status: 400,
        message: "Specified signature nonce was used already.")
    public static let timestampExpired = ECSError(code: "InvalidTimeStamp.Expired", status: 400,
        message: "Specified time stamp or date value is expired.")
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
