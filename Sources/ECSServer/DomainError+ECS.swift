import ECSAPI
import ECSDomain

/// The one table from domain refusals to ECS's codes, statuses and messages (`ecs-api.md`, `decisions.md`).
extension DomainError {
    var ecsError: ECSError {
        switch self {
        case .regionNotFound:
            return ECSError(code: "InvalidRegionId.NotFound", status: 404, message: "The specified RegionId does not exist.")
        case .keyPairNameMalformed:
            return ECSError(code: "InvalidKeyPairName.Malformed", status: 400, message: "Specified Key Pair name is not valid.")
        case .keyPairExists:
            return ECSError(code: "KeyPair.AlreadyExist", status: 400, message: "The key pair already exist.")
        case .keyPairQuotaExceeded:
            return ECSError(code: "QuotaExceed.KeyPair", status: 403, message: "The key pair quota exceeds.")
        case .keyPairNotFound:
            return ECSError(code: "InvalidKeyPairName.NotFound", status: 400, message: "The specified KeyPairName does not exist in our records.")
        case .keyPairNotFoundForInstance:
            return ECSError(code: "InvalidKeyPairName.NotFound", status: 404,
                            message: "The specified parameter \"KeyPairName\" does not exist in our records.")
        case .keyPairAttached:
            return ECSError(code: "InvalidParameter.KeypairAlreadyAttachedInstance", status: 400,
                            message: "The specified parameter \"KeyPairNames\" attached to instances can not be deleted.")
        case .publicKeyMalformed:
            return ECSError(code: "InvalidPublicKeyBody.Malformed", status: 400, message: "The PublicKeyBody format is not supported.")
        case .tagKeyMalformed:
            return ECSError(code: "InvalidTagKey.Malformed", status: 400, message: "The specified Tag.n.Key is not valid.")
        case .tagValueMalformed:
            return ECSError(code: "InvalidTagValue.Malformed", status: 400, message: "The specified Tag.n.Value is not valid.")
        case .duplicateTagKey:
            return ECSError(code: "Duplicate.TagKey", status: 400, message: "The Tag.N.Key contain duplicate key.")
        case .tooManyTags(let n):
            return ECSError(code: "QuotaExceed.Tags", status: 403, message: "The number of tags (\(n)) exceeds the limit of 20 per resource.")
        case .resourceGroupNotFound:
            return ECSError(code: "InvalidResourceGroup.NotFound", status: 404, message: "The ResourceGroup provided does not exist in our records.")
        case .pageNumberInvalid:
            return ECSError.invalidParameter("PageNumber", "It must be 1 or more.")
        case .windowsInstance:
            return ECSError(code: "DependencyViolation.WindowsInstance", status: 403,
                            message: "The instance creating is windows, cannot use ssh key pair to login.")
        case .instanceNotFound:
            return ECSError(code: "InvalidInstanceId.NotFound", status: 404, message: "The specified InstanceId does not exist.")
        case .incorrectInstanceStatus:
            return ECSError(code: "IncorrectInstanceStatus", status: 403,
                            message: "The current status of the resource does not support this operation.")
        case .instanceInitializing:
            return ECSError(code: "IncorrectInstanceStatus.Initializing", status: 403,
                            message: "The specified instance status does not support this operation.")
        case .imageNotFound:
            return ECSError(code: "InvalidImageId.NotFound", status: 404, message: "The specified ImageId does not exist.")
        case .instanceTypeNotFound:
            return ECSError(code: "InvalidInstanceType.ValueNotSupported", status: 400,
                            message: "The specified InstanceType does not exist or beyond the permitted range.")
        case .amountInvalid:
            return ECSError(code: "InvalidParam.Amount", status: 403, message: "The specified parameter \"Amount\" is not valid: it must be 1 to 100.")
        case .passwordMalformed:
            return ECSError(code: "InvalidPassword.Malformed", status: 400,
                            message: "The specified parameter \"Password\" is not valid: 8 to 30 characters with at least three of upper case, lower case, digits and special characters.")
        case .passwordMismatch:
            return ECSError(code: "InvalidPasswordParam.Mismatch", status: 400,
                            message: "The input password should be null when passwdInherit is true.")
        case .instanceNameMalformed:
            return ECSError(code: "InvalidInstanceName.Malformed", status: 400, message: "The specified parameter \"InstanceName\" is not valid.")
        case .descriptionMalformed:
            return ECSError(code: "InvalidDescription.Malformed", status: 400,
                            message: "The specified parameter \"Description\" is not valid: 2 to 256 characters, not starting with http:// or https://.")
        case .hostNameMalformed:
            return ECSError(code: "InvalidHostName.Malformed", status: 400, message: "The specified parameter \"HostName\" is not valid.")
        case .clientTokenMalformed:
            return ECSError(code: "InvalidClientToken.ValueNotSupported", status: 400,
                            message: "The ClientToken provided is invalid: at most 64 ASCII characters.")
        case .idempotentParameterMismatch:
            return ECSError(code: "IdempotentParameterMismatch", status: 400,
                            message: "The specified parameters are different from before with the same ClientToken.")
        case .statusNotFound:
            return ECSError(code: "InvalidStatus.NotFound", status: 404, message: "The specified Status is not found")
        case .missingParameter(let name):
            return ECSError.missingParameter(name)
        case .invalidParameter(let name, let detail):
            return ECSError.invalidParameter(name, detail)
        case .dryRunPassed:
            return ECSError(code: "DryRunOperation", status: 400, message: "Request validation has been passed with DryRun flag set.")
        case .userDataNotBase64:
            return ECSError(code: "InvalidUserData.NotBase64", status: 400, message: "The specified parameter \"UserData\" is not base64 encoded.")
                .hinted("Base64-encode the script or cloud-config, e.g. base64.b64encode(script.encode()).decode().")
        case .userDataTooLarge(let n):
            return ECSError(code: "InvalidUserData.SizeExceeded", status: 400, message: "The specified parameter \"UserData\" exceeds the size.")
                .hinted("The user data decodes to \(n) bytes; at most 32768 are allowed.")
        case .systemDiskCategoryInvalid:
            return ECSError(code: "InvalidSystemDiskCategory.ValueNotSupported", status: 400,
                            message: "The specified parameter \"SystemDisk.Category\" is not valid.")
                .hinted("Use one of: \(Validation.systemDiskCategories.joined(separator: ", ")).")
        case .systemDiskSizeInvalid(_, let minimum):
            return ECSError(code: "InvalidSystemDiskSize.ValueNotSupported", status: 400,
                            message: "The specified parameter \"SystemDisk.Size\" is not valid.")
                .hinted("The system disk must be \(minimum) to 2048 GiB: no smaller than its image.")
        case .vSwitchNotFound:
            return ECSError(code: "InvalidVSwitchId.NotFound", status: 404, message: "The specified VSwitchId does not exist.")
                .hinted("No vSwitch of that ID is in this account and region; DescribeVSwitches (VPC API 2016-04-28) lists them.")
        case .securityGroupNotFound:
            return ECSError(code: "InvalidSecurityGroupId.NotFound", status: 404, message: "The specified SecurityGroupId does not exist.")
                .hinted("LocalECS does not serve security groups yet: leave SecurityGroupId out.")
        case .instanceChargeTypeNotSupported:
            return ECSError(code: "InvalidInstanceChargeType.ValueNotSupported", status: 400,
                            message: "The specified parameter \"InstanceChargeType\" is not valid.")
                .hinted("LocalECS runs pay-as-you-go (PostPaid) instances only.")
        }
    }
}
