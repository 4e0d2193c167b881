/// Refusals of the VPC API (2016-04-28) and of launches into a vSwitch. The server maps each
/// case to the code, HTTP status and message of the VPC API's error tables in one place
/// (`NetworkError+ECS.swift`).
public enum NetworkError: Error, Sendable, Equatable {
    /// `CidrBlock` is not a canonical IPv4 block (`10.0.0.1/8`, `300.0.0.0/8`, `10.0.0.0/33`).
    case cidrMalformed(String)
    /// A VPC's block outside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, or its mask not 8-28.
    case vpcCidrUnsupported(String)
    /// A vSwitch's block not inside its VPC's, or its mask not 16-29.
    case vSwitchCidrNotInVpc(cidr: String, vpcCidr: String)
    case vSwitchCidrMask(String)
    case vSwitchCidrOverlapped(cidr: String, other: String)
    case vpcNotFound(String)
    /// DeleteVSwitch of an unknown vSwitch (the VPC API's code; ECS's RunInstances has its own).
    case vSwitchNotFound(String)
    case zoneNotFound(String)
    /// The VPC is still Pending: no vSwitch can be created in it, nor can it be deleted.
    case incorrectVpcStatus(String)
    case incorrectVSwitchStatus(String)
    case vpcQuotaExceeded(limit: Int)
    case vSwitchQuotaExceeded(limit: Int)
    case vpcNameMalformed
    case vSwitchNameMalformed
    case descriptionMalformed
    case dependencyVSwitch(String)
    case dependencyInstance(String)
    /// DeleteVpc while security groups are in the VPC.
    case dependencySecurityGroup(String)
    /// DeleteVSwitch while instances are in it.
    case vSwitchInUse(String)
    /// RunInstances: `ZoneId` names another zone than the vSwitch's.
    case zoneMismatch(zone: String, vSwitchZone: String)
    /// RunInstances: the vSwitch has no free private address left.
    case vSwitchFull(String)
    /// RunInstances: a security group outside the vSwitch's VPC (a classic group has none).
    case securityGroupVSwitchMismatch(vpcId: String, groupVpcId: String)
    /// `VpcId` of DescribeVpcs: more than 20 IDs.
    case tooManyVpcIds
    /// Tag actions: a `ResourceType` other than VPC or VSWITCH.
    case resourceTypeUnsupported(String)
    /// Tag actions: an ID that is not a VPC (vSwitch) of the account and region.
    case resourceNotFound(String)
}
