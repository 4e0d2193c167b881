"""The wire fuzzer's generator: reproducible per request index, and reaching the values it promises."""
import fuzzgen
import signing

ACTIONS = [
    {"Name": "DescribeKeyPairs", "Version": "2014-05-26", "Params": [
        {"Name": "RegionId", "Kind": "string", "Required": True},
        {"Name": "PageNumber", "Kind": "integer", "Required": False, "Min": 1, "Max": 2147483647},
        {"Name": "Tag", "Kind": "tags", "Required": False}]},
    {"Name": "DeleteKeyPairs", "Version": "2014-05-26", "Params": [
        {"Name": "KeyPairNames", "Kind": "jsonStringArray", "Required": True, "MaxItems": 100}]},
    {"Name": "DescribeInstanceTypes", "Version": "2014-05-26", "Params": [
        {"Name": "InstanceTypes", "Kind": "repeatList", "Required": False, "MaxItems": 10}]},
]


def pools():
    p = fuzzgen.Pools(region="cn-hangzhou", account="1", key_pairs=["kp-a"], instances=["i-a"])
    p.creds = [signing.Creds("root", "s", None), signing.Creds("user", "s", None), signing.Creds("sts", "s", "tok")]
    return p


def test_request_i_depends_only_on_seed_and_index():
    a = [fuzzgen.generate(7, i, ACTIONS, pools()) for i in range(300)]
    b = [fuzzgen.generate(7, i, ACTIONS, pools()) for i in reversed(range(300))][::-1]
    assert [(g.action, g.shape, g.params) for g in a] == [(g.action, g.shape, g.params) for g in b]


def test_first_requests_visit_every_action_and_values_reach_the_boundaries():
    gen = [fuzzgen.generate(1, i, ACTIONS, pools()) for i in range(3000)]
    assert [g.action for g in gen[:3]] == [a["Name"] for a in ACTIONS]
    values = {v for g in gen for k, v in g.params if k == "PageNumber"}
    assert {"0", "-1", "2147483648", "9223372036854775807", "1000000000000000000", "2147483647"} <= values
    names = {k for g in gen for k, _ in g.params}
    assert {"Tag.0.Key", "Tag.21.Key", "InstanceTypes.11", "InstanceTypes.0"} <= names
    assert {g.shape for g in gen} == set(signing.SHAPES) and {g.creds_kind for g in gen} == {"root", "user", "sts"}
