"""Every bad input gets an ECS error: a 4xx with the envelope, never a 5xx, a crash or a hang.

Correctly signed requests (so they reach parsing and the domain) carry random values for each
action's parameters: wrong kinds, huge and empty strings, broken JSON arrays, odd Unicode, negative
and enormous numbers. The seed is fixed, so a failure reproduces.
"""
import json
import random

import pytest

from conftest import REGION
from test_signatures import v1_send, v1_signed

ACTIONS = {
    "CreateKeyPair": ["RegionId", "KeyPairName", "ResourceGroupId", "Tag.1.Key", "Tag.1.Value"],
    "ImportKeyPair": ["RegionId", "KeyPairName", "PublicKeyBody", "Tag.1.Key"],
    "DescribeKeyPairs": ["RegionId", "KeyPairName", "KeyPairFingerPrint", "PageNumber", "PageSize", "IncludePublicKey", "Tag.1.Key"],
    "DeleteKeyPairs": ["RegionId", "KeyPairNames"],
    "AttachKeyPair": ["RegionId", "KeyPairName", "InstanceIds"],
    "DetachKeyPair": ["RegionId", "KeyPairName", "InstanceIds"],
    "RunInstances": ["RegionId", "ImageId", "InstanceType", "Amount", "Password", "InstanceName", "HostName", "ClientToken", "KeyPairName", "ZoneId", "DryRun"],
    "CreateInstance": ["RegionId", "ImageId", "InstanceType", "Password", "InstanceName"],
    "DescribeInstances": ["RegionId", "InstanceIds", "Status", "InstanceName", "PageNumber", "PageSize", "MaxResults", "NextToken"],
    "DescribeInstanceStatus": ["RegionId", "InstanceId.1", "PageSize"],
    "DescribeInstanceAttribute": ["InstanceId"],
    "StartInstance": ["InstanceId", "RegionId"],
    "StopInstance": ["InstanceId", "ForceStop"],
    "RebootInstance": ["InstanceId", "ForceStop"],
    "DeleteInstance": ["InstanceId", "Force"],
    "DescribeImages": ["RegionId", "ImageId", "OSType", "ImageOwnerAlias", "PageSize"],
    "DescribeRegions": ["AcceptLanguage"],
}

NASTY = [
    "", " ", "*", "**", "%", "%zz", "+", "&", "=", "\\", '"', "'", "\x00", "\x7f", "é", "名字", "😀",
    "a" * 5000, "[", "]", "[]", "[\"\"]", "[1,2]", "[\"i-a\",", "{\"a\":1}", "null", "true", "True", "TRUE",
    "-1", "0", "1", "51", "101", "9" * 30, "1e3", "0x10", "NaN", "cn-hangzhou", "i-" + "a" * 20,
    '["' + '","'.join(f"i-{n:020d}" for n in range(60)) + '"]', "http://x", "acs:x", "aliyun-tag",
    "ssh-rsa AAAA", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG", "Pending", "Running", "rg-", "rg-abc",
]


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_random_inputs_get_ecs_errors_not_crashes(server, action):
    rng = random.Random(f"localecs-{action}")
    for _ in range(40):
        params = {}
        for name in ACTIONS[action]:
            if rng.random() < 0.7:
                params[name] = REGION if name == "RegionId" and rng.random() < 0.5 else rng.choice(NASTY)
        r = v1_send(server, v1_signed(action, **params))
        assert r.status < 500, f"{action} {params!r} → {r!r}"
        body = json.loads(r.raw)
        assert body["RequestId"], r
        if r.status >= 400:
            assert body["Code"] and body["Message"] and body["HostId"], r
    # The server is still healthy after all of that.
    ok = v1_send(server, v1_signed("DescribeRegions"))
    assert ok.status == 200 and ok.body["Regions"]["Region"]


def test_nul_characters_are_refused_not_truncated(server):
    r = v1_send(server, v1_signed("CreateKeyPair", RegionId=REGION, KeyPairName="kp-nul", **{"Tag.1.Key": "k", "Tag.1.Value": "a\x00b"}))
    assert (r.status, r.code) == (400, "InvalidParameter"), r
    assert "Tag.1.Value" in r.body["Message"]
    listed = v1_send(server, v1_signed("DescribeKeyPairs", RegionId=REGION, KeyPairName="kp-nul"))
    assert listed.body["TotalCount"] == 0
