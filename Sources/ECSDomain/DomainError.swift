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
    // `DataDisk.N.*` (issue 12): N, and what was asked.
    case dataDiskCountExceeded(Int)
    case dataDiskCategoryInvalid(Int, String)
    case dataDiskSizeInvalid(Int, String?, category: String, performanceLevel: String, range: ClosedRange<Int>)
    case dataDiskSnapshotNotFound(String)
    /// A field LocalECS cannot honour (encryption, snapshot policies, …): the parameter and why.
    case dataDiskNotSupported(String, String)
    case securityGroupNotFound(String)
    case instanceChargeTypeNotSupported(String)

    // Security groups and their rules (issue 12).
    case securityGroupNameMalformed(String)
    case securityGroupDescriptionMalformed
    case securityGroupTypeInvalid(String)
    case vpcIdMalformed(String)
    case securityGroupQuotaExceeded(limit: Int)
    case securityGroupInUse(String)
    case ipProtocolInvalid(String)
    case portRangeInvalid(String)
    case sourcePortRangeInvalid(String)
    case sourceCidrInvalid(String)
    case destCidrInvalid(String)
    case ipv6CidrInvalid(parameter: String, value: String)
    case ruleSourceMissing
    case ruleDestMissing
    case policyInvalid(String)
    case priorityMalformed(String)
    case priorityInvalid(String)
    case nicTypeInvalid(String)
    case ruleDescriptionMalformed
    case sourceGroupNotFound(String)
    case destGroupNotFound(String)
    case ruleLimitExceeded(limit: Int)
    case ruleIdNotFound(String)
    case instanceGroupLimitExceeded(limit: Int)
    case instanceAlreadyInGroup(String)
    case instanceNotInGroup(String)
    case instanceLastSecurityGroup(String)
    case securityGroupVpcMismatch
    case networkTypeInvalid(String)
    case directionInvalid(String)
    case nextTokenInvalid

    // Tags (TagResources, UntagResources, ListTagResources).
    case resourceTypeInvalid(String)
    case tagResourceNotFound(type: String, id: String)
    case tagsMissing
}
