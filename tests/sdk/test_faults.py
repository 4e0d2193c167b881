"""Fault injection (issue 14): rules on `/_localecs/faults` and `localecs faults`, seen through the
official SDKs' retry paths and raw HTTP.

Every rule kind is exercised: an ECS error (with and without `x-acs-retry-after`), added latency,
a dropped connection; filters on action (wildcards), principal, account, region and a parameter;
a count, a seeded probability and a time window. An injected failure must change nothing, and
the only marker of injection is the `x-localecs-fault` header.
"""
from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import http.client
import json
import os
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from conftest import (AK, BIN, INSTANCE_TYPE, LINUX_IMAGE, REGION, SECRET, ApiError, Sdk, Server, admin_instance,
                      old_client, unique)


@pytest.fixture(scope="module")
def fserver(tmp_path_factory):
    """A server of its own, so no rule of these tests can touch another suite's calls."""
    store = os.environ.get("LOCALECS_TEST_STORE") or f"sqlite:{tmp_path_factory.mktemp('faults') / 'localecs.sqlite'}"
    s = Server(store, args=["--transition-delay", "0"]).start()
    yield s
    s.stop()


@pytest.fixture(autouse=True)
def no_rules_left(fserver):
    yield
    admin(fserver, "DELETE", "/_localecs/faults")


def admin(server: Server, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(server.url + path, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def add_rule(server: Server, **rule) -> str:
    status, body = admin(server, "POST", "/_localecs/faults", rule)
    assert status == 201, body
    return body["Id"]


def rule(server: Server, rule_id: str) -> dict:
    _, body = admin(server, "GET", "/_localecs/faults")
    return next(r for r in body["Rules"] if r["Id"] == rule_id)


def raw(server: Server, action: str, ak: str = AK, secret: str = SECRET, **params):
    """One V1-signed GET; returns (status, headers, body dict). Raises OSError on a dropped connection."""
    p = {"Action": action, "Version": "2014-05-26", "Format": "JSON", "AccessKeyId": ak, "SignatureMethod": "HMAC-SHA1",
         "SignatureVersion": "1.0", "SignatureNonce": uuid.uuid4().hex,
         "Timestamp": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
         **{k: str(v) for k, v in params.items()}}
    q = lambda s: urllib.parse.quote(s, safe="-_.~")
    canon = "&".join(f"{q(k)}={q(v)}" for k, v in sorted(p.items()))
    p["Signature"] = base64.b64encode(hmac.new((secret + "&").encode(), f"GET&%2F&{q(canon)}".encode(), hashlib.sha1).digest()).decode()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request("GET", "/?" + "&".join(f"{q(k)}={q(v)}" for k, v in p.items()))
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, json.loads(r.read())
    finally:
        conn.close()


def key_pair_names(server: Server, name: str) -> list[str]:
    _, _, body = raw(server, "DescribeKeyPairs", RegionId=REGION, KeyPairName=name)
    return [k["KeyPairName"] for k in body["KeyPairs"]["KeyPair"]]


def new_sdk_client(server: Server, retry: dict | None = None):
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi import utils_models as om
    cfg = om.Config(access_key_id=AK, access_key_secret=SECRET, endpoint=server.endpoint, protocol="http", region_id=REGION)
    if retry is not None:
        from darabonba.policy.retry import RetryOptions
        cfg.retry_options = RetryOptions(retry)
    return Client(cfg)


# ------------------------------------------------------------------------------------ errors and retries

def test_injected_error_is_ecs_shaped_marked_only_in_a_header(fserver):
    rid = add_rule(fserver, Action="DescribeRegions", Code="InternalError", Count=1)
    status, headers, body = raw(fserver, "DescribeRegions")
    assert status == 500
    assert set(body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
    assert body["Code"] == "InternalError"
    assert body["Message"] == "The request processing has failed due to some unknown error, exception or failure."
    assert headers["x-localecs-fault"] == rid
    assert "x-acs-retry-after" not in headers
    assert rid not in json.dumps(body)
    status, headers, _ = raw(fserver, "DescribeRegions")     # the count is used up
    assert status == 200 and "x-localecs-fault" not in headers
    r = rule(fserver, rid)
    assert (r["Matched"], r["Hits"]) == (1, 1)


def test_old_sdk_retries_through_two_service_unavailable(fserver):
    """aliyun-python-sdk-core retries DescribeKeyPairs on 503 (clients.md §4.2): the third attempt succeeds."""
    from aliyunsdkecs.request.v20140526.DescribeKeyPairsRequest import DescribeKeyPairsRequest
    name = unique()
    assert raw(fserver, "CreateKeyPair", RegionId=REGION, KeyPairName=name)[0] == 200
    rid = add_rule(fserver, Action="DescribeKeyPairs", Code="ServiceUnavailable", Status=503, Count=2)
    req = DescribeKeyPairsRequest()
    req.set_KeyPairName(name)
    body = json.loads(old_client(fserver.endpoint).do_action_with_exception(req))
    assert [k["KeyPairName"] for k in body["KeyPairs"]["KeyPair"]] == [name]
    r = rule(fserver, rid)
    # Two attempts failed; the third went through, the rule being used up (it no longer counts calls).
    assert (r["Matched"], r["Hits"]) == (2, 2)


def test_old_sdk_run_instances_with_client_token_creates_exactly_one(fserver):
    """The old SDK retries RunInstances (with the caller's ClientToken) on 503: one instance results."""
    from aliyunsdkecs.request.v20140526.RunInstancesRequest import RunInstancesRequest
    add_rule(fserver, Action="RunInstances", Code="ServiceUnavailable", Count=2)
    name = unique("vm")
    req = RunInstancesRequest()
    req.set_ImageId(LINUX_IMAGE); req.set_InstanceType(INSTANCE_TYPE); req.set_Amount(1)
    req.set_InstanceName(name); req.set_ClientToken(uuid.uuid4().hex)
    body = json.loads(old_client(fserver.endpoint).do_action_with_exception(req))
    ids = body["InstanceIdSets"]["InstanceIdSet"]
    assert len(ids) == 1
    _, _, found = raw(fserver, "DescribeInstances", RegionId=REGION, InstanceName=name)
    assert [i["InstanceId"] for i in found["Instances"]["Instance"]] == ids


def test_old_sdk_does_not_retry_create_key_pair_and_nothing_is_created(fserver):
    """CreateKeyPair is not in the old SDK's retry list: the 503 surfaces, and the call changed nothing."""
    from aliyunsdkcore.acs_exception.exceptions import ServerException
    from aliyunsdkecs.request.v20140526.CreateKeyPairRequest import CreateKeyPairRequest
    rid = add_rule(fserver, Action="CreateKeyPair", Code="ServiceUnavailable", Count=2)
    name = unique()
    req = CreateKeyPairRequest()
    req.set_KeyPairName(name)
    with pytest.raises(ServerException) as info:
        old_client(fserver.endpoint).do_action_with_exception(req)
    assert (info.value.get_error_code(), info.value.get_http_status()) == ("ServiceUnavailable", 503)
    assert rule(fserver, rid)["Hits"] == 1
    assert key_pair_names(fserver, name) == []


def test_new_sdk_retry_options_survive_two_failures_and_create_one_key_pair(fserver):
    from alibabacloud_ecs20140526 import models
    rid = add_rule(fserver, Action="CreateKeyPair", Code="ServiceUnavailable", Status=503, Count=2)
    client = new_sdk_client(fserver, {"retryable": True, "retryCondition": [
        {"maxAttempts": 3, "exception": ["ServerException"], "backoff": {"policy": "Fixed", "period": 50}}]})
    name = unique()
    kp = client.create_key_pair(models.CreateKeyPairRequest(region_id=REGION, key_pair_name=name)).body
    assert kp.key_pair_name == name and kp.private_key_body
    assert key_pair_names(fserver, name) == [name]
    r = rule(fserver, rid)
    assert (r["Matched"], r["Hits"]) == (2, 2)


def test_throttling_with_retry_after_is_the_new_sdks_throttling_exception(fserver):
    from alibabacloud_ecs20140526 import models
    from alibabacloud_tea_openapi.exceptions import ThrottlingException
    rid = add_rule(fserver, Action="DescribeKeyPairs", Code="Throttling.User", RetryAfterMs=1500, Count=1)
    with pytest.raises(ThrottlingException) as info:
        new_sdk_client(fserver).describe_key_pairs(models.DescribeKeyPairsRequest(region_id=REGION))
    assert info.value.code == "Throttling.User"
    assert info.value.retry_after == 1500
    status, headers, _ = raw(fserver, "DescribeKeyPairs", RegionId=REGION)
    assert status == 200
    assert rule(fserver, rid)["Hits"] == 1


def test_failed_detach_changes_no_binding(fserver):
    name = unique()
    assert raw(fserver, "CreateKeyPair", RegionId=REGION, KeyPairName=name)[0] == 200
    _, _, body = raw(fserver, "RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, KeyPairName=name)
    iid = body["InstanceIdSets"]["InstanceIdSet"][0]
    add_rule(fserver, Action="DetachKeyPair", Parameter="InstanceIds", ParameterContains=iid, Code="ServiceUnavailable")
    for _ in range(2):
        status, headers, body = raw(fserver, "DetachKeyPair", RegionId=REGION, KeyPairName=name, InstanceIds=json.dumps([iid]))
        assert (status, body["Code"]) == (503, "ServiceUnavailable") and "x-localecs-fault" in headers
    facts = admin_instance(fserver, iid)
    assert facts["BoundKeyPair"] == name and facts["RestartPending"] is False
    # A Detach naming another instance does not match the parameter filter.
    other = raw(fserver, "RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE,
                KeyPairName=name)[2]["InstanceIdSets"]["InstanceIdSet"][0]
    status, _, body = raw(fserver, "DetachKeyPair", RegionId=REGION, KeyPairName=name, InstanceIds=json.dumps([other]))
    assert status == 200 and str(body["FailCount"]) == "0"


def test_seeded_probability_fails_the_same_calls_twice(fserver):
    def pattern() -> list[int]:
        rid = add_rule(fserver, Action="DescribeImages", Probability=0.5, Seed=20261130, Code="InternalError")
        statuses = [raw(fserver, "DescribeImages", RegionId=REGION)[0] for _ in range(24)]
        r = rule(fserver, rid)
        assert (r["Matched"], r["Hits"]) == (24, statuses.count(500))
        admin(fserver, "DELETE", f"/_localecs/faults/{rid}")
        return statuses
    first, second = pattern(), pattern()
    assert first == second
    assert set(first) == {200, 500}, first


def test_rule_scoped_to_one_ram_user_leaves_others_alone(fserver):
    from test_ram import ram_client, user_with
    ram = ram_client(fserver)
    alice, alice_ak, alice_secret = user_with(ram, system=["AliyunECSFullAccess"])
    _, bob_ak, bob_secret = user_with(ram, system=["AliyunECSFullAccess"])
    rid = add_rule(fserver, Action="Describe*", Principal=alice, Code="ServiceUnavailable")
    assert raw(fserver, "DescribeRegions", ak=alice_ak, secret=alice_secret)[0] == 503
    assert raw(fserver, "DescribeRegions", ak=bob_ak, secret=bob_secret)[0] == 200
    assert raw(fserver, "DescribeRegions")[0] == 200   # root
    # By AccessKeyId, and by account (another account is untouched: none exists here but the default).
    admin(fserver, "DELETE", f"/_localecs/faults/{rid}")
    add_rule(fserver, Principal=bob_ak, Code="ServiceUnavailable")
    assert raw(fserver, "DescribeRegions", ak=bob_ak, secret=bob_secret)[0] == 503
    assert raw(fserver, "DescribeRegions", ak=alice_ak, secret=alice_secret)[0] == 200


def test_account_and_region_filters(fserver):
    add_rule(fserver, Account="1999999999999999", Code="ServiceUnavailable")
    add_rule(fserver, Region="cn-beijing", Action="DescribeImages", Code="InternalError")
    assert raw(fserver, "DescribeRegions")[0] == 200
    assert raw(fserver, "DescribeImages", RegionId=REGION)[0] == 200
    assert raw(fserver, "DescribeImages", RegionId="cn-beijing")[0] == 500


# ------------------------------------------------------------------------------------ latency, drop, window

def test_latency_delays_a_call_that_ran(fserver):
    rid = add_rule(fserver, Action="CreateKeyPair", LatencyMs=400, Count=1)
    name = unique()
    started = time.monotonic()
    status, headers, body = raw(fserver, "CreateKeyPair", RegionId=REGION, KeyPairName=name)
    assert time.monotonic() - started >= 0.4
    assert status == 200 and body["KeyPairName"] == name and headers["x-localecs-fault"] == rid
    assert key_pair_names(fserver, name) == [name]
    started = time.monotonic()
    raw(fserver, "DescribeRegions")
    assert time.monotonic() - started < 0.4


def test_dropped_connection_answers_nothing_and_changes_nothing(fserver):
    from alibabacloud_ecs20140526 import models
    rid = add_rule(fserver, Action="CreateKeyPair", Drop=True, Count=1)
    name = unique()
    with pytest.raises((ConnectionError, http.client.RemoteDisconnected, OSError)):
        raw(fserver, "CreateKeyPair", RegionId=REGION, KeyPairName=name)
    assert key_pair_names(fserver, name) == []
    assert rule(fserver, rid)["Hits"] == 1
    # The server goes on serving; the new SDK gets through once the count is used up.
    kp = new_sdk_client(fserver).create_key_pair(models.CreateKeyPairRequest(region_id=REGION, key_pair_name=name)).body
    assert kp.key_pair_name == name


def test_time_window(fserver):
    add_rule(fserver, Action="DescribeRegions", DurationSeconds=1, Code="ServiceUnavailable")
    assert raw(fserver, "DescribeRegions")[0] == 503
    time.sleep(1.1)
    assert raw(fserver, "DescribeRegions")[0] == 200
    future = int(time.time() * 1000) + 60_000
    add_rule(fserver, Action="DescribeRegions", StartsAt=future, Code="ServiceUnavailable")
    assert raw(fserver, "DescribeRegions")[0] == 200


# ------------------------------------------------------------------------------------ management

@pytest.mark.parametrize("rule_body,fragment", [
    ({"Code": "Nope"}, "Status is required"),
    ({"Status": 200, "Code": "X"}, "Status must be 400 to 599"),
    ({"LatencyMs": 10, "Code": "InternalError"}, "one effect"),
    ({"Probability": 1.5}, "Probability must be"),
    ({"Count": 0}, "Count must be at least 1"),
    ({"Count": "2"}, "Count: wrong type"),
    ({"Seed": 3}, "Seed needs Probability"),
    ({"LatencyMs": 10**9}, "LatencyMs must be"),
    ({"Count": 10**30}, "not a JSON object of rule fields"),
    ({"ParameterContains": "i-1"}, "ParameterContains needs Parameter"),
    ({"Action": ""}, "Action must be 1 to 256"),
])
def test_bad_rules_are_refused_with_a_reason(fserver, rule_body, fragment):
    status, body = admin(fserver, "POST", "/_localecs/faults", rule_body)
    assert status == 400 and body["Code"] == "InvalidFaultRule", body
    assert fragment in body["Message"], body
    assert admin(fserver, "GET", "/_localecs/faults")[1]["Rules"] == []


def test_not_json_and_unknown_id(fserver):
    req = urllib.request.Request(fserver.url + "/_localecs/faults", data=b"[1", method="POST")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=10)
    assert info.value.code == 400 and json.loads(info.value.read())["Code"] == "InvalidFaultRule"
    status, body = admin(fserver, "DELETE", "/_localecs/faults/fault-nosuchrule")
    assert (status, body["Code"]) == (404, "InvalidFaultRule.NotFound")


def test_list_delete_clear_and_reset(fserver):
    a = add_rule(fserver, Action="DescribeRegions", Code="ServiceUnavailable")
    b = add_rule(fserver, Action="DescribeImages", LatencyMs=5)
    rules = admin(fserver, "GET", "/_localecs/faults")[1]["Rules"]
    assert [r["Id"] for r in rules] == [a, b]
    assert rules[0]["Code"] == "ServiceUnavailable" and rules[1]["LatencyMs"] == 5
    assert admin(fserver, "DELETE", f"/_localecs/faults/{a}") == (200, {"Deleted": 1})
    assert raw(fserver, "DescribeRegions")[0] == 200
    assert admin(fserver, "DELETE", "/_localecs/faults") == (200, {"Deleted": 1})
    add_rule(fserver, Action="DescribeRegions", Code="ServiceUnavailable")
    assert admin(fserver, "POST", "/_localecs/reset")[0] == 200
    assert admin(fserver, "GET", "/_localecs/faults")[1]["Rules"] == []
    assert raw(fserver, "DescribeRegions")[0] == 200


def test_cli_add_list_clear_act_on_the_running_server(fserver):
    def cli(*args) -> str:
        p = subprocess.run([str(BIN), "faults", *args, "--store", fserver.store], capture_output=True, text=True,
                           timeout=60, env=fserver.env)
        assert p.returncode == 0, p.stderr
        return p.stdout
    rid = cli("add", "--action", "DetachKeyPair", "--code", "ServiceUnavailable", "--status", "503", "--count", "2").strip()
    assert rid.startswith("fault-")
    for _ in range(2):
        status, headers, _ = raw(fserver, "DetachKeyPair", RegionId=REGION, KeyPairName="k", InstanceIds='["i-x"]')
        assert status == 503 and headers["x-localecs-fault"] == rid
    assert raw(fserver, "DetachKeyPair", RegionId=REGION, KeyPairName="k", InstanceIds='["i-x"]')[0] == 400
    listed = cli("list")
    assert rid in listed and "hits=2" in listed and "matched=2" in listed
    assert "deleted 1 fault rule" in cli("clear")
    p = subprocess.run([str(BIN), "faults", "add", "--probability", "2", "--store", fserver.store], capture_output=True,
                       text=True, timeout=60, env=fserver.env)
    assert p.returncode != 0 and "Probability must be" in p.stderr


# ------------------------------------------------------------------------------------ several nodes

def test_rules_added_on_one_postgres_node_act_on_the_other():
    """Two nodes on one database: a rule added on A acts on B within the refresh interval (0.25 s),
    and a Count is shared: three hits in all, whichever node serves the calls."""
    from test_multinode import PG_URL, Account, start_nodes
    if not PG_URL:
        if os.environ.get("LOCALECS_REQUIRE_POSTGRES") == "1":
            pytest.fail("LOCALECS_REQUIRE_POSTGRES=1 but LOCALECS_TEST_POSTGRES_URL is not set")
        pytest.skip("LOCALECS_TEST_POSTGRES_URL is not set: run under scripts/with-postgres")
    account = Account()
    a, b = start_nodes(PG_URL, account, 2)
    try:
        rid = add_rule(a, Account=account.id, Action="DescribeRegions", Code="ServiceUnavailable", Count=3)
        time.sleep(0.35)
        call = lambda node: raw(node, "DescribeRegions", ak=account.ak, secret=account.secret)
        status, headers, _ = call(b)
        assert status == 503 and headers["x-localecs-fault"] == rid
        statuses = [call(n)[0] for n in (a, b, a, b, a)]
        assert statuses == [503, 503, 200, 200, 200]
        assert rule(b, rid)["Hits"] == 3
        assert admin(b, "DELETE", "/_localecs/faults") == (200, {"Deleted": 1})
        rid = add_rule(b, Account=account.id, Action="DescribeRegions", Code="InternalError")
        time.sleep(0.35)
        assert call(a)[0] == 500
    finally:
        admin(a, "DELETE", "/_localecs/faults")
        a.stop(); b.stop()
