"""DescribeUserData and DescribeDisks (the system disk and `DataDisk.N.*` data disks) through the
official SDKs, the typed new SDK included: what RunInstances/CreateInstance were given is kept,
validated and read back, and every data disk field LocalECS cannot honour is refused."""
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
    # Filters: by disk ID, type, category; "data" finds nothing (the launch asked for none).
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


def data_disks(*disks: dict) -> dict:
    return {f"DataDisk.{n}.{k}": str(v) for n, d in enumerate(disks, 1) for k, v in d.items()}


def test_data_disks_are_made_described_filtered_and_deleted(sdk):
    iid = run(sdk, **data_disks(
        {"Category": "cloud_essd", "Size": 100, "PerformanceLevel": "PL0", "DiskName": "logs",
         "Description": "first data disk", "DeleteWithInstance": "true"},
        {"Size": 20},
        {"Category": "cloud_ssd", "Size": 30, "Device": "/dev/xvdb"}))
    body = sdk.call("DescribeDisks", RegionId=REGION, InstanceId=iid)
    assert body["TotalCount"] == 4
    system, a, b, c = body["Disks"]["Disk"]
    assert (system["Type"], system["DiskId"], system["Device"]) == ("system", "d-" + iid[2:], "/dev/xvda")
    assert [d["DiskId"] for d in (a, b, c)] == [f"d-{iid[2:]}-{n}" for n in (1, 2, 3)]
    assert {d["Type"] for d in (a, b, c)} == {"data"}
    # The one that names its device gets it; the others take the first free letters in order.
    assert [d["Device"] for d in (a, b, c)] == ["/dev/xvdc", "/dev/xvdd", "/dev/xvdb"]
    assert (a["Category"], a["Size"], a["PerformanceLevel"], a["DiskName"], a["Description"]) == \
        ("cloud_essd", 100, "PL0", "logs", "first data disk")
    assert a["IOPS"] == 1800 + 12 * 100
    # ECS's default data disk category; not ESSD, so no level.
    assert (b["Category"], b["Size"], b["PerformanceLevel"], b["DiskName"]) == ("cloud_efficiency", 20, "", "")
    for d in (a, b, c):
        assert (d["InstanceId"], d["Status"], d["DeleteWithInstance"], d["ZoneId"], d["RegionId"]) == \
            (iid, "In_use", True, system["ZoneId"], REGION)
        assert (d["ImageId"], d["Encrypted"], d["Portable"]) == ("", False, False)
        assert d["Attachments"]["Attachment"] == [{"AttachedTime": d["AttachedTime"], "InstanceId": iid, "Device": d["Device"]}]

    def ids(**f) -> list[str]:
        return [d["DiskId"] for d in sdk.call("DescribeDisks", RegionId=REGION, InstanceId=iid, **f)["Disks"]["Disk"]]
    assert ids(DiskType="data") == [a["DiskId"], b["DiskId"], c["DiskId"]]
    assert ids(DiskType="system") == [system["DiskId"]]
    assert ids(DiskType="all") == [system["DiskId"], a["DiskId"], b["DiskId"], c["DiskId"]]
    assert ids(Category="cloud_ssd") == [c["DiskId"]]
    assert ids(DiskName="logs") == [a["DiskId"]]
    assert ids(Status="In_use", DiskType="data", Category="cloud_efficiency") == [b["DiskId"]]
    # DiskIds alone (no InstanceId) finds exactly the disks named, system or data.
    named = sdk.call("DescribeDisks", RegionId=REGION, DiskIds=json.dumps([b["DiskId"], system["DiskId"]]))["Disks"]["Disk"]
    assert [d["DiskId"] for d in named] == [system["DiskId"], b["DiskId"]]
    assert sdk.call("DescribeDisks", RegionId=REGION, DiskIds=json.dumps([f"d-{iid[2:]}-9"]))["TotalCount"] == 0
    # Token paging walks the four.
    first = sdk.call("DescribeDisks", RegionId=REGION, InstanceId=iid, MaxResults=10)
    assert len(first["Disks"]["Disk"]) == 4 and first["NextToken"] == ""
    # DeleteWithInstance (the only way LocalECS makes them): gone with the instance.
    sdk.call("DeleteInstance", InstanceId=iid, Force=True)
    assert sdk.call("DescribeDisks", RegionId=REGION, DiskIds=json.dumps([a["DiskId"], b["DiskId"], c["DiskId"]]))["TotalCount"] == 0


def test_create_instance_takes_data_disks_too(sdk):
    iid = sdk.call("CreateInstance", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE,
                   **data_disks({"Category": "cloud_essd", "Size": 500}))["InstanceId"]
    [d] = sdk.call("DescribeDisks", RegionId=REGION, InstanceId=iid, DiskType="data")["Disks"]["Disk"]
    # ESSD without a level is PL1, as on ECS.
    assert (d["Category"], d["Size"], d["PerformanceLevel"], d["Device"]) == ("cloud_essd", 500, "PL1", "/dev/xvdb")
    # Sixteen is the most an instance takes.
    many = run(sdk, **data_disks(*[{"Size": 20}] * 16))
    disks = sdk.call("DescribeDisks", RegionId=REGION, InstanceId=many, DiskType="data", PageSize=100)["Disks"]["Disk"]
    assert [d["Device"] for d in disks] == ["/dev/xvd" + c for c in "bcdefghijklmnopq"]


@pytest.mark.parametrize("disk,code,status,says", [
    ({"Category": "floppy", "Size": 20}, "InvalidDataDiskCategory.ValueNotSupported", 400, "cloud_essd"),
    ({"Category": "cloud_efficiency"}, "InvalidDataDiskSize.ValueNotSupported", 400, "required"),
    ({"Size": 19}, "InvalidDataDiskSize.ValueNotSupported", 400, "20 to 32768"),
    ({"Category": "cloud", "Size": 2001}, "InvalidDataDiskSize.ValueNotSupported", 400, "5 to 2000"),
    ({"Category": "cloud_essd", "PerformanceLevel": "PL3", "Size": 1000}, "InvalidDataDiskSize.ValueNotSupported", 400, "1261"),
    ({"Size": "99999999999999999999999"}, "InvalidDataDiskSize.ValueNotSupported", 400, "20 to 32768"),
    ({"Size": "big"}, "InvalidDataDiskSize.ValueNotSupported", 400, "20 to 32768"),
    ({"Category": "cloud_ssd", "Size": 20, "PerformanceLevel": "PL1"}, "InvalidParameter", 400, "cloud_essd disks only"),
    ({"Category": "cloud_essd", "Size": 20, "PerformanceLevel": "PL9"}, "InvalidParameter", 400, "PL0, PL1, PL2 or PL3"),
    ({"Size": 20, "SnapshotId": "s-bp1doesnotexist0000"}, "InvalidSnapshotId.NotFound", 404, "no snapshots"),
    ({"Size": 20, "Encrypted": "true"}, "InvalidParameter.NotSupported", 400, "does not encrypt"),
    ({"Size": 20, "Encrypted": "maybe"}, "InvalidParameter", 400, "true or false"),
    ({"Size": 20, "KMSKeyId": "0e478b7a-4262-4802-b8cb-00d3fb40826X"}, "InvalidParameter.NotSupported", 400, "does not encrypt"),
    ({"Size": 20, "EncryptAlgorithm": "AES-256"}, "InvalidParameter.NotSupported", 400, "does not encrypt"),
    ({"Size": 20, "AutoSnapshotPolicyId": "sp-bp1abc"}, "InvalidParameter.NotSupported", 400, "snapshot policies"),
    ({"Size": 20, "StorageClusterId": "dbsc-bp1abc"}, "InvalidParameter.NotSupported", 400, "storage clusters"),
    ({"Category": "cloud_auto", "Size": 20, "ProvisionedIops": "5000"}, "InvalidParameter.NotSupported", 400, "performance"),
    ({"Category": "cloud_auto", "Size": 20, "BurstingEnabled": "true"}, "InvalidParameter.NotSupported", 400, "bursting"),
    ({"Size": 20, "DeleteWithInstance": "false"}, "InvalidParameter.NotSupported", 400, "only with their instance"),
    ({"Size": 20, "Device": "/dev/xvda"}, "InvalidParameter", 400, "/dev/xvdb to /dev/xvdz"),
    ({"Size": 20, "DiskName": "1bad"}, "InvalidParameter", 400, "start with a letter"),
    ({"Size": 20, "Description": "http://x"}, "InvalidParameter", 400, "http://"),
])
def test_data_disk_refusals_create_nothing(sdk, disk, code, status, says):
    before = sdk.call("DescribeInstances", RegionId=REGION, PageSize=1)["TotalCount"]
    # The bad disk second, so the message must name its N.
    params = data_disks({"Size": 20}, disk)
    e = error(lambda: run(sdk, **params))
    assert (e.code, e.status) == (code, status), e.message
    # What to do is in the message or, after ECS's own fixed message, in `Recommend` (which the
    # old core SDK does not surface).
    recommend = (e.raw or {}).get("Recommend", "") if sdk.kind != "old" else says
    assert says in e.message + " " + recommend, (e.message, recommend)
    if code in ("InvalidParameter", "InvalidParameter.NotSupported"):
        assert "DataDisk.2." in e.message, e.message
    e = error(lambda: sdk.call("CreateInstance", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, **params))
    assert (e.code, e.status) == (code, status), e.message
    assert sdk.call("DescribeInstances", RegionId=REGION, PageSize=1)["TotalCount"] == before


def test_data_disk_count_and_device_clashes(sdk):
    e = error(lambda: run(sdk, **data_disks(*[{"Size": 20}] * 17)))
    assert (e.code, e.status) == ("InvalidParameter", 400) and "1 to 16" in e.message, e.message
    e = error(lambda: run(sdk, **data_disks({"Size": 20, "Device": "/dev/xvdc"}, {"Size": 20, "Device": "/dev/xvdc"})))
    assert (e.code, e.status) == ("InvalidParameter", 400) and "already uses /dev/xvdc" in e.message, e.message


def test_typed_sdk_makes_and_reads_data_disks(server):
    from alibabacloud_ecs20140526 import models as m
    client = ecs_client(server.endpoint)
    iid = client.run_instances(m.RunInstancesRequest(
        region_id=REGION, image_id=LINUX_IMAGE, instance_type=INSTANCE_TYPE,
        data_disk=[m.RunInstancesRequestDataDisk(category="cloud_essd", size=40, performance_level="PL1", disk_name="db",
                                                 description="database", delete_with_instance=True, encrypted="false"),
                   m.RunInstancesRequestDataDisk(category="cloud_auto", size=10)])).body.instance_id_sets.instance_id_set[0]
    disks = client.describe_disks(m.DescribeDisksRequest(region_id=REGION, instance_id=iid, disk_type="data")).body.disks.disk
    assert [(d.disk_id, d.category, d.size, d.performance_level, d.disk_name, d.description, d.device, d.type)
            for d in disks] == [
        (f"d-{iid[2:]}-1", "cloud_essd", 40, "PL1", "db", "database", "/dev/xvdb", "data"),
        (f"d-{iid[2:]}-2", "cloud_auto", 10, "", "", "", "/dev/xvdc", "data"),
    ]
    assert all(d.delete_with_instance and d.instance_id == iid and d.status == "In_use" for d in disks)
    cid = client.create_instance(m.CreateInstanceRequest(
        region_id=REGION, image_id=LINUX_IMAGE, instance_type=INSTANCE_TYPE,
        data_disk=[m.CreateInstanceRequestDataDisk(category="cloud_ssd", size=25)])).body.instance_id
    [d] = client.describe_disks(m.DescribeDisksRequest(region_id=REGION, disk_ids=json.dumps([f"d-{cid[2:]}-1"]))).body.disks.disk
    assert (d.instance_id, d.category, d.size) == (cid, "cloud_ssd", 25)
    from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
    with pytest.raises(AlibabaCloudException) as ei:
        client.run_instances(m.RunInstancesRequest(
            region_id=REGION, image_id=LINUX_IMAGE, instance_type=INSTANCE_TYPE,
            data_disk=[m.RunInstancesRequestDataDisk(size=20, snapshot_id="s-bp1nosuchsnapshot")]))
    assert ei.value.code == "InvalidSnapshotId.NotFound"
