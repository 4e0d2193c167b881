"""The VPC API (2016-04-28) on the ECS endpoint, driven by the official `alibabacloud-vpc20160428`
SDK: VPCs and vSwitches with their CIDR rules, statuses, paging, quotas, dependency violations
and RAM; instances launched into a vSwitch with the official ECS SDK (addresses from the block,
distinct, freed on delete; VpcAttributes and filters true); state export/import and reset; the
audit trail's resources.

Tests that count VPCs use a region of their own: the VPC quota (10 per region) is per account,
and the session server's account is shared by every suite."""
from __future__ import annotations

import ipaddress
import json
import time
import urllib.request

import pytest
from alibabacloud_tea_openapi import utils_models as om
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
from alibabacloud_vpc20160428 import models as V
from alibabacloud_vpc20160428.client import Client as VpcClient

from conftest import ACCOUNT_ID, AK, INSTANCE_TYPE, LINUX_IMAGE, REGION, SECRET, ApiError, Sdk, Server, run_linux, unique
from test_ram import M, deny, allow, ram_client, user_with

ZONE = "cn-hangzhou-h"


def assert_forbidden(e, action: str, no_permission: str = "ImplicitDeny"):
    """A RAM denial as the VPC API sends it: 403 Forbidden.NoPermission with AccessDeniedDetail."""
    assert (e.code, e.status_code) == ("Forbidden.NoPermission", 403), f"{e.code} {e.status_code}: {e.message}"
    detail = e.access_denied_detail
    assert detail and detail["AuthAction"] == action and detail["NoPermissionType"] == no_permission
    assert detail["AuthPrincipalType"] == "SubUser"


def vpc_client(endpoint: str, ak: str = AK, secret: str = SECRET, kind: str = "v3") -> VpcClient:
    cfg = om.Config(access_key_id=ak, access_key_secret=secret, endpoint=endpoint, protocol="http", region_id=REGION,
                    read_timeout=30000)
    if kind == "v1":
        cfg.signature_algorithm = "v2"
    return VpcClient(cfg)


@pytest.fixture(params=["v3", "v1"])
def vpc(request, server) -> VpcClient:
    return vpc_client(server.endpoint, kind=request.param)


def expect(code: str, status: int, fn, *args) -> AlibabaCloudException:
    with pytest.raises(AlibabaCloudException) as info:
        fn(*args)
    e = info.value
    assert (e.code, e.status_code) == (code, status), f"{e.code} {e.status_code}: {e.message}"
    assert e.data["RequestId"] and e.data["Message"]
    return e


def new_vpc(vpc: VpcClient, cidr: str = "192.168.0.0/16", region: str = REGION, **kw) -> str:
    return vpc.create_vpc(V.CreateVpcRequest(region_id=region, cidr_block=cidr, **kw)).body.vpc_id


def new_vswitch(vpc: VpcClient, vpc_id: str, cidr: str, zone: str = ZONE, region: str = REGION, **kw) -> str:
    return vpc.create_vswitch(V.CreateVSwitchRequest(region_id=region, vpc_id=vpc_id, zone_id=zone, cidr_block=cidr, **kw)).body.v_switch_id


def describe_vpc(vpc: VpcClient, vpc_id: str, region: str = REGION):
    items = vpc.describe_vpcs(V.DescribeVpcsRequest(region_id=region, vpc_id=vpc_id)).body.vpcs.vpc
    return items[0] if items else None


def describe_vswitch(vpc: VpcClient, vsw_id: str, region: str = REGION):
    items = vpc.describe_vswitches(V.DescribeVSwitchesRequest(region_id=region, v_switch_id=vsw_id)).body.v_switches.v_switch
    return items[0] if items else None


def delete_all(vpc: VpcClient, region: str, vpc_ids: list[str]) -> None:
    for v in vpc_ids:
        for s in vpc.describe_vswitches(V.DescribeVSwitchesRequest(region_id=region, vpc_id=v, page_size=50)).body.v_switches.v_switch:
            vpc.delete_vswitch(V.DeleteVSwitchRequest(region_id=region, v_switch_id=s.v_switch_id))
        vpc.delete_vpc(V.DeleteVpcRequest(region_id=region, vpc_id=v))


# ---------------------------------------------------------------- VPCs and vSwitches


def test_vpc_and_vswitch_lifecycle(vpc):
    created = vpc.create_vpc(V.CreateVpcRequest(
        region_id=REGION, cidr_block="192.168.0.0/16", vpc_name="web", description="the web tier",
        tag=[V.CreateVpcRequestTag(key="env", value="test")])).body
    vid = created.vpc_id
    assert vid.startswith("vpc-") and len(vid) == 24
    assert created.vrouter_id == "vrt-" + vid[4:] and created.route_table_id == "vtb-" + vid[4:]
    v = describe_vpc(vpc, vid)
    assert (v.vpc_id, v.cidr_block, v.vpc_name, v.description, v.status, v.region_id, v.is_default) == \
        (vid, "192.168.0.0/16", "web", "the web tier", "Available", REGION, False)
    assert v.owner_id == int(ACCOUNT_ID)
    assert [(t.key, t.value) for t in v.tags.tag] == [("env", "test")]
    assert v.v_switch_ids.v_switch_id == []
    assert v.router_table_ids.router_table_ids == ["vtb-" + vid[4:]]

    sid = new_vswitch(vpc, vid, "192.168.1.0/24", v_switch_name="web-a", description="zone h")
    assert sid.startswith("vsw-") and len(sid) == 24
    s = describe_vswitch(vpc, sid)
    assert (s.v_switch_id, s.vpc_id, s.zone_id, s.cidr_block, s.v_switch_name, s.description, s.status) == \
        (sid, vid, ZONE, "192.168.1.0/24", "web-a", "zone h", "Available")
    # 256 addresses less the first and the last three, which ECS reserves.
    assert s.available_ip_address_count == 252
    assert s.route_table.route_table_id == "vtb-" + vid[4:]
    assert describe_vpc(vpc, vid).v_switch_ids.v_switch_id == [sid]
    listed = vpc.describe_vswitches(V.DescribeVSwitchesRequest(region_id=REGION, vpc_id=vid)).body
    assert (listed.total_count, [x.v_switch_id for x in listed.v_switches.v_switch]) == (1, [sid])
    assert vpc.describe_vswitches(V.DescribeVSwitchesRequest(region_id=REGION, vpc_id=vid, zone_id="cn-hangzhou-i")).body.total_count == 0
    assert vpc.describe_vswitches(V.DescribeVSwitchesRequest(region_id=REGION, vpc_id=vid,
                                                             route_table_id="vtb-" + vid[4:])).body.total_count == 1

    # A VPC with a vSwitch cannot go; a vSwitch can, then the VPC.
    expect("DependencyViolation.VSwitch", 400, vpc.delete_vpc, V.DeleteVpcRequest(region_id=REGION, vpc_id=vid))
    vpc.delete_vswitch(V.DeleteVSwitchRequest(region_id=REGION, v_switch_id=sid))
    assert describe_vswitch(vpc, sid) is None
    expect("InvalidVSwitchId.NotFound", 404, vpc.delete_vswitch, V.DeleteVSwitchRequest(region_id=REGION, v_switch_id=sid))
    vpc.delete_vpc(V.DeleteVpcRequest(region_id=REGION, vpc_id=vid))
    assert describe_vpc(vpc, vid) is None
    expect("InvalidVpcId.NotFound", 404, vpc.delete_vpc, V.DeleteVpcRequest(region_id=REGION, vpc_id=vid))


def test_default_cidr_and_dry_run(vpc):
    vid = vpc.create_vpc(V.CreateVpcRequest(region_id=REGION)).body.vpc_id
    assert describe_vpc(vpc, vid).cidr_block == "172.16.0.0/12"
    # DryRun checks and changes nothing.
    expect("DryRunOperation", 400, vpc.delete_vpc, V.DeleteVpcRequest(region_id=REGION, vpc_id=vid, dry_run=True))
    assert describe_vpc(vpc, vid) is not None
    vpc.delete_vpc(V.DeleteVpcRequest(region_id=REGION, vpc_id=vid))


@pytest.mark.parametrize("cidr", ["10.0.0.1/8", "300.0.0.0/8", "10.0.0.0/33", "10.0.0.0", "abc", "10.0.0.0/-1",
                                  "010.0.0.0/8", "10.0.0.0/08", " 10.0.0.0/8", "10.0.0.0/8/1", "1.2.3.4.5/8",
                                  "10.0.0.0/99999999999999999999", "１0.0.0.0/8", "10.0.0.0/8\n"])
def test_malformed_vpc_cidr(vpc, cidr):
    e = expect("InvalidCidrBlock.Malformed", 400, vpc.create_vpc, V.CreateVpcRequest(region_id=REGION, cidr_block=cidr))
    assert "Specified CIDR block is not valid." in e.message


@pytest.mark.parametrize("cidr", ["8.8.8.0/24", "172.32.0.0/16", "192.169.0.0/16", "10.0.0.0/7", "10.0.0.0/29", "0.0.0.0/0"])
def test_vpc_cidr_outside_private_ranges_or_masks(vpc, cidr):
    expect("InvalidCidrBlock.Malformed", 400, vpc.create_vpc, V.CreateVpcRequest(region_id=REGION, cidr_block=cidr))


def test_vswitch_cidr_rules(vpc):
    vid = new_vpc(vpc, "10.10.0.0/16")
    try:
        new_vswitch(vpc, vid, "10.10.0.0/24")
        # Outside the VPC's block.
        expect("InvalidParameter", 400, vpc.create_vswitch, V.CreateVSwitchRequest(
            region_id=REGION, vpc_id=vid, zone_id=ZONE, cidr_block="10.11.0.0/24"))
        # Overlapping a sibling, either way round.
        expect("InvalidCidrBlock.Overlapped", 400, vpc.create_vswitch, V.CreateVSwitchRequest(
            region_id=REGION, vpc_id=vid, zone_id=ZONE, cidr_block="10.10.0.128/25"))
        expect("InvalidCidrBlock.Overlapped", 400, vpc.create_vswitch, V.CreateVSwitchRequest(
            region_id=REGION, vpc_id=vid, zone_id="cn-hangzhou-i", cidr_block="10.10.0.0/23"))
        # Masks 16 to 29 only; canonical blocks only.
        for bad in ("10.10.8.0/30", "10.0.0.0/15", "10.10.8.1/24", "10.10.8.0"):
            expect("InvalidCidrBlock.Malformed", 400, vpc.create_vswitch, V.CreateVSwitchRequest(
                region_id=REGION, vpc_id=vid, zone_id=ZONE, cidr_block=bad))
        # Unknown zone, unknown VPC, missing block.
        expect("InvalidZoneId.NotFound", 404, vpc.create_vswitch, V.CreateVSwitchRequest(
            region_id=REGION, vpc_id=vid, zone_id="cn-shanghai-e", cidr_block="10.10.9.0/24"))
        expect("InvalidVpcId.NotFound", 404, vpc.create_vswitch, V.CreateVSwitchRequest(
            region_id=REGION, vpc_id="vpc-doesnotexist000000", zone_id=ZONE, cidr_block="10.10.9.0/24"))
        expect("MissingParameter", 400, vpc.create_vswitch, V.CreateVSwitchRequest(region_id=REGION, vpc_id=vid, zone_id=ZONE))
        # A VPC of another region is not found from this one.
        expect("InvalidVpcId.NotFound", 404, vpc.create_vswitch, V.CreateVSwitchRequest(
            region_id="cn-shanghai", vpc_id=vid, zone_id="cn-shanghai-e", cidr_block="10.10.9.0/24"))
        # Adjacent blocks are fine, in any zone of the region; the smallest is /29.
        new_vswitch(vpc, vid, "10.10.1.0/24", zone="cn-hangzhou-j")
        tiny = new_vswitch(vpc, vid, "10.10.2.0/29")
        assert describe_vswitch(vpc, tiny).available_ip_address_count == 4
        # Names and descriptions.
        expect("InvalidVSwitchName.Malformed", 400, vpc.create_vswitch, V.CreateVSwitchRequest(
            region_id=REGION, vpc_id=vid, zone_id=ZONE, cidr_block="10.10.3.0/24", v_switch_name="http://x"))
        expect("InvalidDescription.Malformed", 400, vpc.create_vswitch, V.CreateVSwitchRequest(
            region_id=REGION, vpc_id=vid, zone_id=ZONE, cidr_block="10.10.3.0/24", description="https://x"))
        expect("InvalidVpcName.Malformed", 400, vpc.create_vpc, V.CreateVpcRequest(region_id=REGION, vpc_name="https://x"))
        # What LocalECS does not model is refused, not dropped.
        expect("InvalidParameter", 400, vpc.create_vpc, V.CreateVpcRequest(region_id=REGION, enable_ipv_6=True))
        expect("InvalidParameter", 400, vpc.create_vswitch, V.CreateVSwitchRequest(
            region_id=REGION, vpc_id=vid, zone_id=ZONE, cidr_block="10.10.3.0/24", ipv_6cidr_block=3))
    finally:
        delete_all(vpc, REGION, [vid])


def test_client_token_is_idempotent(vpc):
    token = unique("tok")
    a = vpc.create_vpc(V.CreateVpcRequest(region_id=REGION, cidr_block="10.20.0.0/16", client_token=token)).body.vpc_id
    b = vpc.create_vpc(V.CreateVpcRequest(region_id=REGION, cidr_block="10.20.0.0/16", client_token=token)).body.vpc_id
    assert a == b
    expect("IdempotentParameterMismatch", 400, vpc.create_vpc,
           V.CreateVpcRequest(region_id=REGION, cidr_block="10.21.0.0/16", client_token=token))
    delete_all(vpc, REGION, [a])


def test_paging_filters_and_quota(server):
    vpc = vpc_client(server.endpoint)
    region = "cn-qingdao"
    ids = [new_vpc(vpc, f"10.{n}.0.0/16", region=region, vpc_name=f"q{n % 2}") for n in range(10)]
    try:
        # ECS's quota: 10 VPCs per region.
        expect("QuotaExceeded.Vpc", 400, vpc.create_vpc, V.CreateVpcRequest(region_id=region, cidr_block="10.99.0.0/16"))
        seen = []
        for page in (1, 2, 3, 4):
            body = vpc.describe_vpcs(V.DescribeVpcsRequest(region_id=region, page_size=3, page_number=page)).body
            assert (body.total_count, body.page_number, body.page_size) == (10, page, 3)
            seen += [v.vpc_id for v in body.vpcs.vpc]
        assert seen == ids  # oldest first, each once
        assert vpc.describe_vpcs(V.DescribeVpcsRequest(region_id=region, page_size=1000)).body.page_size == 50
        assert vpc.describe_vpcs(V.DescribeVpcsRequest(region_id=region, vpc_name="q1")).body.total_count == 5
        assert [v.vpc_id for v in vpc.describe_vpcs(V.DescribeVpcsRequest(
            region_id=region, vpc_id=f"{ids[3]},{ids[7]}")).body.vpcs.vpc] == [ids[3], ids[7]]
        assert vpc.describe_vpcs(V.DescribeVpcsRequest(region_id=region, is_default=True)).body.total_count == 0
        # Another region holds none of them.
        assert vpc.describe_vpcs(V.DescribeVpcsRequest(region_id="cn-zhangjiakou")).body.total_count == 0
        expect("InvalidParameter", 400, vpc.describe_vpcs, V.DescribeVpcsRequest(
            region_id=region, vpc_id=",".join(f"vpc-{n}" for n in range(21))))
        expect("InvalidRegionId.NotFound", 404, vpc.describe_vpcs, V.DescribeVpcsRequest(region_id="xx-nowhere-1"))
    finally:
        delete_all(vpc, region, ids)


def test_tag_filters(vpc):
    a = new_vpc(vpc, "10.30.0.0/16", tag=[V.CreateVpcRequestTag(key="team", value="red")])
    b = new_vpc(vpc, "10.31.0.0/16", tag=[V.CreateVpcRequestTag(key="team", value="blue")])
    try:
        red = vpc.describe_vpcs(V.DescribeVpcsRequest(region_id=REGION, tag=[V.DescribeVpcsRequestTag(key="team", value="red")])).body
        assert [v.vpc_id for v in red.vpcs.vpc] == [a]
        both = vpc.describe_vpcs(V.DescribeVpcsRequest(region_id=REGION, vpc_id=f"{a},{b}",
                                                       tag=[V.DescribeVpcsRequestTag(key="team")])).body
        assert both.total_count == 2
        expect("QuotaExceed.Tags", 403, vpc.create_vpc, V.CreateVpcRequest(
            region_id=REGION, tag=[V.CreateVpcRequestTag(key=f"k{n}", value="v") for n in range(21)]))
        expect("InvalidTagKey.Malformed", 400, vpc.create_vpc, V.CreateVpcRequest(
            region_id=REGION, tag=[V.CreateVpcRequestTag(key="acs:reserved", value="v")]))
    finally:
        delete_all(vpc, REGION, [a, b])


# ---------------------------------------------------------------- RAM


def test_ram_actions_and_arns(server):
    ram = ram_client(server)
    root = vpc_client(server.endpoint)
    vid = new_vpc(root, "10.40.0.0/16")
    other = new_vpc(root, "10.41.0.0/16")
    try:
        # Read-only: describing works, creating is denied as vpc:CreateVpc.
        _, ak, sk = user_with(ram, statements=[allow(["vpc:DescribeVpcs", "vpc:DescribeVSwitches"])])
        ro = vpc_client(server.endpoint, ak, sk)
        assert ro.describe_vpcs(V.DescribeVpcsRequest(region_id=REGION, vpc_id=vid)).body.total_count == 1
        with pytest.raises(AlibabaCloudException) as info:
            ro.create_vpc(V.CreateVpcRequest(region_id=REGION))
        assert_forbidden(info.value, "vpc:CreateVpc")
        # ecs:* grants nothing in the VPC API.
        _, ak, sk = user_with(ram, statements=[allow("ecs:*")])
        with pytest.raises(AlibabaCloudException) as info:
            vpc_client(server.endpoint, ak, sk).describe_vpcs(V.DescribeVpcsRequest(region_id=REGION))
        assert_forbidden(info.value, "vpc:DescribeVpcs")
        # Resource-level: DeleteVpc allowed on one VPC's ARN only.
        _, ak, sk = user_with(ram, statements=[allow("vpc:DeleteVpc", f"acs:vpc:{REGION}:{ACCOUNT_ID}:vpc/{vid}")])
        scoped = vpc_client(server.endpoint, ak, sk)
        with pytest.raises(AlibabaCloudException) as info:
            scoped.delete_vpc(V.DeleteVpcRequest(region_id=REGION, vpc_id=other))
        assert_forbidden(info.value, "vpc:DeleteVpc")
        scoped.delete_vpc(V.DeleteVpcRequest(region_id=REGION, vpc_id=vid))
        # An explicit Deny on vswitch/* wins over vpc:*.
        _, ak, sk = user_with(ram, statements=[allow("vpc:*"), deny("vpc:DeleteVSwitch", f"acs:vpc:*:{ACCOUNT_ID}:vswitch/*")])
        both = vpc_client(server.endpoint, ak, sk)
        sid = new_vswitch(both, other, "10.41.0.0/24")
        with pytest.raises(AlibabaCloudException) as info:
            both.delete_vswitch(V.DeleteVSwitchRequest(region_id=REGION, v_switch_id=sid))
        assert_forbidden(info.value, "vpc:DeleteVSwitch", "ExplicitDeny")
    finally:
        delete_all(root, REGION, [v for v in (vid, other) if describe_vpc(root, v)])


# ---------------------------------------------------------------- instances in a vSwitch


def test_instances_take_addresses_from_the_vswitch(server):
    vpc = vpc_client(server.endpoint)
    ecs = Sdk("v3", server.endpoint)
    vid = new_vpc(vpc, "10.50.0.0/16")
    tiny = new_vswitch(vpc, vid, "10.50.7.0/29", zone="cn-hangzhou-i")  # 4 usable: .1 to .4
    big = new_vswitch(vpc, vid, "10.50.8.0/24")
    ids = run_linux(ecs, 3, VSwitchId=tiny)
    items = {i["InstanceId"]: i for i in ecs.call("DescribeInstances", RegionId=REGION, VSwitchId=tiny)["Instances"]["Instance"]}
    assert sorted(items) == sorted(ids)
    addrs = [items[i]["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0] for i in ids]
    assert len(set(addrs)) == 3
    block = ipaddress.ip_network("10.50.7.0/29")
    for a in addrs:
        assert ipaddress.ip_address(a) in block and a not in ("10.50.7.0", "10.50.7.5", "10.50.7.6", "10.50.7.7")
    for i in ids:
        attrs = items[i]["VpcAttributes"]
        assert (attrs["VpcId"], attrs["VSwitchId"], items[i]["ZoneId"]) == (vid, tiny, "cn-hangzhou-i")
        one = ecs.call("DescribeInstanceAttribute", InstanceId=i)
        assert one["VpcAttributes"]["VSwitchId"] == tiny and one["VpcAttributes"]["VpcId"] == vid
        assert one["VpcAttributes"]["PrivateIpAddress"]["IpAddress"] == [items[i]["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0]]
    assert describe_vswitch(vpc, tiny).available_ip_address_count == 1

    # Two more do not fit in the one address left: nothing is created.
    with pytest.raises(ApiError) as info:
        run_linux(ecs, 2, VSwitchId=tiny)
    assert (info.value.code, info.value.status) == ("InvalidVSwitchId.IpNotEnough", 400)
    assert ecs.call("DescribeInstances", RegionId=REGION, VSwitchId=tiny)["TotalCount"] == 3

    # Filters: by VPC, by vSwitch; the zone comes from the vSwitch, a conflicting one is refused.
    (other,) = run_linux(ecs, 1, VSwitchId=big)
    assert ecs.call("DescribeInstances", RegionId=REGION, VpcId=vid)["TotalCount"] == 4
    assert [i["InstanceId"] for i in ecs.call("DescribeInstances", RegionId=REGION, VSwitchId=big)["Instances"]["Instance"]] == [other]
    with pytest.raises(ApiError) as info:
        run_linux(ecs, 1, VSwitchId=big, ZoneId="cn-hangzhou-i")
    assert (info.value.code, info.value.status) == ("InvalidParameter.Mismatch", 400)
    run_linux(ecs, 1, VSwitchId=big, ZoneId=ZONE)  # the vSwitch's own zone is fine
    with pytest.raises(ApiError) as info:
        run_linux(ecs, 1, VSwitchId="vsw-doesnotexist0000000")
    assert (info.value.code, info.value.status) == ("InvalidVSwitchId.NotFound", 404)
    with pytest.raises(ApiError) as info:  # a vSwitch of this account, but asked for in another region
        ecs.call("RunInstances", RegionId="cn-shanghai", ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, VSwitchId=big)
    assert info.value.code == "InvalidVSwitchId.NotFound"

    # In use: neither the vSwitch nor the VPC can go.
    expect("DependencyViolation", 400, vpc.delete_vswitch, V.DeleteVSwitchRequest(region_id=REGION, v_switch_id=tiny))
    expect("DependencyViolation.VSwitch", 400, vpc.delete_vpc, V.DeleteVpcRequest(region_id=REGION, vpc_id=vid))

    # A deleted instance frees its address; the next launch gets the lowest free one.
    freed = addrs[0]
    ecs.call("DeleteInstance", InstanceId=ids[0], Force=True)
    assert describe_vswitch(vpc, tiny).available_ip_address_count == 2
    (again,) = run_linux(ecs, 1, VSwitchId=tiny)
    assert ecs.call("DescribeInstanceAttribute", InstanceId=again)["VpcAttributes"]["PrivateIpAddress"]["IpAddress"] == [min(
        freed, *(a for a in ("10.50.7.1", "10.50.7.2", "10.50.7.3", "10.50.7.4") if a not in addrs[1:]),
        key=ipaddress.ip_address)]

    # Emptied, the vSwitches and the VPC go.
    for i in ecs.call("DescribeInstances", RegionId=REGION, VpcId=vid, PageSize=100)["Instances"]["Instance"]:
        ecs.call("DeleteInstance", InstanceId=i["InstanceId"], Force=True)
    delete_all(vpc, REGION, [vid])


def test_launch_without_vswitch_is_unchanged(server):
    ecs = Sdk("v3", server.endpoint)
    (i,) = run_linux(ecs, 1)
    attrs = ecs.call("DescribeInstanceAttribute", InstanceId=i)["VpcAttributes"]
    assert (attrs["VpcId"], attrs["VSwitchId"]) == ("", "")
    assert attrs["PrivateIpAddress"]["IpAddress"][0].startswith("172.16.")
    ecs.call("DeleteInstance", InstanceId=i, Force=True)


def test_concurrent_launches_never_share_an_address(server):
    from concurrent.futures import ThreadPoolExecutor
    vpc = vpc_client(server.endpoint)
    vid = new_vpc(vpc, "10.60.0.0/16")
    sid = new_vswitch(vpc, vid, "10.60.0.0/26")  # 60 usable
    ecs = Sdk("v3", server.endpoint)
    with ThreadPoolExecutor(8) as pool:
        batches = list(pool.map(lambda _: run_linux(Sdk("v3", server.endpoint), 3, VSwitchId=sid), range(8)))
    ids = [i for b in batches for i in b]
    items = ecs.call("DescribeInstances", RegionId=REGION, VSwitchId=sid, PageSize=100)["Instances"]["Instance"]
    addrs = [i["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0] for i in items]
    assert len(items) == len(ids) == 24 and len(set(addrs)) == 24
    assert describe_vswitch(vpc, sid).available_ip_address_count == 60 - 24
    for i in ids:
        ecs.call("DeleteInstance", InstanceId=i, Force=True)
    delete_all(vpc, REGION, [vid])


# ---------------------------------------------------------------- state and audit


def test_state_export_import_and_reset_cover_networks(tmp_path):
    own = Server(f"sqlite:{tmp_path / 'vpc.sqlite'}", args=["--transition-delay", "0"]).start()
    try:
        vpc = vpc_client(own.endpoint)
        vid = new_vpc(vpc, "10.70.0.0/16", tag=[V.CreateVpcRequestTag(key="k", value="v")])
        sid = new_vswitch(vpc, vid, "10.70.1.0/24")
        (iid,) = run_linux(Sdk("v3", own.endpoint), 1, VSwitchId=sid)

        def admin(method, path, body=None):
            req = urllib.request.Request(own.url + path, data=body, method=method)
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.read()

        first = admin("GET", "/_localecs/state")
        (acct,) = json.loads(first)["accounts"]
        assert [v["id"] for v in acct["vpcs"]] == [vid] and acct["vpcs"][0]["tags"] == [{"key": "k", "value": "v"}]
        assert [(s["id"], s["vpcId"], s["cidrBlock"]) for s in acct["vSwitches"]] == [(sid, vid, "10.70.1.0/24")]
        (inst,) = acct["instances"]
        assert (inst["vpcId"], inst["vSwitchId"]) == (vid, sid)
        admin("PUT", "/_localecs/state?replace=true", first)
        assert admin("GET", "/_localecs/state") == first
        assert describe_vswitch(vpc, sid).available_ip_address_count == 251
        expect("DependencyViolation", 400, vpc.delete_vswitch, V.DeleteVSwitchRequest(region_id=REGION, v_switch_id=sid))

        admin("POST", "/_localecs/reset")
        assert vpc.describe_vpcs(V.DescribeVpcsRequest(region_id=REGION)).body.total_count == 0
        assert vpc.describe_vswitches(V.DescribeVSwitchesRequest(region_id=REGION)).body.total_count == 0
        assert "vpcs" not in json.loads(admin("GET", "/_localecs/state"))["accounts"][0]
    finally:
        own.stop()


def test_audit_trail_names_vpc_resources(server):
    vpc = vpc_client(server.endpoint)
    vid = new_vpc(vpc, "10.80.0.0/16")
    sid = new_vswitch(vpc, vid, "10.80.1.0/24")
    delete_all(vpc, REGION, [vid])
    trail = Sdk("v3", server.endpoint, version="2020-07-06")
    deadline = time.time() + 10
    while True:
        events = trail.call("LookupEvents", **{"LookupAttribute.1.Key": "ResourceName", "LookupAttribute.1.Value": vid})["Events"]
        names = sorted(e["eventName"] for e in events)
        if names == ["CreateVSwitch", "CreateVpc", "DeleteVpc"] or time.time() > deadline:
            break
        time.sleep(0.2)
    assert names == ["CreateVSwitch", "CreateVpc", "DeleteVpc"]
    assert all(e["serviceName"] == "Vpc" for e in events)
    created = next(e for e in events if e["eventName"] == "CreateVpc")
    assert created["referencedResources"]["ACS::VPC::VPC"] == [vid]
    events = trail.call("LookupEvents", **{"LookupAttribute.1.Key": "ResourceType", "LookupAttribute.1.Value": "ACS::VPC::VSwitch",
                                           "MaxResults": "50"})["Events"]
    assert any(sid in e["referencedResources"].get("ACS::VPC::VSwitch", []) for e in events)


# ---------------------------------------------------------------- the VPC API's tag actions


def tag_rows(vpc: VpcClient, rtype: str, ids=None, tags=None, **kw) -> list[tuple[str, str, str]]:
    body = vpc.list_tag_resources(V.ListTagResourcesRequest(
        region_id=REGION, resource_type=rtype, resource_id=ids,
        tag=[V.ListTagResourcesRequestTag(key=k, value=v) for k, v in (tags or {}).items()] or None, **kw)).body
    return [(r.resource_id, r.tag_key, r.tag_value) for r in body.tag_resources.tag_resource]


def test_tag_untag_and_list(vpc):
    a = new_vpc(vpc, "10.100.0.0/16")
    b = new_vpc(vpc, "10.101.0.0/16", tag=[V.CreateVpcRequestTag(key="team", value="blue")])
    sid = new_vswitch(vpc, a, "10.100.1.0/24")
    try:
        vpc.tag_resources(V.TagResourcesRequest(region_id=REGION, resource_type="VPC", resource_id=[a, b],
                                                tag=[V.TagResourcesRequestTag(key="env", value="ci"),
                                                     V.TagResourcesRequestTag(key="team", value="red")]))
        # A key already on the resource takes the new value.
        assert sorted(tag_rows(vpc, "VPC", [a, b])) == sorted([(a, "env", "ci"), (a, "team", "red"), (b, "env", "ci"), (b, "team", "red")])
        assert [t.key for t in describe_vpc(vpc, a).tags.tag] == ["env", "team"]
        assert {r[0] for r in tag_rows(vpc, "VPC", tags={"team": "red"})} >= {a, b}
        vpc.tag_resources(V.TagResourcesRequest(region_id=REGION, resource_type="VSWITCH", resource_id=[sid],
                                                tag=[V.TagResourcesRequestTag(key="tier", value="web")]))
        assert tag_rows(vpc, "VSWITCH", [sid]) == [(sid, "tier", "web")]
        assert [(t.key, t.value) for t in describe_vswitch(vpc, sid).tags.tag] == [("tier", "web")]
        assert vpc.describe_vswitches(V.DescribeVSwitchesRequest(
            region_id=REGION, tag=[V.DescribeVSwitchesRequestTag(key="tier", value="web")])).body.total_count >= 1

        # Paging: one row per resource and tag.
        first = vpc.list_tag_resources(V.ListTagResourcesRequest(region_id=REGION, resource_type="VPC", resource_id=[a, b],
                                                                max_results=3)).body
        assert len(first.tag_resources.tag_resource) == 3 and first.next_token
        rest = vpc.list_tag_resources(V.ListTagResourcesRequest(region_id=REGION, resource_type="VPC", resource_id=[a, b],
                                                               max_results=3, next_token=first.next_token)).body
        assert len(rest.tag_resources.tag_resource) == 1 and rest.next_token == ""

        vpc.un_tag_resources(V.UnTagResourcesRequest(region_id=REGION, resource_type="VPC", resource_id=[a], tag_key=["env"]))
        assert tag_rows(vpc, "VPC", [a]) == [(a, "team", "red")]
        vpc.un_tag_resources(V.UnTagResourcesRequest(region_id=REGION, resource_type="VPC", resource_id=[b], all=True))
        assert tag_rows(vpc, "VPC", [b]) == []

        # 20 tags at most, all or nothing; reserved prefixes; unknown IDs and types.
        expect("QuotaExceed.Tags", 403, vpc.tag_resources, V.TagResourcesRequest(
            region_id=REGION, resource_type="VPC", resource_id=[b, a],
            tag=[V.TagResourcesRequestTag(key=f"k{n}", value="v") for n in range(20)]))
        assert tag_rows(vpc, "VPC", [a, b]) == [(a, "team", "red")]
        expect("InvalidTagKey.Malformed", 400, vpc.tag_resources, V.TagResourcesRequest(
            region_id=REGION, resource_type="VPC", resource_id=[a], tag=[V.TagResourcesRequestTag(key="aliyun-x", value="v")]))
        expect("InvalidResourceId.NotFound", 404, vpc.tag_resources, V.TagResourcesRequest(
            region_id=REGION, resource_type="VPC", resource_id=[a, "vpc-nope"], tag=[V.TagResourcesRequestTag(key="x", value="y")]))
        assert tag_rows(vpc, "VPC", [a]) == [(a, "team", "red")]
        expect("InvalidResourceId.NotFound", 404, vpc.tag_resources, V.TagResourcesRequest(
            region_id=REGION, resource_type="VSWITCH", resource_id=[a], tag=[V.TagResourcesRequestTag(key="x", value="y")]))
        expect("InvalidResourceType.NotSupported", 400, vpc.tag_resources, V.TagResourcesRequest(
            region_id=REGION, resource_type="EIP", resource_id=["eip-1"], tag=[V.TagResourcesRequestTag(key="x", value="y")]))
        expect("MissingParameter", 400, vpc.un_tag_resources, V.UnTagResourcesRequest(region_id=REGION, resource_type="VPC", resource_id=[a]))
        expect("MissingParameter", 400, vpc.list_tag_resources, V.ListTagResourcesRequest(region_id=REGION, resource_type="VPC"))
    finally:
        delete_all(vpc, REGION, [a, b])


def test_tag_actions_are_authorized_per_resource(server):
    ram = ram_client(server)
    root = vpc_client(server.endpoint)
    a, b = new_vpc(root, "10.110.0.0/16"), new_vpc(root, "10.111.0.0/16")
    try:
        _, ak, sk = user_with(ram, statements=[allow("vpc:TagResources", f"acs:vpc:{REGION}:{ACCOUNT_ID}:vpc/{a}")])
        user = vpc_client(server.endpoint, ak, sk)
        user.tag_resources(V.TagResourcesRequest(region_id=REGION, resource_type="VPC", resource_id=[a],
                                                 tag=[V.TagResourcesRequestTag(key="x", value="y")]))
        with pytest.raises(AlibabaCloudException) as info:
            user.tag_resources(V.TagResourcesRequest(region_id=REGION, resource_type="VPC", resource_id=[a, b],
                                                     tag=[V.TagResourcesRequestTag(key="x", value="y")]))
        assert_forbidden(info.value, "vpc:TagResources")
        assert tag_rows(root, "VPC", [b]) == []
    finally:
        delete_all(root, REGION, [a, b])
