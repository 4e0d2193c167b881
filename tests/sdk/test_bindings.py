"""AttachKeyPair and DetachKeyPair, the whole contract of decisions.md ("The DetachKeyPair contract"),
through every official client, plus bound-versus-effective login through the admin endpoint and the CLI."""
from __future__ import annotations

import json

import pytest

from conftest import (INSTANCE_TYPE, LINUX_IMAGE, REGION, WINDOWS_IMAGE, ApiError, Sdk, Server, admin_instance,
                      cli_instance_show, describe_one, ecs_client, old_client, run_linux, unique, wait_status)

PASSWORD = "Passw0rd!2024"
ACTIONS = ["AttachKeyPair", "DetachKeyPair"]

MSG_INVALID_IDS = "The specified parameter InstanceIds is not valid."
MSG_LIMIT = "The specified instances are beyond the permitted range."
MSG_KP_NOT_FOUND = "The specified KeyPairName does not exist in our records."
MSG_WINDOWS = "The instance creating is windows, cannot use ssh key pair to login."
MSG_INSTANCE_NOT_FOUND = "The specified InstanceId does not exist."
MSG_NOT_ATTACHED = "The specified key pair is not attached to the instance."
MSG_INCORRECT_STATUS = "The current status of the resource does not support this operation."


def expect_error(fn, code: str, status: int, message: str | None = None) -> ApiError:
    with pytest.raises(ApiError) as ei:
        fn()
    e = ei.value
    assert (e.code, e.status) == (code, status), f"expected {status} {code}, got {e.status} {e.code}: {e.message}"
    if message is not None:
        assert e.message == message
    return e


def new_kp(sdk: Sdk, region: str = REGION) -> str:
    name = unique("kp")
    sdk.call("CreateKeyPair", RegionId=region, KeyPairName=name)
    return name


def bind(sdk: Sdk, action: str, kp: str, ids: list[str]) -> dict:
    return sdk.call(action, RegionId=REGION, KeyPairName=kp, InstanceIds=json.dumps(ids))


def attach(sdk, kp, ids):
    return bind(sdk, "AttachKeyPair", kp, ids)


def detach(sdk, kp, ids):
    return bind(sdk, "DetachKeyPair", kp, ids)


def run_windows(sdk: Sdk, amount: int = 1) -> list[str]:
    return sdk.call("RunInstances", RegionId=REGION, ImageId=WINDOWS_IMAGE, InstanceType=INSTANCE_TYPE,
                    Amount=amount, Password=PASSWORD)["InstanceIdSets"]["InstanceIdSet"]


def key_of(sdk: Sdk, iid: str) -> str:
    return describe_one(sdk, iid)["KeyPairName"]


def check_results(body: dict, kp: str, expected: list[tuple[str, str]]):
    """`expected` is [(instance id, code)] in request order; checks JSON types and messages too."""
    messages = {"200": "successful", "InvalidInstanceId.NotFound": MSG_INSTANCE_NOT_FOUND,
                "InvalidKeyPair.NotAttached": MSG_NOT_ATTACHED, "IncorrectInstanceStatus": MSG_INCORRECT_STATUS}
    assert body["KeyPairName"] == kp
    assert body["RequestId"]
    results = body["Results"]["Result"]
    assert [(r["InstanceId"], r["Code"]) for r in results] == expected
    for r in results:
        assert type(r["Code"]) is str
        # Strings, as the reference's sample and the SDK models type them (decisions.md, amended).
        assert r["Success"] == ("true" if r["Code"] == "200" else "false")
        assert r["Message"] == messages[r["Code"]]
    assert body["TotalCount"] == str(len(expected))
    assert body["FailCount"] == str(sum(1 for _, c in expected if c != "200"))


# ---------------------------------------------------------------- whole-call validation

@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("missing", ["KeyPairName", "InstanceIds"])
def test_missing_parameter_is_named(sdk, action, missing):
    [iid] = run_linux(sdk)
    params = dict(RegionId=REGION, KeyPairName=new_kp(sdk), InstanceIds=json.dumps([iid]))
    del params[missing]
    e = expect_error(lambda: sdk.call(action, **params), "MissingParameter", 400)
    assert f'"{missing}"' in e.message and "mandatory" in e.message
    assert key_of(sdk, iid) == ""


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("kind", ["v3", "v1"])   # aliyun-python-sdk-core always adds the client's RegionId
def test_missing_region_id_is_named(server, kind, action):
    sdk = Sdk(kind, server.endpoint)
    kp = new_kp(sdk)
    [iid] = run_linux(sdk, KeyPairName=kp)
    e = expect_error(lambda: sdk.call(action, KeyPairName=kp, InstanceIds=json.dumps([iid])), "MissingParameter", 400)
    assert '"RegionId"' in e.message and "mandatory" in e.message
    assert key_of(sdk, iid) == kp


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("value", ["i-abc", "not json", '"i-abc"', "[]", " [ ] ", '[""]', "[1]", '["i-abc", 2]',
                                   '{"i":"abc"}', "[null]", '["i-abc",]', "[[\"i-abc\"]]"])
def test_invalid_instance_ids(sdk, action, value):
    kp = new_kp(sdk)
    [iid] = run_linux(sdk, KeyPairName=kp)
    expect_error(lambda: sdk.call(action, RegionId=REGION, KeyPairName=kp, InstanceIds=value),
                 "InvalidInstanceIds.ValueNotSupported", 400, MSG_INVALID_IDS)
    assert key_of(sdk, iid) == kp


@pytest.mark.parametrize("action", ACTIONS)
def test_limit_counts_distinct_ids(sdk, action):
    kp = new_kp(sdk)
    other = new_kp(sdk)
    ids = run_linux(sdk, 50, KeyPairName=kp if action == "DetachKeyPair" else other)
    before = {i: key_of(sdk, i) for i in ids[:3]}
    # 51 distinct IDs (50 real + 1 unknown): refused as a whole, nothing changes.
    expect_error(lambda: bind(sdk, action, kp, ids + ["i-doesnotexist000000000"]),
                 "InstanceKeyPairLimitExceeded", 403, MSG_LIMIT)
    assert {i: key_of(sdk, i) for i in ids[:3]} == before
    assert sdk.call("DescribeInstances", RegionId=REGION, KeyPairName=kp, PageSize=100)["TotalCount"] == \
        (50 if action == "DetachKeyPair" else 0)
    # 52 entries that collapse to 50 distinct IDs: accepted, processed once each, in first-seen order.
    body = bind(sdk, action, kp, ids + [ids[7], ids[0]])
    check_results(body, kp, [(i, "200") for i in ids])
    want = kp if action == "AttachKeyPair" else ""
    listed = sdk.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps(ids), PageSize=100)["Instances"]["Instance"]
    assert len(listed) == 50 and all(i["KeyPairName"] == want for i in listed)


@pytest.mark.parametrize("action", ACTIONS)
def test_unknown_key_pair(sdk, action):
    kp = new_kp(sdk)
    [iid] = run_linux(sdk, KeyPairName=kp)
    expect_error(lambda: bind(sdk, action, "no-such-key-pair-" + unique(), [iid]),
                 "InvalidKeyPairName.NotFound", 400, MSG_KP_NOT_FOUND)
    # A key pair of the same name in another region does not exist here.
    elsewhere = new_kp(sdk, region="cn-shanghai")
    expect_error(lambda: bind(sdk, action, elsewhere, [iid]), "InvalidKeyPairName.NotFound", 400, MSG_KP_NOT_FOUND)
    assert key_of(sdk, iid) == kp


def test_windows_target_fails_the_whole_attach(sdk, server):
    old, kp = new_kp(sdk), new_kp(sdk)
    [bound] = run_linux(sdk, KeyPairName=old)
    [free] = run_linux(sdk)
    [win] = run_windows(sdk)
    for ids in ([win], [bound, win, free], [free, win]):
        expect_error(lambda: attach(sdk, kp, ids), "DependencyViolation.WindowsInstance", 403, MSG_WINDOWS)
    assert (key_of(sdk, bound), key_of(sdk, free), key_of(sdk, win)) == (old, "", "")
    assert admin_instance(server, bound)["BoundKeyPair"] == old


def test_windows_target_fails_the_whole_detach(sdk):
    kp = new_kp(sdk)
    linux = run_linux(sdk, 2, KeyPairName=kp)
    [win] = run_windows(sdk)
    expect_error(lambda: detach(sdk, kp, [linux[0], win, linux[1]]), "DependencyViolation.WindowsInstance", 403, MSG_WINDOWS)
    assert [key_of(sdk, i) for i in linux] == [kp, kp]
    # An unknown ID alongside does not hide the Windows refusal either.
    expect_error(lambda: detach(sdk, kp, ["i-doesnotexist000000000", win]), "DependencyViolation.WindowsInstance", 403)
    assert [key_of(sdk, i) for i in linux] == [kp, kp]


# ---------------------------------------------------------------- per-instance outcomes

def test_attach_results_in_request_order(sdk):
    kp = new_kp(sdk)
    a, b = run_linux(sdk, 2)
    body = attach(sdk, kp, [b, "i-doesnotexist000000000", a])
    check_results(body, kp, [(b, "200"), ("i-doesnotexist000000000", "InvalidInstanceId.NotFound"), (a, "200")])
    assert (key_of(sdk, a), key_of(sdk, b)) == (kp, kp)


def test_detach_not_attached_and_unknown(sdk):
    kp, other = new_kp(sdk), new_kp(sdk)
    [mine] = run_linux(sdk, KeyPairName=kp)
    [theirs] = run_linux(sdk, KeyPairName=other)
    [none] = run_linux(sdk)
    body = detach(sdk, kp, [theirs, mine, "i-doesnotexist000000000", none])
    check_results(body, kp, [(theirs, "InvalidKeyPair.NotAttached"), (mine, "200"),
                             ("i-doesnotexist000000000", "InvalidInstanceId.NotFound"), (none, "InvalidKeyPair.NotAttached")])
    assert (key_of(sdk, mine), key_of(sdk, theirs), key_of(sdk, none)) == ("", other, "")
    # Detaching again: the instance is no longer bound to it.
    check_results(detach(sdk, kp, [mine]), kp, [(mine, "InvalidKeyPair.NotAttached")])


def test_instance_in_another_region_is_unknown(sdk, server):
    kp = new_kp(sdk)
    [far] = sdk.call("RunInstances", RegionId="cn-shanghai", ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE)[
        "InstanceIdSets"]["InstanceIdSet"]
    check_results(attach(sdk, kp, [far]), kp, [(far, "InvalidInstanceId.NotFound")])
    assert admin_instance(server, far)["BoundKeyPair"] is None


def test_deleted_instance_is_unknown(sdk):
    kp = new_kp(sdk)
    [iid] = run_linux(sdk, KeyPairName=kp)
    sdk.call("DeleteInstance", InstanceId=iid, Force=True)
    check_results(detach(sdk, kp, [iid]), kp, [(iid, "InvalidInstanceId.NotFound")])
    check_results(attach(sdk, kp, [iid]), kp, [(iid, "InvalidInstanceId.NotFound")])
    assert describe_one(sdk, iid) is None
    # Its binding went with it: the key pair can be deleted.
    sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([kp]))


def test_attach_replaces_and_reattach_is_success(sdk):
    first, second = new_kp(sdk), new_kp(sdk)
    [iid] = run_linux(sdk, KeyPairName=first)
    check_results(attach(sdk, second, [iid]), second, [(iid, "200")])
    assert key_of(sdk, iid) == second
    kps = lambda name: [i["InstanceId"] for i in
                        sdk.call("DescribeInstances", RegionId=REGION, KeyPairName=name)["Instances"]["Instance"]]
    assert kps(first) == [] and kps(second) == [iid]
    check_results(attach(sdk, second, [iid]), second, [(iid, "200")])        # idempotent
    assert key_of(sdk, iid) == second
    # The old pair is free again.
    check_results(detach(sdk, first, [iid]), first, [(iid, "InvalidKeyPair.NotAttached")])
    sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([first]))
    expect_error(lambda: sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([second])),
                 "InvalidParameter.KeypairAlreadyAttachedInstance", 400)


def test_binding_visible_at_once_in_describe_instances(sdk):
    kp = new_kp(sdk)
    ids = run_linux(sdk, 3)
    attach(sdk, kp, ids[:2])
    listed = sdk.call("DescribeInstances", RegionId=REGION, KeyPairName=kp)["Instances"]["Instance"]
    assert sorted(i["InstanceId"] for i in listed) == sorted(ids[:2])
    assert all(i["KeyPairName"] == kp for i in listed)
    assert key_of(sdk, ids[2]) == ""
    detach(sdk, kp, [ids[0]])
    assert key_of(sdk, ids[0]) == ""
    assert [i["InstanceId"] for i in sdk.call("DescribeInstances", RegionId=REGION, KeyPairName=kp)["Instances"]["Instance"]] == [ids[1]]


def test_stopped_instances_can_be_bound(sdk):
    kp = new_kp(sdk)
    [iid] = run_linux(sdk)
    sdk.call("StopInstance", InstanceId=iid)
    wait_status(sdk, iid, "Stopped")
    check_results(attach(sdk, kp, [iid]), kp, [(iid, "200")])
    check_results(detach(sdk, kp, [iid]), kp, [(iid, "200")])


# ---------------------------------------------------------------- bound versus effective

def login(server: Server, iid: str) -> tuple:
    a = admin_instance(server, iid)
    return a["BoundKeyPair"], a["EffectiveKeyPair"], a["PasswordLoginEffective"], a["RestartPending"]


def test_detach_takes_effect_at_reboot(sdk, server):
    kp = new_kp(sdk)
    [iid] = run_linux(sdk, KeyPairName=kp, Password=PASSWORD)
    a = admin_instance(server, iid)
    assert a["Status"] == "Running" and a["OSType"] == "linux" and a["PasswordSet"] is True
    assert login(server, iid) == (kp, kp, False, False)

    check_results(detach(sdk, kp, [iid]), kp, [(iid, "200")])
    assert key_of(sdk, iid) == ""
    assert login(server, iid) == (None, kp, False, True)          # the old key still logs in

    sdk.call("RebootInstance", InstanceId=iid)
    wait_status(sdk, iid, "Running")
    assert login(server, iid) == (None, None, True, False)        # now the password does


def test_attach_takes_effect_at_reboot_and_disables_password(sdk, server):
    kp = new_kp(sdk)
    [iid] = run_linux(sdk, Password=PASSWORD)
    assert login(server, iid) == (None, None, True, False)
    attach(sdk, kp, [iid])
    assert login(server, iid) == (kp, None, True, True)
    sdk.call("RebootInstance", InstanceId=iid)
    wait_status(sdk, iid, "Running")
    assert login(server, iid) == (kp, kp, False, False)


def test_no_password_and_no_key_means_no_login(sdk, server):
    kp = new_kp(sdk)
    [iid] = run_linux(sdk, KeyPairName=kp)
    assert admin_instance(server, iid)["PasswordSet"] is False
    detach(sdk, kp, [iid])
    sdk.call("RebootInstance", InstanceId=iid)
    wait_status(sdk, iid, "Running")
    assert login(server, iid) == (None, None, False, False)


def test_attach_to_stopped_instance_takes_effect_at_start(sdk, server):
    old, kp = new_kp(sdk), new_kp(sdk)
    [iid] = run_linux(sdk, KeyPairName=old, Password=PASSWORD)
    sdk.call("StopInstance", InstanceId=iid)
    wait_status(sdk, iid, "Stopped")
    attach(sdk, kp, [iid])
    assert key_of(sdk, iid) == kp
    assert login(server, iid) == (kp, old, False, True)
    sdk.call("StartInstance", InstanceId=iid)
    wait_status(sdk, iid, "Running")
    assert login(server, iid) == (kp, kp, False, False)


def test_detach_from_stopped_instance_takes_effect_at_start(sdk, server):
    kp = new_kp(sdk)
    [iid] = run_linux(sdk, KeyPairName=kp, Password=PASSWORD)
    sdk.call("StopInstance", InstanceId=iid)
    wait_status(sdk, iid, "Stopped")
    detach(sdk, kp, [iid])
    assert login(server, iid) == (None, kp, False, True)
    sdk.call("StartInstance", InstanceId=iid)
    wait_status(sdk, iid, "Running")
    assert login(server, iid) == (None, None, True, False)


def test_create_instance_binding_takes_effect_at_first_start(sdk, server):
    kp = new_kp(sdk)
    iid = sdk.call("CreateInstance", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE,
                   KeyPairName=kp, Password=PASSWORD)["InstanceId"]
    wait_status(sdk, iid, "Stopped")
    assert key_of(sdk, iid) == kp
    assert login(server, iid)[0] == kp and login(server, iid)[3] is True
    sdk.call("StartInstance", InstanceId=iid)
    wait_status(sdk, iid, "Running")
    assert login(server, iid) == (kp, kp, False, False)


def test_windows_instance_refuses_and_keeps_password_login(sdk, server):
    kp = new_kp(sdk)
    [win] = run_windows(sdk)
    for action in ACTIONS:
        expect_error(lambda: bind(sdk, action, kp, [win]), "DependencyViolation.WindowsInstance", 403, MSG_WINDOWS)
    a = admin_instance(server, win)
    assert a["OSType"] == "windows"
    assert login(server, win) == (None, None, True, False)


def test_cli_instances_show_matches_admin(server):
    sdk = Sdk("v3", server.endpoint)
    kp = new_kp(sdk)
    [iid] = run_linux(sdk, KeyPairName=kp, Password=PASSWORD)
    detach(sdk, kp, [iid])
    shown = cli_instance_show(server, iid)
    assert shown["InstanceId"] == iid and shown["Status"] == "Running" and shown["OSType"] == "linux"
    assert (shown["BoundKeyPair"], shown["EffectiveKeyPair"]) == ("-", kp)
    assert (shown["PasswordLoginEffective"], shown["RestartPending"]) == ("false", "true")
    sdk.call("RebootInstance", InstanceId=iid)
    wait_status(sdk, iid, "Running")
    shown = cli_instance_show(server, iid)
    assert (shown["BoundKeyPair"], shown["EffectiveKeyPair"]) == ("-", "-")
    assert (shown["PasswordLoginEffective"], shown["RestartPending"]) == ("true", "false")
    assert admin_instance(server, iid)["RestartPending"] is False


def test_admin_endpoint_unknown_instance(server):
    assert admin_instance(server, "i-doesnotexist000000000") is None


# ---------------------------------------------------------------- Pending instances (a slow server)

@pytest.fixture(scope="module")
def slow_server(tmp_path_factory):
    store = tmp_path_factory.mktemp("slowbind") / "localecs.sqlite"
    s = Server(f"sqlite:{store}", args=["--transition-delay", "1s"]).start()
    yield s
    s.stop()


def test_pending_instance_is_a_per_instance_failure(slow_server):
    sdk = Sdk("v3", slow_server.endpoint)
    kp = new_kp(sdk)
    [ready] = run_linux(sdk)
    wait_status(sdk, ready, "Running")
    [pending] = run_linux(sdk)
    assert describe_one(sdk, pending)["Status"] == "Pending"
    check_results(attach(sdk, kp, [pending, ready]), kp, [(pending, "IncorrectInstanceStatus"), (ready, "200")])
    assert key_of(sdk, pending) == "" and key_of(sdk, ready) == kp
    check_results(detach(sdk, kp, [ready, pending]), kp, [(ready, "200"), (pending, "IncorrectInstanceStatus")])
    # Starting is not Pending: the binding can change.
    wait_status(sdk, pending, "Starting")
    check_results(attach(sdk, kp, [pending]), kp, [(pending, "200")])
    assert key_of(sdk, pending) == kp


# ---------------------------------------------------------------- typed clients

@pytest.mark.parametrize("kind", ["v3", "v1"])
def test_new_sdk_typed_attach_detach_reboot(server, kind):
    from alibabacloud_ecs20140526 import models
    sdk = Sdk("v3", server.endpoint)
    c = ecs_client(server.endpoint, kind)
    kp = new_kp(sdk)
    ids = run_linux(sdk, 2, Password=PASSWORD)

    r = c.attach_key_pair(models.AttachKeyPairRequest(region_id=REGION, key_pair_name=kp, instance_ids=json.dumps(ids)))
    assert r.status_code == 200
    assert r.body.key_pair_name == kp
    assert int(r.body.total_count) == 2 and int(r.body.fail_count) == 0
    assert [(x.instance_id, x.code, str(x.success).lower()) for x in r.body.results.result] == \
        [(i, "200", "true") for i in ids]
    assert [key_of(sdk, i) for i in ids] == [kp, kp]
    assert login(server, ids[1]) == (kp, None, True, True)
    c.reboot_instance(models.RebootInstanceRequest(instance_id=ids[1]))
    wait_status(sdk, ids[1], "Running")
    assert login(server, ids[1]) == (kp, kp, False, False)

    r = c.detach_key_pair(models.DetachKeyPairRequest(region_id=REGION, key_pair_name=kp,
                                                      instance_ids=json.dumps([ids[1], "i-doesnotexist000000000"])))
    assert int(r.body.total_count) == 2 and int(r.body.fail_count) == 1
    assert [(x.instance_id, x.code) for x in r.body.results.result] == \
        [(ids[1], "200"), ("i-doesnotexist000000000", "InvalidInstanceId.NotFound")]
    assert login(server, ids[1]) == (None, kp, False, True)

    c.reboot_instance(models.RebootInstanceRequest(instance_id=ids[1]))
    wait_status(sdk, ids[1], "Running")
    assert login(server, ids[1]) == (None, None, True, False)

    # Errors come back typed with the documented code and status.
    from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
    with pytest.raises(AlibabaCloudException) as ei:
        c.detach_key_pair(models.DetachKeyPairRequest(region_id=REGION, key_pair_name=kp, instance_ids="[1]"))
    assert ei.value.code == "InvalidInstanceIds.ValueNotSupported"
    assert ei.value.status_code == 400


def test_old_sdk_typed_attach_detach_reboot(server):
    from aliyunsdkcore.acs_exception.exceptions import ServerException
    from aliyunsdkecs.request.v20140526 import AttachKeyPairRequest, DetachKeyPairRequest, RebootInstanceRequest
    sdk = Sdk("v3", server.endpoint)
    c = old_client(server.endpoint)
    kp = new_kp(sdk)
    [iid] = run_linux(sdk, Password=PASSWORD)

    q = AttachKeyPairRequest.AttachKeyPairRequest()
    q.set_KeyPairName(kp)
    q.set_InstanceIds(json.dumps([iid]))
    body = json.loads(c.do_action_with_exception(q))
    check_results(body, kp, [(iid, "200")])
    assert key_of(sdk, iid) == kp

    q = RebootInstanceRequest.RebootInstanceRequest()
    q.set_InstanceId(iid)
    c.do_action_with_exception(q)
    wait_status(sdk, iid, "Running")
    assert login(server, iid) == (kp, kp, False, False)

    q = DetachKeyPairRequest.DetachKeyPairRequest()
    q.set_KeyPairName(kp)
    q.set_InstanceIds(json.dumps([iid, iid]))
    body = json.loads(c.do_action_with_exception(q))
    check_results(body, kp, [(iid, "200")])
    assert login(server, iid) == (None, kp, False, True)

    q = DetachKeyPairRequest.DetachKeyPairRequest()
    q.set_KeyPairName("no-such-" + unique())
    q.set_InstanceIds(json.dumps([iid]))
    with pytest.raises(ServerException) as ei:
        c.do_action_with_exception(q)
    assert ei.value.get_error_code() == "InvalidKeyPairName.NotFound" and ei.value.get_http_status() == 400
