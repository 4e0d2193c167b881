"""Security groups through the official SDKs: the groups, their rules (the legacy single-rule
parameters and `Permissions.N.*`), instances in them (RunInstances, Join/Leave, DescribeInstances),
the documented errors and statuses, RAM, and state export."""
from __future__ import annotations

import json

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException

from conftest import INSTANCE_TYPE, LINUX_IMAGE, REGION, ApiError, Sdk, ecs_client, old_client, unique, wait_status, shared_vpc

SSH = {"IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"}


def error(fn) -> ApiError:
    with pytest.raises(ApiError) as info:
        fn()
    return info.value


def create(sdk: Sdk, **params) -> str:
    return sdk.call("CreateSecurityGroup", RegionId=REGION, **params)["SecurityGroupId"]


def rules(sdk: Sdk, gid: str, **params) -> list[dict]:
    return sdk.call("DescribeSecurityGroupAttribute", RegionId=REGION, SecurityGroupId=gid, **params)["Permissions"]["Permission"]


def describe(sdk: Sdk, **params) -> dict:
    return sdk.call("DescribeSecurityGroups", RegionId=REGION, **params)


def run(sdk: Sdk, **params) -> str:
    [iid] = sdk.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, **params)[
        "InstanceIdSets"]["InstanceIdSet"]
    return iid


def instance(sdk: Sdk, iid: str) -> dict:
    [item] = sdk.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps([iid]))["Instances"]["Instance"]
    return item


def test_create_describe_modify_delete(sdk):
    name = unique("sg")
    vpc = shared_vpc(sdk.endpoint, "sg")
    gid = create(sdk, SecurityGroupName=name, Description="web tier", VpcId=vpc,
                 **{"Tag.1.Key": "env", "Tag.1.Value": "test"})
    assert gid.startswith("sg-") and len(gid) == 23
    [g] = describe(sdk, SecurityGroupId=gid)["SecurityGroups"]["SecurityGroup"]
    assert (g["SecurityGroupId"], g["SecurityGroupName"], g["Description"], g["VpcId"], g["SecurityGroupType"]) == (
        gid, name, "web tier", vpc, "normal")
    assert g["Tags"]["Tag"] == [{"TagKey": "env", "TagValue": "test"}]
    assert (g["EcsCount"], g["RuleCount"], g["ServiceManaged"]) == (0, 0, False)
    assert g["CreationTime"].endswith("Z")

    attr = sdk.call("DescribeSecurityGroupAttribute", RegionId=REGION, SecurityGroupId=gid)
    assert (attr["SecurityGroupId"], attr["SecurityGroupName"], attr["VpcId"], attr["RegionId"], attr["InnerAccessPolicy"]) == (
        gid, name, vpc, REGION, "Accept")
    assert attr["Permissions"]["Permission"] == []   # a new group admits nothing from outside

    sdk.call("ModifySecurityGroupAttribute", RegionId=REGION, SecurityGroupId=gid, SecurityGroupName=name + "-2",
             Description="renamed")
    attr = sdk.call("DescribeSecurityGroupAttribute", RegionId=REGION, SecurityGroupId=gid)
    assert (attr["SecurityGroupName"], attr["Description"]) == (name + "-2", "renamed")

    sdk.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=gid)
    assert describe(sdk, SecurityGroupId=gid)["SecurityGroups"]["SecurityGroup"] == []
    for action in ("DescribeSecurityGroupAttribute", "DeleteSecurityGroup", "ModifySecurityGroupAttribute"):
        e = error(lambda: sdk.call(action, RegionId=REGION, SecurityGroupId=gid, Description="xx"))
        assert (e.code, e.status) == ("InvalidSecurityGroupId.NotFound", 404), action


def test_a_group_is_found_only_in_its_region(v3):
    gid = create(v3)
    e = error(lambda: v3.call("DescribeSecurityGroupAttribute", RegionId="cn-shanghai", SecurityGroupId=gid))
    assert (e.code, e.status) == ("InvalidSecurityGroupId.NotFound", 404)
    v3.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=gid)


@pytest.mark.parametrize("params,code,status", [
    ({"SecurityGroupName": "1starts-with-digit"}, "InvalidSecurityGroupName.Malformed", 400),
    ({"SecurityGroupName": "http://x"}, "InvalidSecurityGroupName.Malformed", 400),
    ({"Description": "x"}, "InvalidDescription.Malformed", 400),
    ({"Description": "https://example.com"}, "InvalidDescription.Malformed", 400),
    ({"VpcId": "not-a-vpc"}, "InvalidVpcId.Malformed", 400),
    ({"SecurityGroupType": "special"}, "InvalidSecurityGroupType.ValueNotSupported", 400),
    ({"Tag.1.Key": "acs:reserved", "Tag.1.Value": "v"}, "InvalidTagKey.Malformed", 400),
    ({"RegionId": "xx-nowhere"}, "InvalidRegionId.NotFound", 404),
])
def test_create_refusals(sdk, params, code, status):
    before = describe(sdk, PageSize=1)["TotalCount"]
    e = error(lambda: sdk.call("CreateSecurityGroup", **{"RegionId": REGION, **params}))
    assert (e.code, e.status) == (code, status), e.message
    assert describe(sdk, PageSize=1)["TotalCount"] == before


def test_create_is_idempotent_with_a_client_token(v3):
    token = unique("tok")
    a = create(v3, ClientToken=token, SecurityGroupName="same")
    assert create(v3, ClientToken=token, SecurityGroupName="same") == a
    e = error(lambda: create(v3, ClientToken=token, SecurityGroupName="other"))
    assert (e.code, e.status) == ("IdempotentParameterMismatch", 400)
    v3.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=a)


def test_describe_paging_and_filters(v3):
    prefix = unique("page")
    vpc = shared_vpc(v3.endpoint, "sg")
    vpc_ids = [create(v3, SecurityGroupName=f"{prefix}-{n}", VpcId=vpc, **{"Tag.1.Key": prefix, "Tag.1.Value": "x"})
               for n in range(3)]
    classic = create(v3, SecurityGroupName=f"{prefix}-classic", SecurityGroupType="enterprise",
                     **{"Tag.1.Key": prefix, "Tag.1.Value": "y"})
    tagged = {"Tag.1.Key": prefix}
    body = describe(v3, PageSize=2, PageNumber=1, **tagged)
    assert (body["TotalCount"], body["PageSize"], body["PageNumber"]) == (4, 2, 1)
    first = [g["SecurityGroupId"] for g in body["SecurityGroups"]["SecurityGroup"]]
    second = [g["SecurityGroupId"] for g in describe(v3, PageSize=2, PageNumber=2, **tagged)["SecurityGroups"]["SecurityGroup"]]
    assert first + second == vpc_ids + [classic]    # oldest first
    page = describe(v3, MaxResults=10, **tagged)
    assert len(page["SecurityGroups"]["SecurityGroup"]) == 4 and page["NextToken"] == ""
    assert [g["SecurityGroupId"] for g in describe(v3, VpcId=vpc, **tagged)["SecurityGroups"]["SecurityGroup"]] == vpc_ids
    assert [g["SecurityGroupId"] for g in describe(v3, NetworkType="classic", **tagged)["SecurityGroups"]["SecurityGroup"]] == [classic]
    assert [g["SecurityGroupId"] for g in describe(v3, NetworkType="vpc", **tagged)["SecurityGroups"]["SecurityGroup"]] == vpc_ids
    assert [g["SecurityGroupId"] for g in describe(v3, SecurityGroupType="enterprise", **tagged)["SecurityGroups"]["SecurityGroup"]] == [classic]
    assert [g["SecurityGroupId"] for g in describe(v3, SecurityGroupName=f"{prefix}-1")["SecurityGroups"]["SecurityGroup"]] == [vpc_ids[1]]
    fuzzy = describe(v3, SecurityGroupName=prefix, FuzzyQuery=True)["SecurityGroups"]["SecurityGroup"]
    assert len(fuzzy) == 4
    assert [g["SecurityGroupId"] for g in describe(v3, **{"Tag.1.Key": prefix, "Tag.1.Value": "y"})["SecurityGroups"]["SecurityGroup"]] == [classic]
    picked = describe(v3, SecurityGroupIds=json.dumps([classic, vpc_ids[0]]))["SecurityGroups"]["SecurityGroup"]
    assert [g["SecurityGroupId"] for g in picked] == [vpc_ids[0], classic]
    e = error(lambda: describe(v3, NetworkType="mesh"))
    assert (e.code, e.status) == ("InvalidNetworkType.ValueNotSupported", 400)
    e = error(lambda: describe(v3, SecurityGroupIds="sg-1"))
    assert (e.code, e.status) == ("InvalidSecurityGroupIds.Malformed", 400)
    for g in vpc_ids + [classic]:
        v3.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=g)


def test_legacy_rule_parameters(sdk):
    gid = create(sdk)
    sdk.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, **SSH)
    [r] = rules(sdk, gid)
    assert (r["Direction"], r["IpProtocol"], r["PortRange"], r["SourceCidrIp"], r["Policy"], r["Priority"], r["NicType"]) == (
        "ingress", "TCP", "22/22", "0.0.0.0/0", "Accept", "1", "internet")
    assert r["SecurityGroupRuleId"].startswith("sgr-")
    # The same rule again changes nothing.
    sdk.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, **SSH, Policy="accept", Priority="1")
    assert len(rules(sdk, gid)) == 1
    sdk.call("AuthorizeSecurityGroupEgress", RegionId=REGION, SecurityGroupId=gid, IpProtocol="all", PortRange="-1/-1",
             DestCidrIp="10.0.0.0/8", Policy="drop", Priority="100", Description="no lateral")
    assert len(rules(sdk, gid)) == 2
    [e] = rules(sdk, gid, Direction="egress")
    assert (e["IpProtocol"], e["DestCidrIp"], e["Policy"], e["Priority"], e["Description"]) == ("ALL", "10.0.0.0/8", "Drop", "100", "no lateral")
    [g] = describe(sdk, SecurityGroupId=gid)["SecurityGroups"]["SecurityGroup"]
    assert g["RuleCount"] == 2
    sdk.call("RevokeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, **SSH)
    assert rules(sdk, gid, Direction="ingress") == []
    sdk.call("RevokeSecurityGroupEgress", RegionId=REGION, SecurityGroupId=gid, IpProtocol="all", PortRange="-1/-1",
             DestCidrIp="10.0.0.0/8", Policy="drop", Priority="100")
    assert rules(sdk, gid) == []
    sdk.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=gid)


def test_permissions_form_with_the_typed_sdk(server):
    """`Permissions.N.*` as the typed SDK (and Terraform) send them; revoke by rule ID."""
    client = ecs_client(server.endpoint)
    M = ecs_models
    gid = client.create_security_group(M.CreateSecurityGroupRequest(region_id=REGION, vpc_id=shared_vpc(server.endpoint, "sg"))).body.security_group_id
    P = M.AuthorizeSecurityGroupRequestPermissions
    client.authorize_security_group(M.AuthorizeSecurityGroupRequest(region_id=REGION, security_group_id=gid, permissions=[
        P(ip_protocol="TCP", port_range="22/22", source_cidr_ip="192.168.0.0/16", priority="5", policy="accept"),
        P(ip_protocol="ICMP", port_range="-1/-1", source_group_id=gid, description="ping within"),
    ]))
    body = client.describe_security_group_attribute(M.DescribeSecurityGroupAttributeRequest(
        region_id=REGION, security_group_id=gid)).body
    by_proto = {p.ip_protocol: p for p in body.permissions.permission}
    assert by_proto["TCP"].priority == "5" and by_proto["TCP"].nic_type == "intranet"   # a VPC group: intranet only
    assert by_proto["ICMP"].source_group_id == gid and by_proto["ICMP"].source_group_name == ""
    client.revoke_security_group(M.RevokeSecurityGroupRequest(region_id=REGION, security_group_id=gid,
                                                              security_group_rule_id=[by_proto["ICMP"].security_group_rule_id]))
    left = client.describe_security_group_attribute(M.DescribeSecurityGroupAttributeRequest(
        region_id=REGION, security_group_id=gid)).body.permissions.permission
    assert [p.ip_protocol for p in left] == ["TCP"]
    with pytest.raises(AlibabaCloudException) as info:
        client.revoke_security_group(M.RevokeSecurityGroupRequest(region_id=REGION, security_group_id=gid,
                                                                  security_group_rule_id=["sgr-nosuchrule"]))
    assert (info.value.code, info.value.status_code) == ("InvalidSecurityGroupRuleId.NotFound", 404)
    client.delete_security_group(M.DeleteSecurityGroupRequest(region_id=REGION, security_group_id=gid))


@pytest.mark.parametrize("params,code,status", [
    ({"IpProtocol": "sctp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"}, "InvalidIpProtocol.ValueNotSupported", 400),
    ({"IpProtocol": "tcp", "PortRange": "22", "SourceCidrIp": "0.0.0.0/0"}, "InvalidIpPortRange.Malformed", 400),
    ({"IpProtocol": "tcp", "PortRange": "0/70000", "SourceCidrIp": "0.0.0.0/0"}, "InvalidIpPortRange.Malformed", 400),
    ({"IpProtocol": "icmp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"}, "InvalidIpPortRange.Malformed", 400),
    ({"IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "10.0.0.0/40"}, "InvalidSourceCidrIp.Malformed", 400),
    ({"IpProtocol": "tcp", "PortRange": "22/22"}, "MissingParameter", 400),
    ({"PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"}, "MissingParameter", 400),
    ({**SSH, "Policy": "allow"}, "InvalidPolicy.Malformed", 400),
    ({**SSH, "Priority": "0"}, "InvalidPriority.ValueNotSupported", 400),
    ({**SSH, "Priority": "x"}, "InvalidPriority.Malformed", 400),
    ({**SSH, "NicType": "wan"}, "InvalidNicType.ValueNotSupported", 400),
    ({**SSH, "SourcePortRange": "1-2"}, "InvalidSourcePortRange.Malformed", 400),
    ({"IpProtocol": "tcp", "PortRange": "22/22", "SourceGroupId": "sg-bp1nosuchgroup0000"}, "InvalidSourceGroupId.NotFound", 404),
    ({**SSH, "SecurityGroupId": "sg-bp1nosuchgroup0000"}, "InvalidSecurityGroupId.NotFound", 404),
    ({**SSH, "Permissions.101.IpProtocol": "tcp"}, "InvalidParameter", 400),
])
def test_rule_refusals_change_nothing(v3, params, code, status):
    gid = create(v3)
    e = error(lambda: v3.call("AuthorizeSecurityGroup", **{"RegionId": REGION, "SecurityGroupId": gid, **params}))
    assert (e.code, e.status) == (code, status), e.message
    assert rules(v3, gid) == []
    v3.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=gid)


def test_egress_refusals(v3):
    gid = create(v3)
    e = error(lambda: v3.call("AuthorizeSecurityGroupEgress", RegionId=REGION, SecurityGroupId=gid, IpProtocol="tcp", PortRange="80/80"))
    assert (e.code, e.status) == ("MissingParameter", 400)
    e = error(lambda: v3.call("AuthorizeSecurityGroupEgress", RegionId=REGION, SecurityGroupId=gid, IpProtocol="tcp",
                              PortRange="80/80", DestCidrIp="1.2.3"))
    assert (e.code, e.status) == ("InvalidDestCidrIp.Malformed", 400)
    e = error(lambda: v3.call("AuthorizeSecurityGroupEgress", RegionId=REGION, SecurityGroupId=gid, IpProtocol="tcp",
                              PortRange="80/80", DestGroupId="sg-bp1nosuchgroup0000"))
    assert (e.code, e.status) == ("InvalidDestGroupId.NotFound", 404)
    v3.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=gid)


def test_two_hundred_rules_at_most(v3):
    gid = create(v3)

    def batch(start: int) -> dict:
        out = {}
        for n in range(1, 101):
            port = start + n
            out.update({f"Permissions.{n}.IpProtocol": "tcp", f"Permissions.{n}.PortRange": f"{port}/{port}",
                        f"Permissions.{n}.SourceCidrIp": "0.0.0.0/0"})
        return out
    v3.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, **batch(1000))
    v3.call("AuthorizeSecurityGroupEgress", RegionId=REGION, SecurityGroupId=gid,
            **{k.replace("SourceCidrIp", "DestCidrIp"): v for k, v in batch(2000).items()})
    assert len(rules(v3, gid)) == 200
    e = error(lambda: v3.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, **SSH))
    assert (e.code, e.status) == ("AuthorizationLimitExceed", 403)
    # Rules page with MaxResults/NextToken.
    page = v3.call("DescribeSecurityGroupAttribute", RegionId=REGION, SecurityGroupId=gid, MaxResults=150)
    rest = v3.call("DescribeSecurityGroupAttribute", RegionId=REGION, SecurityGroupId=gid, MaxResults=150, NextToken=page["NextToken"])
    assert len(page["Permissions"]["Permission"]) == 150 and len(rest["Permissions"]["Permission"]) == 50 and rest["NextToken"] == ""
    v3.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=gid)


def test_instances_in_groups_join_leave_and_delete(v3):
    a, b = create(v3), create(v3)
    in_vpc = create(v3, VpcId=shared_vpc(v3.endpoint, "other"))
    iid = run(v3, SecurityGroupId=a)
    wait_status(v3, iid, "Running")
    assert instance(v3, iid)["SecurityGroupIds"]["SecurityGroupId"] == [a]
    attr = v3.call("DescribeInstanceAttribute", InstanceId=iid)
    assert attr["SecurityGroupIds"]["SecurityGroupId"] == [a]
    found = v3.call("DescribeInstances", RegionId=REGION, SecurityGroupId=a)["Instances"]["Instance"]
    assert [i["InstanceId"] for i in found] == [iid]
    assert v3.call("DescribeInstances", RegionId=REGION, SecurityGroupId=b)["TotalCount"] == 0

    both = run(v3, **{"SecurityGroupIds.1": a, "SecurityGroupIds.2": b})
    assert instance(v3, both)["SecurityGroupIds"]["SecurityGroupId"] == [a, b]
    e = error(lambda: run(v3, **{"SecurityGroupIds.1": a, "SecurityGroupIds.2": in_vpc}))
    assert (e.code, e.status) == ("InvalidSecurityGroupId.VPCMismatch", 400)
    e = error(lambda: run(v3, SecurityGroupId="sg-bp1nosuchgroup0000"))
    assert (e.code, e.status) == ("InvalidSecurityGroupId.NotFound", 404)

    v3.call("JoinSecurityGroup", SecurityGroupId=b, InstanceId=iid)
    assert instance(v3, iid)["SecurityGroupIds"]["SecurityGroupId"] == [a, b]
    e = error(lambda: v3.call("JoinSecurityGroup", SecurityGroupId=b, InstanceId=iid))
    assert (e.code, e.status) == ("InvalidInstanceId.AlreadyExists", 403)
    e = error(lambda: v3.call("JoinSecurityGroup", SecurityGroupId=in_vpc, InstanceId=iid))
    assert (e.code, e.status) == ("InvalidSecurityGroupId.VPCMismatch", 400)
    e = error(lambda: v3.call("JoinSecurityGroup", SecurityGroupId=b, InstanceId="i-bp1nosuchinstance00"))
    assert (e.code, e.status) == ("InvalidInstanceId.NotFound", 404)
    e = error(lambda: v3.call("JoinSecurityGroup", SecurityGroupId="sg-bp1nosuchgroup0000", InstanceId=iid))
    assert (e.code, e.status) == ("InvalidSecurityGroupId.NotFound", 404)
    e = error(lambda: v3.call("JoinSecurityGroup", SecurityGroupId=b))
    assert (e.code, e.status) == ("MissingParameter", 400)

    [g] = describe(v3, SecurityGroupId=a)["SecurityGroups"]["SecurityGroup"]
    assert g["EcsCount"] == 2
    e = error(lambda: v3.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=a))
    assert (e.code, e.status) == ("DependencyViolation", 403)

    v3.call("LeaveSecurityGroup", SecurityGroupId=a, InstanceId=iid)
    assert instance(v3, iid)["SecurityGroupIds"]["SecurityGroupId"] == [b]
    e = error(lambda: v3.call("LeaveSecurityGroup", SecurityGroupId=a, InstanceId=iid))
    assert (e.code, e.status) == ("InvalidSecurityGroupId.NotFound", 404)
    e = error(lambda: v3.call("LeaveSecurityGroup", SecurityGroupId=b, InstanceId=iid))
    assert (e.code, e.status) == ("InstanceLastSecurityGroup", 403)

    for i in (iid, both):
        wait_status(v3, i, "Running")
        v3.call("DeleteInstance", InstanceId=i, Force=True)
    for g in (a, b, in_vpc):
        v3.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=g)


def test_old_core_sdk_request_classes(server):
    from aliyunsdkecs.request.v20140526.AuthorizeSecurityGroupRequest import AuthorizeSecurityGroupRequest
    from aliyunsdkecs.request.v20140526.CreateSecurityGroupRequest import CreateSecurityGroupRequest
    from aliyunsdkecs.request.v20140526.DeleteSecurityGroupRequest import DeleteSecurityGroupRequest
    from aliyunsdkecs.request.v20140526.DescribeSecurityGroupAttributeRequest import DescribeSecurityGroupAttributeRequest
    client = old_client(server.endpoint)
    r = CreateSecurityGroupRequest()
    r.set_SecurityGroupName("old-sdk")
    gid = json.loads(client.do_action_with_exception(r))["SecurityGroupId"]
    r = AuthorizeSecurityGroupRequest()
    r.set_SecurityGroupId(gid)
    r.set_IpProtocol("tcp")
    r.set_PortRange("22/22")
    r.set_SourceCidrIp("127.0.0.1")
    client.do_action_with_exception(r)
    r = DescribeSecurityGroupAttributeRequest()
    r.set_SecurityGroupId(gid)
    [p] = json.loads(client.do_action_with_exception(r))["Permissions"]["Permission"]
    assert (p["SourceCidrIp"], p["PortRange"]) == ("127.0.0.1", "22/22")
    r = DeleteSecurityGroupRequest()
    r.set_SecurityGroupId(gid)
    client.do_action_with_exception(r)


def test_ram_decides_per_group(server):
    from test_ram import allow, ram_client, user_with
    ram = ram_client(server)
    root = Sdk("v3", server.endpoint)
    mine, theirs = create(root), create(root)
    _, ak, sk = user_with(ram, statements=[allow("ecs:AuthorizeSecurityGroup", f"acs:ecs:*:*:securitygroup/{mine}"),
                                           allow("ecs:DescribeSecurityGroups")])
    user = Sdk("v3", server.endpoint, ak, sk)
    user.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=mine, **SSH)
    assert describe(user, SecurityGroupId=mine)["TotalCount"] == 1
    for action, params in [("AuthorizeSecurityGroup", {"SecurityGroupId": theirs, **SSH}), ("CreateSecurityGroup", {}),
                           ("DeleteSecurityGroup", {"SecurityGroupId": mine})]:
        e = error(lambda: user.call(action, RegionId=REGION, **params))
        assert (e.code, e.status) == ("Forbidden.RAM", 403), action
    assert rules(root, theirs) == []
    for g in (mine, theirs):
        root.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=g)


def test_groups_and_memberships_are_in_the_state_export(server, v3):
    import urllib.request
    gid = create(v3, SecurityGroupName="exported")
    v3.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, **SSH)
    iid = run(v3, SecurityGroupId=gid)
    with urllib.request.urlopen(server.url + "/_localecs/state") as resp:
        estate = json.loads(resp.read())
    groups = [g for a in estate["accounts"] for g in a.get("securityGroups", []) if g["id"] == gid]
    assert len(groups) == 1 and groups[0]["rules"][0]["portRange"] == "22/22"
    [inst] = [i for a in estate["accounts"] for i in a["instances"] if i["id"] == iid]
    assert inst["securityGroupIds"] == [gid]
    wait_status(v3, iid, "Running")
    v3.call("DeleteInstance", InstanceId=iid, Force=True)
    v3.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=gid)


def test_the_audit_trail_names_the_group(server, v3):
    import time
    from test_actiontrail import lookup, trail
    gid = create(v3)
    v3.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, **SSH)
    v3.call("TagResources", RegionId=REGION, ResourceType="securitygroup", **{"ResourceId.1": gid, "Tag.1.Key": "k"})
    v3.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=gid)
    client = trail(server)
    deadline = time.time() + 10
    names: list[str] = []
    while time.time() < deadline and len(names) < 4:
        time.sleep(0.3)
        names = [e["eventName"] for e in lookup(client, ResourceName=gid, ResourceType="ACS::ECS::SecurityGroup").events]
    # Newest first; CreateSecurityGroup is named by the ID it created.
    assert names == ["DeleteSecurityGroup", "TagResources", "AuthorizeSecurityGroup", "CreateSecurityGroup"]
