"""Every served ECS action's response, walked against the official SDK's response model
(alibabacloud_ecs20140526, generated from the API metadata): each field the model carries is
present with the model's JSON type, unless ECS sends it only under a condition that does not hold
here (EXEMPT, with the reason). A field dropped later fails this test. The key order of the
objects footmark and the reference's samples care about is checked too."""
from __future__ import annotations

import base64
import json
import subprocess
import time
import uuid

import pytest

from conftest import INSTANCE_TYPE, LINUX_IMAGE, REGION, Sdk, shared_vpc, wait_available
from shapes import body_model, walk

# Paths ECS fills only under a condition that does not hold for what LocalECS serves.
EXEMPT: dict[str, set[str]] = {
    # "returned only when InstanceChargeType is PrePaid": LocalECS sells no subscriptions.
    "RunInstances": {"OrderId"},
    "CreateInstance": {"OrderId"},
    # "the ID of the service that manages the group": only for managed groups, which LocalECS does not make.
    "DescribeSecurityGroups": {"SecurityGroups.SecurityGroup[].ServiceID"},
}


def public_key(tmp_path) -> str:
    key = tmp_path / "id"
    subprocess.run(["ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", str(key)], check=True)
    return (tmp_path / "id.pub").read_text().strip()


def check(action: str, body: dict, exempt: set[str] = frozenset()):
    problems = walk(body, body_model(action), exempt=set(exempt) | EXEMPT.get(action, set()))
    assert not problems, f"{action}:\n  " + "\n  ".join(problems)


@pytest.fixture(scope="module")
def world(server):
    sdk = Sdk("v3", server.endpoint)
    name = "shape-" + uuid.uuid4().hex[:8]
    created = sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=name, **{"Tag.1.Key": "k", "Tag.1.Value": "v"})
    ids = sdk.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, Amount=2,
                   KeyPairName=name, UserData=base64.b64encode(b"echo hi").decode(),
                   **{"Tag.1.Key": "k", "Tag.1.Value": "v"})["InstanceIdSets"]["InstanceIdSet"]
    return sdk, name, created, ids


def test_key_pair_actions(world, tmp_path):
    sdk, name, created, ids = world
    check("CreateKeyPair", created)
    other = "shape-" + uuid.uuid4().hex[:8]
    check("ImportKeyPair", sdk.call("ImportKeyPair", RegionId=REGION, KeyPairName=other, PublicKeyBody=public_key(tmp_path)))
    sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([other]))
    check("DescribeKeyPairs", sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name, IncludePublicKey=True))
    check("DetachKeyPair", sdk.call("DetachKeyPair", RegionId=REGION, KeyPairName=name, InstanceIds=json.dumps(ids[:1])))
    check("AttachKeyPair", sdk.call("AttachKeyPair", RegionId=REGION, KeyPairName=name, InstanceIds=json.dumps(ids[:1])))
    throwaway = "shape-" + uuid.uuid4().hex[:8]
    sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=throwaway)
    check("DeleteKeyPairs", sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([throwaway])))


def test_catalogue_actions(world):
    sdk = world[0]
    check("DescribeRegions", sdk.call("DescribeRegions"))
    check("DescribeImages", sdk.call("DescribeImages", RegionId=REGION, ImageId=LINUX_IMAGE))
    check("DescribeInstanceTypes", sdk.call("DescribeInstanceTypes", **{"InstanceTypes.1": INSTANCE_TYPE}))
    check("DescribeZones", sdk.call("DescribeZones", RegionId=REGION))
    check("DescribeAvailableResource", sdk.call("DescribeAvailableResource", RegionId=REGION, DestinationResource="SystemDisk"))
    # Min, Max and Unit describe ranges (disk sizes): an instance type has none.
    ranged = {f"AvailableZones.AvailableZone[].AvailableResources.AvailableResource[].SupportedResources.SupportedResource[].{k}"
              for k in ("Min", "Max", "Unit")}
    check("DescribeAvailableResource", sdk.call("DescribeAvailableResource", RegionId=REGION, DestinationResource="InstanceType"),
          exempt=ranged)


def test_instance_actions(world):
    sdk, name, _, ids = world
    check("RunInstances", sdk.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE))
    created = sdk.call("CreateInstance", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE)
    check("CreateInstance", created)
    check("DescribeInstances", sdk.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps(ids)))
    check("DescribeInstanceAttribute", sdk.call("DescribeInstanceAttribute", InstanceId=ids[0]))
    check("DescribeInstanceStatus", sdk.call("DescribeInstanceStatus", RegionId=REGION, **{"InstanceId.1": ids[0]}))
    check("DescribeUserData", sdk.call("DescribeUserData", RegionId=REGION, InstanceId=ids[0]))
    check("DescribeDisks", sdk.call("DescribeDisks", RegionId=REGION, InstanceId=ids[0]))
    check("DescribeInstanceMaintenanceAttributes",
          sdk.call("DescribeInstanceMaintenanceAttributes", RegionId=REGION, **{"InstanceId.1": ids[0]}))
    check("DescribeInstanceAttachmentAttributes",
          sdk.call("DescribeInstanceAttachmentAttributes", RegionId=REGION, InstanceIds=json.dumps(ids)))
    check("DescribeInstanceRamRole", sdk.call("DescribeInstanceRamRole", RegionId=REGION, InstanceIds=json.dumps(ids)))
    check("DescribeNetworkInterfaces",
          sdk.call("DescribeNetworkInterfaces", RegionId=REGION, **{"NetworkInterfaceId.1": "eni-" + ids[0][2:]}))
    with_data = sdk.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE,
                         **{"DataDisk.1.Size": "20", "DataDisk.1.Category": "cloud_essd"})["InstanceIdSets"]["InstanceIdSet"][0]
    check("DescribeDisks", sdk.call("DescribeDisks", RegionId=REGION, InstanceId=with_data, DiskType="data"))
    check("RebootInstance", sdk.call("RebootInstance", InstanceId=ids[1]))
    check("StopInstance", sdk.call("StopInstance", InstanceId=ids[1]))
    check("StartInstance", sdk.call("StartInstance", InstanceId=created["InstanceId"]))
    check("DeleteInstance", sdk.call("DeleteInstance", InstanceId=created["InstanceId"], Force=True))



def test_security_group_and_tag_actions(world):
    sdk, _, _, ids = world
    vpc = shared_vpc(sdk.endpoint, "shape")
    created = sdk.call("CreateSecurityGroup", RegionId=REGION, SecurityGroupName="shape", VpcId=vpc,
                       **{"Tag.1.Key": "k", "Tag.1.Value": "v"})
    check("CreateSecurityGroup", created)
    gid, other = created["SecurityGroupId"], sdk.call("CreateSecurityGroup", RegionId=REGION, VpcId=vpc)["SecurityGroupId"]
    ssh = {"IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"}
    check("AuthorizeSecurityGroup", sdk.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, **ssh))
    check("AuthorizeSecurityGroup", sdk.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, IpProtocol="all",
                                             SourceGroupId=other))
    check("AuthorizeSecurityGroupEgress", sdk.call("AuthorizeSecurityGroupEgress", RegionId=REGION, SecurityGroupId=gid,
                                                   IpProtocol="tcp", PortRange="443/443", DestCidrIp="0.0.0.0/0"))
    check("DescribeSecurityGroups", sdk.call("DescribeSecurityGroups", RegionId=REGION, SecurityGroupId=gid))
    check("DescribeSecurityGroupAttribute", sdk.call("DescribeSecurityGroupAttribute", RegionId=REGION, SecurityGroupId=gid))
    check("RevokeSecurityGroup", sdk.call("RevokeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, **ssh))
    check("RevokeSecurityGroupEgress", sdk.call("RevokeSecurityGroupEgress", RegionId=REGION, SecurityGroupId=gid,
                                                IpProtocol="tcp", PortRange="443/443", DestCidrIp="0.0.0.0/0"))
    check("ModifySecurityGroupAttribute", sdk.call("ModifySecurityGroupAttribute", RegionId=REGION, SecurityGroupId=gid,
                                                   Description="shaped"))
    check("JoinSecurityGroup", sdk.call("JoinSecurityGroup", SecurityGroupId=gid, InstanceId=ids[0]))
    check("TagResources", sdk.call("TagResources", RegionId=REGION, ResourceType="securitygroup",
                                   **{"ResourceId.1": gid, "Tag.1.Key": "k2", "Tag.1.Value": "v2"}))
    check("ListTagResources", sdk.call("ListTagResources", RegionId=REGION, ResourceType="securitygroup", **{"ResourceId.1": gid}))
    check("UntagResources", sdk.call("UntagResources", RegionId=REGION, ResourceType="securitygroup",
                                     **{"ResourceId.1": gid, "TagKey.1": "k2"}))
    sdk.call("JoinSecurityGroup", SecurityGroupId=other, InstanceId=ids[0])
    check("LeaveSecurityGroup", sdk.call("LeaveSecurityGroup", SecurityGroupId=gid, InstanceId=ids[0]))
    sdk.call("RevokeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, IpProtocol="all", SourceGroupId=other)
    check("DeleteSecurityGroup", sdk.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=gid))


# The reference's DescribeInstances sample lists these first, in this order (footmark needs at least
# EipAddress before PublicIpAddress).
DESCRIBE_INSTANCES_HEAD = [
    "ResourceGroupId", "Memory", "InstanceChargeType", "Cpu", "OSName", "InstanceNetworkType", "InnerIpAddress",
    "ExpiredTime", "ImageId", "EipAddress", "ImageOptions", "VlanId", "HostName", "Tags", "Status",
    "HibernationOptions", "AdditionalInfo", "MetadataOptions", "InstanceId", "StoppedMode", "CpuOptions", "StartTime",
]
DESCRIBE_INSTANCE_ATTRIBUTE_HEAD = [
    "Status", "SerialNumber", "CreationTime", "RequestId", "Description", "InstanceName", "InstanceNetworkType",
    "Memory", "ImageId", "ClusterId", "VlanId", "StoppedMode", "HostName", "InstanceId",
]


@pytest.mark.parametrize("kind", ["v3", "old"])
def test_key_order_follows_the_reference_samples(server, world, kind):
    sdk = Sdk(kind, server.endpoint)
    ids = world[3]
    body = sdk.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps(ids))
    assert list(body) == ["NextToken", "PageSize", "PageNumber", "RequestId", "TotalCount", "Instances"]
    item = list(body["Instances"]["Instance"][0])
    assert item[:len(DESCRIBE_INSTANCES_HEAD)] == DESCRIBE_INSTANCES_HEAD
    assert item.index("EipAddress") < item.index("PublicIpAddress")
    assert list(body["Instances"]["Instance"][0]["EipAddress"])[:2] == ["Bandwidth", "AllocationId"]
    attr = list(sdk.call("DescribeInstanceAttribute", InstanceId=ids[0]))
    assert attr[:len(DESCRIBE_INSTANCE_ATTRIBUTE_HEAD)] == DESCRIBE_INSTANCE_ATTRIBUTE_HEAD
    sdk.call("AttachKeyPair", RegionId=REGION, KeyPairName=world[1], InstanceIds=json.dumps(ids[1:]))
    det = sdk.call("DetachKeyPair", RegionId=REGION, KeyPairName=world[1], InstanceIds=json.dumps(ids[1:]))
    assert list(det) == ["KeyPairName", "RequestId", "TotalCount", "FailCount", "Results"]
    assert (det["TotalCount"], det["FailCount"], det["Results"]["Result"][0]["Success"]) == ("1", "0", "true")
    assert list(det["Results"]["Result"][0]) == ["Code", "Message", "InstanceId", "Success"]


def test_vpc_actions(server):
    """The VPC API's (2016-04-28) served actions against `alibabacloud_vpc20160428`'s models."""
    vpc = Sdk("v3", server.endpoint, version="2016-04-28")
    ecs = Sdk("v3", server.endpoint)

    def check_vpc(action: str, body: dict):
        problems = walk(body, body_model(action, "alibabacloud_vpc20160428"))
        assert not problems, f"{action}:\n  " + "\n  ".join(problems)

    created = vpc.call("CreateVpc", RegionId=REGION, CidrBlock="10.90.0.0/16", VpcName="shape",
                       **{"Tag.1.Key": "k", "Tag.1.Value": "v"})
    check_vpc("CreateVpc", created)
    vid = created["VpcId"]
    made = vpc.call("CreateVSwitch", RegionId=REGION, VpcId=vid, ZoneId="cn-hangzhou-h", CidrBlock="10.90.1.0/24",
                    VSwitchName="shape", **{"Tag.1.Key": "k", "Tag.1.Value": "v"})
    check_vpc("CreateVSwitch", made)
    check_vpc("DescribeVpcs", vpc.call("DescribeVpcs", RegionId=REGION, VpcId=vid))
    check_vpc("DescribeVSwitches", vpc.call("DescribeVSwitches", RegionId=REGION, VpcId=vid))
    check_vpc("TagResources", vpc.call("TagResources", RegionId=REGION, ResourceType="VPC", **{"ResourceId.1": vid,
                                       "Tag.1.Key": "k2", "Tag.1.Value": "v2"}))
    check_vpc("ListTagResources", vpc.call("ListTagResources", RegionId=REGION, ResourceType="VPC", **{"ResourceId.1": vid}))
    check_vpc("UnTagResources", vpc.call("UnTagResources", RegionId=REGION, ResourceType="VPC", **{"ResourceId.1": vid,
                                         "TagKey.1": "k2"}))
    # An instance in the vSwitch: DescribeInstances' VpcAttributes walked as well.
    (iid,) = ecs.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE,
                      VSwitchId=made["VSwitchId"])["InstanceIdSets"]["InstanceIdSet"]
    check("DescribeInstances", ecs.call("DescribeInstances", RegionId=REGION, VSwitchId=made["VSwitchId"]))
    ecs.call("DeleteInstance", InstanceId=iid, Force=True)
    check_vpc("DeleteVSwitch", vpc.call("DeleteVSwitch", RegionId=REGION, VSwitchId=made["VSwitchId"]))
    check_vpc("DeleteVpc", vpc.call("DeleteVpc", RegionId=REGION, VpcId=vid))


# Key orders of the actions added with the network, security groups and tags, copied from the
# "Sample success responses" (JSON) of each action's page in the API reference. A key the sample
# lacks (SnapshotPolicyIds, SourceDiskId, DataSource, ...) may sit anywhere; every sample key we send
# must appear in the sample's order, and only the listed ones may be missing.
ECS_DOC = "https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-"
VPC_DOC = "https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-"
SAMPLES: dict[str, list[str]] = {
    # ECS_DOC + "createsecuritygroup"
    "CreateSecurityGroup": ["SecurityGroupId", "RequestId"],
    # ECS_DOC + "describesecuritygroups"
    "DescribeSecurityGroups": ["RequestId", "RegionId", "NextToken", "SecurityGroups", "TotalCount", "PageNumber",
                               "PageSize"],
    "DescribeSecurityGroups.SecurityGroup": [
        "SecurityGroupId", "SecurityGroupName", "Description", "SecurityGroupType", "VpcId", "CreationTime", "EcsCount",
        "AvailableInstanceAmount", "ResourceGroupId", "ServiceManaged", "ServiceID", "Tags", "RuleCount",
        "GroupToGroupRuleCount"],
    "ECS.Tag": ["TagValue", "TagKey"],
    # ECS_DOC + "describesecuritygroupattribute"
    "DescribeSecurityGroupAttribute": ["VpcId", "RequestId", "InnerAccessPolicy", "Description", "SecurityGroupId",
                                       "SecurityGroupName", "RegionId", "Permissions", "NextToken"],
    "DescribeSecurityGroupAttribute.Permission": [
        "SecurityGroupRuleId", "Direction", "SourceGroupId", "DestGroupOwnerAccount", "DestPrefixListId",
        "DestPrefixListName", "SourceCidrIp", "Ipv6DestCidrIp", "CreateTime", "Ipv6SourceCidrIp", "DestGroupId",
        "DestCidrIp", "IpProtocol", "Priority", "DestGroupName", "NicType", "Policy", "Description", "PortRange",
        "SourcePrefixListName", "SourcePrefixListId", "SourceGroupOwnerAccount", "SourceGroupName", "SourcePortRange",
        "PortRangeListId", "PortRangeListName"],
    # ECS_DOC + "listtagresources"
    "ListTagResources": ["NextToken", "RequestId", "TagResources"],
    "ListTagResources.TagResource": ["TagValue", "ResourceType", "ResourceId", "TagKey"],
    # ECS_DOC + "describeinstancemaintenanceattributes"
    "DescribeInstanceMaintenanceAttributes": ["PageSize", "RequestId", "PageNumber", "TotalCount",
                                              "MaintenanceAttributes"],
    "DescribeInstanceMaintenanceAttributes.MaintenanceAttribute": ["NotifyOnMaintenance", "InstanceId",
                                                                   "MaintenanceWindows", "ActionOnMaintenance"],
    "DescribeInstanceMaintenanceAttributes.MaintenanceWindow": ["EndTime", "StartTime"],
    "DescribeInstanceMaintenanceAttributes.ActionOnMaintenance": ["DefaultValue", "Value", "SupportedValues"],
    # ECS_DOC + "describeinstanceattachmentattributes"
    "DescribeInstanceAttachmentAttributes": ["PageSize", "RequestId", "PageNumber", "TotalCount", "Instances"],
    "DescribeInstanceAttachmentAttributes.Instance": ["InstanceId", "PrivatePoolOptionsMatchCriteria",
                                                      "PrivatePoolOptionsId"],
    # ECS_DOC + "describeinstanceramrole"
    "DescribeInstanceRamRole": ["RequestId", "TotalCount", "RegionId", "InstanceRamRoleSets"],
    # ECS_DOC + "describenetworkinterfaces"
    "DescribeNetworkInterfaces": ["NextToken", "PageSize", "PageNumber", "RequestId", "TotalCount",
                                  "NetworkInterfaceSets"],
    "DescribeNetworkInterfaces.NetworkInterfaceSet": [
        "CreationTime", "VpcId", "Type", "Status", "NetworkInterfaceTrafficMode", "NetworkInterfaceName", "MacAddress",
        "QueuePairNumber", "NetworkInterfaceId", "ServiceID", "InstanceId", "OwnerId", "ServiceManaged", "VSwitchId",
        "Description", "ResourceGroupId", "ZoneId", "PrivateIpAddress", "QueueNumber", "PrivateIpSets", "Ipv6Sets",
        "Ipv4PrefixSets", "Ipv6PrefixSets", "Tags", "SecurityGroupIds", "AssociatedPublicIp", "Attachment",
        "DeleteOnRelease", "SourceDestCheck"],
    "DescribeNetworkInterfaces.PrivateIpSet": ["PrivateIpAddress", "Primary", "AssociatedPublicIp", "PrivateDnsName"],
    "DescribeNetworkInterfaces.Attachment": ["DeviceIndex", "InstanceId", "TrunkNetworkInterfaceId", "NetworkCardIndex"],
    # ECS_DOC + "describedisks"
    "DescribeDisks": ["NextToken", "PageSize", "PageNumber", "RequestId", "TotalCount", "Disks"],
    "DescribeDisks.Disk": [
        "SerialNumber", "CreationTime", "Status", "Type", "PerformanceLevel", "BdfId", "EnableAutoSnapshot",
        "StorageSetId", "StorageSetPartitionNumber", "DiskId", "DeleteAutoSnapshot", "StorageClusterId", "Encrypted",
        "IOPSRead", "MountInstanceNum", "Description", "Device", "DiskName", "Portable", "ImageId", "KMSKeyId",
        "DeleteWithInstance", "DetachedTime", "SourceSnapshotId", "AutoSnapshotPolicyId",
        "EnableAutomatedSnapshotPolicy", "IOPSWrite", "InstanceId", "IOPS", "RegionId", "ExpiredTime", "Size",
        "ResourceGroupId", "DiskChargeType", "ZoneId", "AttachedTime", "Category", "ProductCode", "MultiAttach",
        "OperationLocks", "MountInstances", "Tags", "Attachments", "ProvisionedIops", "BurstingEnabled", "Throughput",
        "ThroughputRead", "ThroughputWrite", "Placement"],
    "DescribeDisks.MountInstance": ["AttachedTime", "InstanceId", "Device"],
    "DescribeDisks.Attachment": ["InstanceId", "Device", "AttachedTime"],
    # VPC_DOC + "createvpc"
    "CreateVpc": ["VpcId", "VRouterId", "RequestId", "RouteTableId", "ResourceGroupId"],
    # VPC_DOC + "describevpcs"
    "DescribeVpcs": ["PageSize", "RequestId", "PageNumber", "TotalCount", "Vpcs"],
    "DescribeVpcs.Vpc": [
        "CreationTime", "Status", "VpcId", "IsDefault", "OwnerId", "RegionId", "VpcName", "VRouterId",
        "DhcpOptionsSetStatus", "CidrBlock", "Description", "ResourceGroupId", "DhcpOptionsSetId", "Ipv6CidrBlock",
        "CenStatus", "Tags", "Ipv6CidrBlocks", "VSwitchIds", "SecondaryCidrBlocks", "UserCidrs", "NatGatewayIds",
        "RouterTableIds", "EnabledIpv6", "DnsHostnameStatus"],
    "VPC.Tag": ["Key", "Value"],
    # VPC_DOC + "describevpcattribute"
    "DescribeVpcAttribute": [
        "CreationTime", "Status", "VpcId", "IsDefault", "ClassicLinkEnabled", "OwnerId", "RegionId", "VpcName",
        "VRouterId", "DhcpOptionsSetStatus", "CidrBlock", "RequestId", "Description", "ResourceGroupId",
        "DhcpOptionsSetId", "Ipv6CidrBlock", "VSwitchIds", "UserCidrs", "SecondaryCidrBlocks", "AssociatedCens",
        "CloudResources", "Ipv6CidrBlocks", "SupportIpv4Gateway", "Ipv4GatewayId", "Tags",
        "AssociatedPropagationSources", "EnabledIpv6", "DnsHostnameStatus"],
    "DescribeVpcAttribute.CloudResourceSetType": ["ResourceCount", "ResourceType"],
    # VPC_DOC + "describevswitches"
    "DescribeVSwitches": ["PageSize", "RequestId", "PageNumber", "TotalCount", "VSwitches"],
    "DescribeVSwitches.VSwitch": [
        "VpcId", "Status", "CreationTime", "IsDefault", "AvailableIpAddressCount", "NetworkAclId", "OwnerId",
        "VSwitchId", "CidrBlock", "Description", "ResourceGroupId", "ZoneId", "Ipv6CidrBlock", "VSwitchName",
        "ShareType", "EnabledIpv6", "Tags", "RouteTable"],
    "VPC.RouteTable": ["RouteTableId", "RouteTableType"],
    # VPC_DOC + "describevswitchattributes"
    "DescribeVSwitchAttributes": [
        "VpcId", "Status", "CreationTime", "IsDefault", "AvailableIpAddressCount", "NetworkAclId", "OwnerId",
        "VSwitchId", "RequestId", "CidrBlock", "Description", "ResourceGroupId", "ZoneId", "Ipv6CidrBlock",
        "VSwitchName", "ShareType", "EnabledIpv6", "RouteTable", "Tags"],
    # VPC_DOC + "describeroutetablelist"
    "DescribeRouteTableList": ["RequestId", "PageSize", "PageNumber", "TotalCount", "RouterTableList"],
    "DescribeRouteTableList.RouterTableListType": [
        "VpcId", "CreationTime", "Status", "RouterId", "AssociateType", "RouteTableId", "OwnerId", "Description",
        "RouteTableType", "ResourceGroupId", "RouterType", "RouteTableName", "Tags", "VSwitchIds", "GatewayIds",
        "RoutePropagationEnable"],
}
# Sample keys LocalECS does not send, each for the reason EXEMPT gives.
SAMPLE_ABSENT = {"DescribeSecurityGroups.SecurityGroup": {"ServiceID"}}


def in_sample_order(obj: dict, name: str):
    sample = SAMPLES[name]
    sent = [k for k in obj if k in sample]
    want = [k for k in sample if k not in SAMPLE_ABSENT.get(name, set())]
    assert sent == want, f"{name}: keys in the wire order {sent}, the reference's sample has {want}"


def first(body: dict, *path: str) -> dict:
    for p in path:
        body = body[p]
        if isinstance(body, list):
            assert body, f"empty {p}: nothing to check the order of"
            body = body[0]
    return body


@pytest.mark.parametrize("kind", ["v3", "old"])
def test_key_order_of_network_group_and_tag_responses(server, world, kind):
    sdk = Sdk(kind, server.endpoint)
    vpc_api = Sdk(kind, server.endpoint, version="2016-04-28")
    ids = world[3]

    created = vpc_api.call("CreateVpc", RegionId=REGION, CidrBlock="10.91.0.0/16", VpcName="order",
                           **{"Tag.1.Key": "k", "Tag.1.Value": "v"})
    in_sample_order(created, "CreateVpc")
    vid = created["VpcId"]
    # Pending -> Available before a vSwitch may be made in it
    wait_available(lambda: vpc_api.call("DescribeVpcs", RegionId=REGION, VpcId=vid)["Vpcs"]["Vpc"][0]["Status"], vid)
    vpcs = vpc_api.call("DescribeVpcs", RegionId=REGION, VpcId=vid)
    in_sample_order(vpcs, "DescribeVpcs")
    in_sample_order(first(vpcs, "Vpcs", "Vpc"), "DescribeVpcs.Vpc")
    in_sample_order(first(vpcs, "Vpcs", "Vpc", "Tags", "Tag"), "VPC.Tag")
    attr = vpc_api.call("DescribeVpcAttribute", RegionId=REGION, VpcId=vid)
    in_sample_order(attr, "DescribeVpcAttribute")
    in_sample_order(first(attr, "CloudResources", "CloudResourceSetType"), "DescribeVpcAttribute.CloudResourceSetType")
    in_sample_order(first(attr, "Tags", "Tag"), "VPC.Tag")

    vsw = vpc_api.call("CreateVSwitch", RegionId=REGION, VpcId=vid, ZoneId="cn-hangzhou-h", CidrBlock="10.91.1.0/24",
                       VSwitchName="order", **{"Tag.1.Key": "k", "Tag.1.Value": "v"})["VSwitchId"]
    # Pending -> Available before an instance may use it
    wait_available(lambda: vpc_api.call("DescribeVSwitchAttributes", RegionId=REGION, VSwitchId=vsw)["Status"], vsw)
    switches = vpc_api.call("DescribeVSwitches", RegionId=REGION, VpcId=vid)
    in_sample_order(switches, "DescribeVSwitches")
    in_sample_order(first(switches, "VSwitches", "VSwitch"), "DescribeVSwitches.VSwitch")
    in_sample_order(first(switches, "VSwitches", "VSwitch", "RouteTable"), "VPC.RouteTable")
    in_sample_order(first(switches, "VSwitches", "VSwitch", "Tags", "Tag"), "VPC.Tag")
    vsw_attr = vpc_api.call("DescribeVSwitchAttributes", RegionId=REGION, VSwitchId=vsw)
    in_sample_order(vsw_attr, "DescribeVSwitchAttributes")
    in_sample_order(vsw_attr["RouteTable"], "VPC.RouteTable")
    tables = vpc_api.call("DescribeRouteTableList", RegionId=REGION, VpcId=vid)
    in_sample_order(tables, "DescribeRouteTableList")
    in_sample_order(first(tables, "RouterTableList", "RouterTableListType"), "DescribeRouteTableList.RouterTableListType")

    group = sdk.call("CreateSecurityGroup", RegionId=REGION, VpcId=vid, SecurityGroupName="order",
                     **{"Tag.1.Key": "k", "Tag.1.Value": "v"})
    in_sample_order(group, "CreateSecurityGroup")
    gid = group["SecurityGroupId"]
    sdk.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, IpProtocol="tcp", PortRange="22/22",
             SourceCidrIp="0.0.0.0/0")
    groups = sdk.call("DescribeSecurityGroups", RegionId=REGION, SecurityGroupId=gid)
    in_sample_order(groups, "DescribeSecurityGroups")
    in_sample_order(first(groups, "SecurityGroups", "SecurityGroup"), "DescribeSecurityGroups.SecurityGroup")
    in_sample_order(first(groups, "SecurityGroups", "SecurityGroup", "Tags", "Tag"), "ECS.Tag")
    rules = sdk.call("DescribeSecurityGroupAttribute", RegionId=REGION, SecurityGroupId=gid)
    in_sample_order(rules, "DescribeSecurityGroupAttribute")
    in_sample_order(first(rules, "Permissions", "Permission"), "DescribeSecurityGroupAttribute.Permission")
    tags = sdk.call("ListTagResources", RegionId=REGION, ResourceType="securitygroup", **{"ResourceId.1": gid})
    in_sample_order(tags, "ListTagResources")
    in_sample_order(first(tags, "TagResources", "TagResource"), "ListTagResources.TagResource")

    (iid,) = sdk.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, VSwitchId=vsw,
                      SecurityGroupId=gid, **{"DataDisk.1.Size": "20", "DataDisk.1.Category": "cloud_essd"}
                      )["InstanceIdSets"]["InstanceIdSet"]
    upkeep = sdk.call("DescribeInstanceMaintenanceAttributes", RegionId=REGION, **{"InstanceId.1": iid})
    in_sample_order(upkeep, "DescribeInstanceMaintenanceAttributes")
    item = first(upkeep, "MaintenanceAttributes", "MaintenanceAttribute")
    in_sample_order(item, "DescribeInstanceMaintenanceAttributes.MaintenanceAttribute")
    in_sample_order(first(item, "MaintenanceWindows", "MaintenanceWindow"),
                    "DescribeInstanceMaintenanceAttributes.MaintenanceWindow")
    in_sample_order(item["ActionOnMaintenance"], "DescribeInstanceMaintenanceAttributes.ActionOnMaintenance")
    pools = sdk.call("DescribeInstanceAttachmentAttributes", RegionId=REGION, InstanceIds=json.dumps([iid]))
    in_sample_order(pools, "DescribeInstanceAttachmentAttributes")
    in_sample_order(first(pools, "Instances", "Instance"), "DescribeInstanceAttachmentAttributes.Instance")
    in_sample_order(sdk.call("DescribeInstanceRamRole", RegionId=REGION, InstanceIds=json.dumps([iid])),
                    "DescribeInstanceRamRole")
    enis = sdk.call("DescribeNetworkInterfaces", RegionId=REGION, InstanceId=iid)
    in_sample_order(enis, "DescribeNetworkInterfaces")
    eni = first(enis, "NetworkInterfaceSets", "NetworkInterfaceSet")
    in_sample_order(eni, "DescribeNetworkInterfaces.NetworkInterfaceSet")
    in_sample_order(first(eni, "PrivateIpSets", "PrivateIpSet"), "DescribeNetworkInterfaces.PrivateIpSet")
    in_sample_order(eni["Attachment"], "DescribeNetworkInterfaces.Attachment")
    for disk_type in ("system", "data"):
        disks = sdk.call("DescribeDisks", RegionId=REGION, InstanceId=iid, DiskType=disk_type)
        in_sample_order(disks, "DescribeDisks")
        disk = first(disks, "Disks", "Disk")
        assert disk["Type"] == disk_type
        in_sample_order(disk, "DescribeDisks.Disk")
        in_sample_order(first(disk, "MountInstances", "MountInstance"), "DescribeDisks.MountInstance")
        in_sample_order(first(disk, "Attachments", "Attachment"), "DescribeDisks.Attachment")

    sdk.call("DeleteInstance", InstanceId=iid, Force=True)
    sdk.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=gid)
    vpc_api.call("DeleteVSwitch", RegionId=REGION, VSwitchId=vsw)
    vpc_api.call("DeleteVpc", RegionId=REGION, VpcId=vid)
