"""DescribeUserData and DescribeDisks (the system disk) through the official SDKs, the typed new SDK
included: what RunInstances/CreateInstance were given is kept, validated and read back."""
from __future__ import annotations

import base64
import json

import pytest

from conftest import INSTANCE_TYPE, LINUX_IMAGE, REGION, WINDOWS_IMAGE, ApiError, Sdk, ecs_client, unique

SCRIPT = "#!/bin/sh\necho hello from LocalECS > /tmp/hello\n"
USER_DATA = base64.b64encode(SCRIPT.encode()).decode()


def run(sdk: Sdk, **params) -> str:
    base = dict(RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE)
    base.update(params)
    return sdk.call("RunInstances", **base)["InstanceIdSets"]["InstanceIdSet"][0]


def error(fn) -> ApiError:
    with pytest.raises(ApiError) as ei:
        fn()
    return ei.value


def test_user_data_is_kept_and_described(sdk):
    iid = run(sdk, UserData=USER_DATA)
    body = sdk.call("DescribeUserData", RegionId=REGION, InstanceId=iid)
    assert (body["UserData"], body["InstanceId"], body["RegionId"]) == (USER_DATA, iid, REGION)
    assert base64.b64decode(body["UserData"]).decode() == SCRIPT
    assert list(body) == ["RequestId", "UserData", "InstanceId", "RegionId"]
    # Without user data: an empty string, as ECS answers.
    bare = sdk.call("CreateInstance", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE)["InstanceId"]
    assert sdk.call("DescribeUserData", RegionId=REGION, InstanceId=bare)["UserData"] == ""


def post_form(server, params: dict) -> tuple[int, dict]:
    """A V1-signed POST with every parameter in the form body: the SDKs put RunInstances' parameters
    in the URL, which LOCALECS_MAX_URI_BYTES (16 KiB by default) caps below 32 KB of user data."""
    from conftest import AK, SECRET
    from rawsign import post_form as signed_post
    return signed_post(server.url, AK, SECRET, params)


def test_user_data_refusals_create_nothing(sdk, server):
    before = sdk.call("DescribeInstances", RegionId=REGION, PageSize=1)["TotalCount"]
    e = error(lambda: run(sdk, UserData="not base64!"))
    assert (e.code, e.status) == ("InvalidUserData.NotBase64", 400)
    launch = {"Action": "RunInstances", "RegionId": REGION, "ImageId": LINUX_IMAGE, "InstanceType": INSTANCE_TYPE}
    status, body = post_form(server, {**launch, "UserData": base64.b64encode(b"x" * (32 * 1024 + 1)).decode()})
    assert (status, body["Code"]) == (400, "InvalidUserData.SizeExceeded"), body
    assert "32769" in body["Recommend"]
    assert sdk.call("DescribeInstances", RegionId=REGION, PageSize=1)["TotalCount"] == before
    # Exactly 32 KB is allowed.
    status, body = post_form(server, {**launch, "UserData": base64.b64encode(b"y" * (32 * 1024)).decode()})
    assert status == 200, body
    iid = body["InstanceIdSets"]["InstanceIdSet"][0]
    assert len(base64.b64decode(sdk.call("DescribeUserData", RegionId=REGION, InstanceId=iid)["UserData"])) == 32 * 1024
    # Through the SDK's URL, a few KB travel fine.
    script = base64.b64encode(b"#!/bin/sh\n" + b"echo ok\n" * 1000).decode()
    iid = run(sdk, UserData=script)
    assert sdk.call("DescribeUserData", RegionId=REGION, InstanceId=iid)["UserData"] == script


def test_describe_user_data_errors(sdk):
    e = error(lambda: sdk.call("DescribeUserData", RegionId=REGION, InstanceId="i-doesnotexist000000000"))
    assert (e.code, e.status) == ("InvalidInstanceId.NotFound", 404)
    iid = run(sdk)
    e = error(lambda: sdk.call("DescribeUserData", RegionId="cn-beijing", InstanceId=iid))
    assert (e.code, e.status) == ("InvalidInstanceId.NotFound", 404)
    e = error(lambda: sdk.call("DescribeUserData", RegionId=REGION))
    assert (e.code, e.status) == ("MissingParameter", 400)


def test_system_disk_follows_its_instance(sdk):
    iid = run(sdk, **{"SystemDisk.Category": "cloud_efficiency", "SystemDisk.Size": "60"})
    body = sdk.call("DescribeDisks", RegionId=REGION, InstanceId=iid)
    assert body["TotalCount"] == 1
    [d] = body["Disks"]["Disk"]
    assert d["DiskId"] == "d-" + iid[2:]
    assert (d["InstanceId"], d["Type"], d["Category"], d["Size"], d["Status"]) == (iid, "system", "cloud_efficiency", 60, "In_use")
    assert (d["ImageId"], d["RegionId"], d["DeleteWithInstance"], d["Portable"]) == (LINUX_IMAGE, REGION, True, False)
    assert d["Attachments"]["Attachment"] == [{"AttachedTime": d["AttachedTime"], "InstanceId": iid, "Device": "/dev/xvda"}]
    zone = sdk.call("DescribeInstanceAttribute", InstanceId=iid)["ZoneId"]
    assert d["ZoneId"] == zone
    # Filters: by disk ID, type, category; "data" finds nothing (LocalECS keeps no data disks).
    assert [x["DiskId"] for x in sdk.call("DescribeDisks", RegionId=REGION, DiskIds=json.dumps([d["DiskId"]]))["Disks"]["Disk"]] == [d["DiskId"]]
    assert sdk.call("DescribeDisks", RegionId=REGION, InstanceId=iid, DiskType="data")["Disks"]["Disk"] == []
    assert sdk.call("DescribeDisks", RegionId=REGION, InstanceId=iid, Category="cloud_essd")["Disks"]["Disk"] == []
    assert sdk.call("DescribeDisks", RegionId=REGION, DiskIds="[]")["Disks"]["Disk"] == []
    # Released with the instance (DeleteWithInstance).
    sdk.call("DeleteInstance", InstanceId=iid, Force=True)
    assert sdk.call("DescribeDisks", RegionId=REGION, InstanceId=iid)["TotalCount"] == 0


def test_system_disk_defaults(sdk):
    iid = run(sdk)
    [d] = sdk.call("DescribeDisks", RegionId=REGION, InstanceId=iid)["Disks"]["Disk"]
    assert (d["Category"], d["Size"], d["PerformanceLevel"]) == ("cloud_essd", 40, "PL0")
    win = run(sdk, ImageId=WINDOWS_IMAGE, Password="Passw0rd!2024")
    [w] = sdk.call("DescribeDisks", RegionId=REGION, InstanceId=win)["Disks"]["Disk"]
    assert w["Size"] == 40


@pytest.mark.parametrize("params,code", [
    ({"SystemDisk.Category": "floppy"}, "InvalidSystemDiskCategory.ValueNotSupported"),
    ({"SystemDisk.Size": "19"}, "InvalidSystemDiskSize.ValueNotSupported"),
    ({"SystemDisk.Size": "2049"}, "InvalidSystemDiskSize.ValueNotSupported"),
    ({"SystemDisk.Size": "99999999999999999999999"}, "InvalidSystemDiskSize.ValueNotSupported"),
    ({"SystemDisk.Size": "big"}, "InvalidSystemDiskSize.ValueNotSupported"),
    ({"SystemDisk.Size": "30", "ImageId": WINDOWS_IMAGE, "Password": "Passw0rd!2024"}, "InvalidSystemDiskSize.ValueNotSupported"),
])
def test_system_disk_refusals(sdk, params, code):
    e = error(lambda: run(sdk, **params))
    assert (e.code, e.status) == (code, 400), e.message


def test_describe_disks_paging_and_errors(sdk):
    ids = sdk.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, Amount=3,
                   **{"Tag.1.Key": "t", "Tag.1.Value": unique("d")})["InstanceIdSets"]["InstanceIdSet"]
    disk_ids = ["d-" + i[2:] for i in ids]
    first = sdk.call("DescribeDisks", RegionId=REGION, DiskIds=json.dumps(disk_ids), PageSize=2, PageNumber=1)
    second = sdk.call("DescribeDisks", RegionId=REGION, DiskIds=json.dumps(disk_ids), PageSize=2, PageNumber=2)
    assert first["TotalCount"] == 3 and len(first["Disks"]["Disk"]) == 2 and len(second["Disks"]["Disk"]) == 1
    assert sorted(x["DiskId"] for x in first["Disks"]["Disk"] + second["Disks"]["Disk"]) == sorted(disk_ids)
    e = error(lambda: sdk.call("DescribeDisks", RegionId=REGION, DiskIds="not json"))
    assert (e.code, e.status) == ("InvalidDiskIds.Malformed", 400)
    e = error(lambda: sdk.call("DescribeDisks", RegionId=REGION, DiskType="floppy"))
    assert (e.code, e.status) == ("InvalidParameter", 400)
    e = error(lambda: sdk.call("DescribeDisks", RegionId="xx-nowhere-1"))
    assert (e.code, e.status) == ("InvalidRegionId.NotFound", 404)


def test_typed_sdk_reads_disks_and_user_data(server):
    from alibabacloud_ecs20140526 import models as m
    client = ecs_client(server.endpoint)
    iid = client.run_instances(m.RunInstancesRequest(
        region_id=REGION, image_id=LINUX_IMAGE, instance_type=INSTANCE_TYPE, user_data=USER_DATA,
        system_disk=m.RunInstancesRequestSystemDisk(category="cloud_auto", size="50"))).body.instance_id_sets.instance_id_set[0]
    ud = client.describe_user_data(m.DescribeUserDataRequest(region_id=REGION, instance_id=iid)).body
    assert (ud.user_data, ud.instance_id) == (USER_DATA, iid)
    disks = client.describe_disks(m.DescribeDisksRequest(region_id=REGION, instance_id=iid)).body
    [d] = disks.disks.disk
    assert (d.disk_id, d.category, d.size, d.type, d.delete_with_instance) == ("d-" + iid[2:], "cloud_auto", 50, "system", True)
    assert d.attachments.attachment[0].instance_id == iid


@pytest.mark.parametrize("params,code,status", [
    ({"VSwitchId": "vsw-bp1doesnotexist0000"}, "InvalidVSwitchId.NotFound", 404),
    ({"SecurityGroupId": "sg-bp1doesnotexist000"}, "InvalidSecurityGroupId.NotFound", 404),
    ({"InstanceChargeType": "PrePaid"}, "InvalidInstanceChargeType.ValueNotSupported", 400),
])
def test_network_and_billing_parameters_are_refused_not_dropped(sdk, params, code, status):
    """No vSwitch can exist yet, this security group does not, and LocalECS sells no
    subscriptions: a launch that names one is refused as ECS refuses an unknown ID, and creates nothing."""
    before = sdk.call("DescribeInstances", RegionId=REGION, PageSize=1)["TotalCount"]
    e = error(lambda: run(sdk, **params))
    assert (e.code, e.status) == (code, status), e.message
    e = error(lambda: sdk.call("CreateInstance", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, **params))
    assert (e.code, e.status) == (code, status), e.message
    assert sdk.call("DescribeInstances", RegionId=REGION, PageSize=1)["TotalCount"] == before
    run(sdk, InstanceChargeType="PostPaid")
