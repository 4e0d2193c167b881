"""Where the VPC API and ECS's security groups meet (issue 12's integration), through the official
SDKs: a security group's VpcId must name an existing VPC; an instance launched into a vSwitch only
takes groups of the vSwitch's VPC; a VPC with security groups in it cannot be deleted; the reads
Terraform and footmark make of a VPC and a vSwitch (DescribeVpcAttribute, DescribeVSwitchAttributes,
DescribeRouteTableList) show what was created and answer 404 once it is gone."""
from __future__ import annotations

import json
import uuid

import pytest

from conftest import INSTANCE_TYPE, LINUX_IMAGE, REGION, ApiError, Sdk, shared_vpc, wait_available, wait_status

ZONE = "cn-hangzhou-i"


def vpc_sdk(server, kind: str = "v3") -> Sdk:
    return Sdk(kind, server.endpoint, version="2016-04-28")


def make_network(server, cidr: str):
    vpc = vpc_sdk(server)
    name = "seam-" + uuid.uuid4().hex[:8]
    vpc_id = vpc.call("CreateVpc", RegionId=REGION, CidrBlock=cidr, VpcName=name)["VpcId"]
    wait_available(lambda: vpc.call("DescribeVpcAttribute", RegionId=REGION, VpcId=vpc_id)["Status"])
    block = cidr.split("/")[0].rsplit(".", 2)[0] + ".1.0/24"
    vsw_id = vpc.call("CreateVSwitch", RegionId=REGION, VpcId=vpc_id, ZoneId=ZONE, CidrBlock=block, VSwitchName=name)["VSwitchId"]
    wait_available(lambda: vpc.call("DescribeVSwitchAttributes", RegionId=REGION, VSwitchId=vsw_id)["Status"])
    return vpc_id, vsw_id


@pytest.mark.parametrize("kind", ["v3", "v1", "old"])
def test_security_group_needs_an_existing_vpc(server, kind):
    ecs = Sdk(kind, server.endpoint)
    with pytest.raises(ApiError) as e:
        ecs.call("CreateSecurityGroup", RegionId=REGION, VpcId="vpc-" + uuid.uuid4().hex[:20])
    assert (e.value.code, e.value.status) == ("InvalidVpcId.NotFound", 404)
    vpc_id = shared_vpc(server.endpoint, "seams")
    sg = ecs.call("CreateSecurityGroup", RegionId=REGION, VpcId=vpc_id)["SecurityGroupId"]
    [g] = ecs.call("DescribeSecurityGroups", RegionId=REGION, SecurityGroupId=sg)["SecurityGroups"]["SecurityGroup"]
    assert g["VpcId"] == vpc_id
    ecs.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=sg)


def test_run_instances_refuses_groups_of_another_vpc(server):
    ecs = Sdk("v3", server.endpoint)
    vpc_a, vsw_a = make_network(server, "10.30.0.0/16")
    vpc_b, _ = make_network(server, "10.31.0.0/16")
    sg_a = ecs.call("CreateSecurityGroup", RegionId=REGION, VpcId=vpc_a)["SecurityGroupId"]
    sg_b = ecs.call("CreateSecurityGroup", RegionId=REGION, VpcId=vpc_b)["SecurityGroupId"]
    before = ecs.call("DescribeInstances", RegionId=REGION, VpcId=vpc_a)["TotalCount"]
    for groups in ({"SecurityGroupId": sg_b}, {"SecurityGroupIds.1": sg_b}):
        with pytest.raises(ApiError) as e:
            ecs.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, VSwitchId=vsw_a, **groups)
        assert (e.value.code, e.value.status) == ("InvalidParameter.Mismatch", 400), e.value
    assert ecs.call("DescribeInstances", RegionId=REGION, VpcId=vpc_a)["TotalCount"] == before   # nothing was created
    [iid] = ecs.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, VSwitchId=vsw_a,
                     SecurityGroupId=sg_a)["InstanceIdSets"]["InstanceIdSet"]
    wait_status(ecs, iid, "Running")
    inst = ecs.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps([iid]))["Instances"]["Instance"][0]
    assert (inst["VpcAttributes"]["VpcId"], inst["VpcAttributes"]["VSwitchId"]) == (vpc_a, vsw_a)
    assert inst["SecurityGroupIds"]["SecurityGroupId"] == [sg_a]
    # Its network interface says the same.
    [eni] = ecs.call("DescribeNetworkInterfaces", RegionId=REGION, InstanceId=iid)["NetworkInterfaceSets"]["NetworkInterfaceSet"]
    assert (eni["VpcId"], eni["VSwitchId"], eni["SecurityGroupIds"]["SecurityGroupId"]) == (vpc_a, vsw_a, [sg_a])
    assert eni["PrivateIpAddress"] == inst["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0]
    # A group of another VPC cannot be joined either (JoinSecurityGroup's own code), nor by an
    # instance in the vSwitch that is in no group yet.
    with pytest.raises(ApiError) as e:
        ecs.call("JoinSecurityGroup", InstanceId=iid, SecurityGroupId=sg_b)
    assert (e.value.code, e.value.status) == ("InvalidSecurityGroupId.VPCMismatch", 400)
    [bare] = ecs.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE,
                      VSwitchId=vsw_a)["InstanceIdSets"]["InstanceIdSet"]
    with pytest.raises(ApiError) as e:
        ecs.call("JoinSecurityGroup", InstanceId=bare, SecurityGroupId=sg_b)
    assert (e.value.code, e.value.status) == ("InvalidParameter.Mismatch", 400)
    ecs.call("JoinSecurityGroup", InstanceId=bare, SecurityGroupId=sg_a)
    ecs.call("DeleteInstance", InstanceId=bare, Force=True)
    # Torn down again (a region holds at most 10 VPCs).
    ecs.call("DeleteInstance", InstanceId=iid, Force=True)
    vpc = vpc_sdk(server)
    for sg in (sg_a, sg_b):
        ecs.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=sg)
    vpc.call("DeleteVSwitch", RegionId=REGION, VSwitchId=vsw_a)
    for v in (vpc_a, vpc_b):
        for s in vpc.call("DescribeVSwitches", RegionId=REGION, VpcId=v)["VSwitches"]["VSwitch"]:
            vpc.call("DeleteVSwitch", RegionId=REGION, VSwitchId=s["VSwitchId"])
        vpc.call("DeleteVpc", RegionId=REGION, VpcId=v)


def test_delete_vpc_refused_while_security_groups_are_in_it(server):
    ecs, vpc = Sdk("v3", server.endpoint), vpc_sdk(server)
    vpc_id, vsw_id = make_network(server, "10.40.0.0/16")
    vpc.call("DeleteVSwitch", RegionId=REGION, VSwitchId=vsw_id)
    sg = ecs.call("CreateSecurityGroup", RegionId=REGION, VpcId=vpc_id)["SecurityGroupId"]
    with pytest.raises(ApiError) as e:
        vpc.call("DeleteVpc", RegionId=REGION, VpcId=vpc_id)
    assert (e.value.code, e.value.status) == ("DependencyViolation.SecurityGroup", 400)
    assert vpc.call("DescribeVpcAttribute", RegionId=REGION, VpcId=vpc_id)["VpcId"] == vpc_id
    ecs.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=sg)
    vpc.call("DeleteVpc", RegionId=REGION, VpcId=vpc_id)
    with pytest.raises(ApiError) as e:
        vpc.call("DescribeVpcAttribute", RegionId=REGION, VpcId=vpc_id)
    assert (e.value.code, e.value.status) == ("InvalidVpcId.NotFound", 404)


@pytest.mark.parametrize("kind", ["v3", "v1", "old"])
def test_vpc_reads(server, kind):
    vpc = vpc_sdk(server, kind)
    vpc_id, vsw_id = make_network(server, "10.50.0.0/16")
    a = vpc.call("DescribeVpcAttribute", RegionId=REGION, VpcId=vpc_id)
    assert (a["VpcId"], a["CidrBlock"], a["Status"], a["VSwitchIds"]["VSwitchId"]) == (vpc_id, "10.50.0.0/16", "Available", [vsw_id])
    s = vpc.call("DescribeVSwitchAttributes", RegionId=REGION, VSwitchId=vsw_id)
    assert (s["VSwitchId"], s["VpcId"], s["ZoneId"], s["CidrBlock"]) == (vsw_id, vpc_id, ZONE, "10.50.1.0/24")
    [rt] = vpc.call("DescribeRouteTableList", RegionId=REGION, VpcId=vpc_id)["RouterTableList"]["RouterTableListType"]
    assert (rt["VpcId"], rt["RouteTableType"], rt["RouterId"], rt["RouteTableId"]) == \
        (vpc_id, "System", a["VRouterId"], s["RouteTable"]["RouteTableId"])
    assert rt["VSwitchIds"]["VSwitchId"] == [vsw_id]
    assert vpc.call("DescribeRouteTableList", RegionId=REGION, RouteTableId=rt["RouteTableId"])["TotalCount"] == 1
    assert vpc.call("DescribeRouteTableList", RegionId=REGION, VpcId=vpc_id, RouteTableType="Custom")["TotalCount"] == 0
    vpc.call("DeleteVSwitch", RegionId=REGION, VSwitchId=vsw_id)
    with pytest.raises(ApiError) as e:
        vpc.call("DescribeVSwitchAttributes", RegionId=REGION, VSwitchId=vsw_id)
    assert (e.value.code, e.value.status) == ("InvalidVSwitchId.NotFound", 404)
    vpc.call("DeleteVpc", RegionId=REGION, VpcId=vpc_id)
