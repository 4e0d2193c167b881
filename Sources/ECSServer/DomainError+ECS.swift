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
        case .dataDiskCountExceeded(let n):
            return ECSError(code: "InvalidDataDiskCount.ExceedLimit", status: 400,
                            message: "The number of data disks exceeds the limit: \(n) given, at most \(DataDisks.maxPerInstance).")
        case .dataDiskCategoryInvalid(let n, _):
            return ECSError(code: "InvalidDataDiskCategory.ValueNotSupported", status: 400,
                            message: "The specified parameter \"DataDisk.\(n).Category\" is not valid.")
                .hinted("Use one of: \(DataDisks.categories.joined(separator: ", ")).")
        case .dataDiskSizeInvalid(let n, let given, let category, let level, let range):
            let what = category + (level.isEmpty ? "" : " " + level)
            return ECSError(code: "InvalidDataDiskSize.ValueNotSupported", status: 400,
                            message: "The specified DataDisk.\(n).Size beyond the permitted range, or the capacity of snapshot exceeds the size limit of the specified disk category.")
                .hinted(given == nil ? "DataDisk.\(n).Size is required: a \(what) disk takes \(range.lowerBound) to \(range.upperBound) GiB."
                                     : "A \(what) disk takes \(range.lowerBound) to \(range.upperBound) GiB.")
        case .dataDiskSnapshotNotFound:
            return ECSError(code: "InvalidSnapshotId.NotFound", status: 404, message: "The specified snapshot does not exist.")
                .hinted("LocalECS has no snapshots: leave DataDisk.N.SnapshotId out and give DataDisk.N.Size.")
        case .dataDiskNotSupported(let name, let why):
            return ECSError(code: "InvalidParameter.NotSupported", status: 400,
                            message: "The specified parameter \"\(name)\" is not supported. \(why)")
        case .vSwitchNotFound:
            return ECSError(code: "InvalidVSwitchId.NotFound", status: 404, message: "The specified VSwitchId does not exist.")
                .hinted("No vSwitch of that ID is in this account and region; DescribeVSwitches (VPC API 2016-04-28) lists them.")
        case .securityGroupNotFound:
            return ECSError(code: "InvalidSecurityGroupId.NotFound", status: 404, message: "The specified SecurityGroupId does not exist.")
                .hinted("Create one with CreateSecurityGroup in the same region, or list yours with DescribeSecurityGroups.")
        case .instanceChargeTypeNotSupported:
            return ECSError(code: "InvalidInstanceChargeType.ValueNotSupported", status: 400,
                            message: "The specified parameter \"InstanceChargeType\" is not valid.")
                .hinted("LocalECS runs pay-as-you-go (PostPaid) instances only.")
        case .securityGroupNameMalformed:
            return ECSError(code: "InvalidSecurityGroupName.Malformed", status: 400, message: "The specified parameter \"SecurityGroupName\" is not valid.")
                .hinted("2 to 128 characters, starting with a letter, then letters, digits, '.', '_', '-' or ':'; not http:// or https://.")
        case .securityGroupDescriptionMalformed:
            return ECSError(code: "InvalidDescription.Malformed", status: 400, message: "The specified parameter \"Description\" is not valid.")
                .hinted("2 to 256 characters, not starting with http:// or https://.")
        case .securityGroupTypeInvalid(let t):
            return ECSError(code: "InvalidSecurityGroupType.ValueNotSupported", status: 400,
                            message: "The specified SecurityGroupType \"\(t)\" is not supported: use normal or enterprise.")
        case .vpcIdMalformed:
            return ECSError(code: "InvalidVpcId.Malformed", status: 400, message: "The specified parameter \"VpcId\" is not valid.")
                .hinted("A VPC ID is vpc- followed by lower-case letters and digits.")
        case .securityGroupQuotaExceeded(let limit):
            return ECSError(code: "QuotaExceed.SecurityGroup", status: 403,
                            message: "The maximum number of security groups in the region (\(limit)) is reached.")
        case .securityGroupInUse:
            return ECSError(code: "DependencyViolation", status: 403, message: "There is still instance(s) in the specified security group.")
                .hinted("Remove the instances first (LeaveSecurityGroup, or DeleteInstance).")
        case .ipProtocolInvalid:
            return ECSError(code: "InvalidIpProtocol.ValueNotSupported", status: 400,
                            message: "The parameter IpProtocol must be specified with case insensitive TCP, UDP, ICMP, ICMPv6, GRE or All.")
        case .portRangeInvalid(let r):
            return ECSError(code: "InvalidIpPortRange.Malformed", status: 400, message: "The specified parameter \"PortRange\" is not valid.")
                .hinted("\"\(r)\": TCP and UDP take from/to with 1 <= from <= to <= 65535 (22/22, 1/65535); ICMP, ICMPv6, GRE and All take -1/-1.")
        case .sourcePortRangeInvalid:
            return ECSError(code: "InvalidSourcePortRange.Malformed", status: 400, message: "The specified parameter \"SourcePortRange\" is not valid.")
                .hinted("from/to with 1 <= from <= to <= 65535, or -1/-1.")
        case .sourceCidrInvalid:
            return ECSError(code: "InvalidSourceCidrIp.Malformed", status: 400, message: "The specified parameter \"SourceCidrIp\" is not valid.")
                .hinted("An IPv4 address or CIDR block, such as 10.0.0.1 or 0.0.0.0/0.")
        case .destCidrInvalid:
            return ECSError(code: "InvalidDestCidrIp.Malformed", status: 400, message: "The specified parameter \"DestCidrIp\" is not valid.")
                .hinted("An IPv4 address or CIDR block, such as 10.0.0.1 or 0.0.0.0/0.")
        case .ipv6CidrInvalid(let parameter, _):
            return ECSError(code: "InvalidParam.\(parameter)", status: 400, message: "The specified parameter \"\(parameter)\" is not a valid IPv6 address or CIDR block.")
        case .ruleSourceMissing:
            return ECSError(code: "MissingParameter", status: 400, message: "The input parameter \"SourceGroupId\" or \"SourceCidrIp\" cannot be both blank.")
                .hinted("Give SourceCidrIp (e.g. 0.0.0.0/0), Ipv6SourceCidrIp, SourceGroupId or SourcePrefixListId.")
        case .ruleDestMissing:
            return ECSError(code: "MissingParameter", status: 400, message: "The input parameter \"DestGroupId\" or \"DestCidrIp\" cannot be both blank.")
                .hinted("Give DestCidrIp (e.g. 0.0.0.0/0), Ipv6DestCidrIp, DestGroupId or DestPrefixListId.")
        case .policyInvalid:
            return ECSError(code: "InvalidPolicy.Malformed", status: 400, message: "The specified parameter \"Policy\" is not valid.")
                .hinted("Policy is accept or drop.")
        case .priorityMalformed:
            return ECSError(code: "InvalidPriority.Malformed", status: 400, message: "The parameter Priority is invalid.")
                .hinted("Priority is an integer from 1 (first) to 100.")
        case .priorityInvalid:
            return ECSError(code: "InvalidPriority.ValueNotSupported", status: 400, message: "The parameter Priority is invalid.")
                .hinted("Priority is an integer from 1 (first) to 100.")
        case .nicTypeInvalid:
            return ECSError(code: "InvalidNicType.ValueNotSupported", status: 400, message: "The specified NicType does not exist.")
                .hinted("NicType is internet or intranet.")
        case .ruleDescriptionMalformed:
            return ECSError(code: "InvalidSecurityGroupDiscription.Malformed", status: 400,
                            message: "The specified security group rule description is not valid.")
                .hinted("1 to 512 characters, not starting with http:// or https://.")
        case .sourceGroupNotFound:
            return ECSError(code: "InvalidSourceGroupId.NotFound", status: 404, message: "The SourceGroupId provided does not exist in our records.")
        case .destGroupNotFound:
            return ECSError(code: "InvalidDestGroupId.NotFound", status: 404, message: "The DestGroupId provided does not exist in our records.")
        case .ruleLimitExceeded(let limit):
            return ECSError(code: "AuthorizationLimitExceed", status: 403,
                            message: "The limit of authorization records in the security group reaches: at most \(limit) rules.")
        case .ruleIdNotFound:
            return ECSError(code: "InvalidSecurityGroupRuleId.NotFound", status: 404,
                            message: "The specified parameter \"SecurityGroupRuleId\" does not exist in the security group.")
        case .instanceGroupLimitExceeded(let limit):
            return ECSError(code: "InstanceSecurityGroupLimitExceeded", status: 403,
                            message: "Exceeding the allowed amount of security groups that an instance can join (\(limit)).")
        case .instanceAlreadyInGroup:
            return ECSError(code: "InvalidInstanceId.AlreadyExists", status: 403,
                            message: "The specified instance already exists in the specified security group.")
        case .instanceNotInGroup:
            return ECSError(code: "InvalidSecurityGroupId.NotFound", status: 404,
                            message: "The specified SecurityGroupId does not exist.")
                .hinted("The instance is not in this security group: see SecurityGroupIds in DescribeInstanceAttribute.")
        case .instanceLastSecurityGroup:
            return ECSError(code: "InstanceLastSecurityGroup", status: 403,
                            message: "The specified security group is the last security group for the instance.")
        case .securityGroupVpcMismatch:
            return ECSError(code: "InvalidSecurityGroupId.VPCMismatch", status: 400,
                            message: "The specified security groups are not in the same VPC.")
                .hinted("An instance's security groups must all be classic groups or all in one VPC.")
        case .networkTypeInvalid:
            return ECSError(code: "InvalidNetworkType.ValueNotSupported", status: 400, message: "The specified parameter \"NetworkType\" is not valid.")
                .hinted("NetworkType is vpc or classic.")
        case .directionInvalid:
            return ECSError.invalidParameter("Direction", "It must be all, ingress or egress.")
        case .nextTokenInvalid:
            return ECSError.invalidParameter("NextToken", "Use the NextToken of the previous page.")
        case .resourceTypeInvalid(let t):
            return ECSError(code: "InvalidResourceType.NotSupported", status: 400,
                            message: "The specified ResourceType \"\(t)\" is not supported.")
                .hinted("LocalECS tags instance, keypair and securitygroup.")
        case .tagResourceNotFound(let type, _):
            let (code, message) = type == "keypair"
                ? ("InvalidKeyPairName.NotFound", "The specified KeyPairName does not exist in our records.")
                : type == "securitygroup"
                    ? ("InvalidSecurityGroupId.NotFound", "The specified SecurityGroupId does not exist.")
                    : ("InvalidInstanceId.NotFound", "The specified InstanceId does not exist.")
            return ECSError(code: code, status: 404, message: message)
        case .tagsMissing:
            return ECSError.missingParameter("Tag.1.Key")
        }
    }
}
