"""The audit trail through the official ActionTrail SDK (`alibabacloud_actiontrail20200706`):
every API call (ECS, RAM, STS, refused ones too) is an event that LookupEvents (2020-07-06)
finds on the same endpoint: filters, paging, newest first, redaction, account isolation, RAM,
and what survives a clean shutdown and a SIGKILL.
"""
from __future__ import annotations

import datetime
import json
import time

import pytest
from alibabacloud_actiontrail20200706 import models as at
from alibabacloud_actiontrail20200706.client import Client as TrailClient
from alibabacloud_ram20150501 import models as M
from alibabacloud_tea_openapi import utils_models as om

from conftest import ACCOUNT_ID, AK, REGION, SECRET, ApiError, Sdk, Server, run_linux, unique, wait_status
from test_ram import _cli, allow, expect, policy_doc, ram, user_with  # noqa: F401  (ram is a fixture)
from test_sts import assume, assumer, ecs_with, make_role


def trail(server, ak: str = AK, secret: str = SECRET, token: str | None = None) -> TrailClient:
    return TrailClient(om.Config(access_key_id=ak, access_key_secret=secret, security_token=token,
                                 endpoint=server.endpoint, protocol="http", read_timeout=30000))


def lookup(client: TrailClient, max_results: int | None = None, next_token: str | None = None, direction=None,
           start=None, end=None, **attrs) -> at.LookupEventsResponseBody:
    req = at.LookupEventsRequest(
        lookup_attribute=[at.LookupEventsRequestLookupAttribute(key=k, value=v) for k, v in attrs.items()] or None,
        max_results=None if max_results is None else str(max_results), next_token=next_token, direction=direction,
        start_time=start, end_time=end)
    return client.lookup_events(req).body


def iso(t: datetime.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_detach_is_recorded_with_identity_resources_and_request_id(server):
    root = Sdk("v3", server.endpoint)
    kp = unique()
    root.call("CreateKeyPair", RegionId=REGION, KeyPairName=kp)
    [inst] = run_linux(root, KeyPairName=kp)
    wait_status(root, inst, "Running")
    r = root.call("DetachKeyPair", RegionId=REGION, KeyPairName=kp, InstanceIds=json.dumps([inst, "i-unknown0000"]))
    body = lookup(trail(server), EventName="DetachKeyPair", ResourceName=inst)
    assert body.request_id and body.start_time and body.end_time and body.next_token is None
    [e] = body.events
    assert e["requestId"] == r["RequestId"]
    assert (e["eventName"], e["eventRW"], e["serviceName"], e["acsRegion"]) == ("DetachKeyPair", "Write", "Ecs", REGION)
    assert e["eventType"] == "ApiCall" and e["apiVersion"] == "2014-05-26"
    assert e["sourceIpAddress"] == "127.0.0.1" and e["userAgent"] and e["eventSource"] == server.endpoint
    assert e["userIdentity"] == {"type": "root-account", "principalId": ACCOUNT_ID, "accountId": ACCOUNT_ID,
                                 "accessKeyId": AK, "userName": "root"}
    assert e["requestParameters"]["KeyPairName"] == kp
    assert json.loads(e["requestParameters"]["InstanceIds"]) == [inst, "i-unknown0000"]
    assert e["referencedResources"] == {"ACS::ECS::Instance": [inst, "i-unknown0000"], "ACS::ECS::KeyPair": [kp]}
    assert "errorCode" not in e
    datetime.datetime.strptime(e["eventTime"], "%Y-%m-%dT%H:%M:%SZ")
    # RunInstances records the instance it created; the key pair's creation names it too.
    [run] = lookup(trail(server), EventName="RunInstances", ResourceName=inst).events
    assert run["referencedResources"]["ACS::ECS::Instance"] == [inst]
    assert lookup(trail(server), EventName="CreateKeyPair", ResourceName=kp).events[0]["eventRW"] == "Write"


def test_refused_calls_are_recorded_with_the_ram_user(ram, server):
    name, ak, secret = user_with(ram, system=["AliyunECSReadOnlyAccess"])
    user_id = ram.get_user(M.GetUserRequest(user_name=name)).body.user.user_id
    kp = unique()
    with pytest.raises(ApiError) as info:
        Sdk("v3", server.endpoint, ak=ak, secret=secret).call("CreateKeyPair", RegionId=REGION, KeyPairName=kp)
    assert info.value.code == "Forbidden.RAM"
    [e] = lookup(trail(server), User=name, EventName="CreateKeyPair").events
    assert e["errorCode"] == "Forbidden.RAM" and e["errorMessage"]
    assert e["userIdentity"] == {"type": "ram-user", "principalId": user_id, "accountId": ACCOUNT_ID,
                                 "accessKeyId": ak, "userName": name}
    # A parameter error after authentication is recorded too, with ECS's code.
    with pytest.raises(ApiError):
        Sdk("v3", server.endpoint).call("DetachKeyPair", RegionId=REGION, KeyPairName=kp, InstanceIds="not-json")
    assert lookup(trail(server), EventName="DetachKeyPair", ResourceName=kp).events == []  # never parsed: no resource named ...
    found = [x for x in lookup(trail(server), EventName="DetachKeyPair", max_results=50).events
             if x["requestParameters"].get("KeyPairName") == kp]
    assert found[0]["errorCode"] == "InvalidInstanceIds.ValueNotSupported"  # ... but the call is there


def test_secrets_never_enter_the_trail(ram, server):
    password = "Sup3r-" + unique("pw")
    root = Sdk("v1", server.endpoint)   # V1: every parameter, the signature included, is in the query
    [inst] = run_linux(root, Password=password)
    created = root.call("CreateKeyPair", RegionId=REGION, KeyPairName=unique())
    _, ak, secret = assumer(ram)
    creds = assume(server, ak, secret, make_role(ram), session="audit").credentials
    ecs_with(server, creds, kind="v1").call("DescribeRegions")   # the token travels as a query parameter
    everything = json.dumps([lookup(trail(server), max_results=50, EventName=n).events
                             for n in ("RunInstances", "CreateKeyPair", "CreateAccessKey", "AssumeRole", "DescribeRegions")])
    for s in (password, created["PrivateKeyBody"].splitlines()[1], secret, creds.access_key_secret, creds.security_token):
        assert s not in everything
    [run] = lookup(trail(server), EventName="RunInstances", ResourceName=inst).events
    assert run["requestParameters"]["Password"] == "******"
    assert run["requestParameters"]["Signature"] == "******"
    assert "AccessKeyId" not in run["requestParameters"]


def test_sts_session_identity(ram, server):
    role = make_role(ram)
    _, ak, secret = assumer(ram)
    c = assume(server, ak, secret, role, session="sess1")
    ecs_with(server, c.credentials).call("DescribeRegions")
    [e] = lookup(trail(server), EventAccessKeyId=c.credentials.access_key_id).events
    assert e["userIdentity"]["type"] == "assumed-role"
    assert e["userIdentity"]["userName"] == role + ":sess1"
    assert e["userIdentity"]["principalId"] == c.assumed_role_user.assumed_role_id
    [assumed] = lookup(trail(server), EventName="AssumeRole", ResourceName=role).events
    assert assumed["serviceName"] == "Sts" and assumed["eventRW"] == "Write"
    assert assumed["userIdentity"]["accessKeyId"] == ak


def test_paging_newest_first_and_forward(server):
    root = Sdk("v3", server.endpoint)
    kp = unique()
    ids = [root.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=kp)["RequestId"] for _ in range(7)]
    client = trail(server)
    pages, token = [], None
    while True:
        body = lookup(client, max_results=3, next_token=token, ResourceName=kp)
        pages.append([e["requestId"] for e in body.events])
        token = body.next_token
        if not token:
            break
    assert [len(p) for p in pages] == [3, 3, 1]
    assert sum(pages, []) == list(reversed(ids))
    forward = lookup(client, max_results=50, direction="FORWARD", ResourceName=kp).events
    assert [e["requestId"] for e in forward] == ids
    assert len(lookup(client, ResourceName=kp, EventRW="Read").events) == 7
    assert lookup(client, ResourceName=kp, EventRW="Write").events == []
    assert len(lookup(client, ResourceName=kp, ResourceType="ACS::ECS::KeyPair", ServiceName="Ecs").events) == 7
    assert lookup(client, ResourceName=kp, ServiceName="Ram").events == []
    # A time range in the future holds nothing; one around now holds them all.
    now = datetime.datetime.now(datetime.timezone.utc)
    assert lookup(client, ResourceName=kp, start=iso(now + datetime.timedelta(hours=1)),
                  end=iso(now + datetime.timedelta(hours=2))).events == []
    assert len(lookup(client, ResourceName=kp, start=iso(now - datetime.timedelta(minutes=5)),
                      end=iso(now + datetime.timedelta(minutes=5))).events) == 7


def test_bad_lookups_get_actionable_errors(server):
    client = trail(server)
    for kwargs, field in [({"start": "yesterday"}, "StartTime"), ({"next_token": "garbage"}, "NextToken"),
                          ({"direction": "SIDEWAYS"}, "Direction"), ({"max_results": 51}, "MaxResults"),
                          ({"Colour": "blue"}, "LookupAttribute"), ({"EventRW": "Maybe"}, "LookupAttribute"),
                          ({"start": "2026-01-02T00:00:00Z", "end": "2026-01-01T00:00:00Z"}, "StartTime")]:
        e = expect("InvalidParameter", 400, lambda: lookup(client, **kwargs))
        assert field in e.message, e.message


def test_accounts_see_only_their_own_events(server):
    a_kp = unique()
    Sdk("v3", server.endpoint).call("DescribeKeyPairs", RegionId=REGION, KeyPairName=a_kp)
    b = _cli(server, "accounts", "create")
    b_kp = unique()
    Sdk("v3", server.endpoint, ak=b["AccessKeyId"], secret=b["AccessKeySecret"]).call("DescribeKeyPairs", RegionId=REGION, KeyPairName=b_kp)
    b_trail = trail(server, b["AccessKeyId"], b["AccessKeySecret"])
    assert lookup(b_trail, ResourceName=a_kp).events == []
    [mine] = lookup(b_trail, ResourceName=b_kp).events
    assert mine["userIdentity"]["accountId"] == b["AccountId"]
    assert lookup(trail(server), ResourceName=b_kp).events == []
    assert all(e["userIdentity"]["accountId"] == b["AccountId"] for e in lookup(b_trail, max_results=50).events)


def test_lookup_is_authorized_by_ram(ram, server):
    _, ak, secret = user_with(ram, system=["AliyunECSReadOnlyAccess"])
    # ActionTrail, like RAM and STS, refuses with NoPermission (ECS alone says Forbidden.RAM).
    e = expect("NoPermission", 403, lookup, trail(server, ak, secret))
    assert e.data["AccessDeniedDetail"]["AuthAction"] == "actiontrail:LookupEvents"
    _, ak2, secret2 = user_with(ram, statements=[allow("actiontrail:LookupEvents")])
    assert lookup(trail(server, ak2, secret2), max_results=1).request_id


def test_clean_shutdown_loses_nothing_and_sigkill_loses_at_most_the_last_second(tmp_path):
    s = Server(f"sqlite:{tmp_path / 'trail.sqlite'}", args=["--transition-delay", "0"]).start()
    try:
        kp = unique()
        root = Sdk("v3", s.endpoint)
        ids = [root.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=kp)["RequestId"] for _ in range(30)]
        assert s.stop() == 0          # SIGTERM straight after the last answer
        s.start(s.port)
        assert [e["requestId"] for e in lookup(trail(s), max_results=50, ResourceName=kp).events] == list(reversed(ids))

        kp2 = unique()
        early = [Sdk("v3", s.endpoint).call("DescribeKeyPairs", RegionId=REGION, KeyPairName=kp2)["RequestId"] for _ in range(5)]
        time.sleep(2.5)               # more than the 1 s flush interval: these are on disk
        s.kill()
        s.start(s.port)
        found = [e["requestId"] for e in lookup(trail(s), max_results=50, ResourceName=kp2).events]
        assert found == list(reversed(early))
    finally:
        s.stop()


def test_recording_off(tmp_path):
    s = Server(f"sqlite:{tmp_path / 'off.sqlite'}", args=["--audit", "off"]).start()
    try:
        Sdk("v3", s.endpoint).call("DescribeRegions")
        assert lookup(trail(s), max_results=50).events == []
    finally:
        s.stop()
    bad = Server(f"sqlite:{tmp_path / 'bad.sqlite'}", args=["--audit", "maybe"])
    with pytest.raises(RuntimeError, match="on or off"):
        bad.start()
