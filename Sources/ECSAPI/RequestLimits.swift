/// How many parameters one request may carry and how long each may be. Checked before the
/// signature, so an oversized request costs a linear scan and gets a 400 naming the limit.
///
/// The bounds are above what any ECS, RAM or STS call needs (the largest declared value is
/// `UserData`: 32 KB documented, 43,692 bytes in base64; then `PublicKeyBody`, 16 KiB) and low
/// enough that no later step (sorting for the V1 string-to-sign, JSON parsing) can take long.
public enum RequestLimits {
    public static let maxParameters = 500
    public static let maxNameLength = 128
    public static let maxValueLength = 48 * 1024

    /// `InvalidParameter` (400) naming the first limit `params` exceeds; lengths in UTF-8 bytes.
    public static func check(_ params: RPCParameters) throws(ECSError) {
        if params.pairs.count > maxParameters {
            throw ECSError(code: "InvalidParameter", status: 400,
                           message: "The request has \(params.pairs.count) parameters; at most \(maxParameters) are accepted.")
        }
        for p in params.pairs {
            if p.name.utf8.count > maxNameLength {
                throw ECSError(code: "InvalidParameter", status: 400,
                               message: "A parameter name is \(p.name.utf8.count) bytes long; at most \(maxNameLength) are accepted.")
            }
            if p.value.utf8.count > maxValueLength {
                throw .invalidParameter(p.name, "Its value is \(p.value.utf8.count) bytes long; at most \(maxValueLength) are accepted.")
            }
        }
    }
}
