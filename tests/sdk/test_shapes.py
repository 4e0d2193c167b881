"""Every served ECS action's response, walked against the official SDK's response model
(alibabacloud_ecs20140526, generated from the API metadata): each field the model carries is
present with the model's JSON type, unless ECS sends it only under a condition that does not hold
here (EXEMPT, with the reason). A field dropped later fails this test. The key order of the
objects footmark and the reference's samples care about is checked too."""
from __future__ import annotations

import base64
import json
import subprocess
import uuid

import pytest

from conftest import INSTANCE_TYPE, LINUX_IMAGE, REGION, Sdk, shared_vpc
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
