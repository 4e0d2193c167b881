"""terraform-provider-alicloud's calls for tests/sdk/terraform/main.tf, replayed over HTTP.

Terraform is installed here but its alicloud provider cannot be downloaded, so this test makes the
calls the provider's resources make (aliyun/terraform-provider-alicloud at 81c43b6, read function
by function: tests/sdk/terraform/README.md maps every step to its source), in the order Terraform
makes them, with the same parameters, and reads the same JSON paths from the answers:

- `apply`: each resource's Create, its waits on status fields (BuildStateConf + a state refresh
  function), the Update that Create ends with, and the Read that follows;
- a second `plan`: every resource's Read again; each attribute the configuration sets must read
  back as written (otherwise Terraform would plan a change on every run);
- `destroy`: each Delete, with its retries on the codes it retries on, its NotFound handling and its
  wait for the resource to be gone.

The provider has two clients and the replay uses the official Python counterpart of each:
`client.RpcPost` (tea-rpc: HMAC-SHA1 signed POST, `map[string]interface{}` bodies flattened to
`Key.N.Sub` form, `Format=json`) is alibabacloud_tea_openapi's `call_api` for an RPC action with
`signature_algorithm="v2"`; `client.WithEcsClient` (alibaba-cloud-sdk-go's typed ECS requests,
parameters in the query) is aliyun-python-sdk-core's CommonRequest. Values are sent as Go's `%v`
prints them (`true`, `40`). What differs from Terraform: waits poll every 50 ms instead of the
provider's 3-10 s, the resources are created and destroyed one at a time in dependency order
(Terraform walks the same graph, ten at a time), and names carry a random suffix so the test can
share its server; a 5xx answer fails the test at once where the provider would retry it.
"""
from __future__ import annotations

import base64
import json
import re
import time
import uuid

import pytest

from conftest import AK, INSTANCE_TYPE, LINUX_IMAGE, REGION, SECRET

ZONE = "cn-hangzhou-i"
POLL = 0.05
USER_DATA = base64.b64encode(b"#!/bin/sh\necho terraform > /tmp/hello\n").decode()


class ProviderError(Exception):
    """An error as the provider's code sees it: the SDK's code, HTTP status and message."""

    def __init__(self, code: str, status: int | None, message: str, via: str):
        super().__init__(f"{via}: {status} {code}: {message}")
        self.code, self.status, self.message, self.via = code, status, message, via


def go(v):
    """A request value as Go's %v prints it (tea-rpc and alibaba-cloud-sdk-go both do)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return {k: go(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [go(x) for x in v]
    return str(v)


def not_found(e: ProviderError) -> bool:
    """errors.go NotFoundError: for tea errors a 404 or "NotFound" in the message; for
    alibaba-cloud-sdk-go errors the codes Instance.Notfound / Forbidden.InstanceNotFound / NotFound,
    a 404, or "instance is not found" in the message."""
    if e.via == "rpc":
        return e.status == 404 or "NotFound" in e.message
    return (e.code in ("Instance.Notfound", "Forbidden.InstanceNotFound", "NotFound") or e.status == 404
            or "instance is not found" in e.message.lower())


def need_retry(e: ProviderError) -> bool:
    """errors.go NeedRetry, without its 5xx clause: LocalECS must never answer 5xx, so one fails the test."""
    assert e.status is None or e.status < 500, f"LocalECS answered {e.status}: {e}"
    return e.code in ("ServiceUnavailable", "Rejected.Throttling") or "Throttling" in e.code


class Provider:
    """The two clients of connectivity.AliyunClient, recording every call as (client, action, params)."""

    def __init__(self, endpoint: str):
        from alibabacloud_tea_openapi.client import Client as OpenApiClient
        from alibabacloud_tea_openapi import utils_models as om
        from aliyunsdkcore.client import AcsClient
        cfg = om.Config(access_key_id=AK, access_key_secret=SECRET, endpoint=endpoint, protocol="http",
                        region_id=REGION, read_timeout=30000, signature_algorithm="v2")
        self.tea = OpenApiClient(cfg)
        self.acs = AcsClient(AK, SECRET, REGION, timeout=30)
        self.endpoint = endpoint
        self.calls: list[tuple[str, str, dict]] = []

    def rpc(self, product: str, version: str, action: str, body: dict, query: dict | None = None) -> dict:
        """client.RpcPost(product, version, action, query, body, autoRetry)."""
        from alibabacloud_tea_openapi import utils_models as om
        from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
        from alibabacloud_tea_openapi.utils import Utils
        from darabonba.runtime import RuntimeOptions
        self.calls.append((f"RpcPost {product}", action, {**(query or {}), **body}))
        p = om.Params(action=action, version=version, protocol="HTTP", pathname="/", method="POST",
                      auth_type="AK", style="RPC", req_body_type="formData", body_type="json")
        req = om.OpenApiRequest(query=Utils.query(go(query or {})), body=go(body))
        try:
            resp = self.tea.call_api(p, req, RuntimeOptions())
        except AlibabaCloudException as e:
            raise ProviderError(e.code, getattr(e, "status_code", None), e.message or "", "rpc") from None
        assert resp["statusCode"] == 200, resp
        return resp["body"]

    def ecs(self, action: str, **params) -> dict:
        """client.WithEcsClient(...): an alibaba-cloud-sdk-go ECS request (parameters in the query)."""
        from aliyunsdkcore.acs_exception.exceptions import ServerException
        from aliyunsdkcore.request import CommonRequest
        self.calls.append(("WithEcsClient", action, params))
        r = CommonRequest(domain=self.endpoint, version="2014-05-26", action_name=action)
        r.set_method("POST")
        r.set_protocol_type("http")
        r.set_accept_format("JSON")
        for k, v in params.items():
            if isinstance(v, list):   # a *[]string field: Key.1, Key.2, ...
                for n, item in enumerate(v, 1):
                    r.add_query_param(f"{k}.{n}", go(item))
            else:
                r.add_query_param(k, go(v))
        try:
            return json.loads(self.acs.do_action_with_exception(r))
        except ServerException as e:
            raise ProviderError(e.get_error_code(), e.get_http_status(), e.get_error_msg() or "", "sdk-go") from None

    def retry(self, call, retry_codes=(), timeout: float = 30):
        """resource.Retry with the resource's "IsExpectedErrors(err, [...]) || NeedRetry(err)" test."""
        deadline = time.time() + timeout
        while True:
            try:
                return call()
            except ProviderError as e:
                if not (e.code in retry_codes or need_retry(e)) or time.time() > deadline:
                    raise
                time.sleep(POLL)


def wait_for_state(pending: list[str], target: list[str], refresh, timeout: float = 30, not_found_checks: int = 20):
    """terraform-plugin-sdk's StateChangeConf.WaitForState as BuildStateConf configures it: done on a
    target state (or, with no target, once the object is gone); a state neither pending nor target
    fails when pending states are listed; 20 consecutive "not found" fail when a target is expected."""
    deadline, misses = time.time() + timeout, 0
    while True:
        obj, state = refresh()
        if obj is None:
            if not target:
                return None
            misses += 1
            assert misses <= not_found_checks, f"not found {misses} times while waiting for {target}"
        else:
            misses = 0
            if state in target:
                return obj
            assert not pending or state in pending, f"unexpected state {state!r}, wanted {target} (pending {pending})"
        assert time.time() < deadline, f"timed out waiting for {target}; last state {state!r}"
        time.sleep(POLL)


def jsonpath(obj, *keys):
    """jsonpath.Get("$.A.B", obj): None where a key is missing."""
    for k in keys:
        if not isinstance(obj, dict) or k not in obj:
            return None
        obj = obj[k]
    return obj


def tags_to_map(tags) -> dict:
    """tags.go tagsToMap over "$.Tags.Tag", dropping the keys the provider ignores (aliyun*, acs:, http(s)://)."""
    out = {}
    for t in tags or []:
        key = t.get("TagKey", t.get("Key"))
        value = t.get("TagValue", t.get("Value"))
        if not re.match(r"^(aliyun|acs:|http://|https://)", key):
            out[key] = value
    return out


def tag_params(tags: dict) -> dict:
    """expandTagsToMap / the instance's Tag.N.Key/Value loop, in the configuration's order."""
    out = {}
    for n, (k, v) in enumerate(tags.items(), 1):
        out[f"Tag.{n}.Key"], out[f"Tag.{n}.Value"] = k, v
    return out


# ---------------------------------------------------------------- alicloud_vpc (resource_alicloud_vpc.go)

def vpc_describe(p: Provider, vpc_id: str) -> dict:
    """service_alicloud_vpc_v2.go DescribeVpcVpc: DescribeVpcAttribute; an empty VpcId is "not found"."""
    body = p.retry(lambda: p.rpc("Vpc", "2016-04-28", "DescribeVpcAttribute", {"VpcId": vpc_id, "RegionId": REGION}))
    if str(body.get("VpcId")) == "":
        raise ProviderError("ResourceNotfound", None, f"Vpc {vpc_id} NotFound", "rpc")
    return body


def vpc_refresh(p: Provider, vpc_id: str, field: str = "Status"):
    """VpcVpcStateRefreshFunc: (nil, "") when NotFoundError, else (object, object[field])."""
    def f():
        try:
            obj = vpc_describe(p, vpc_id)
        except ProviderError as e:
            if not_found(e):
                return None, ""
            raise
        return obj, str(obj.get(field))
    return f


def vpc_route_table(p: Provider, vpc_id: str) -> dict:
    """DescribeVpcDescribeRouteTableList: the VPC's System route table from DescribeRouteTableList."""
    body = p.retry(lambda: p.rpc("Vpc", "2016-04-28", "DescribeRouteTableList", {"VpcId": vpc_id, "RegionId": REGION}))
    items = jsonpath(body, "RouterTableList", "RouterTableListType")
    assert items is not None, f"$.RouterTableList.RouterTableListType[*] missing from {body}"
    for item in items:
        if str(item.get("RouteTableType")) == "System" and str(item.get("VpcId")) == vpc_id:
            return item
    raise ProviderError("ResourceNotfound", None, f"Vpc {vpc_id} route table NotFound", "rpc")


def vpc_read(p: Provider, vpc_id: str) -> dict:
    """resourceAliCloudVpcVpcRead."""
    o = vpc_describe(p, vpc_id)
    attrs = {"cidr_block": o.get("CidrBlock"), "classic_link_enabled": o.get("ClassicLinkEnabled"),
             "create_time": o.get("CreationTime"), "description": o.get("Description"),
             "dns_hostname_status": o.get("DnsHostnameStatus"), "enable_ipv6": o.get("EnabledIpv6"),
             "ipv6_cidr_block": o.get("Ipv6CidrBlock"), "region_id": o.get("RegionId"), "is_default": o.get("IsDefault"),
             "resource_group_id": o.get("ResourceGroupId"), "router_id": o.get("VRouterId"), "status": o.get("Status"),
             "vpc_name": o.get("VpcName"), "secondary_cidr_blocks": jsonpath(o, "SecondaryCidrBlocks", "SecondaryCidrBlock"),
             "tags": tags_to_map(jsonpath(o, "Tags", "Tag")), "user_cidrs": jsonpath(o, "UserCidrs", "UserCidr")}
    try:
        rt = vpc_route_table(p, vpc_id)
    except ProviderError as e:
        if not not_found(e):
            raise
        rt = {}
    attrs.update(route_table_id=rt.get("RouteTableId"), router_id=rt.get("RouterId"),
                 system_route_table_description=rt.get("Description"), system_route_table_name=rt.get("RouteTableName"))
    attrs["name"] = attrs["vpc_name"]
    return attrs


def vpc_create(p: Provider, cfg: dict) -> tuple[str, dict]:
    """resourceAliCloudVpcVpcCreate, then resourceAliCloudVpcVpcUpdate (new resource), then Read."""
    body = {"RegionId": REGION, "ClientToken": "CreateVpc" + uuid.uuid4().hex, "CidrBlock": cfg["cidr_block"],
            "VpcName": cfg["vpc_name"], "Description": cfg["description"], **tag_params(cfg["tags"])}
    resp = p.retry(lambda: p.rpc("Vpc", "2016-04-28", "CreateVpc", body), ("TaskConflict", "UnknownError"))
    vpc_id = str(resp["VpcId"])
    wait_for_state([], ["Available"], vpc_refresh(p, vpc_id))
    # Update on a new resource: the route table is looked up unconditionally (its attributes are not
    # set, so ModifyRouteTableAttributes is not sent); the tags are set again through TagResources.
    vpc_route_table(p, vpc_id)
    p.retry(lambda: p.rpc("Vpc", "2016-04-28", "TagResources", {
        "ResourceId.1": vpc_id, "RegionId": REGION, **tag_params(cfg["tags"]), "ResourceType": "VPC"}))
    return vpc_id, vpc_read(p, vpc_id)


def vpc_delete(p: Provider, vpc_id: str) -> None:
    """resourceAliCloudVpcVpcDelete."""
    try:
        p.retry(lambda: p.rpc("Vpc", "2016-04-28", "DeleteVpc", {
            "VpcId": vpc_id, "RegionId": REGION, "ClientToken": "DeleteVpc" + uuid.uuid4().hex}),
            ("DependencyViolation.VSwitch", "DependencyViolation.SecurityGroup", "IncorrectVpcStatus"))
    except ProviderError as e:
        if not (e.code == "InvalidResource.NotFound" or not_found(e)):
            raise
        return
    wait_for_state([], [], vpc_refresh(p, vpc_id))


# ---------------------------------------------------------- alicloud_vswitch (resource_alicloud_vswitch.go)

def vswitch_describe(p: Provider, vsw_id: str) -> dict:
    """service_alicloud_vpc_v2.go DescribeVpcVswitch: DescribeVSwitchAttributes, VSwitchId in the query."""
    body = p.retry(lambda: p.rpc("Vpc", "2016-04-28", "DescribeVSwitchAttributes", {"RegionId": REGION}, query={"VSwitchId": vsw_id}))
    if body.get("VSwitchId") == "":
        raise ProviderError("ResourceNotfound", None, f"Vswitch {vsw_id} NotFound", "rpc")
    return body


def vswitch_refresh(p: Provider, vsw_id: str):
    """VpcVswitchStateRefreshFunc: NotFoundError gives the state "" (the delete waits for it)."""
    def f():
        try:
            obj = vswitch_describe(p, vsw_id)
        except ProviderError as e:
            if not_found(e):
                return {}, ""
            raise
        return obj, str(obj.get("Status"))
    return f


def vswitch_read(p: Provider, vsw_id: str) -> dict:
    """resourceAliCloudVpcVswitchRead."""
    o = vswitch_describe(p, vsw_id)
    attrs = {"cidr_block": o.get("CidrBlock"), "create_time": o.get("CreationTime"), "description": o.get("Description"),
             "ipv6_cidr_block": o.get("Ipv6CidrBlock"), "is_default": o.get("IsDefault"), "status": o.get("Status"),
             "vswitch_name": o.get("VSwitchName"), "vpc_id": o.get("VpcId"), "zone_id": o.get("ZoneId"),
             "tags": tags_to_map(jsonpath(o, "Tags", "Tag"))}
    attrs.update(name=attrs["vswitch_name"], availability_zone=attrs["zone_id"])
    return attrs


def vswitch_create(p: Provider, cfg: dict) -> tuple[str, dict]:
    """resourceAliCloudVpcVswitchCreate, then Update (new resource: only the tags), then Read."""
    body = {"RegionId": REGION, "ClientToken": "CreateVSwitch" + uuid.uuid4().hex, "CidrBlock": cfg["cidr_block"],
            "VpcId": cfg["vpc_id"], "VSwitchName": cfg["vswitch_name"], "Description": cfg["description"], "ZoneId": cfg["zone_id"]}
    resp = p.retry(lambda: p.rpc("Vpc", "2016-04-28", "CreateVSwitch", body),
                   ("TaskConflict", "IncorrectStatus", "IncorrectVSwitchStatus", "OperationConflict"))
    vsw_id = str(resp["VSwitchId"])
    wait_for_state([], ["Available"], vswitch_refresh(p, vsw_id))
    p.retry(lambda: p.rpc("Vpc", "2016-04-28", "TagResources", {
        "ResourceId.1": vsw_id, "RegionId": REGION, **tag_params(cfg["tags"]), "ResourceType": "VSWITCH"}))
    return vsw_id, vswitch_read(p, vsw_id)


def vswitch_delete(p: Provider, vsw_id: str) -> None:
    """resourceAliCloudVpcVswitchDelete."""
    try:
        p.retry(lambda: p.rpc("Vpc", "2016-04-28", "DeleteVSwitch", {"VSwitchId": vsw_id, "RegionId": REGION}),
                ("DependencyViolation", "OperationConflict", "IncorrectVSwitchStatus", "TaskConflict", "InternalError"))
    except ProviderError as e:
        if e.code not in ("InvalidVswitchID.NotFound", "InvalidVSwitchId.NotFound"):
            raise
        return
    wait_for_state([], [""], vswitch_refresh(p, vsw_id))


# ---------------------------------------------- alicloud_security_group (resource_alicloud_security_group.go)

def sg_describe(p: Provider, sg_id: str) -> dict:
    """service_alicloud_ecs_v2.go DescribeEcsSecurityGroup: DescribeSecurityGroups, the first item."""
    body = p.retry(lambda: p.rpc("Ecs", "2014-05-26", "DescribeSecurityGroups", {"SecurityGroupId": sg_id, "RegionId": REGION}))
    items = jsonpath(body, "SecurityGroups", "SecurityGroup")
    if not items or items[0].get("SecurityGroupId") is None:
        raise ProviderError("ResourceNotfound", None, f"SecurityGroup {sg_id} NotFound", "rpc")
    return items[0]


def sg_attribute(p: Provider, sg_id: str) -> dict:
    """DescribeSecurityGroupDescribeSecurityGroupAttribute (InvalidSecurityGroupId.NotFound is "not found")."""
    try:
        return p.retry(lambda: p.rpc("Ecs", "2014-05-26", "DescribeSecurityGroupAttribute", {"SecurityGroupId": sg_id, "RegionId": REGION}))
    except ProviderError as e:
        if e.code == "InvalidSecurityGroupId.NotFound":
            raise ProviderError("ResourceNotfound", None, f"SecurityGroup {sg_id} NotFound", "rpc") from None
        raise


def sg_read(p: Provider, sg_id: str) -> dict:
    """resourceAliCloudEcsSecurityGroupRead."""
    o = sg_describe(p, sg_id)
    attrs = {k: o[f] for k, f in (("create_time", "CreationTime"), ("description", "Description"),
                                   ("resource_group_id", "ResourceGroupId"), ("security_group_name", "SecurityGroupName"),
                                   ("name", "SecurityGroupName"), ("security_group_type", "SecurityGroupType"),
                                   ("vpc_id", "VpcId")) if o.get(f) is not None}
    attrs["tags"] = tags_to_map(jsonpath(o, "Tags", "Tag"))
    try:
        a = sg_attribute(p, sg_id)
    except ProviderError as e:
        if not not_found(e):
            raise
        a = {}
    if a.get("InnerAccessPolicy") is not None:
        attrs["inner_access_policy"] = a["InnerAccessPolicy"]
        attrs["inner_access"] = str(a["InnerAccessPolicy"]) == "Accept"
    return attrs


def sg_create(p: Provider, cfg: dict) -> tuple[str, dict]:
    """resourceAliCloudEcsSecurityGroupCreate, then Update (new resource), then Read."""
    body = {"RegionId": REGION, "ClientToken": "CreateSecurityGroup" + uuid.uuid4().hex, **tag_params(cfg["tags"]),
            "Description": cfg["description"], "VpcId": cfg["vpc_id"], "SecurityGroupName": cfg["security_group_name"]}
    resp = p.retry(lambda: p.rpc("Ecs", "2014-05-26", "CreateSecurityGroup", body))
    sg_id = str(resp["SecurityGroupId"])
    # Update: ModifySecurityGroupAttribute is for existing resources only; the policy step reads the
    # group's attribute unconditionally and sends ModifySecurityGroupPolicy only when
    # inner_access(_policy) is configured (it is not).
    sg_attribute(p, sg_id)
    return sg_id, sg_read(p, sg_id)


def sg_delete(p: Provider, sg_id: str) -> None:
    """resourceAliCloudEcsSecurityGroupDelete."""
    try:
        p.retry(lambda: p.rpc("Ecs", "2014-05-26", "DeleteSecurityGroup", {"SecurityGroupId": sg_id, "RegionId": REGION}),
                ("DependencyViolation",))
    except ProviderError as e:
        if not not_found(e):
            raise


# ------------------------------------ alicloud_security_group_rule (resource_alicloud_security_group_rule.go)

def sg_attribute_go(p: Provider, sg_id: str, **extra) -> dict:
    """service_alicloud_ecs.go EcsService.DescribeSecurityGroup (alibaba-cloud-sdk-go); a different id is "not found"."""
    try:
        body = p.ecs("DescribeSecurityGroupAttribute", SecurityGroupId=sg_id, RegionId=REGION, **extra)
    except ProviderError as e:
        if e.code == "InvalidSecurityGroupId.NotFound":
            raise ProviderError("ResourceNotfound", e.status, f"{e.message} NotFound", "rpc") from None
        raise
    if not extra and body.get("SecurityGroupId") != sg_id:
        raise ProviderError("ResourceNotfound", None, f"Security Group {sg_id} NotFound", "rpc")
    return body


def rule_id(sg_id: str, cfg: dict) -> str:
    """The resource id Create builds: group:direction:protocol:ports:nic:cidr:policy:priority."""
    return ":".join([sg_id, cfg["type"], cfg["ip_protocol"], cfg["port_range"], cfg["nic_type"], cfg["cidr_ip"],
                     cfg["policy"], str(cfg["priority"])])


def rule_read(p: Provider, rid: str) -> dict:
    """resourceAliyunSecurityGroupRuleRead over EcsService.DescribeSecurityGroupRule: the group's
    permissions for the direction and NIC type, matched on protocol, ports, address, policy, priority."""
    sg_id, direction, proto, ports, nic, cidr, policy, priority = rid.split(":")
    body = p.retry(lambda: sg_attribute_go(p, sg_id, Direction=direction, NicType=nic))
    for ru in jsonpath(body, "Permissions", "Permission") or []:
        if str(ru.get("IpProtocol", "")).lower() == proto and ru.get("PortRange") == ports:
            src = (ru.get("SourceCidrIp") or ru.get("SourceGroupId") or ru.get("Ipv6SourceCidrIp")) if direction == "ingress" \
                else (ru.get("DestCidrIp") or ru.get("DestGroupId") or ru.get("Ipv6DestCidrIp"))
            # alibaba-cloud-sdk-go decodes Priority into a string field, whatever JSON type it came as.
            if src == cidr and str(ru.get("Policy", "")).lower() == policy and str(ru.get("Priority")) == priority:
                side = "Source" if direction == "ingress" else "Dest"
                return {"type": ru.get("Direction"), "ip_protocol": str(ru.get("IpProtocol")).lower(),
                        "nic_type": ru.get("NicType"), "policy": str(ru.get("Policy")).lower(), "port_range": ru.get("PortRange"),
                        "description": ru.get("Description"), "security_group_rule_id": ru.get("SecurityGroupRuleId"),
                        "priority": int(ru["Priority"]), "security_group_id": sg_id, "cidr_ip": ru.get(f"{side}CidrIp")}
    raise ProviderError("ResourceNotfound", None, f"Security Group Rule {rid} NotFound", "rpc")


def rule_create(p: Provider, cfg: dict) -> tuple[str, dict]:
    """resourceAliyunSecurityGroupRuleCreate: the group looked up, then AuthorizeSecurityGroup with Permissions.1.*."""
    assert cfg["type"] == "ingress"
    perm = {"IpProtocol": cfg["ip_protocol"], "Policy": cfg["policy"], "Priority": str(cfg["priority"]),
            "SourceCidrIp": cfg["cidr_ip"], "PortRange": cfg["port_range"]}
    sg_attribute_go(p, cfg["security_group_id"])
    perm["NicType"] = cfg["nic_type"]
    perm["Description"] = cfg["description"]
    body = {"RegionId": REGION, "SecurityGroupId": cfg["security_group_id"], "Permissions": [perm]}
    p.retry(lambda: p.rpc("Ecs", "2014-05-26", "AuthorizeSecurityGroup", body))
    rid = rule_id(cfg["security_group_id"], cfg)
    return rid, rule_read(p, rid)


def rule_delete(p: Provider, rid: str, cfg: dict) -> None:
    """resourceAliyunSecurityGroupRuleDelete: buildAliyunSGRuleRequest (which looks the group up) and a
    RevokeSecurityGroup CommonRequest, retried for 5 minutes; "not found" means done."""
    try:
        sg_attribute_go(p, cfg["security_group_id"])
        p.ecs("RevokeSecurityGroup", PortRange=cfg["port_range"], IpProtocol=cfg["ip_protocol"], Policy=cfg["policy"],
              Priority=str(cfg["priority"]), SourceCidrIp=cfg["cidr_ip"], NicType=cfg["nic_type"],
              SecurityGroupId=cfg["security_group_id"], Description=cfg["description"])
    except ProviderError as e:
        if not (not_found(e) or e.code == "InvalidSecurityGroupId.NotFound"):
            raise


# -------------------------------------------------- alicloud_ecs_key_pair (resource_alicloud_ecs_key_pair.go)

def key_pair_read(p: Provider, name: str) -> dict:
    """resourceAliCloudEcsKeyPairRead over DescribeEcsKeyPair (DescribeKeyPairs by KeyPairName)."""
    body = p.retry(lambda: p.rpc("Ecs", "2014-05-26", "DescribeKeyPairs", {"KeyPairName": name, "RegionId": REGION}))
    items = jsonpath(body, "KeyPairs", "KeyPair")
    assert items is not None, f"$.KeyPairs.KeyPair[*] missing from {body}"
    if not items or items[0].get("KeyPairName") == "":
        raise ProviderError("ResourceNotfound", None, f"KeyPair {name} NotFound", "rpc")
    o = items[0]
    attrs = {k: o[f] for k, f in (("finger_print", "KeyPairFingerPrint"), ("create_time", "CreationTime"),
                                   ("resource_group_id", "ResourceGroupId"), ("key_pair_name", "KeyPairName"),
                                   ("key_name", "KeyPairName")) if o.get(f) is not None}
    attrs["tags"] = tags_to_map(jsonpath(o, "Tags", "Tag"))
    return attrs


def key_pair_create(p: Provider, cfg: dict) -> tuple[str, dict]:
    """resourceAliCloudEcsKeyPairCreate (CreateKeyPair, no public_key), then Read."""
    body = {"RegionId": REGION, "KeyPairName": cfg["key_pair_name"], **tag_params(cfg["tags"])}
    resp = p.retry(lambda: p.rpc("Ecs", "2014-05-26", "CreateKeyPair", body))
    assert resp.get("PrivateKeyBody", "").startswith("-----BEGIN")   # what key_file would receive
    return str(resp["KeyPairName"]), key_pair_read(p, str(resp["KeyPairName"]))


def key_pair_delete(p: Provider, name: str) -> None:
    """resourceAliCloudEcsKeyPairDelete: DeleteKeyPairs with a JSON array of one name."""
    try:
        p.retry(lambda: p.rpc("Ecs", "2014-05-26", "DeleteKeyPairs", {"KeyPairNames": json.dumps([name]), "RegionId": REGION}),
                ("ServiceUnavailable", "InvalidParameter.KeypairAlreadyAttachedInstance"))
    except ProviderError as e:
        if not not_found(e):
            raise


# ------------------------------------------------------------ alicloud_instance (resource_alicloud_instance.go)

ADDITIONAL = ["META_OPTIONS", "NETWORK_PRIMARY_ENI_IP", "LOGIN_AS_NON_ROOT", "DISK_HIGH_DENSITY_MODE"]


def instance_describe(p: Provider, iid: str) -> dict:
    """service_alicloud_ecs.go EcsService.DescribeInstance (alibaba-cloud-sdk-go DescribeInstances)."""
    body = p.retry(lambda: p.ecs("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps([iid]), AdditionalAttributes=ADDITIONAL))
    items = body["Instances"]["Instance"]
    if not items:
        raise ProviderError("ResourceNotfound", None, f"Instance {iid} NotFound", "rpc")
    return items[0]


def instance_refresh(p: Provider, iid: str):
    """InstanceStateRefreshFunc: (nil, "") when not found, else the Status."""
    def f():
        try:
            o = instance_describe(p, iid)
        except ProviderError as e:
            if not_found(e):
                return None, ""
            raise
        return o, o["Status"]
    return f


def instance_read(p: Provider, iid: str, new: bool) -> dict:
    """resourceAliCloudInstanceRead: every call it makes, and the attributes it sets from them."""
    inst = instance_describe(p, iid)
    # DescribeEcsSystemDisk: DescribeDisks of the instance's system disk (RpcPost).
    disks = p.retry(lambda: p.rpc("Ecs", "2014-05-26", "DescribeDisks", {"RegionId": REGION, "InstanceId": iid, "DiskType": "system"}))
    items = jsonpath(disks, "Disks", "Disk")
    assert items and items[0]["InstanceId"] == iid, f"no system disk for {iid}: {disks}"
    disk = items[0]
    vpc = inst.get("VpcAttributes") or {}
    private = jsonpath(vpc, "PrivateIpAddress", "IpAddress") or []
    attrs = {
        "system_disk_category": disk.get("Category"), "system_disk_name": disk.get("DiskName"),
        "system_disk_description": disk.get("Description"), "system_disk_size": disk.get("Size"), "system_disk_id": disk.get("DiskId"),
        "system_disk_performance_level": disk.get("PerformanceLevel"), "system_disk_encrypted": disk.get("Encrypted"),
        "instance_name": inst.get("InstanceName"), "resource_group_id": inst.get("ResourceGroupId"),
        "description": inst.get("Description"), "status": inst.get("Status"), "availability_zone": inst.get("ZoneId"),
        "host_name": inst.get("HostName"), "image_id": inst.get("ImageId"), "instance_type": inst.get("InstanceType"),
        "internet_max_bandwidth_out": inst.get("InternetMaxBandwidthOut"), "internet_max_bandwidth_in": inst.get("InternetMaxBandwidthIn"),
        "instance_charge_type": inst.get("InstanceChargeType"), "key_name": inst.get("KeyPairName"),
        "spot_strategy": inst.get("SpotStrategy"), "internet_charge_type": inst.get("InternetChargeType"),
        "deletion_protection": inst.get("DeletionProtection"), "tags": tags_to_map(jsonpath(inst, "Tags", "Tag")),
        "subnet_id": vpc.get("VSwitchId"), "vpc_id": vpc.get("VpcId"), "vswitch_id": vpc.get("VSwitchId"),
        "http_tokens": jsonpath(inst, "MetadataOptions", "HttpTokens"), "http_endpoint": jsonpath(inst, "MetadataOptions", "HttpEndpoint"),
        "cpu": inst.get("Cpu"), "memory": inst.get("Memory"), "os_name": inst.get("OSName"), "os_type": inst.get("OSType"),
        "create_time": inst.get("CreationTime"), "start_time": inst.get("StartTime"), "expired_time": inst.get("ExpiredTime"),
        "private_ip": private[0] if private else ",".join(jsonpath(inst, "InnerIpAddress", "IpAddress") or []),
        "security_groups": sorted(jsonpath(inst, "SecurityGroupIds", "SecurityGroupId") or []),
    }
    public = jsonpath(inst, "PublicIpAddress", "IpAddress") or []
    attrs["public_ip"] = public[0] if public else ""
    ud = p.ecs("DescribeUserData", RegionId=REGION, InstanceId=iid)
    attrs["user_data"] = ud.get("UserData") or ""
    if vpc.get("VSwitchId") and not new:
        roles = p.ecs("DescribeInstanceRamRole", RegionId=REGION, InstanceIds=json.dumps([iid]))
        sets = jsonpath(roles, "InstanceRamRoleSets", "InstanceRamRoleSet")
        assert sets is not None, f"$.InstanceRamRoleSets.InstanceRamRoleSet missing from {roles}"
        if sets:
            attrs["role_name"] = sets[0].get("RamRoleName")
    for eni in jsonpath(inst, "NetworkInterfaces", "NetworkInterface") or []:
        # DescribeEcsNetworkInterface, once per interface (and again for the primary one's addresses).
        body = p.retry(lambda: p.rpc("Ecs", "2014-05-26", "DescribeNetworkInterfaces",
                                     {"RegionId": REGION, "NetworkInterfaceId": [eni["NetworkInterfaceId"]]}))
        sets = jsonpath(body, "NetworkInterfaceSets", "NetworkInterfaceSet")
        assert sets and sets[0]["NetworkInterfaceId"] == eni["NetworkInterfaceId"], body
        if eni.get("Type") == "Primary":
            attrs["network_interface_id"] = eni["NetworkInterfaceId"]
            attrs["primary_ip_address"] = eni.get("PrimaryIpAddress")
    # DescribeInstanceMaintenanceAttribute: a missing item is an error here (not tolerated).
    m = p.retry(lambda: p.rpc("Ecs", "2014-05-26", "DescribeInstanceMaintenanceAttributes", {"RegionId": REGION, "InstanceId": [iid]}))
    items = jsonpath(m, "MaintenanceAttributes", "MaintenanceAttribute")
    assert items and str(items[0].get("InstanceId")) == iid, f"no maintenance attribute for {iid}: {m}"
    attrs["maintenance_notify"] = items[0].get("NotifyOnMaintenance")
    attrs["maintenance_action"] = jsonpath(items[0], "ActionOnMaintenance", "Value")
    a = p.ecs("DescribeInstanceAttribute", RegionId=REGION, InstanceId=iid)
    assert a.get("InstanceId") == iid, f"DescribeInstanceAttribute answered another instance: {a}"
    attrs["enable_jumbo_frame"] = a.get("EnableJumboFrame")
    # (DescribeInstanceAutoRenewAttribute is for PrePaid instances only.)
    att = p.retry(lambda: p.rpc("Ecs", "2014-05-26", "DescribeInstanceAttachmentAttributes",
                                {"InstanceIds": f'["{iid}"]', "RegionId": REGION}))
    items = jsonpath(att, "Instances", "Instance")
    assert items, f"$.Instances.Instance[*] empty in DescribeInstanceAttachmentAttributes: {att}"
    attrs["private_pool_options_match_criteria"] = items[0].get("PrivatePoolOptionsMatchCriteria")
    attrs["private_pool_options_id"] = items[0].get("PrivatePoolOptionsId")
    # DescribeEcsInstance: DescribeInstances again, through RpcPost, for the spot and CPU options.
    e = p.retry(lambda: p.rpc("Ecs", "2014-05-26", "DescribeInstances", {
        "RegionId": REGION, "InstanceIds": json.dumps([iid]),
        "AdditionalAttributes": ["META_OPTIONS", "NETWORK_PRIMARY_ENI_IP", "LOGIN_AS_NON_ROOT", "LOGIN_AS_NON_ROOT", "CPU_OPTIONS_TOPOLOGY_TYPE"]}))
    items = jsonpath(e, "Instances", "Instance")
    assert items, f"DescribeInstances lost {iid}"
    attrs["spot_interruption_behavior"] = items[0].get("SpotInterruptionBehavior")
    return attrs


def instance_create(p: Provider, cfg: dict) -> tuple[str, dict]:
    """resourceAliCloudInstanceCreate: RunInstances, the wait for Running, Update (nothing for a new
    instance with this configuration), Read."""
    body = {"RegionId": REGION, "ClientToken": "RunInstances" + uuid.uuid4().hex, "InstanceType": cfg["instance_type"],
            "ImageId": cfg["image_id"], "ZoneId": cfg["availability_zone"], "SystemDisk.Category": cfg["system_disk_category"],
            "SystemDisk.Size": cfg["system_disk_size"], "InstanceName": cfg["instance_name"], "Description": cfg["description"],
            "UserData": cfg["user_data"]}   # already base64, so sent as given
    for n, (k, v) in enumerate(cfg["tags"].items(), 1):
        body[f"Tag.{n}.Key"], body[f"Tag.{n}.Value"] = k, v
    body["VSwitchId"] = cfg["vswitch_id"]
    # With a vswitch_id the groups go as SecurityGroupIds (SecurityGroupId only for the classic network).
    body["SecurityGroupIds"] = list(cfg["security_groups"])
    resp = p.retry(lambda: p.rpc("Ecs", "2014-05-26", "RunInstances", body), ("IncorrectVSwitchStatus",))
    ids = jsonpath(resp, "InstanceIdSets", "InstanceIdSet")
    assert ids, f"RunInstances gave no $.InstanceIdSets.InstanceIdSet: {resp}"
    iid = str(ids[0])
    wait_for_state(["Pending", "Starting", "Stopped"], ["Running"], instance_refresh(p, iid))
    return iid, instance_read(p, iid, new=True)


def instance_delete(p: Provider, iid: str) -> None:
    """resourceAliCloudInstanceDelete (PostPaid): DeleteInstance Force=true (alibaba-cloud-sdk-go),
    retried while the instance is busy; InvalidInstanceId.NotFound means done; then the wait until
    DescribeInstances no longer lists it."""
    try:
        p.retry(lambda: p.ecs("DeleteInstance", InstanceId=iid, Force=True),
                ("IncorrectInstanceStatus", "DependencyViolation.RouteEntry", "IncorrectInstanceStatus.Initializing", "LastTokenProcessing"))
    except ProviderError as e:
        if e.code not in ("InvalidInstanceId.NotFound", "Forbidden.InstanceNotFound"):
            raise
        return
    wait_for_state(["Pending", "Running", "Stopped", "Stopping"], [], instance_refresh(p, iid))


# ------------------------ alicloud_ecs_key_pair_attachment (resource_alicloud_ecs_key_pair_attachment.go)

def attachment_read(p: Provider, aid: str) -> dict:
    """resourceAliCloudEcsKeyPairAttachmentRead over EcsService.DescribeEcsKeyPairAttachment: the
    instances DescribeInstances lists for the key pair (paged by NextToken) must be exactly the ones
    in the id."""
    name, ids = aid.split(":", 1)
    request = {"RegionId": REGION, "KeyPairName": name, "InstanceIds": ids, "MaxResults": 50}
    found, obj = [], None
    while True:
        body = p.retry(lambda: p.rpc("Ecs", "2014-05-26", "DescribeInstances", dict(request)))
        items = jsonpath(body, "Instances", "Instance")
        assert items is not None, f"$.Instances.Instance missing: {body}"
        if not items:
            raise ProviderError("ResourceNotfound", None, f"Ecs:KeyPairAttachment {aid} NotFound", "rpc")
        for item in items:
            if str(item.get("KeyPairName")) == name:
                found.append(item["InstanceId"])
                obj = item
        if isinstance(body.get("NextToken"), str) and body["NextToken"]:
            request["NextToken"] = body["NextToken"]
        else:
            break
    if sorted(found) != sorted(json.loads(ids)):
        raise ProviderError("ResourceNotfound", None, f"Ecs:KeyPairAttachment {aid} NotFound", "rpc")
    return {"instance_ids": json.loads(ids), "key_pair_name": obj["KeyPairName"], "key_name": obj["KeyPairName"]}


def attachment_create(p: Provider, cfg: dict) -> tuple[str, dict]:
    """resourceAliCloudEcsKeyPairAttachmentCreate (force unset: no reboot), then Read."""
    ids = json.dumps(cfg["instance_ids"]).replace(" ", "")   # convertListToJsonString: ["i-1","i-2"]
    p.retry(lambda: p.rpc("Ecs", "2014-05-26", "AttachKeyPair", {"RegionId": REGION, "InstanceIds": ids, "KeyPairName": cfg["key_pair_name"]}))
    aid = f"{cfg['key_pair_name']}:{ids}"
    return aid, attachment_read(p, aid)


def attachment_delete(p: Provider, aid: str) -> None:
    """resourceAliCloudEcsKeyPairAttachmentDelete: DetachKeyPair with the id's JSON list."""
    name, ids = aid.split(":", 1)
    try:
        p.retry(lambda: p.rpc("Ecs", "2014-05-26", "DetachKeyPair", {"RegionId": REGION, "KeyPairName": name, "InstanceIds": ids}))
    except ProviderError as e:
        if not not_found(e):
            raise


# ------------------------------------------------------------------------------------------- the run

def no_diff(resource: str, cfg: dict, state: dict, keys) -> None:
    """A plan over this state shows no change: each configured attribute reads back as written."""
    for k in keys:
        want, got = cfg[k], state.get(k)
        if k == "security_groups":
            want, got = sorted(want), sorted(got or [])
        assert got == want, f"{resource}.{k}: configured {want!r}, read back {got!r}: Terraform would plan a change"


def test_terraform_apply_plan_destroy(server):
    p = Provider(server.endpoint)
    suffix = uuid.uuid4().hex[:8]
    tags = {"env": "replay"}
    cfg = {"vpc": {"vpc_name": f"tf-replay-{suffix}", "cidr_block": "172.16.0.0/12",
                   "description": "made by the Terraform call replay", "tags": tags}}

    # ---- apply, in dependency order
    vpc_id, vpc = vpc_create(p, cfg["vpc"])
    assert vpc_id.startswith("vpc-") and vpc["status"] == "Available"
    no_diff("alicloud_vpc", cfg["vpc"], vpc, ("vpc_name", "cidr_block", "description", "tags"))
    assert vpc["route_table_id"] and vpc["router_id"], vpc

    cfg["vswitch"] = {"vpc_id": vpc_id, "cidr_block": "172.16.0.0/24", "zone_id": ZONE, "vswitch_name": f"tf-replay-{suffix}",
                      "description": "the replay's subnet", "tags": tags}
    vsw_id, vsw = vswitch_create(p, cfg["vswitch"])
    assert vsw_id.startswith("vsw-") and vsw["status"] == "Available"

    cfg["sg"] = {"security_group_name": f"tf-replay-{suffix}", "description": "ssh from anywhere", "vpc_id": vpc_id, "tags": tags}
    sg_id, sg = sg_create(p, cfg["sg"])
    assert sg_id.startswith("sg-")

    cfg["rule"] = {"type": "ingress", "ip_protocol": "tcp", "nic_type": "intranet", "policy": "accept", "port_range": "22/22",
                   "priority": 1, "security_group_id": sg_id, "cidr_ip": "0.0.0.0/0", "description": "ssh"}
    rid, rule = rule_create(p, cfg["rule"])

    cfg["kp"] = {"key_pair_name": f"tf-replay-{suffix}", "tags": tags}
    kp_name, kp = key_pair_create(p, cfg["kp"])
    assert kp["finger_print"]

    cfg["instance"] = {"availability_zone": ZONE, "vswitch_id": vsw_id, "security_groups": [sg_id], "instance_type": INSTANCE_TYPE,
                       "image_id": LINUX_IMAGE, "instance_name": f"tf-replay-{suffix}", "description": "made by the Terraform call replay",
                       "system_disk_category": "cloud_essd", "system_disk_size": 40, "user_data": USER_DATA, "tags": tags}
    iid, inst = instance_create(p, cfg["instance"])
    assert inst["status"] == "Running" and inst["vpc_id"] == vpc_id
    assert inst["private_ip"].startswith("172.16.0."), inst["private_ip"]

    cfg["attachment"] = {"key_pair_name": kp_name, "instance_ids": [iid]}
    aid, att = attachment_create(p, cfg["attachment"])

    # ---- the second plan: every Read again, nothing to change
    applied = len(p.calls)
    checks = [
        ("alicloud_vpc", cfg["vpc"], lambda: vpc_read(p, vpc_id), ("vpc_name", "cidr_block", "description", "tags")),
        ("alicloud_vswitch", cfg["vswitch"], lambda: vswitch_read(p, vsw_id),
         ("vpc_id", "cidr_block", "zone_id", "vswitch_name", "description", "tags")),
        ("alicloud_security_group", cfg["sg"], lambda: sg_read(p, sg_id), ("security_group_name", "description", "vpc_id", "tags")),
        ("alicloud_security_group_rule", cfg["rule"], lambda: rule_read(p, rid),
         ("type", "ip_protocol", "nic_type", "policy", "port_range", "priority", "security_group_id", "cidr_ip", "description")),
        ("alicloud_ecs_key_pair", cfg["kp"], lambda: key_pair_read(p, kp_name), ("key_pair_name", "tags")),
        ("alicloud_instance", cfg["instance"], lambda: instance_read(p, iid, new=False),
         ("availability_zone", "vswitch_id", "security_groups", "instance_type", "image_id", "instance_name", "description",
          "system_disk_category", "system_disk_size", "user_data", "tags")),
        ("alicloud_ecs_key_pair_attachment", cfg["attachment"], lambda: attachment_read(p, aid), ("key_pair_name", "instance_ids")),
    ]
    for name, c, read, keys in checks:
        no_diff(name, c, read(), keys)
    # The plan only reads.
    writes = [a for _, a, _ in p.calls[applied:] if not a.startswith("Describe")]
    assert writes == [], f"the plan wrote: {writes}"
    # The instance's key pair is the attachment's (key_name is Optional+Computed: no diff).
    assert instance_read(p, iid, new=False)["key_name"] == kp_name

    # ---- destroy, in reverse dependency order
    attachment_delete(p, aid)
    key_pair_delete(p, kp_name)
    instance_delete(p, iid)
    rule_delete(p, rid, cfg["rule"])
    sg_delete(p, sg_id)
    vswitch_delete(p, vsw_id)
    vpc_delete(p, vpc_id)

    # Everything is gone, as a refresh after destroy would find.
    with pytest.raises(ProviderError) as e:
        key_pair_read(p, kp_name)
    assert not_found(e.value)
    assert instance_refresh(p, iid)() == (None, "")
    with pytest.raises(ProviderError) as e:
        sg_describe(p, sg_id)
    assert not_found(e.value)
    assert vswitch_refresh(p, vsw_id)()[1] == ""
    assert vpc_refresh(p, vpc_id)() == (None, "")


def test_terraform_destroy_is_idempotent(server):
    """A destroy that meets resources already gone (deleted out of band) succeeds: each Delete's
    NotFound handling, as the provider has it, sees LocalECS's codes for missing resources."""
    p = Provider(server.endpoint)
    missing = uuid.uuid4().hex[:17]
    key_pair_delete(p, "tf-gone-" + missing[:8])
    instance_delete(p, "i-" + missing)
    sg_delete(p, "sg-" + missing)
    vswitch_delete(p, "vsw-" + missing)
    vpc_delete(p, "vpc-" + missing)
