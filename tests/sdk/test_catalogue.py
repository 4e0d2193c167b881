"""The catalogue calls tools make before anything else (Terraform's alicloud_zones and
alicloud_instance_types data sources): DescribeZones, DescribeAvailableResource and
DescribeInstanceTypes' filters and token paging, consistent with the built-in catalogue."""
from __future__ import annotations

import pytest

from conftest import INSTANCE_TYPE, REGION, ApiError, Sdk, ecs_client


def error(fn) -> ApiError:
    with pytest.raises(ApiError) as ei:
        fn()
    return ei.value


def test_describe_zones_matches_describe_regions_and_run_instances(sdk):
    zones = sdk.call("DescribeZones", RegionId=REGION)["Zones"]["Zone"]
    assert [z["ZoneId"] for z in zones] == ["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j"]
    z = zones[0]
    assert z["ZoneType"] == "AvailabilityZone" and z["LocalName"].endswith("H")
    assert INSTANCE_TYPE in z["AvailableInstanceTypes"]["InstanceTypes"]
    assert "Instance" in z["AvailableResourceCreation"]["ResourceTypes"]
    info = z["AvailableResources"]["ResourcesInfo"][0]
    assert "cloud_essd" in info["SystemDiskCategories"]["supportedSystemDiskCategory"]
    assert info["NetworkTypes"]["supportedNetworkCategory"] == ["vpc"]
    # Every zone listed takes an instance.
    for zone in zones:
        sdk.call("RunInstances", RegionId=REGION, ImageId="ubuntu_22_04_x64_20G_alibase_20240101.vhd",
                 InstanceType=INSTANCE_TYPE, ZoneId=zone["ZoneId"])
    terse = sdk.call("DescribeZones", RegionId=REGION, Verbose=False, AcceptLanguage="en-US")["Zones"]["Zone"]
    assert list(terse[0]) == ["ZoneId", "LocalName", "ZoneType"] and terse[0]["LocalName"] == "cn-hangzhou Zone H"
    e = error(lambda: sdk.call("DescribeZones", RegionId="xx-nowhere-1"))
    assert (e.code, e.status) == ("InvalidRegionId.NotFound", 404)


def test_describe_available_resource(sdk):
    zones = sdk.call("DescribeAvailableResource", RegionId=REGION, DestinationResource="Zone")["AvailableZones"]["AvailableZone"]
    assert [z["ZoneId"] for z in zones] == ["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j"]
    assert zones[0]["AvailableResources"]["AvailableResource"][0]["SupportedResources"]["SupportedResource"][0]["Value"] == "cn-hangzhou-h"
    types = sdk.call("DescribeAvailableResource", RegionId=REGION, DestinationResource="InstanceType", ZoneId="cn-hangzhou-i",
                     Cores=2, Memory=8)["AvailableZones"]["AvailableZone"]
    assert [z["ZoneId"] for z in types] == ["cn-hangzhou-i"]
    values = [r["Value"] for r in types[0]["AvailableResources"]["AvailableResource"][0]["SupportedResources"]["SupportedResource"]]
    assert INSTANCE_TYPE in values and "ecs.c7.large" not in values   # c7.large has 4 GiB
    disk = sdk.call("DescribeAvailableResource", RegionId=REGION, DestinationResource="SystemDisk", ZoneId="cn-hangzhou-h",
                    SystemDiskCategory="cloud_essd")["AvailableZones"]["AvailableZone"][0]
    [essd] = disk["AvailableResources"]["AvailableResource"][0]["SupportedResources"]["SupportedResource"]
    assert (essd["Value"], essd["Min"], essd["Max"], essd["Unit"]) == ("cloud_essd", 20, 2048, "GiB")
    none = sdk.call("DescribeAvailableResource", RegionId=REGION, DestinationResource="InstanceType", Cores=3)
    assert none["AvailableZones"]["AvailableZone"] == []
    for params, code, status in [
        (dict(DestinationResource="Floppy"), "InvalidDestinationResource.ValueNotSupported", 400),
        (dict(DestinationResource="Zone", ZoneId="cn-beijing-g"), "InvalidZoneId.NotFound", 404),
        (dict(DestinationResource="InstanceType", InstanceType="ecs.nope.large"), "InvalidInstanceType.ValueNotSupported", 400),
        (dict(DestinationResource="InstanceType", Memory="lots"), "InvalidParameter", 400),
        (dict(), "MissingParameter", 400),
    ]:
        e = error(lambda: sdk.call("DescribeAvailableResource", RegionId=REGION, **params))
        assert (e.code, e.status) == (code, status), params


def test_describe_instance_types_filters_and_paging(sdk):
    all_types = sdk.call("DescribeInstanceTypes")
    ids = [t["InstanceTypeId"] for t in all_types["InstanceTypes"]["InstanceType"]]
    assert INSTANCE_TYPE in ids and all_types["NextToken"] == ""
    g7 = sdk.call("DescribeInstanceTypes", InstanceTypeFamily="ecs.g7")["InstanceTypes"]["InstanceType"]
    assert {t["InstanceTypeId"] for t in g7} == {"ecs.g7.large", "ecs.g7.xlarge", "ecs.g7.2xlarge"}
    small = sdk.call("DescribeInstanceTypes", MaximumCpuCoreCount=2, MinimumMemorySize=8)["InstanceTypes"]["InstanceType"]
    assert small and all(t["CpuCoreCount"] <= 2 and t["MemorySize"] >= 8 for t in small)
    compute = sdk.call("DescribeInstanceTypes", InstanceCategory="Compute-optimized")["InstanceTypes"]["InstanceType"]
    assert compute and all(t["InstanceTypeFamily"].startswith("ecs.c") for t in compute)
    seen, token = [], None
    while True:
        page = sdk.call("DescribeInstanceTypes", MaxResults=5, **({"NextToken": token} if token else {}))
        seen += [t["InstanceTypeId"] for t in page["InstanceTypes"]["InstanceType"]]
        token = page["NextToken"]
        if not token:
            break
    assert seen == ids
    e = error(lambda: sdk.call("DescribeInstanceTypes", MinimumMemorySize="much"))
    assert (e.code, e.status) == ("InvalidParameter", 400)


def test_typed_sdk_catalogue(server):
    from alibabacloud_ecs20140526 import models as m
    client = ecs_client(server.endpoint)
    zones = client.describe_zones(m.DescribeZonesRequest(region_id=REGION)).body.zones.zone
    assert zones[0].available_resources.resources_info[0].io_optimized is True
    r = client.describe_available_resource(m.DescribeAvailableResourceRequest(
        region_id=REGION, destination_resource="InstanceType", instance_type=INSTANCE_TYPE)).body
    assert r.available_zones.available_zone[0].available_resources.available_resource[0].supported_resources \
        .supported_resource[0].value == INSTANCE_TYPE
    t = client.describe_instance_types(m.DescribeInstanceTypesRequest(instance_types=[INSTANCE_TYPE])).body
    [g7] = t.instance_types.instance_type
    assert (g7.cpu_core_count, g7.memory_size, g7.instance_type_family) == (2, 8.0, "ecs.g7")
