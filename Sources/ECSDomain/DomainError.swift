/// Every way a domain operation can refuse, named by what went wrong.
///
/// The server maps each case to its ECS code, HTTP status and message in one table
/// (`DomainError+ECS.swift`), so the domain never deals in wire types.
public enum DomainError: Error, Sendable, Equatable {
    case regionNotFound(String)
    case keyPairNameMalformed(String)
    case keyPairExists(String)
    case keyPairQuotaExceeded(limit: Int)
    case keyPairNotFound(String)
    /// The same, as RunInstances/CreateInstance report it (404, other wording).
    case keyPairNotFoundForInstance(String)
    case keyPairAttached(String)
    case publicKeyMalformed(String)
    case tagKeyMalformed(String)
    case tagValueMalformed(String)
    case duplicateTagKey(String)
    case tooManyTags(Int)
    case resourceGroupNotFound(String)
    case pageNumberInvalid
    case windowsInstance(String)
    case instanceNotFound(String)
    case incorrectInstanceStatus(id: String, status: String)
    case instanceInitializing(String)
    case imageNotFound(String)
    case instanceTypeNotFound(String)
    case amountInvalid(Int)
    case passwordMalformed(String)
    case passwordMismatch
    case instanceNameMalformed(String)
    case hostNameMalformed(String)
    case descriptionMalformed
    case clientTokenMalformed
    case idempotentParameterMismatch
    case statusNotFound(String)
    case missingParameter(String)
    case invalidParameter(String, String)
    case dryRunPassed
    case userDataNotBase64
    case userDataTooLarge(Int)
    case systemDiskCategoryInvalid(String)
    /// `minimum` is the image's size: a system disk cannot be smaller than its image.
    case systemDiskSizeInvalid(Int, minimum: Int)
    case vSwitchNotFound(String)
    case securityGroupNotFound(String)
    case instanceChargeTypeNotSupported(String)
}
