"""RAM: users, access keys and policies managed with the official RAM SDK (2015-05-01), and
enforced on ECS calls made by RAM users through the official ECS SDKs.

The RAM client is `alibabacloud_ram20150501.client.Client` (V3 signing), pointed at the same
server as ECS: the server tells the products apart by Version.
"""
from __future__ import annotations

import base64
import json
import subprocess

import pytest
from alibabacloud_ram20150501 import models as ram_models
from alibabacloud_ram20150501.client import Client as RamClient
from alibabacloud_tea_openapi import utils_models as om
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException

from conftest import AK, BIN, REGION, SECRET, ApiError, Sdk, describe_one, ecs_client, run_linux, unique, wait_status

M = ram_models


def ram_client(server, ak: str = AK, secret: str = SECRET) -> RamClient:
    return RamClient(om.Config(access_key_id=ak, access_key_secret=secret, endpoint=server.endpoint, protocol="http",
                               read_timeout=30000))


@pytest.fixture
def ram(server) -> RamClient:
    return ram_client(server)


def expect(code: str, status: int, fn, *args):
    """Calls fn(*args), which must fail with this RAM/ECS code and HTTP status; returns the exception."""
    with pytest.raises(AlibabaCloudException) as info:
        fn(*args)
    e = info.value
    assert (e.code, e.status_code) == (code, status), f"{e.code} {e.status_code}: {e.message}"
    assert e.data["HostId"] and e.data["RequestId"] and e.data["Message"]
    return e


def policy_doc(*statements: dict) -> str:
    return json.dumps({"Version": "1", "Statement": list(statements)})


def allow(action, resource="*") -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def deny(action, resource="*") -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource}


def user_with(ram: RamClient, *, system: list[str] = (), statements: list[dict] = ()) -> tuple[str, str, str]:
    """A new RAM user with an access key, the named system policies and (if any) one custom
    policy of `statements`; returns (user name, AccessKeyId, AccessKeySecret)."""
    name = unique("u")
    ram.create_user(M.CreateUserRequest(user_name=name))
    key = ram.create_access_key(M.CreateAccessKeyRequest(user_name=name)).body.access_key
    for p in system:
        ram.attach_policy_to_user(M.AttachPolicyToUserRequest(policy_type="System", policy_name=p, user_name=name))
    if statements:
        pname = unique("p")
        ram.create_policy(M.CreatePolicyRequest(policy_name=pname, policy_document=policy_doc(*statements)))
        ram.attach_policy_to_user(M.AttachPolicyToUserRequest(policy_type="Custom", policy_name=pname, user_name=name))
    return name, key.access_key_id, key.access_key_secret


def assert_forbidden(e, action: str, no_permission: str = "ImplicitDeny"):
    """A RAM denial as ECS sends it: 403 Forbidden.RAM with AccessDeniedDetail."""
    assert (e.code, e.status_code) == ("Forbidden.RAM", 403), f"{e.code} {e.status_code}: {e.message}"
    detail = e.access_denied_detail
    assert detail, "AccessDeniedDetail missing"
    assert detail["AuthAction"] == action
    assert detail["AuthPrincipalType"] == "SubUser"
    assert detail["NoPermissionType"] == no_permission
    assert detail["PolicyType"] == "AccountLevelIdentityBasedPolicy"
    assert base64.b64decode(detail["EncodedDiagnosticMessage"])
    assert e.data["AccessDeniedDetail"] == detail


def bind_state(sdk: Sdk, instance_ids: list[str]) -> dict[str, str]:
    return {i: describe_one(sdk, i)["KeyPairName"] for i in instance_ids}


# ---------------------------------------------------------------- RAM API: users


def test_user_create_get_list_delete(ram):
    name = unique("u")
    created = ram.create_user(M.CreateUserRequest(user_name=name, display_name="Dev One", email="dev@example.com",
                                                  mobile_phone="86-18600008888", comments="test user"))
    assert created.status_code == 200
    u = created.body.user
    assert (u.user_name, u.display_name, u.email, u.mobile_phone, u.comments) == (
        name, "Dev One", "dev@example.com", "86-18600008888", "test user")
    assert len(u.user_id) == 16 and u.user_id.isdigit()
    assert u.create_date.endswith("Z")

    got = ram.get_user(M.GetUserRequest(user_name=name)).body.user
    assert (got.user_id, got.user_name, got.display_name) == (u.user_id, name, "Dev One")
    assert got.update_date

    # The listing pages by Marker, in name order, with no repeats.
    seen, marker = [], None
    while True:
        page = ram.list_users(M.ListUsersRequest(max_items=2, marker=marker)).body
        seen += [x.user_name for x in page.users.user]
        if not page.is_truncated:
            assert page.marker is None
            break
        assert len(page.users.user) == 2 and page.marker
        marker = page.marker
    assert name in seen and seen == sorted(seen) and len(seen) == len(set(seen))

    ram.delete_user(M.DeleteUserRequest(user_name=name))
    expect("EntityNotExist.User", 404, ram.get_user, M.GetUserRequest(user_name=name))


def test_user_errors(ram):
    name = unique("u")
    ram.create_user(M.CreateUserRequest(user_name=name))
    expect("EntityAlreadyExists.User", 409, ram.create_user, M.CreateUserRequest(user_name=name))
    expect("InvalidParameter.UserName.InvalidChars", 400, ram.create_user, M.CreateUserRequest(user_name="bad name!"))
    expect("InvalidParameter.UserName.Length", 400, ram.create_user, M.CreateUserRequest(user_name="u" * 65))
    expect("InvalidParameter.Email.Format", 400, ram.create_user, M.CreateUserRequest(user_name=unique("u"), email="nope"))
    expect("InvalidParameter.MobilePhone.Format", 400, ram.create_user,
           M.CreateUserRequest(user_name=unique("u"), mobile_phone="phone"))
    expect("InvalidParameter.Comments.Length", 400, ram.create_user,
           M.CreateUserRequest(user_name=unique("u"), comments="c" * 129))
    expect("MissingParameter", 400, ram.create_user, M.CreateUserRequest())
    expect("EntityNotExist.User", 404, ram.get_user, M.GetUserRequest(user_name="no-such-user"))
    expect("EntityNotExist.User", 404, ram.delete_user, M.DeleteUserRequest(user_name="no-such-user"))
    expect("InvalidParameter", 400, ram.list_users, M.ListUsersRequest(max_items=0))


# ---------------------------------------------------------------- RAM API: access keys


def test_access_keys(ram):
    name = unique("u")
    ram.create_user(M.CreateUserRequest(user_name=name))
    k1 = ram.create_access_key(M.CreateAccessKeyRequest(user_name=name)).body.access_key
    k2 = ram.create_access_key(M.CreateAccessKeyRequest(user_name=name)).body.access_key
    assert k1.status == "Active" and k1.access_key_secret and k1.access_key_id != k2.access_key_id
    expect("LimitExceeded.User.AccessKey", 409, ram.create_access_key, M.CreateAccessKeyRequest(user_name=name))

    listed = ram.list_access_keys(M.ListAccessKeysRequest(user_name=name)).body.access_keys.access_key
    assert [(k.access_key_id, k.status) for k in listed] == [(k1.access_key_id, "Active"), (k2.access_key_id, "Active")]
    assert all(k.create_date for k in listed)

    ram.update_access_key(M.UpdateAccessKeyRequest(user_name=name, user_access_key_id=k1.access_key_id, status="Inactive"))
    listed = ram.list_access_keys(M.ListAccessKeysRequest(user_name=name)).body.access_keys.access_key
    assert {k.access_key_id: k.status for k in listed}[k1.access_key_id] == "Inactive"

    expect("EntityNotExist.User.AccessKey", 404, ram.update_access_key,
           M.UpdateAccessKeyRequest(user_name=name, user_access_key_id="LTAI5tNOSUCHKEY", status="Active"))
    expect("InvalidParameter.Status", 400, ram.update_access_key,
           M.UpdateAccessKeyRequest(user_name=name, user_access_key_id=k1.access_key_id, status="Paused"))
    expect("EntityNotExist.User", 404, ram.create_access_key, M.CreateAccessKeyRequest(user_name="no-such-user"))
    expect("EntityNotExist.User", 404, ram.list_access_keys, M.ListAccessKeysRequest(user_name="no-such-user"))
    # The root account's key is nobody's RAM user key.
    expect("EntityNotExist.User.AccessKey", 404, ram.delete_access_key,
           M.DeleteAccessKeyRequest(user_name=name, user_access_key_id=AK))

    expect("DeleteConflict.User.AccessKey", 409, ram.delete_user, M.DeleteUserRequest(user_name=name))
    for k in (k1, k2):
        ram.delete_access_key(M.DeleteAccessKeyRequest(user_name=name, user_access_key_id=k.access_key_id))
    expect("EntityNotExist.User.AccessKey", 404, ram.delete_access_key,
           M.DeleteAccessKeyRequest(user_name=name, user_access_key_id=k1.access_key_id))
    assert ram.list_access_keys(M.ListAccessKeysRequest(user_name=name)).body.access_keys.access_key == []
    ram.delete_user(M.DeleteUserRequest(user_name=name))


# ---------------------------------------------------------------- RAM API: policies


def test_policies(ram):
    name = unique("p")
    doc = policy_doc(allow("ecs:DescribeKeyPairs"))
    created = ram.create_policy(M.CreatePolicyRequest(policy_name=name, policy_document=doc, description="read keys")).body.policy
    assert (created.policy_name, created.policy_type, created.description, created.default_version) == (
        name, "Custom", "read keys", "v1")

    got = ram.get_policy(M.GetPolicyRequest(policy_name=name, policy_type="Custom")).body
    assert got.policy.policy_document == doc and got.policy.attachment_count == 0
    assert got.default_policy_version.policy_document == doc and got.default_policy_version.is_default_version

    system = ram.get_policy(M.GetPolicyRequest(policy_name="AliyunECSReadOnlyAccess", policy_type="System")).body.policy
    assert system.policy_type == "System"
    assert json.loads(system.policy_document)["Statement"][0]["Action"] == "ecs:Describe*"

    everything = ram.list_policies(M.ListPoliciesRequest(max_items=1000)).body.policies.policy
    names = {(p.policy_type, p.policy_name) for p in everything}
    assert {("System", "AliyunECSFullAccess"), ("System", "AliyunECSReadOnlyAccess"), ("Custom", name)} <= names
    customs = ram.list_policies(M.ListPoliciesRequest(policy_type="Custom", max_items=1000)).body.policies.policy
    assert all(p.policy_type == "Custom" for p in customs) and name in {p.policy_name for p in customs}
    # Paging with a marker walks the same list.
    walked, marker = [], None
    while True:
        page = ram.list_policies(M.ListPoliciesRequest(max_items=1, marker=marker)).body
        walked += [(p.policy_type, p.policy_name) for p in page.policies.policy]
        if not page.is_truncated:
            break
        marker = page.marker
    assert walked == [(p.policy_type, p.policy_name) for p in everything]

    expect("EntityAlreadyExists.Policy", 409, ram.create_policy, M.CreatePolicyRequest(policy_name=name, policy_document=doc))
    expect("InvalidParameter.PolicyName.InvalidChars", 400, ram.create_policy,
           M.CreatePolicyRequest(policy_name="bad_name", policy_document=doc))
    expect("InvalidParameter.PolicyName.Length", 400, ram.create_policy,
           M.CreatePolicyRequest(policy_name="p" * 129, policy_document=doc))
    for bad in ("not json", '{"Version":"1"}', policy_doc({"Effect": "Maybe", "Action": "ecs:*", "Resource": "*"}),
                '{"Version":"2","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}',
                policy_doc({"Effect": "Allow", "Action": "ecs", "Resource": "*"})):
        e = expect("MalformedPolicyDocument", 400, ram.create_policy,
                   M.CreatePolicyRequest(policy_name=unique("p"), policy_document=bad))
        assert e.data["Message"]
    expect("EntityNotExist.Policy", 404, ram.get_policy, M.GetPolicyRequest(policy_name="no-such", policy_type="Custom"))
    expect("EntityNotExist.Policy", 404, ram.get_policy, M.GetPolicyRequest(policy_name="AliyunNothing", policy_type="System"))
    expect("InvalidParameter.PolicyType", 400, ram.get_policy, M.GetPolicyRequest(policy_name=name, policy_type="Managed"))

    ram.delete_policy(M.DeletePolicyRequest(policy_name=name))
    expect("EntityNotExist.Policy", 404, ram.delete_policy, M.DeletePolicyRequest(policy_name=name))


def test_attach_detach_and_conflicts(ram):
    user, pname = unique("u"), unique("p")
    ram.create_user(M.CreateUserRequest(user_name=user))
    ram.create_policy(M.CreatePolicyRequest(policy_name=pname, policy_document=policy_doc(allow("ecs:Describe*"))))
    ram.attach_policy_to_user(M.AttachPolicyToUserRequest(policy_type="System", policy_name="AliyunECSReadOnlyAccess", user_name=user))
    ram.attach_policy_to_user(M.AttachPolicyToUserRequest(policy_type="Custom", policy_name=pname, user_name=user))

    listed = ram.list_policies_for_user(M.ListPoliciesForUserRequest(user_name=user)).body.policies.policy
    assert [(p.policy_type, p.policy_name) for p in listed] == [("System", "AliyunECSReadOnlyAccess"), ("Custom", pname)]
    assert all(p.attach_date and p.default_version == "v1" for p in listed)
    assert ram.get_policy(M.GetPolicyRequest(policy_name=pname, policy_type="Custom")).body.policy.attachment_count == 1

    expect("EntityAlreadyExists.User.Policy", 409, ram.attach_policy_to_user,
           M.AttachPolicyToUserRequest(policy_type="Custom", policy_name=pname, user_name=user))
    expect("EntityNotExist.Policy", 404, ram.attach_policy_to_user,
           M.AttachPolicyToUserRequest(policy_type="Custom", policy_name="no-such", user_name=user))
    expect("EntityNotExist.Policy", 404, ram.attach_policy_to_user,
           M.AttachPolicyToUserRequest(policy_type="System", policy_name=pname, user_name=user))
    expect("EntityNotExist.User", 404, ram.attach_policy_to_user,
           M.AttachPolicyToUserRequest(policy_type="Custom", policy_name=pname, user_name="no-such-user"))
    expect("InvalidParameter.PolicyType", 400, ram.attach_policy_to_user,
           M.AttachPolicyToUserRequest(policy_type="custom", policy_name=pname, user_name=user))
    expect("EntityNotExist.User", 404, ram.list_policies_for_user, M.ListPoliciesForUserRequest(user_name="no-such-user"))

    expect("DeleteConflict.Policy.User", 409, ram.delete_policy, M.DeletePolicyRequest(policy_name=pname))
    expect("DeleteConflict.User.Policy", 409, ram.delete_user, M.DeleteUserRequest(user_name=user))

    ram.detach_policy_from_user(M.DetachPolicyFromUserRequest(policy_type="System", policy_name="AliyunECSReadOnlyAccess", user_name=user))
    expect("EntityNotExist.User.Policy", 404, ram.detach_policy_from_user,
           M.DetachPolicyFromUserRequest(policy_type="System", policy_name="AliyunECSReadOnlyAccess", user_name=user))
    # CascadingDelete detaches the custom policy from its users, then deletes it.
    ram.delete_policy(M.DeletePolicyRequest(policy_name=pname, cascading_delete=True))
    assert ram.list_policies_for_user(M.ListPoliciesForUserRequest(user_name=user)).body.policies.policy == []
    ram.delete_user(M.DeleteUserRequest(user_name=user))


def test_ram_actions_are_enforced_on_ram_users(ram, server):
    _, ak, secret = user_with(ram, system=["AliyunECSFullAccess"])
    sub = ram_client(server, ak, secret)
    # RAM's own API words a denial NoPermission (ECS says Forbidden.RAM), with the same detail.
    e = expect("NoPermission", 403, sub.create_user, M.CreateUserRequest(user_name=unique("u")))
    assert e.access_denied_detail["AuthAction"] == "ram:CreateUser"

    # A user allowed to read only its own kind of users: GetUser on one name, not another.
    target = unique("u")
    ram.create_user(M.CreateUserRequest(user_name=target))
    _, ak2, secret2 = user_with(ram, statements=[allow("ram:GetUser", f"acs:ram:*:*:user/{target}")])
    sub2 = ram_client(server, ak2, secret2)
    assert sub2.get_user(M.GetUserRequest(user_name=target)).body.user.user_name == target
    expect("NoPermission", 403, sub2.get_user, M.GetUserRequest(user_name="someone-else"))
    expect("NoPermission", 403, sub2.list_users, M.ListUsersRequest())


def test_unknown_ram_action_and_version(server):
    sdk = Sdk("v3", server.endpoint, version="2015-05-01")
    with pytest.raises(ApiError) as info:
        sdk.call("CreateGroup", GroupName="g")
    assert (info.value.code, info.value.status) == ("InvalidAction.NotFound", 404)


# ---------------------------------------------------------------- enforcement on ECS


@pytest.mark.parametrize("kind", ["v3", "v1", "old"])
def test_describe_only_user_can_list_but_not_create(ram, server, kind):
    root = Sdk("v3", server.endpoint)
    name = unique()
    root.call("CreateKeyPair", RegionId=REGION, KeyPairName=name)
    _, ak, secret = user_with(ram, statements=[allow("ecs:DescribeKeyPairs")])
    sub = Sdk(kind, server.endpoint, ak=ak, secret=secret)

    listed = sub.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name)
    assert listed["TotalCount"] == 1
    with pytest.raises(ApiError) as info:
        sub.call("CreateKeyPair", RegionId=REGION, KeyPairName=unique())
    assert (info.value.code, info.value.status) == ("Forbidden.RAM", 403)
    # Describe calls the user may not make are denied, not answered with an empty list.
    with pytest.raises(ApiError) as info:
        sub.call("DescribeInstances", RegionId=REGION)
    assert (info.value.code, info.value.status) == ("Forbidden.RAM", 403)


def test_forbidden_carries_access_denied_detail(ram, server):
    _, ak, secret = user_with(ram, statements=[allow("ecs:DescribeKeyPairs")])
    from alibabacloud_ecs20140526 import models as ecs_models
    client = ecs_client(server.endpoint, ak=ak, secret=secret)
    with pytest.raises(AlibabaCloudException) as info:
        client.create_key_pair(ecs_models.CreateKeyPairRequest(region_id=REGION, key_pair_name=unique()))
    assert_forbidden(info.value, "ecs:CreateKeyPair")
    assert info.value.data["Message"] == "User not authorized to operate on the specified resource, or this API doesn't support RAM."


def test_read_only_system_policy(ram, server):
    _, ak, secret = user_with(ram, system=["AliyunECSReadOnlyAccess"])
    sub = Sdk("v3", server.endpoint, ak=ak, secret=secret)
    assert "Instances" in sub.call("DescribeInstances", RegionId=REGION)
    assert "KeyPairs" in sub.call("DescribeKeyPairs", RegionId=REGION)
    with pytest.raises(ApiError) as info:
        run_linux(sub)
    assert (info.value.code, info.value.status) == ("Forbidden.RAM", 403)


def _bound_pair(root: Sdk) -> tuple[str, list[str]]:
    """A key pair bound to two fresh Running instances whose IDs differ in their first 6 characters."""
    name = unique()
    root.call("CreateKeyPair", RegionId=REGION, KeyPairName=name)
    while True:
        ids = run_linux(root, amount=2)
        if ids[0][:6] != ids[1][:6]:
            break
    for i in ids:
        wait_status(root, i, "Running")
    root.call("AttachKeyPair", RegionId=REGION, KeyPairName=name, InstanceIds=json.dumps(ids))
    return name, ids


def test_detach_denied_on_one_instance_refuses_the_whole_batch(ram, server):
    root = Sdk("v3", server.endpoint)
    name, (mine, other) = _bound_pair(root)
    # Allowed on instance/<prefix of `mine`>* (like instance/i-a*) and on every key pair; not on `other`.
    _, ak, secret = user_with(ram, statements=[allow("ecs:DetachKeyPair", [
        f"acs:ecs:*:*:instance/{mine[:6]}*", "acs:ecs:*:*:keypair/*"])])
    from alibabacloud_ecs20140526 import models as ecs_models
    client = ecs_client(server.endpoint, ak=ak, secret=secret)
    with pytest.raises(AlibabaCloudException) as info:
        client.detach_key_pair(ecs_models.DetachKeyPairRequest(
            region_id=REGION, key_pair_name=name, instance_ids=json.dumps([mine, other])))
    assert_forbidden(info.value, "ecs:DetachKeyPair")
    assert bind_state(root, [mine, other]) == {mine: name, other: name}, "a denied Detach changed something"
    assert root.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name)["TotalCount"] == 1

    # The allowed instance alone goes through.
    sub = Sdk("v3", server.endpoint, ak=ak, secret=secret)
    r = sub.call("DetachKeyPair", RegionId=REGION, KeyPairName=name, InstanceIds=json.dumps([mine]))
    assert (r["TotalCount"], r["FailCount"]) == ("1", "0")
    assert bind_state(root, [mine, other]) == {mine: "", other: name}


def test_attach_denied_on_one_instance_refuses_the_whole_batch(ram, server):
    root = Sdk("v3", server.endpoint)
    old, (mine, other) = _bound_pair(root)
    new = unique()
    root.call("CreateKeyPair", RegionId=REGION, KeyPairName=new)
    _, ak, secret = user_with(ram, statements=[allow("ecs:AttachKeyPair", [
        f"acs:ecs:*:*:instance/{mine[:6]}*", f"acs:ecs:*:*:keypair/{new}"])])
    sub = Sdk("v3", server.endpoint, ak=ak, secret=secret)
    with pytest.raises(ApiError) as info:
        sub.call("AttachKeyPair", RegionId=REGION, KeyPairName=new, InstanceIds=json.dumps([mine, other]))
    assert (info.value.code, info.value.status) == ("Forbidden.RAM", 403)
    assert info.value.raw["AccessDeniedDetail"]["AuthAction"] == "ecs:AttachKeyPair"
    assert bind_state(root, [mine, other]) == {mine: old, other: old}, "a denied Attach changed something"
    # The key pair resource counts too: not allowed on `old`.
    with pytest.raises(ApiError) as info:
        sub.call("AttachKeyPair", RegionId=REGION, KeyPairName=old, InstanceIds=json.dumps([mine]))
    assert info.value.status == 403


def test_explicit_deny_beats_full_access(ram, server):
    _, ak, secret = user_with(ram, system=["AliyunECSFullAccess"], statements=[deny("ecs:CreateKeyPair")])
    from alibabacloud_ecs20140526 import models as ecs_models
    client = ecs_client(server.endpoint, ak=ak, secret=secret)
    with pytest.raises(AlibabaCloudException) as info:
        client.create_key_pair(ecs_models.CreateKeyPairRequest(region_id=REGION, key_pair_name=unique()))
    assert_forbidden(info.value, "ecs:CreateKeyPair", "ExplicitDeny")
    # Everything else FullAccess grants still works.
    sub = Sdk("v3", server.endpoint, ak=ak, secret=secret)
    assert "KeyPairs" in sub.call("DescribeKeyPairs", RegionId=REGION)
    name = unique()
    sub.call("ImportKeyPair", RegionId=REGION, KeyPairName=name, PublicKeyBody=_public_key())
    sub.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name]))


def test_inactive_access_key_is_refused(ram, server):
    user, ak, secret = user_with(ram, system=["AliyunECSFullAccess"])
    sub = Sdk("v3", server.endpoint, ak=ak, secret=secret)
    assert "KeyPairs" in sub.call("DescribeKeyPairs", RegionId=REGION)
    ram.update_access_key(M.UpdateAccessKeyRequest(user_name=user, user_access_key_id=ak, status="Inactive"))
    for kind in ("v3", "v1", "old"):
        with pytest.raises(ApiError) as info:
            Sdk(kind, server.endpoint, ak=ak, secret=secret).call("DescribeKeyPairs", RegionId=REGION)
        assert (info.value.code, info.value.status) == ("InvalidAccessKeyId.Inactive", 400)
    ram.update_access_key(M.UpdateAccessKeyRequest(user_name=user, user_access_key_id=ak, status="Active"))
    assert "KeyPairs" in sub.call("DescribeKeyPairs", RegionId=REGION)
    # A deleted key is unknown.
    ram.delete_access_key(M.DeleteAccessKeyRequest(user_name=user, user_access_key_id=ak))
    with pytest.raises(ApiError) as info:
        sub.call("DescribeKeyPairs", RegionId=REGION)
    assert (info.value.code, info.value.status) == ("InvalidAccessKeyId.NotFound", 404)


def test_policy_changes_apply_on_the_next_call(ram, server):
    user, ak, secret = user_with(ram)
    sub = Sdk("v3", server.endpoint, ak=ak, secret=secret)
    with pytest.raises(ApiError):
        sub.call("DescribeKeyPairs", RegionId=REGION)
    ram.attach_policy_to_user(M.AttachPolicyToUserRequest(policy_type="System", policy_name="AliyunECSReadOnlyAccess", user_name=user))
    assert "KeyPairs" in sub.call("DescribeKeyPairs", RegionId=REGION)
    ram.detach_policy_from_user(M.DetachPolicyFromUserRequest(policy_type="System", policy_name="AliyunECSReadOnlyAccess", user_name=user))
    with pytest.raises(ApiError) as info:
        sub.call("DescribeKeyPairs", RegionId=REGION)
    assert info.value.status == 403


# ---------------------------------------------------------------- accounts are isolated


def _cli(server, *args) -> dict[str, str]:
    p = subprocess.run([str(BIN), *args, "--store", server.store], capture_output=True, text=True, timeout=60, env=server.env)
    assert p.returncode == 0, f"localecs {' '.join(args)} exited {p.returncode}: {p.stderr[-2000:]}"
    out = {}
    for line in p.stdout.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip()] = value.strip()
    return out


def test_accounts_cannot_see_or_touch_each_other(ram, server):
    root_a = Sdk("v3", server.endpoint)
    kp_a = unique()
    root_a.call("CreateKeyPair", RegionId=REGION, KeyPairName=kp_a)
    [inst_a] = run_linux(root_a)
    wait_status(root_a, inst_a, "Running")
    user_a = unique("u")
    ram.create_user(M.CreateUserRequest(user_name=user_a))

    b = _cli(server, "accounts", "create")
    root_b = Sdk("v3", server.endpoint, ak=b["AccessKeyId"], secret=b["AccessKeySecret"])

    # Nothing of A's is visible to B.
    assert root_b.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=kp_a)["TotalCount"] == 0
    assert root_b.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps([inst_a]))["Instances"]["Instance"] == []
    # ... nor can B touch it: NotFound, never Forbidden.
    [inst_b] = run_linux(root_b)
    wait_status(root_b, inst_b, "Running")
    for action in ("AttachKeyPair", "DetachKeyPair"):
        with pytest.raises(ApiError) as info:
            root_b.call(action, RegionId=REGION, KeyPairName=kp_a, InstanceIds=json.dumps([inst_b]))
        assert (info.value.code, info.value.status) == ("InvalidKeyPairName.NotFound", 400)
    kp_b = unique()
    root_b.call("CreateKeyPair", RegionId=REGION, KeyPairName=kp_b)
    r = root_b.call("AttachKeyPair", RegionId=REGION, KeyPairName=kp_b, InstanceIds=json.dumps([inst_a]))
    assert r["FailCount"] == "1" and r["Results"]["Result"][0]["Code"] == "InvalidInstanceId.NotFound"
    root_b.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([kp_a]))   # unknown names are skipped
    with pytest.raises(ApiError) as info:
        root_b.call("DeleteInstance", InstanceId=inst_a, Force=True)
    assert (info.value.code, info.value.status) == ("InvalidInstanceId.NotFound", 404)
    assert root_a.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=kp_a)["TotalCount"] == 1
    assert describe_one(root_a, inst_a)["KeyPairName"] == ""

    # RAM is per account too: B sees none of A's users, and may reuse their names.
    ram_b = ram_client(server, b["AccessKeyId"], b["AccessKeySecret"])
    expect("EntityNotExist.User", 404, ram_b.get_user, M.GetUserRequest(user_name=user_a))
    assert user_a not in {u.user_name for u in ram_b.list_users(M.ListUsersRequest(max_items=1000)).body.users.user}
    ram_b.create_user(M.CreateUserRequest(user_name=user_a))
    # A RAM user of B with full ECS access still cannot reach A's key pair.
    _, ak, secret = user_with(ram_b, system=["AliyunECSFullAccess"])
    sub_b = Sdk("v3", server.endpoint, ak=ak, secret=secret)
    assert sub_b.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=kp_a)["TotalCount"] == 0
    with pytest.raises(ApiError) as info:
        sub_b.call("DetachKeyPair", RegionId=REGION, KeyPairName=kp_a, InstanceIds=json.dumps([inst_a]))
    assert (info.value.code, info.value.status) == ("InvalidKeyPairName.NotFound", 400)


# ---------------------------------------------------------------- the CLI


def test_cli_user_key_policy_attach(server, tmp_path):
    user, pname = unique("u"), unique("p")
    created = _cli(server, "users", "create", user)
    assert created["UserName"] == user and len(created["UserId"]) == 16
    key = _cli(server, "users", "keys", "create", user)
    doc = tmp_path / "policy.json"
    doc.write_text(policy_doc(allow("ecs:DescribeKeyPairs")))
    assert _cli(server, "policies", "create", pname, "--document", str(doc))["PolicyName"] == pname
    _cli(server, "policies", "attach", pname, "--user", user)
    inline = unique("p")
    _cli(server, "policies", "create", inline, "--document", policy_doc(deny("ecs:DescribeKeyPairs", "acs:ecs:*:*:keypair/secret-*")))
    _cli(server, "policies", "attach", inline, "--user", user, "--type", "Custom")

    sub = Sdk("v3", server.endpoint, ak=key["AccessKeyId"], secret=key["AccessKeySecret"])
    assert "KeyPairs" in sub.call("DescribeKeyPairs", RegionId=REGION)
    with pytest.raises(ApiError) as info:
        sub.call("DescribeKeyPairs", RegionId=REGION, KeyPairName="secret-one")
    assert info.value.status == 403
    with pytest.raises(ApiError) as info:
        sub.call("CreateKeyPair", RegionId=REGION, KeyPairName=unique())
    assert info.value.status == 403

    # Errors come out in RAM's words, with a non-zero exit.
    p = subprocess.run([str(BIN), "users", "create", user, "--store", server.store],
                       capture_output=True, text=True, timeout=60, env=server.env)
    assert p.returncode != 0 and "EntityAlreadyExists.User" in p.stderr
    p = subprocess.run([str(BIN), "policies", "create", unique("p"), "--document", '{"Version":"1"}', "--store", server.store],
                       capture_output=True, text=True, timeout=60, env=server.env)
    assert p.returncode != 0 and "MalformedPolicyDocument" in p.stderr


def _public_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return k.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
