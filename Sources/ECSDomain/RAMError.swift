/// Every way a RAM (2015-05-01) operation can refuse, named by what went wrong.
///
/// Kept apart from `DomainError` (ECS's refusals); the server maps each case to RAM's documented
/// code, HTTP status and message in one table (`RAMError+ECS.swift`).
public enum RAMError: Error, Sendable, Equatable {
    /// A name or value parameter breaks RAM's syntax: `InvalidParameter.<Parameter>.<InvalidChars|Length|Format>`.
    public enum Problem: String, Sendable { case invalidChars = "InvalidChars", length = "Length", format = "Format" }

    case invalidParameter(name: String, Problem)
    /// `PolicyType` is neither `System` nor `Custom`.
    case invalidPolicyType(String)
    /// `Status` of UpdateAccessKey is neither `Active` nor `Inactive`.
    case invalidStatus(String)
    /// A parameter that RAM accepts but LocalECS does not model (`ResourceGroupId` on attachments).
    case unsupportedParameter(name: String, reason: String)
    /// The caller is an account root and the action needs a user name (`CreateAccessKey` without `UserName`).
    case missingUserName
    case malformedPolicyDocument(String)

    case userExists(String)
    case userNotFound(String)
    case accessKeyNotFound(String)
    case policyExists(String)
    case policyNotFound(String)
    case policyAlreadyAttached(user: String, policy: String)
    case policyNotAttached(user: String, policy: String)

    case userHasAccessKeys(String)
    case userHasPolicies(String)
    case policyAttachedToUsers(String)

    case userLimit(Int)
    case accessKeyLimit(Int)
    case policyLimit(Int)
    case userPolicyLimit(type: String, limit: Int)

    // Roles
    case roleExists(String)
    case roleNotFound(String)
    case rolePolicyAlreadyAttached(role: String, policy: String)
    case rolePolicyNotAttached(role: String, policy: String)
    case roleHasPolicies(String)
    case policyAttachedToRoles(String)
    case roleLimit(Int)
    case rolePolicyLimit(type: String, limit: Int)

    // STS AssumeRole
    /// An account's root keys called AssumeRole.
    case rootMayNotAssumeRoles
    case invalidRoleArn(String)
    /// The role named by RoleArn does not exist.
    case assumedRoleNotFound(String)
    case invalidRoleSessionName
    /// The session policy does not parse (or is longer than 1024 characters).
    case invalidSessionPolicy(String)
    /// DurationSeconds is outside 900…MaxSessionDuration.
    case invalidDuration(max: Int64)
    /// The role's trust policy does not let the caller assume it.
    case notTrusted(roleArn: String)
}
