"""Service condition keys (the RAM table's "Condition key" column) in RAM policies, through the
official SDKs: a policy whose Allow or Deny names `ecs:InstanceType`, `ecs:InstanceTypeFamily`,
`ecs:SecurityGroupSourceCidrIps`, `ecs:SecurityGroupIpProtocols` or `vpc:VPC` is honoured from the
values in the request; a key the request does not carry is absent, so a positive condition on it
does not hold. `localecs actions` and `/_localecs/actions` show the declared keys."""
from __future__ import annotations

import json
import subprocess
import urllib.request

import pytest
from alibabacloud_ecs20140526 import models as E
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
from alibabacloud_vpc20160428 import models as V

from conftest import ACCOUNT_ID, BIN, INSTANCE_TYPE, LINUX_IMAGE, REGION, Sdk, ecs_client, shared_vpc
from test_ram import assert_forbidden, ram_client, user_with
from test_vpc import assert_forbidden as assert_vpc_forbidden, vpc_client


@pytest.fixture
def ram(server):
    return ram_client(server)


def statement(effect: str, action: str, operator: str, key: str, values) -> dict:
    return {"Effect": effect, "Action": action, "Resource": "*", "Condition": {operator: {key: values}}}


def failure(fn) -> AlibabaCloudException:
    with pytest.raises(AlibabaCloudException) as info:
        fn()
    return info.value


def dry_run(client, instance_type: str):
    return client.run_instances(E.RunInstancesRequest(region_id=REGION, image_id=LINUX_IMAGE, instance_type=instance_type,
                                                      dry_run=True))


def test_run_instances_allowed_only_for_the_instance_type_the_policy_names(ram, server):
    _, ak, secret = user_with(ram, statements=[statement("Allow", "ecs:RunInstances", "StringEquals", "ecs:InstanceType",
                                                         INSTANCE_TYPE)])
    client = ecs_client(server.endpoint, ak=ak, secret=secret)
    # Allowed: the call goes on to the DryRun check, which is the next thing that answers.
    e = failure(lambda: dry_run(client, INSTANCE_TYPE))
    assert (e.code, e.status_code) == ("DryRunOperation", 400), e.message
    assert_forbidden(failure(lambda: dry_run(client, "ecs.c7.large")), "ecs:RunInstances")


def test_instance_type_family_and_a_real_launch(ram, server):
    _, ak, secret = user_with(ram, statements=[
        statement("Allow", "ecs:RunInstances", "StringLike", "ecs:InstanceTypeFamily", ["ecs.g7"]),
        {"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*"},
    ])
    client = ecs_client(server.endpoint, ak=ak, secret=secret)
    ids = client.run_instances(E.RunInstancesRequest(region_id=REGION, image_id=LINUX_IMAGE, instance_type="ecs.g7.xlarge")
                               ).body.instance_id_sets.instance_id_set
    assert len(ids) == 1
    assert_forbidden(failure(lambda: dry_run(client, "ecs.c7.large")), "ecs:RunInstances")
    Sdk("v3", server.endpoint).call("DeleteInstance", InstanceId=ids[0], Force=True)


def test_deny_world_open_ingress_rules_whatever_form_they_take(ram, server):
    root = Sdk("v3", server.endpoint)
    group = root.call("CreateSecurityGroup", RegionId=REGION, VpcId=shared_vpc(server.endpoint, "conditions"))["SecurityGroupId"]
    _, ak, secret = user_with(ram, system=["AliyunECSFullAccess"], statements=[
        statement("Deny", "ecs:AuthorizeSecurityGroup", "StringEquals", "ecs:SecurityGroupSourceCidrIps", "0.0.0.0/0"),
        statement("Deny", "ecs:AuthorizeSecurityGroup", "StringEquals", "ecs:SecurityGroupIpProtocols", "GRE"),
    ])
    client = ecs_client(server.endpoint, ak=ak, secret=secret)
    P = E.AuthorizeSecurityGroupRequestPermissions

    def authorize(**rule):
        return client.authorize_security_group(E.AuthorizeSecurityGroupRequest(
            region_id=REGION, security_group_id=group, permissions=[P(**rule)]))

    authorize(ip_protocol="tcp", port_range="22/22", source_cidr_ip="10.0.0.0/8")
    # Another group as the peer: no SourceCidrIp, so the CIDR key is absent and its Deny does not hold.
    peer = root.call("CreateSecurityGroup", RegionId=REGION, VpcId=shared_vpc(server.endpoint, "conditions"))["SecurityGroupId"]
    authorize(ip_protocol="tcp", port_range="80/80", source_group_id=peer)
    assert_forbidden(failure(lambda: authorize(ip_protocol="tcp", port_range="443/443", source_cidr_ip="0.0.0.0/0")),
                     "ecs:AuthorizeSecurityGroup", "ExplicitDeny")
    # The legacy single-rule parameters count as well; `gre` is compared as the group stores it, `GRE`.
    legacy = E.AuthorizeSecurityGroupRequest(region_id=REGION, security_group_id=group, ip_protocol="gre",
                                             port_range="-1/-1", source_cidr_ip="192.168.0.0/16")
    assert_forbidden(failure(lambda: client.authorize_security_group(legacy)), "ecs:AuthorizeSecurityGroup", "ExplicitDeny")
    # One world-open rule among several refuses the whole call: nothing of it is written.
    both = E.AuthorizeSecurityGroupRequest(region_id=REGION, security_group_id=group, permissions=[
        P(ip_protocol="tcp", port_range="8080/8080", source_cidr_ip="172.16.0.0/12"),
        P(ip_protocol="udp", port_range="53/53", source_cidr_ip="0.0.0.0/0")])
    assert_forbidden(failure(lambda: client.authorize_security_group(both)), "ecs:AuthorizeSecurityGroup", "ExplicitDeny")
    rules = root.call("DescribeSecurityGroupAttribute", RegionId=REGION, SecurityGroupId=group)["Permissions"]["Permission"]
    assert sorted(r["PortRange"] for r in rules) == ["22/22", "80/80"]
    for g in (group, peer):
        root.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=g)


def test_describe_vswitches_only_in_the_vpc_the_policy_names(ram, server):
    vpc_id = shared_vpc(server.endpoint, "conditions")
    arn = f"acs:vpc:{REGION}:{ACCOUNT_ID}:vpc/{vpc_id}"
    _, ak, secret = user_with(ram, statements=[statement("Allow", "vpc:DescribeVSwitches", "StringEquals", "vpc:VPC", arn)])
    client = vpc_client(server.endpoint, ak=ak, secret=secret)
    body = client.describe_vswitches(V.DescribeVSwitchesRequest(region_id=REGION, vpc_id=vpc_id)).body
    assert body.request_id
    other = "vpc-" + "0" * 20
    assert_vpc_forbidden(failure(lambda: client.describe_vswitches(V.DescribeVSwitchesRequest(region_id=REGION, vpc_id=other))),
                         "vpc:DescribeVSwitches")
    # Without VpcId the key is absent: the Allow's condition does not hold.
    assert_vpc_forbidden(failure(lambda: client.describe_vswitches(V.DescribeVSwitchesRequest(region_id=REGION))),
                         "vpc:DescribeVSwitches")


def test_actions_cli_and_declaration_json_show_the_keys(server):
    out = subprocess.run([str(BIN), "actions", "AuthorizeSecurityGroup"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = [line.split() for line in out.stdout.splitlines()]
    assert rows[1][:2] == ["ecs:AuthorizeSecurityGroup", "create"] and rows[1][-2:] == ["ecs:SecurityGroupIpProtocols", "None"]
    assert rows[2] == ["ecs:SecurityGroupSourceCidrIps"]
    [run] = json.loads(subprocess.run([str(BIN), "actions", "RunInstances", "--json"], capture_output=True, text=True,
                                      timeout=60).stdout)["Actions"]
    assert {"ecs:InstanceType", "ecs:InstanceTypeFamily", "ecs:ImageSource", "vpc:VPC"} <= set(run["RAM"]["ConditionKeys"])
    assert run["RAM"]["DependentActions"] == []
    with urllib.request.urlopen(f"{server.url}/_localecs/actions", timeout=10) as r:
        published = {(a["Product"], a["Name"]): a["RAM"] for a in json.loads(r.read())["Actions"]}
    assert published[("ecs", "RunInstances")] == run["RAM"]
    assert published[("ram", "CreateRole")]["ConditionKeys"] == ["ram:TrustedPrincipalTypes", "ram:ServiceNames"]
    assert published[("ecs", "DetachKeyPair")]["ConditionKeys"] == [] == published[("ecs", "DetachKeyPair")]["DependentActions"]
