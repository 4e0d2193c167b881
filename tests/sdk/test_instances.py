"""Instances through the official SDKs: catalogue, RunInstances/CreateInstance, the Describe* calls
and the Start/Stop/Reboot/Delete state machine (ecs-api.md §9–10, decisions.md)."""
from __future__ import annotations

import json
import time
import uuid

import pytest

from conftest import (INSTANCE_TYPE, LINUX_IMAGE, LINUX_IMAGE_2, REGION, WINDOWS_IMAGE, ApiError, Sdk, Server,
                      describe_one, ecs_client, old_client, unique, wait_status)

PASSWORD = "Passw0rd!2024"


def expect_error(fn, code: str, status: int, message_contains: str | None = None) -> ApiError:
    with pytest.raises(ApiError) as ei:
        fn()
    e = ei.value
    assert (e.code, e.status) == (code, status), f"expected {status} {code}, got {e.status} {e.code}: {e.message}"
    if message_contains is not None:
        assert message_contains in (e.message or ""), e.message
    return e


def run(sdk: Sdk, **params) -> list[str]:
    base = dict(RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE)
    base.update(params)
    return sdk.call("RunInstances", **base)["InstanceIdSets"]["InstanceIdSet"]


def tag(key: str, value: str, n: int = 1) -> dict:
    return {f"Tag.{n}.Key": key, f"Tag.{n}.Value": value}


def describe(sdk: Sdk, **params) -> dict:
    return sdk.call("DescribeInstances", RegionId=REGION, **params)


def named(sdk: Sdk, name: str) -> list[dict]:
    return describe(sdk, InstanceName=name, PageSize=100)["Instances"]["Instance"]


# ---------------------------------------------------------------- catalogue

def test_describe_images_filters(sdk):
    all_images = sdk.call("DescribeImages", RegionId=REGION, PageSize=100)
    items = all_images["Images"]["Image"]
    assert all_images["TotalCount"] == len(items)
    linux = [i for i in items if i["OSType"] == "linux"]
    windows = [i for i in items if i["OSType"] == "windows"]
    assert len(linux) >= 3 and len(windows) >= 2
    ids = {i["ImageId"] for i in items}
    assert {LINUX_IMAGE, LINUX_IMAGE_2, WINDOWS_IMAGE} <= ids

    one = sdk.call("DescribeImages", RegionId=REGION, ImageId=WINDOWS_IMAGE)["Images"]["Image"]
    assert [i["ImageId"] for i in one] == [WINDOWS_IMAGE]
    assert one[0]["OSType"] == "windows"

    w = sdk.call("DescribeImages", RegionId=REGION, OSType="windows", PageSize=100)
    assert w["TotalCount"] == len(windows) >= 2
    assert {i["ImageId"] for i in w["Images"]["Image"]} == {i["ImageId"] for i in windows}
    lx = sdk.call("DescribeImages", RegionId=REGION, OSType="linux", PageSize=100)
    assert lx["TotalCount"] == len(linux) >= 3
    assert all(i["OSType"] == "linux" for i in lx["Images"]["Image"])

    system = sdk.call("DescribeImages", RegionId=REGION, ImageOwnerAlias="system", PageSize=100)
    assert system["TotalCount"] == len(items)
    assert all(i["ImageOwnerAlias"] == "system" for i in system["Images"]["Image"])
    mine = sdk.call("DescribeImages", RegionId=REGION, ImageOwnerAlias="self", PageSize=100)
    assert mine["TotalCount"] == 0 and mine["Images"]["Image"] == []

    unknown = sdk.call("DescribeImages", RegionId=REGION, ImageId="no_such_image.vhd")
    assert unknown["TotalCount"] == 0 and unknown["Images"]["Image"] == []


def test_describe_regions_endpoints(sdk):
    regions = sdk.call("DescribeRegions")["Regions"]["Region"]
    by_id = {r["RegionId"]: r for r in regions}
    assert REGION in by_id and "cn-shanghai" in by_id
    assert by_id[REGION]["RegionEndpoint"] == "ecs.cn-hangzhou.aliyuncs.com"
    for r in regions:
        assert r["RegionEndpoint"] == f"ecs.{r['RegionId']}.aliyuncs.com"
        assert r["Status"] in ("available", "soldOut")
        assert r["LocalName"]


# ---------------------------------------------------------------- RunInstances

def test_run_instances_amount_name_key_password_tags(sdk):
    kp = unique()
    sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=kp)
    name = unique("web")
    team = uuid.uuid4().hex
    ids = run(sdk, Amount=3, InstanceName=name, KeyPairName=kp, Password=PASSWORD, **tag("team", team))
    assert len(ids) == 3 and len(set(ids)) == 3
    assert all(i.startswith("i-") for i in ids)
    items = describe(sdk, InstanceIds=json.dumps(ids))["Instances"]["Instance"]
    assert sorted(i["InstanceId"] for i in items) == sorted(ids)
    for it in items:
        assert it["InstanceName"] == name
        assert it["KeyPairName"] == kp
        assert it["OSType"] == "linux"
        assert it["ImageId"] == LINUX_IMAGE and it["InstanceType"] == INSTANCE_TYPE
        assert it["RegionId"] == REGION
        assert it["Status"] == "Running"            # --transition-delay 0: straight to Running
        assert {"TagKey": "team", "TagValue": team} in it["Tags"]["Tag"]
        assert "Password" not in it                 # never echoed


def test_run_instances_default_name_is_the_id_and_unbound_key_is_empty(sdk):
    [iid] = run(sdk)
    it = describe_one(sdk, iid)
    assert it["InstanceName"] == iid
    assert it["KeyPairName"] == ""
    assert it["OSType"] == "linux"


def test_run_windows_instance_reports_windows(sdk):
    [iid] = run(sdk, ImageId=WINDOWS_IMAGE, Password=PASSWORD)
    it = describe_one(sdk, iid)
    assert it["OSType"] == "windows"
    assert it["KeyPairName"] == ""


@pytest.mark.parametrize("params, code, status, needle", [
    ({"ImageId": "no_such_image_x64.vhd"}, "InvalidImageId.NotFound", 404, None),
    ({"InstanceType": "ecs.nope.large"}, "InvalidInstanceType.ValueNotSupported", 400, None),
    ({"KeyPairName": "no-such-key-pair-anywhere"}, "InvalidKeyPairName.NotFound", 404, "KeyPairName"),
    ({"Password": "short"}, "InvalidPassword.Malformed", 400, None),
    ({"Password": "alllowercaseletters"}, "InvalidPassword.Malformed", 400, None),
    ({"Amount": 0}, "InvalidParam.Amount", 403, None),
    ({"Amount": 101}, "InvalidParam.Amount", 403, None),
    ({"ImageId": None}, "MissingParameter", 400, "ImageId"),
])
def test_run_instances_refusals_create_nothing(sdk, params, code, status, needle):
    name = unique("bad")
    expect_error(lambda: run(sdk, InstanceName=name, **params), code, status, needle)
    assert named(sdk, name) == []


def test_run_instances_dry_run(sdk):
    name = unique("dry")
    expect_error(lambda: run(sdk, InstanceName=name, DryRun=True), "DryRunOperation", 400)
    assert named(sdk, name) == []
    # A DryRun that would fail reports the real error, not DryRunOperation.
    expect_error(lambda: run(sdk, InstanceName=name, ImageId="nope.vhd", DryRun=True), "InvalidImageId.NotFound", 404)


def test_run_instances_client_token_idempotency(sdk):
    name = unique("idem")
    token = uuid.uuid4().hex
    first = run(sdk, Amount=2, InstanceName=name, ClientToken=token)
    again = run(sdk, Amount=2, InstanceName=name, ClientToken=token)
    assert again == first
    assert sorted(i["InstanceId"] for i in named(sdk, name)) == sorted(first)
    expect_error(lambda: run(sdk, Amount=3, InstanceName=name, ClientToken=token), "IdempotentParameterMismatch", 400)
    expect_error(lambda: run(sdk, Amount=2, InstanceName=name + "x", ClientToken=token), "IdempotentParameterMismatch", 400)
    assert len(named(sdk, name)) == 2
    # Another token makes new instances.
    other = run(sdk, Amount=2, InstanceName=name, ClientToken=uuid.uuid4().hex)
    assert set(other).isdisjoint(first)
    assert len(named(sdk, name)) == 4


def test_create_instance_is_stopped_and_does_not_start(sdk):
    name = unique("legacy")
    iid = sdk.call("CreateInstance", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE,
                   InstanceName=name)["InstanceId"]
    assert iid.startswith("i-")
    it = describe_one(sdk, iid)
    assert it["Status"] == "Stopped" and it["InstanceName"] == name and it["KeyPairName"] == ""
    sdk.call("StartInstance", InstanceId=iid)
    wait_status(sdk, iid, "Running")


# ---------------------------------------------------------------- DescribeInstances

def test_describe_instances_by_ids(sdk):
    ids = run(sdk, Amount=2)
    r = describe(sdk, InstanceIds=json.dumps(ids + ["i-doesnotexist000000000"]))
    assert sorted(i["InstanceId"] for i in r["Instances"]["Instance"]) == sorted(ids)
    assert r["TotalCount"] == 2
    empty = describe(sdk, InstanceIds="[]")
    assert empty["TotalCount"] == 0 and empty["Instances"]["Instance"] == []


def test_describe_instances_key_pair_and_status_filters(sdk):
    kp = unique()
    sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=kp)
    name = unique("flt")
    bound = run(sdk, Amount=2, InstanceName=name, KeyPairName=kp)
    [free] = run(sdk, InstanceName=name)
    r = describe(sdk, KeyPairName=kp, PageSize=100)
    assert sorted(i["InstanceId"] for i in r["Instances"]["Instance"]) == sorted(bound)
    assert all(i["KeyPairName"] == kp for i in r["Instances"]["Instance"])
    assert describe_one(sdk, free)["KeyPairName"] == ""

    sdk.call("StopInstance", InstanceId=bound[0])
    wait_status(sdk, bound[0], "Stopped")
    stopped = describe(sdk, InstanceName=name, Status="Stopped", PageSize=100)["Instances"]["Instance"]
    running = describe(sdk, InstanceName=name, Status="Running", PageSize=100)["Instances"]["Instance"]
    assert [i["InstanceId"] for i in stopped] == [bound[0]]
    assert sorted(i["InstanceId"] for i in running) == sorted([bound[1], free])
    assert describe(sdk, InstanceName=name, Status="Pending")["Instances"]["Instance"] == []


@pytest.mark.parametrize("status", ["Deleted", "running", "Bogus"])
def test_describe_instances_invalid_status(sdk, status):
    expect_error(lambda: describe(sdk, Status=status), "InvalidStatus.NotFound", 404)


def test_describe_instances_name_wildcard_and_tags(sdk):
    u = uuid.uuid4().hex[:10]
    web = run(sdk, Amount=2, InstanceName=f"web-{u}-a", **tag("env", f"prod-{u}"))
    web += run(sdk, InstanceName=f"web-{u}-b", **tag("env", f"dev-{u}"))
    db = run(sdk, InstanceName=f"db-{u}", **tag("env", f"prod-{u}"))

    def ids(**p):
        return sorted(i["InstanceId"] for i in describe(sdk, PageSize=100, **p)["Instances"]["Instance"])

    assert ids(InstanceName=f"web-{u}-*") == sorted(web)
    assert ids(InstanceName=f"*-{u}*") == sorted(web + db)
    assert ids(InstanceName=f"web-{u}-a") == sorted(web[:2])
    assert ids(InstanceName=f"web-{u}") == []                       # no wildcard: exact match
    assert ids(**tag("env", f"prod-{u}")) == sorted(web[:2] + db)
    assert ids(InstanceName=f"web-{u}-*", **tag("env", f"prod-{u}")) == sorted(web[:2])


def test_describe_instances_page_number_paging(sdk):
    t = uuid.uuid4().hex
    ids = run(sdk, Amount=12, **tag("page", t))
    seen = []
    for n, want in [(1, 5), (2, 5), (3, 2), (4, 0)]:
        r = describe(sdk, PageNumber=n, PageSize=5, **tag("page", t))
        assert (r["TotalCount"], r["PageNumber"], r["PageSize"]) == (12, n, 5)
        assert len(r["Instances"]["Instance"]) == want
        seen += [i["InstanceId"] for i in r["Instances"]["Instance"]]
    assert sorted(seen) == sorted(ids) and len(set(seen)) == 12


def test_describe_instances_token_paging(sdk):
    t = uuid.uuid4().hex
    ids = run(sdk, Amount=12, **tag("tok", t))
    # MaxResults below 10 counts as 10.
    first = describe(sdk, MaxResults=5, **tag("tok", t))
    assert len(first["Instances"]["Instance"]) == 10
    assert first["NextToken"]
    second = describe(sdk, MaxResults=10, NextToken=first["NextToken"], **tag("tok", t))
    assert len(second["Instances"]["Instance"]) == 2
    assert second["NextToken"] == ""
    seen = [i["InstanceId"] for i in first["Instances"]["Instance"] + second["Instances"]["Instance"]]
    assert sorted(seen) == sorted(ids) and len(set(seen)) == 12


def test_describe_instance_attribute(sdk):
    [iid] = run(sdk, InstanceName="attr-" + uuid.uuid4().hex[:8])
    a = sdk.call("DescribeInstanceAttribute", InstanceId=iid)
    assert a["InstanceId"] == iid and a["Status"] == "Running" and a["RegionId"] == REGION
    assert a["ImageId"] == LINUX_IMAGE and a["InstanceType"] == INSTANCE_TYPE
    expect_error(lambda: sdk.call("DescribeInstanceAttribute", InstanceId="i-doesnotexist000000000"),
                 "InvalidInstanceId.NotFound", 404)


def test_describe_instance_status(sdk):
    ids = run(sdk, Amount=2)
    [stopped] = run(sdk)
    sdk.call("StopInstance", InstanceId=stopped)
    r = sdk.call("DescribeInstanceStatus", RegionId=REGION,
                 **{"InstanceId.1": ids[0], "InstanceId.2": ids[1], "InstanceId.3": stopped})
    got = {s["InstanceId"]: s["Status"] for s in r["InstanceStatuses"]["InstanceStatus"]}
    assert got == {ids[0]: "Running", ids[1]: "Running", stopped: "Stopped"}
    assert r["TotalCount"] == 3


# ---------------------------------------------------------------- the state machine, observed

DELAY = 0.3


@pytest.fixture(scope="module")
def slow_server(tmp_path_factory):
    store = tmp_path_factory.mktemp("slow") / "localecs.sqlite"
    s = Server(f"sqlite:{store}", args=["--transition-delay", "300ms"]).start()
    yield s
    s.stop()


def observe(sdk: Sdk, iid: str, until: str, timeout: float = 10) -> list[str]:
    """Polls the status until `until`, returning each distinct status seen, in order."""
    seen: list[str] = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        st = sdk.call("DescribeInstanceStatus", RegionId=REGION, **{"InstanceId.1": iid})["InstanceStatuses"]["InstanceStatus"]
        s = st[0]["Status"]
        if not seen or seen[-1] != s:
            seen.append(s)
        if s == until:
            return seen
        time.sleep(0.02)
    raise AssertionError(f"{iid} never reached {until}; saw {seen}")


def test_lifecycle_transitions_are_observable(slow_server):
    sdk = Sdk("v3", slow_server.endpoint)
    [iid] = run(sdk)
    assert observe(sdk, iid, "Running") == ["Pending", "Starting", "Running"]
    sdk.call("StopInstance", InstanceId=iid)
    assert observe(sdk, iid, "Stopped") == ["Stopping", "Stopped"]
    sdk.call("StartInstance", InstanceId=iid)
    assert observe(sdk, iid, "Running") == ["Starting", "Running"]
    sdk.call("RebootInstance", InstanceId=iid)
    assert observe(sdk, iid, "Running") == ["Starting", "Running"]
    # DescribeInstances agrees with DescribeInstanceStatus.
    assert describe_one(sdk, iid)["Status"] == "Running"


def test_create_instance_pending_then_stopped_after_delay(slow_server):
    sdk = Sdk("v3", slow_server.endpoint)
    iid = sdk.call("CreateInstance", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE)["InstanceId"]
    t0 = time.time()
    assert observe(sdk, iid, "Stopped") == ["Pending", "Stopped"]
    assert time.time() - t0 >= DELAY * 0.5
    time.sleep(DELAY * 2)
    assert describe_one(sdk, iid)["Status"] == "Stopped"     # it does not start by itself


@pytest.mark.parametrize("kind", ["v3", "v1", "old"])
def test_wrong_status_calls_are_refused(slow_server, kind):
    sdk = Sdk(kind, slow_server.endpoint)
    incorrect = ("IncorrectInstanceStatus", 403)
    [iid] = run(sdk)
    # Pending.
    assert sdk.call("DescribeInstanceStatus", RegionId=REGION, **{"InstanceId.1": iid})[
        "InstanceStatuses"]["InstanceStatus"][0]["Status"] == "Pending"
    expect_error(lambda: sdk.call("DeleteInstance", InstanceId=iid), "IncorrectInstanceStatus.Initializing", 403)
    expect_error(lambda: sdk.call("DeleteInstance", InstanceId=iid, Force=True), "IncorrectInstanceStatus.Initializing", 403)
    expect_error(lambda: sdk.call("StopInstance", InstanceId=iid), *incorrect)
    expect_error(lambda: sdk.call("StartInstance", InstanceId=iid), *incorrect)
    expect_error(lambda: sdk.call("RebootInstance", InstanceId=iid), *incorrect)
    wait_status(sdk, iid, "Running")
    # Running.
    expect_error(lambda: sdk.call("StartInstance", InstanceId=iid), *incorrect)
    expect_error(lambda: sdk.call("DeleteInstance", InstanceId=iid), *incorrect)
    expect_error(lambda: sdk.call("DeleteInstance", InstanceId=iid, Force=False), *incorrect)
    sdk.call("StopInstance", InstanceId=iid)
    # Stopping.
    assert describe_one(sdk, iid)["Status"] == "Stopping"
    expect_error(lambda: sdk.call("StartInstance", InstanceId=iid), *incorrect)
    expect_error(lambda: sdk.call("StopInstance", InstanceId=iid), *incorrect)
    expect_error(lambda: sdk.call("DeleteInstance", InstanceId=iid), *incorrect)
    wait_status(sdk, iid, "Stopped")
    # Stopped.
    expect_error(lambda: sdk.call("StopInstance", InstanceId=iid), *incorrect)
    expect_error(lambda: sdk.call("RebootInstance", InstanceId=iid), *incorrect)
    sdk.call("DeleteInstance", InstanceId=iid)
    assert describe_one(sdk, iid) is None
    expect_error(lambda: sdk.call("DescribeInstanceAttribute", InstanceId=iid), "InvalidInstanceId.NotFound", 404)
    expect_error(lambda: sdk.call("StartInstance", InstanceId=iid), "InvalidInstanceId.NotFound", 404)
    expect_error(lambda: sdk.call("DeleteInstance", InstanceId=iid), "InvalidInstanceId.NotFound", 404)


def test_delete_running_instance_needs_force(sdk):
    [iid] = run(sdk)
    expect_error(lambda: sdk.call("DeleteInstance", InstanceId=iid), "IncorrectInstanceStatus", 403)
    assert describe_one(sdk, iid)["Status"] == "Running"
    sdk.call("DeleteInstance", InstanceId=iid, Force=True)
    assert describe_one(sdk, iid) is None
    expect_error(lambda: sdk.call("DescribeInstanceAttribute", InstanceId=iid), "InvalidInstanceId.NotFound", 404)


def test_delete_instance_dry_run_keeps_it(sdk):
    [iid] = run(sdk)
    expect_error(lambda: sdk.call("DeleteInstance", InstanceId=iid, Force=True, DryRun=True), "DryRunOperation", 400)
    assert describe_one(sdk, iid)["Status"] == "Running"


def test_typed_reboot_without_region_id(server):
    """The new SDK's typed RebootInstanceRequest has no RegionId at all; the server finds the instance by ID."""
    from alibabacloud_ecs20140526 import models
    sdk = Sdk("v3", server.endpoint)
    [iid] = run(sdk)
    for kind in ("v3", "v1"):
        c = ecs_client(server.endpoint, kind)
        r = c.reboot_instance(models.RebootInstanceRequest(instance_id=iid))
        assert r.status_code == 200 and r.body.request_id
        wait_status(sdk, iid, "Running")
        r = c.describe_instance_attribute(models.DescribeInstanceAttributeRequest(instance_id=iid))
        assert r.body.instance_id == iid and r.body.status == "Running"
    # Stop/Start without RegionId, too.
    c = ecs_client(server.endpoint)
    c.stop_instance(models.StopInstanceRequest(instance_id=iid))
    wait_status(sdk, iid, "Stopped")
    c.start_instance(models.StartInstanceRequest(instance_id=iid))
    wait_status(sdk, iid, "Running")


def test_old_sdk_typed_instance_requests(server):
    from aliyunsdkecs.request.v20140526 import (DescribeInstancesRequest, RebootInstanceRequest,
                                                RunInstancesRequest)
    c = old_client(server.endpoint)
    run_req = RunInstancesRequest.RunInstancesRequest()
    run_req.set_ImageId(LINUX_IMAGE)
    run_req.set_InstanceType(INSTANCE_TYPE)
    run_req.set_Amount(2)
    ids = json.loads(c.do_action_with_exception(run_req))["InstanceIdSets"]["InstanceIdSet"]
    assert len(ids) == 2
    d = DescribeInstancesRequest.DescribeInstancesRequest()
    d.set_InstanceIds(json.dumps(ids))
    items = json.loads(c.do_action_with_exception(d))["Instances"]["Instance"]
    assert sorted(i["InstanceId"] for i in items) == sorted(ids)
    assert all(i["KeyPairName"] == "" and i["OSType"] == "linux" for i in items)
    rb = RebootInstanceRequest.RebootInstanceRequest()
    rb.set_InstanceId(ids[0])
    assert "RequestId" in json.loads(c.do_action_with_exception(rb))
