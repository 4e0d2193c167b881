import ECSAPI
import ECSDomain

/// The VPC API's refusals, as its error tables give them (CreateVpc, CreateVSwitch, DeleteVpc,
/// DeleteVSwitch pages), with a LocalECS hint where the table's message does not say what to do.
extension NetworkError {
    var ecsError: ECSError {
        switch self {
        case .cidrMalformed(let c):
            return ECSError(code: "InvalidCidrBlock.Malformed", status: 400, message: "Specified CIDR block is not valid.")
                .hinted("\"\(c)\" is not an IPv4 block in canonical form (a.b.c.d/n, no host bits set), for example 192.168.0.0/16.")
        case .vpcCidrUnsupported(let c):
            return ECSError(code: "InvalidCidrBlock.Malformed", status: 400, message: "Specified CIDR block is not valid.")
                .hinted("A VPC's block (\(c)) must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, with a mask of 8 to 28.")
        case .vSwitchCidrNotInVpc(let c, let vpc):
            return ECSError(code: "InvalidParameter", status: 400, message: "Specified CIDR block is not valid in VPC.")
                .hinted("The vSwitch's block \(c) must lie inside its VPC's block \(vpc).")
        case .vSwitchCidrMask(let c):
            return ECSError(code: "InvalidCidrBlock.Malformed", status: 400, message: "Specified CIDR block is not valid.")
                .hinted("A vSwitch's block (\(c)) must have a mask of 16 to 29.")
        case .vSwitchCidrOverlapped(let c, let other):
            return ECSError(code: "InvalidCidrBlock.Overlapped", status: 400, message: "Specified CIDR block overlapped with other subnets.")
                .hinted("\(c) overlaps the block \(other) of another vSwitch in this VPC.")
        case .vpcNotFound:
            return ECSError(code: "InvalidVpcId.NotFound", status: 404, message: "Specified VPC does not exist.")
        case .vSwitchNotFound:
            return ECSError(code: "InvalidVSwitchId.NotFound", status: 404, message: "Specified virtual switch does not exist.")
        case .zoneNotFound(let z):
            return ECSError(code: "InvalidZoneId.NotFound", status: 404, message: "Specified zone does not exist.")
                .hinted("\(z) is not a zone of this region; see DescribeZones.")
        case .incorrectVpcStatus:
            return ECSError(code: "IncorrectVpcStatus", status: 400, message: "Current VPC status does not support this operation.")
                .hinted("The VPC is still Pending; wait until DescribeVpcs shows it Available.")
        case .incorrectVSwitchStatus:
            return ECSError(code: "IncorrectVSwitchStatus", status: 400, message: "The current status of vSwitch does not support this operation.")
                .hinted("The vSwitch is still Pending; wait until DescribeVSwitches shows it Available.")
        case .vpcQuotaExceeded(let n):
            return ECSError(code: "QuotaExceeded.Vpc", status: 400, message: "VPC quota exceeded.")
                .hinted("An account may have \(n) VPCs per region.")
        case .vSwitchQuotaExceeded(let n):
            return ECSError(code: "QuotaExceeded.VSwitch", status: 400, message: "Virtual switch quota exceeded.")
                .hinted("A VPC may have \(n) vSwitches.")
        case .vpcNameMalformed:
            return ECSError(code: "InvalidVpcName.Malformed", status: 400, message: "Specified VPC name is not valid.")
                .hinted("1 to 128 characters, not starting with http:// or https://.")
        case .vSwitchNameMalformed:
            return ECSError(code: "InvalidVSwitchName.Malformed", status: 400, message: "Specified virtual switch name is not valid.")
                .hinted("1 to 128 characters, not starting with http:// or https://.")
        case .descriptionMalformed:
            return ECSError(code: "InvalidDescription.Malformed", status: 400, message: "Invalid description.")
                .hinted("1 to 256 characters, not starting with http:// or https://.")
        case .dependencyVSwitch:
            return ECSError(code: "DependencyViolation.VSwitch", status: 400, message: "Specified object has dependent resources.")
                .hinted("Delete the VPC's vSwitches first (DescribeVSwitches with its VpcId lists them).")
        case .dependencySecurityGroup:
            return ECSError(code: "DependencyViolation.SecurityGroup", status: 400,
                            message: "Specified object has dependent resources SecurityGroup.")
                .hinted("Delete the VPC's security groups first (DescribeSecurityGroups with its VpcId lists them).")
        case .dependencyInstance:
            return ECSError(code: "DependencyViolation.Instance", status: 400, message: "Specified object has dependent resources.")
                .hinted("Delete the instances in the VPC first (DescribeInstances with its VpcId lists them).")
        case .vSwitchInUse:
            return ECSError(code: "DependencyViolation", status: 400, message: "Specified object has dependent resources.")
                .hinted("Delete the instances in the vSwitch first (DescribeInstances with its VSwitchId lists them).")
        case .zoneMismatch(let zone, let vSwitchZone):
            return ECSError(code: "InvalidParameter.Mismatch", status: 400,
                            message: "The specified parameter \"ZoneId\" does not match the zone of the specified VSwitchId.")
                .hinted("The vSwitch is in \(vSwitchZone), not \(zone): leave ZoneId out, or name \(vSwitchZone).")
        case .securityGroupVSwitchMismatch(let vpc, let other):
            return ECSError(code: "InvalidParameter.Mismatch", status: 400,
                            message: "Specified security group and virtual switch are not in the same VPC.")
                .hinted("The vSwitch is in \(vpc); use security groups created with VpcId=\(vpc), not \(other.isEmpty ? "a classic group" : other).")
        case .vSwitchFull(let id):
            return ECSError(code: "InvalidVSwitchId.IpNotEnough", status: 400, message: "The specified VSwitch has not enough IpAddress.")
                .hinted("Every usable address of \(id) is taken; delete instances or use a vSwitch with a larger block.")
        case .tooManyVpcIds:
            return ECSError.invalidParameter("VpcId", "It holds at most 20 VPC IDs, separated by commas.")
        case .resourceTypeUnsupported(let t):
            return ECSError(code: "InvalidResourceType.NotSupported", status: 400, message: "The specified ResourceType is not supported.")
                .hinted("\(t): LocalECS tags VPC and VSWITCH resources through the VPC API.")
        case .resourceNotFound(let id):
            return ECSError(code: "InvalidResourceId.NotFound", status: 404, message: "The specified ResourceIds are not found in our records.")
                .hinted("\(id) is not a resource of that type in this account and region.")
        }
    }
}
