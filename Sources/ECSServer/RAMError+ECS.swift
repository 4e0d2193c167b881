import ECSAPI
import ECSDomain

/// The one table from RAM refusals to RAM's documented codes, statuses and messages
/// (RAM API "Error messages"; messages as RAM words them).
extension RAMError {
    /// RAM's code, HTTP status and message for this refusal (the CLI prints the same).
    public var ecsError: ECSError {
        switch self {
        case .invalidParameter(let name, let problem):
            let message: String
            switch problem {
            case .invalidChars: message = "The parameter - \"\(name)\" contains invalid chars."
            case .length: message = "The parameter - \"\(name)\" beyond the length limit."
            case .format: message = "The format of the parameter - \"\(name)\" is incorrect."
            }
            return ECSError(code: "InvalidParameter.\(name).\(problem.rawValue)", status: 400, message: message)
        case .invalidPolicyType:
            return ECSError(code: "InvalidParameter.PolicyType", status: 400, message: "The parameter - \"PolicyType\" is incorrect.")
        case .invalidStatus:
            return ECSError(code: "InvalidParameter.Status", status: 400,
                            message: "The parameter - \"Status\" is incorrect: it must be Active or Inactive.")
        case .unsupportedParameter(let name, let reason):
            return ECSError(code: "InvalidParameter.\(name)", status: 400, message: "The parameter - \"\(name)\" is not supported: \(reason)")
        case .missingUserName:
            return ECSError.missingParameter("UserName")
        case .malformedPolicyDocument(let detail):
            return ECSError(code: "MalformedPolicyDocument", status: 400, message: detail)
        case .userExists:
            return ECSError(code: "EntityAlreadyExists.User", status: 409, message: "The user does already EXIST.")
        case .userNotFound:
            return ECSError(code: "EntityNotExist.User", status: 404, message: "The user does not exist.")
        case .accessKeyNotFound:
            return ECSError(code: "EntityNotExist.User.AccessKey", status: 404, message: "The user access key does not exist.")
        case .policyExists:
            return ECSError(code: "EntityAlreadyExists.Policy", status: 409, message: "The policy does already EXIST.")
        case .policyNotFound:
            return ECSError(code: "EntityNotExist.Policy", status: 404, message: "The policy does not exist.")
        case .policyAlreadyAttached:
            return ECSError(code: "EntityAlreadyExists.User.Policy", status: 409, message: "The user has already been attached this policy.")
        case .policyNotAttached:
            return ECSError(code: "EntityNotExist.User.Policy", status: 404, message: "The indicate policy of the user does not exist.")
        case .userHasAccessKeys:
            return ECSError(code: "DeleteConflict.User.AccessKey", status: 409,
                            message: "The user CAN NOT has any access key while deleting the user.")
        case .userHasPolicies:
            return ECSError(code: "DeleteConflict.User.Policy", status: 409,
                            message: "The user CAN NOT has any attached policy while deleting the user.")
        case .policyAttachedToUsers:
            return ECSError(code: "DeleteConflict.Policy.User", status: 409,
                            message: "The policy CAN NOT been attached to any user while deleting the policy.")
        case .userLimit(let n):
            return ECSError(code: "LimitExceeded.User", status: 409,
                            message: "The count of users beyond the current limits (\(n)).")
        case .accessKeyLimit(let n):
            return ECSError(code: "LimitExceeded.User.AccessKey", status: 409,
                            message: "The access key count of the user access keys beyond the current limits (\(n)).")
        case .policyLimit(let n):
            return ECSError(code: "LimitExceeded.Policy", status: 409,
                            message: "The count of policy beyond the current limits (\(n)).")
        case .userPolicyLimit(let type, let n):
            return ECSError(code: "LimitExceeded.User.Policy", status: 409,
                            message: "The policy count of the user attached policies beyond the current limits (\(n) \(type) policies).")
        case .roleExists:
            return ECSError(code: "EntityAlreadyExists.Role", status: 409, message: "The role does already EXIST.")
        case .roleNotFound:
            return ECSError(code: "EntityNotExist.Role", status: 404, message: "The role does not exist.")
        case .rolePolicyAlreadyAttached:
            return ECSError(code: "EntityAlreadyExists.Role.Policy", status: 409, message: "The role has already been attached this policy.")
        case .rolePolicyNotAttached:
            return ECSError(code: "EntityNotExist.Role.Policy", status: 404, message: "The indicate policy of the role does not exist.")
        case .roleHasPolicies:
            return ECSError(code: "DeleteConflict.Role.Policy", status: 409,
                            message: "The role CAN NOT has any attached policy while deleting the role.")
        case .policyAttachedToRoles:
            return ECSError(code: "DeleteConflict.Policy.Role", status: 409,
                            message: "The policy CAN NOT been attached to any role while deleting the policy.")
        case .roleLimit(let n):
            return ECSError(code: "LimitExceeded.Role", status: 409, message: "The count of roles beyond the current limits (\(n)).")
        case .rolePolicyLimit(let type, let n):
            return ECSError(code: "LimitExceeded.Role.Policy", status: 409,
                            message: "The policy count of the role attached policies beyond the current limits (\(n) \(type) policies).")
        case .rootMayNotAssumeRoles:
            return ECSError(code: "NoPermission", status: 403, message: "Roles may not be assumed by root accounts.")
        case .invalidRoleArn:
            return ECSError(code: "InvalidParameter.RoleArn", status: 400,
                            message: "The parameter RoleArn is wrong format: it must be acs:ram::<AccountId>:role/<RoleName>.")
        case .assumedRoleNotFound(let arn):
            return ECSError(code: "EntityNotExist.Role", status: 404, message: "The role not exists: \(arn).")
        case .invalidRoleSessionName:
            return ECSError(code: "InvalidParameter.RoleSessionName", status: 400,
                            message: "The parameter RoleSessionName is wrong format: 2-32 characters of letters, digits, '.', '@', '-', '_'.")
        case .invalidSessionPolicy(let detail):
            return ECSError(code: "InvalidParameter.PolicyGrammar", status: 400,
                            message: "The parameter Policy has not passed grammar check: \(detail)")
        case .invalidDuration(let max):
            return ECSError(code: "InvalidParameter.DurationSeconds", status: 400,
                            message: "The Min/Max value of DurationSeconds is 900/\(max) seconds.")
        case .notTrusted:
            return ECSError(code: "NoPermission", status: 403,
                            message: "You are not authorized to do this action. You should be authorized by RAM.")
        }
    }
}
