"""The instance reads Terraform's alicloud_instance makes besides DescribeInstances
(DescribeInstanceMaintenanceAttributes, DescribeInstanceAttachmentAttributes, DescribeInstanceRamRole,
DescribeNetworkInterfaces), through each official client: each lists exactly the instances asked for,
with ECS's defaults for settings LocalECS does not model, and refuses malformed input."""
from __future__ import annotations

import json

import pytest

from conftest import REGION, ApiError, run_linux


@pytest.fixture(scope="module")
def two(server):
    from conftest import Sdk
    return run_linux(Sdk("v3", server.endpoint), amount=2)


def test_maintenance_attributes(sdk, two):
    body = sdk.call("DescribeInstanceMaintenanceAttributes", RegionId=REGION, **{"InstanceId.1": two[0], "InstanceId.2": "i-missing0000"})
    [item] = body["MaintenanceAttributes"]["MaintenanceAttribute"]
    assert item["InstanceId"] == two[0] and body["TotalCount"] == 1
    assert item["ActionOnMaintenance"]["Value"] == "AutoRecover" and item["NotifyOnMaintenance"] is False
    assert item["MaintenanceWindows"]["MaintenanceWindow"] == [{"EndTime": "03:00:00Z", "StartTime": "02:00:00Z"}]


def test_attachment_attributes(sdk, two):
    body = sdk.call("DescribeInstanceAttachmentAttributes", RegionId=REGION, InstanceIds=json.dumps(two))
    items = body["Instances"]["Instance"]
    assert sorted(i["InstanceId"] for i in items) == sorted(two) and body["TotalCount"] == 2
    assert all(i["PrivatePoolOptionsMatchCriteria"] == "None" and i["PrivatePoolOptionsId"] == "" for i in items)
    with pytest.raises(ApiError) as e:
        sdk.call("DescribeInstanceAttachmentAttributes", RegionId=REGION, InstanceIds="i-notjson")
    assert (e.value.code, e.value.status) == ("InvalidInstanceIds.Malformed", 400)


def test_ram_role_set_is_empty(sdk, two):
    body = sdk.call("DescribeInstanceRamRole", RegionId=REGION, InstanceIds=json.dumps(two))
    assert body["InstanceRamRoleSets"]["InstanceRamRoleSet"] == [] and body["TotalCount"] == 0
    assert body["RegionId"] == REGION


def test_network_interfaces(sdk, two):
    eni = "eni-" + two[0][2:]
    body = sdk.call("DescribeNetworkInterfaces", RegionId=REGION, **{"NetworkInterfaceId.1": eni})
    [item] = body["NetworkInterfaceSets"]["NetworkInterfaceSet"]
    assert (item["NetworkInterfaceId"], item["InstanceId"], item["Type"], item["Status"]) == (eni, two[0], "Primary", "InUse")
    assert item["Attachment"]["InstanceId"] == two[0]
    # The instance's DescribeInstances view names the same interface and address.
    inst = sdk.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps([two[0]]))["Instances"]["Instance"][0]
    [nic] = inst["NetworkInterfaces"]["NetworkInterface"]
    assert (nic["NetworkInterfaceId"], nic["PrimaryIpAddress"]) == (eni, item["PrivateIpAddress"])
    by_instance = sdk.call("DescribeNetworkInterfaces", RegionId=REGION, InstanceId=two[1])
    assert [i["InstanceId"] for i in by_instance["NetworkInterfaceSets"]["NetworkInterfaceSet"]] == [two[1]]
    for none in ({"NetworkInterfaceId.1": "eni-nosuch0000"}, {"Type": "Secondary", "InstanceId": two[0]},
                 {"NetworkInterfaceId.1": "not-an-eni"}, {"NetworkInterfaceId.1": eni, "InstanceId": two[1]}):
        assert sdk.call("DescribeNetworkInterfaces", RegionId=REGION, **none)["NetworkInterfaceSets"]["NetworkInterfaceSet"] == []


def test_region_is_required(v3):
    # (The old SDK adds the client's RegionId to every request by itself.)
    sdk = v3
    for action in ("DescribeInstanceMaintenanceAttributes", "DescribeInstanceAttachmentAttributes",
                   "DescribeInstanceRamRole", "DescribeNetworkInterfaces"):
        with pytest.raises(ApiError) as e:
            sdk.call(action)
        assert e.value.status == 400 and e.value.code.startswith("MissingParameter"), (action, e.value.code)
