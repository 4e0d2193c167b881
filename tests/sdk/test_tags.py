"""ECS tags through the official SDKs: TagResources, UntagResources, ListTagResources on
instances, key pairs and security groups, the same tags RunInstances, CreateKeyPair and
CreateSecurityGroup set and the Describe calls filter on; limits, errors, RAM."""
from __future__ import annotations

import json

import pytest
from alibabacloud_ecs20140526 import models as M

from conftest import INSTANCE_TYPE, LINUX_IMAGE, REGION, ApiError, Sdk, ecs_client, unique


def error(fn) -> ApiError:
    with pytest.raises(ApiError) as info:
        fn()
    return info.value


def listed(sdk: Sdk, rtype: str, ids: list[str] | None = None, **params) -> set[tuple[str, str, str]]:
    body = sdk.call("ListTagResources", RegionId=REGION, ResourceType=rtype,
                    **{f"ResourceId.{n}": i for n, i in enumerate(ids or [], 1)}, **params)
    return {(t["ResourceId"], t["TagKey"], t["TagValue"]) for t in body["TagResources"]["TagResource"]}


@pytest.fixture(scope="module")
def resources(server):
    v3 = Sdk("v3", server.endpoint)
    kp = unique("kp")
    v3.call("CreateKeyPair", RegionId=REGION, KeyPairName=kp, **{"Tag.1.Key": "born", "Tag.1.Value": "kp"})
    [iid] = v3.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE,
                    **{"Tag.1.Key": "born", "Tag.1.Value": "i"})["InstanceIdSets"]["InstanceIdSet"]
    sg = v3.call("CreateSecurityGroup", RegionId=REGION, **{"Tag.1.Key": "born", "Tag.1.Value": "sg"})["SecurityGroupId"]
    return {"keypair": kp, "instance": iid, "securitygroup": sg}


@pytest.mark.parametrize("rtype", ["instance", "keypair", "securitygroup"])
def test_tag_list_untag(sdk, resources, rtype):
    rid = resources[rtype]
    key = unique("k")
    born = {"keypair": "kp", "instance": "i", "securitygroup": "sg"}[rtype]
    assert (rid, "born", born) in listed(sdk, rtype, [rid])     # the tag set at creation
    sdk.call("TagResources", RegionId=REGION, ResourceType=rtype, **{"ResourceId.1": rid, "Tag.1.Key": key, "Tag.1.Value": "v1"})
    assert listed(sdk, rtype, [rid]) >= {(rid, key, "v1"), (rid, "born", born)}
    # Tagging an existing key overwrites its value.
    sdk.call("TagResources", RegionId=REGION, ResourceType=rtype, **{"ResourceId.1": rid, "Tag.1.Key": key, "Tag.1.Value": "v2"})
    assert (rid, key, "v2") in listed(sdk, rtype, [rid]) and (rid, key, "v1") not in listed(sdk, rtype, [rid])
    # The Describe calls filter on the same tags.
    describe = {"instance": ("DescribeInstances", "Instances", "Instance", "InstanceId"),
                "keypair": ("DescribeKeyPairs", "KeyPairs", "KeyPair", "KeyPairName"),
                "securitygroup": ("DescribeSecurityGroups", "SecurityGroups", "SecurityGroup", "SecurityGroupId")}[rtype]
    found = sdk.call(describe[0], RegionId=REGION, **{"Tag.1.Key": key, "Tag.1.Value": "v2"})[describe[1]][describe[2]]
    assert [f[describe[3]] for f in found] == [rid]
    # ListTagResources by tag, without IDs.
    assert listed(sdk, rtype, **{"Tag.1.Key": key, "Tag.1.Value": "v2"}) >= {(rid, key, "v2")}
    assert {r for r, _, _ in listed(sdk, rtype, **{"TagFilter.1.TagKey": key})} == {rid}
    sdk.call("UntagResources", RegionId=REGION, ResourceType=rtype, **{"ResourceId.1": rid, "TagKey.1": key, "TagKey.2": "absent"})
    assert {k for _, k, _ in listed(sdk, rtype, [rid])} == {"born"}


def test_limits_and_reserved_prefixes(v3, resources):
    sg = resources["securitygroup"]
    base = {"RegionId": REGION, "ResourceType": "securitygroup", "ResourceId.1": sg}
    e = error(lambda: v3.call("TagResources", **base, **{"Tag.1.Key": "acs:x", "Tag.1.Value": "v"}))
    assert (e.code, e.status) == ("InvalidTagKey.Malformed", 400)
    e = error(lambda: v3.call("TagResources", **base, **{"Tag.1.Key": "aliyun-x", "Tag.1.Value": "v"}))
    assert (e.code, e.status) == ("InvalidTagKey.Malformed", 400)
    e = error(lambda: v3.call("TagResources", **base, **{"Tag.1.Key": "k", "Tag.1.Value": "acs:v"}))
    assert (e.code, e.status) == ("InvalidTagValue.Malformed", 400)
    e = error(lambda: v3.call("TagResources", **base, **{"Tag.1.Key": "k", "Tag.2.Key": "k"}))
    assert (e.code, e.status) == ("Duplicate.TagKey", 400)
    e = error(lambda: v3.call("TagResources", **base))
    assert (e.code, e.status) == ("MissingParameter", 400)
    # 19 more reach 20 with the tag set at creation; one more is refused and nothing changes.
    v3.call("TagResources", **base, **{f"Tag.{n}.Key": f"k{n}" for n in range(1, 20)})
    assert len(listed(v3, "securitygroup", [sg])) == 20
    e = error(lambda: v3.call("TagResources", **base, **{"Tag.1.Key": "one-more"}))
    assert (e.code, e.status) == ("QuotaExceed.Tags", 403)
    assert len(listed(v3, "securitygroup", [sg])) == 20
    v3.call("UntagResources", **base, All=True)
    assert listed(v3, "securitygroup", [sg]) == set()
    e = error(lambda: v3.call("UntagResources", **base))
    assert (e.code, e.status) == ("MissingParameter", 400)


def test_unknown_resources_and_types(v3, resources):
    for rtype, code in [("instance", "InvalidInstanceId.NotFound"), ("keypair", "InvalidKeyPairName.NotFound"),
                        ("securitygroup", "InvalidSecurityGroupId.NotFound")]:
        e = error(lambda: v3.call("TagResources", RegionId=REGION, ResourceType=rtype,
                                  **{"ResourceId.1": resources[rtype], "ResourceId.2": "nope-0000", "Tag.1.Key": "k"}))
        assert (e.code, e.status) == (code, 404)
        # All or nothing: the existing resource was not tagged either.
        assert "k" not in {k for _, k, _ in listed(v3, rtype, [resources[rtype]])}
    e = error(lambda: v3.call("TagResources", RegionId=REGION, ResourceType="disk", **{"ResourceId.1": "d-1", "Tag.1.Key": "k"}))
    assert (e.code, e.status) == ("InvalidResourceType.NotSupported", 400)
    e = error(lambda: v3.call("TagResources", RegionId=REGION, **{"ResourceId.1": "d-1", "Tag.1.Key": "k"}))
    assert (e.code, e.status) == ("MissingParameter", 400)


def test_typed_sdk_and_paging(server, resources):
    client = ecs_client(server.endpoint)
    sg = resources["securitygroup"]
    client.tag_resources(M.TagResourcesRequest(region_id=REGION, resource_type="securitygroup", resource_id=[sg],
                                               tag=[M.TagResourcesRequestTag(key=f"p{n}", value=str(n)) for n in range(10)]))
    body = client.list_tag_resources(M.ListTagResourcesRequest(region_id=REGION, resource_type="securitygroup",
                                                               resource_id=[sg])).body
    assert {t.tag_key for t in body.tag_resources.tag_resource} >= {f"p{n}" for n in range(10)}
    client.untag_resources(M.UntagResourcesRequest(region_id=REGION, resource_type="securitygroup", resource_id=[sg],
                                                   tag_key=[f"p{n}" for n in range(10)]))
    # Paging: 50 tags a page, NextToken to the next.
    v3 = Sdk("v3", server.endpoint)
    groups = [v3.call("CreateSecurityGroup", RegionId=REGION)["SecurityGroupId"] for _ in range(3)]
    key = unique("page")
    for g in groups:
        v3.call("TagResources", RegionId=REGION, ResourceType="securitygroup",
                **{"ResourceId.1": g, **{f"Tag.{n}.Key": f"{key}-{n}" for n in range(1, 20)}})
    first = v3.call("ListTagResources", RegionId=REGION, ResourceType="securitygroup",
                    **{f"ResourceId.{n}": g for n, g in enumerate(groups, 1)})
    assert len(first["TagResources"]["TagResource"]) == 50 and first["NextToken"]
    rest = v3.call("ListTagResources", RegionId=REGION, ResourceType="securitygroup", NextToken=first["NextToken"],
                   **{f"ResourceId.{n}": g for n, g in enumerate(groups, 1)})
    assert len(rest["TagResources"]["TagResource"]) == 7 and rest["NextToken"] == ""
    for g in groups:
        v3.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=g)


def test_ram_tagging_is_per_resource(server, resources):
    from test_ram import allow, ram_client, user_with
    sg = resources["securitygroup"]
    _, ak, sk = user_with(ram_client(server), statements=[allow("ecs:TagResources", f"acs:ecs:*:*:securitygroup/{sg}")])
    user = Sdk("v3", server.endpoint, ak, sk)
    user.call("TagResources", RegionId=REGION, ResourceType="securitygroup", **{"ResourceId.1": sg, "Tag.1.Key": "by-user"})
    e = error(lambda: user.call("TagResources", RegionId=REGION, ResourceType="instance",
                                **{"ResourceId.1": resources["instance"], "Tag.1.Key": "by-user"}))
    assert (e.code, e.status) == ("Forbidden.RAM", 403)
    e = error(lambda: user.call("UntagResources", RegionId=REGION, ResourceType="securitygroup",
                                **{"ResourceId.1": sg, "TagKey.1": "by-user"}))
    assert (e.code, e.status) == ("Forbidden.RAM", 403)
