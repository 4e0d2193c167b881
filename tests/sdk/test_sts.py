"""STS (2015-04-01) AssumeRole and RAM roles: a RAM user assumes a role with the official STS SDK
(`alibabacloud_sts20150401`), then calls ECS with the temporary credentials through each official
ECS client (V3 header `x-acs-security-token`, V1 query `SecurityToken`, and the old SDK).
"""
from __future__ import annotations

import datetime
import json

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ram20150501 import models as M
from alibabacloud_sts20150401 import models as sts_models
from alibabacloud_sts20150401.client import Client as StsClient
from alibabacloud_tea_openapi import utils_models as om
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException

from conftest import ACCOUNT_ID, AK, REGION, SECRET, ApiError, Sdk, unique
from test_ram import allow, deny, expect, policy_doc, ram, user_with  # noqa: F401  (ram is a fixture)

TRUST_ROOT = json.dumps({"Version": "1", "Statement": [
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"RAM": [f"acs:ram::{ACCOUNT_ID}:root"]}}]})


def role_arn(name: str) -> str:
    return f"acs:ram::{ACCOUNT_ID}:role/{name}"


def sts_client(server, ak: str = AK, secret: str = SECRET) -> StsClient:
    return StsClient(om.Config(access_key_id=ak, access_key_secret=secret, endpoint=server.endpoint, protocol="http",
                               read_timeout=30000))


def make_role(ram, *, trust: str = TRUST_ROOT, system: list[str] = ("AliyunECSReadOnlyAccess",), **extra) -> str:
    name = unique("role")
    ram.create_role(M.CreateRoleRequest(role_name=name, assume_role_policy_document=trust, **extra))
    for p in system:
        ram.attach_policy_to_role(M.AttachPolicyToRoleRequest(policy_type="System", policy_name=p, role_name=name))
    return name


def assume(server, ak, secret, role: str, session: str = "alice", **extra):
    return sts_client(server, ak, secret).assume_role(
        sts_models.AssumeRoleRequest(role_arn=role_arn(role), role_session_name=session, **extra)).body


def assumer(ram, role: str | None = None) -> tuple[str, str, str]:
    """A RAM user allowed sts:AssumeRole on `role` (any role when None)."""
    return user_with(ram, statements=[allow("sts:AssumeRole", role_arn(role) if role else f"acs:ram::{ACCOUNT_ID}:role/*")])


class StsSdk(Sdk):
    """conftest's Sdk, with STS credentials (access key, secret and SecurityToken)."""

    def __init__(self, kind: str, endpoint: str, ak: str, secret: str, token: str | None):
        super().__init__(kind, endpoint, ak=ak, secret=secret)
        if kind in ("v3", "v1"):
            from alibabacloud_tea_openapi.client import Client as OpenApiClient
            cfg = om.Config(access_key_id=ak, access_key_secret=secret, security_token=token, endpoint=endpoint,
                            protocol="http", region_id=REGION, read_timeout=30000)
            if kind == "v1":
                cfg.signature_algorithm = "v2"
            self.client = OpenApiClient(cfg)
        else:
            from aliyunsdkcore.auth.credentials import StsTokenCredential
            from aliyunsdkcore.client import AcsClient
            self.client = AcsClient(region_id=REGION, timeout=30, credential=StsTokenCredential(ak, secret, token))


def ecs_with(server, creds, kind: str = "v3", token: str | None = "same") -> StsSdk:
    return StsSdk(kind, server.endpoint, creds.access_key_id, creds.access_key_secret,
                  creds.security_token if token == "same" else token)


def api_error(fn, *args, **kw) -> ApiError:
    with pytest.raises(ApiError) as info:
        fn(*args, **kw)
    return info.value


# ---------------------------------------------------------------- RAM roles


def test_role_create_get_list_attach_delete(ram):
    name = unique("role")
    created = ram.create_role(M.CreateRoleRequest(role_name=name, assume_role_policy_document=TRUST_ROOT,
                                                  description="ops", max_session_duration=7200)).body.role
    assert (created.role_name, created.arn, created.description, created.max_session_duration) == (name, role_arn(name), "ops", 7200)
    assert created.role_id.isdigit() and created.create_date.endswith("Z")
    assert json.loads(created.assume_role_policy_document) == json.loads(TRUST_ROOT)

    got = ram.get_role(M.GetRoleRequest(role_name=name)).body.role
    assert (got.role_id, got.arn, got.max_session_duration) == (created.role_id, role_arn(name), 7200)
    assert got.assume_role_policy_document == TRUST_ROOT and got.update_date
    listed = ram.list_roles(M.ListRolesRequest(max_items=1000)).body
    assert name in [r.role_name for r in listed.roles.role] and listed.is_truncated is False

    ram.attach_policy_to_role(M.AttachPolicyToRoleRequest(policy_type="System", policy_name="AliyunECSReadOnlyAccess", role_name=name))
    expect("EntityAlreadyExists.Role.Policy", 409, ram.attach_policy_to_role,
           M.AttachPolicyToRoleRequest(policy_type="System", policy_name="AliyunECSReadOnlyAccess", role_name=name))
    policies = ram.list_policies_for_role(M.ListPoliciesForRoleRequest(role_name=name)).body.policies.policy
    assert [(p.policy_name, p.policy_type) for p in policies] == [("AliyunECSReadOnlyAccess", "System")]
    assert policies[0].attach_date and policies[0].description

    expect("DeleteConflict.Role.Policy", 409, ram.delete_role, M.DeleteRoleRequest(role_name=name))
    ram.detach_policy_from_role(M.DetachPolicyFromRoleRequest(policy_type="System", policy_name="AliyunECSReadOnlyAccess", role_name=name))
    expect("EntityNotExist.Role.Policy", 404, ram.detach_policy_from_role,
           M.DetachPolicyFromRoleRequest(policy_type="System", policy_name="AliyunECSReadOnlyAccess", role_name=name))
    ram.delete_role(M.DeleteRoleRequest(role_name=name))
    expect("EntityNotExist.Role", 404, ram.get_role, M.GetRoleRequest(role_name=name))
    expect("EntityNotExist.Role", 404, ram.delete_role, M.DeleteRoleRequest(role_name=name))


def test_role_errors(ram):
    name = unique("role")
    ram.create_role(M.CreateRoleRequest(role_name=name, assume_role_policy_document=TRUST_ROOT))
    expect("EntityAlreadyExists.Role", 409, ram.create_role, M.CreateRoleRequest(role_name=name, assume_role_policy_document=TRUST_ROOT))
    expect("InvalidParameter.RoleName.InvalidChars", 400, ram.create_role,
           M.CreateRoleRequest(role_name="bad_name", assume_role_policy_document=TRUST_ROOT))
    # A trust policy needs a Principal and has no Resource; an identity policy is the reverse.
    no_principal = policy_doc(allow("sts:AssumeRole"))
    expect("MalformedPolicyDocument", 400, ram.create_role,
           M.CreateRoleRequest(role_name=unique("role"), assume_role_policy_document=no_principal))
    expect("MalformedPolicyDocument", 400, ram.create_policy,
           M.CreatePolicyRequest(policy_name=unique("p"), policy_document=TRUST_ROOT))
    with pytest.raises(AlibabaCloudException) as info:
        ram.create_role(M.CreateRoleRequest(role_name=unique("role"), assume_role_policy_document=TRUST_ROOT,
                                            max_session_duration=60))
    assert info.value.status_code == 400
    expect("EntityNotExist.Policy", 404, ram.attach_policy_to_role,
           M.AttachPolicyToRoleRequest(policy_type="System", policy_name="NoSuchPolicy", role_name=name))
    expect("EntityNotExist.Role", 404, ram.list_policies_for_role, M.ListPoliciesForRoleRequest(role_name=unique("role")))
    # A custom policy attached to a role is refused deletion, unless cascading.
    pname = unique("p")
    ram.create_policy(M.CreatePolicyRequest(policy_name=pname, policy_document=policy_doc(allow("ecs:Describe*"))))
    ram.attach_policy_to_role(M.AttachPolicyToRoleRequest(policy_type="Custom", policy_name=pname, role_name=name))
    assert ram.get_policy(M.GetPolicyRequest(policy_name=pname, policy_type="Custom")).body.policy.attachment_count == 1
    expect("DeleteConflict.Policy.Role", 409, ram.delete_policy, M.DeletePolicyRequest(policy_name=pname))
    ram.delete_policy(M.DeletePolicyRequest(policy_name=pname, cascading_delete=True))
    assert ram.list_policies_for_role(M.ListPoliciesForRoleRequest(role_name=name)).body.policies.policy == []
    ram.delete_role(M.DeleteRoleRequest(role_name=name))


# ---------------------------------------------------------------- AssumeRole and STS credentials


@pytest.mark.parametrize("kind", ["v3", "v1", "old"])
def test_assumed_role_reads_but_cannot_write(ram, server, kind):
    role = make_role(ram)
    _, ak, secret = assumer(ram, role)
    body = assume(server, ak, secret, role, session="alice@dev")
    creds, user = body.credentials, body.assumed_role_user
    assert creds.access_key_id.startswith("STS.") and creds.access_key_secret and creds.security_token
    role_id = ram.get_role(M.GetRoleRequest(role_name=role)).body.role.role_id
    assert user.arn == f"{role_arn(role)}/alice@dev"
    assert user.assumed_role_id == f"{role_id}:alice@dev"
    expires = datetime.datetime.strptime(creds.expiration, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    left = (expires - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    assert 3500 < left <= 3601

    root = Sdk("v3", server.endpoint)
    name = unique()
    root.call("CreateKeyPair", RegionId=REGION, KeyPairName=name)
    sts = ecs_with(server, creds, kind)
    assert sts.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name)["TotalCount"] == 1
    e = api_error(sts.call, "CreateKeyPair", RegionId=REGION, KeyPairName=unique())
    assert (e.code, e.status) == ("Forbidden.RAM", 403)
    if kind != "old":  # the old SDK drops AccessDeniedDetail
        detail = e.raw["AccessDeniedDetail"]
        assert detail["AuthPrincipalType"] == "AssumedRoleUser"
        assert detail["AuthPrincipalDisplayName"] == f"{role}:alice@dev"
        assert detail["AuthAction"] == "ecs:CreateKeyPair"
        assert detail["PolicyType"] == "AccountLevelIdentityBasedPolicy"


def test_typed_ecs_client_with_security_token(ram, server):
    role = make_role(ram)
    _, ak, secret = assumer(ram)
    creds = assume(server, ak, secret, role).credentials
    from alibabacloud_ecs20140526.client import Client
    client = Client(om.Config(access_key_id=creds.access_key_id, access_key_secret=creds.access_key_secret,
                              security_token=creds.security_token, endpoint=server.endpoint, protocol="http", region_id=REGION))
    assert client.describe_key_pairs(ecs_models.DescribeKeyPairsRequest(region_id=REGION)).body.key_pairs is not None
    with pytest.raises(AlibabaCloudException) as info:
        client.create_key_pair(ecs_models.CreateKeyPairRequest(region_id=REGION, key_pair_name=unique()))
    assert info.value.access_denied_detail["AuthPrincipalType"] == "AssumedRoleUser"


def test_session_policy_narrows(ram, server):
    role = make_role(ram)
    _, ak, secret = assumer(ram, role)
    creds = assume(server, ak, secret, role, session="narrow",
                   policy=policy_doc(allow("ecs:DescribeInstances"), deny("ecs:DescribeRegions"))).credentials
    sts = ecs_with(server, creds)
    assert "Instances" in sts.call("DescribeInstances", RegionId=REGION)
    for action, no_permission in (("DescribeKeyPairs", "ImplicitDeny"), ("DescribeRegions", "ExplicitDeny")):
        e = api_error(sts.call, action, RegionId=REGION)
        assert (e.code, e.status) == ("Forbidden.RAM", 403)
        assert e.raw["AccessDeniedDetail"]["PolicyType"] == "SessionPolicy"
        assert e.raw["AccessDeniedDetail"]["NoPermissionType"] == no_permission
    # The session policy cannot grant what the role lacks.
    wide = assume(server, ak, secret, role, policy=policy_doc(allow("ecs:*"))).credentials
    e = api_error(ecs_with(server, wide).call, "CreateKeyPair", RegionId=REGION, KeyPairName=unique())
    assert e.raw["AccessDeniedDetail"]["PolicyType"] == "AccountLevelIdentityBasedPolicy"


def test_duration_and_expiration(ram, server):
    role = make_role(ram, max_session_duration=7200)
    _, ak, secret = assumer(ram, role)
    for seconds in (900, 7200):
        creds = assume(server, ak, secret, role, duration_seconds=seconds).credentials
        expires = datetime.datetime.strptime(creds.expiration, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
        left = (expires - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
        assert seconds - 100 < left <= seconds + 1
    sts = sts_client(server, ak, secret)
    for seconds in (899, 7201):
        expect("InvalidParameter.DurationSeconds", 400, sts.assume_role,
               sts_models.AssumeRoleRequest(role_arn=role_arn(role), role_session_name="s1", duration_seconds=seconds))


def test_security_token_checks(ram, server):
    role = make_role(ram)
    _, ak, secret = assumer(ram, role)
    a = assume(server, ak, secret, role, session="one").credentials
    b = assume(server, ak, secret, role, session="two").credentials
    for kind in ("v3", "v1"):
        cases = {
            None: "MissingSecurityToken",
            b.security_token: "InvalidSecurityToken.MismatchWithAccessKey",
            a.security_token[:-1] + ("A" if a.security_token[-1] != "A" else "B"): "InvalidSecurityToken.MismatchWithAccessKey",
            "not a token": "InvalidSecurityToken.Malformed",
        }
        for token, code in cases.items():
            e = api_error(ecs_with(server, a, kind, token=token).call, "DescribeKeyPairs", RegionId=REGION)
            assert (e.code, e.status) == (code, 400), (kind, token)
    # The session's own secret signs; the user's does not.
    e = api_error(StsSdk("v3", server.endpoint, a.access_key_id, secret, a.security_token).call, "DescribeKeyPairs", RegionId=REGION)
    assert (e.code, e.status) == ("SignatureDoesNotMatch", 400)
    # An unknown STS key, and a token with a long-term key (as before).
    e = api_error(StsSdk("v3", server.endpoint, "STS.NoSuchKey", "x", a.security_token).call, "DescribeKeyPairs", RegionId=REGION)
    assert (e.code, e.status) == ("InvalidAccessKeyId.NotFound", 404)
    e = api_error(StsSdk("v3", server.endpoint, ak, secret, a.security_token).call, "DescribeKeyPairs", RegionId=REGION)
    assert (e.code, e.status) == ("InvalidSecurityToken.Malformed", 400)


def test_root_may_not_assume_roles(ram, server):
    role = make_role(ram)
    e = expect("NoPermission", 403, assume, server, AK, SECRET, role)
    assert e.data["Message"] == "Roles may not be assumed by root accounts."


def test_trust_policy_and_identity_policy_both_needed(ram, server):
    _, ak, secret = assumer(ram)
    # Trusted user by ARN: allowed; another user: refused by the trust policy.
    user, uak, usecret = assumer(ram)
    only_user = json.dumps({"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                            "Principal": {"RAM": [f"acs:ram::{ACCOUNT_ID}:user/{user}"]}}]})
    role = make_role(ram, trust=only_user)
    assert assume(server, uak, usecret, role).credentials.access_key_id.startswith("STS.")
    e = expect("NoPermission", 403, assume, server, ak, secret, role)
    assert e.access_denied_detail["PolicyType"] == "AssumeRolePolicy"
    assert e.access_denied_detail["AuthAction"] == "sts:AssumeRole"
    # A service-only trust policy lets no user in.
    service = make_role(ram, trust=json.dumps({"Version": "1", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": ["ecs.aliyuncs.com"]}}]}))
    expect("NoPermission", 403, assume, server, ak, secret, service)
    # Trusted by the account root, but the user has no sts:AssumeRole permission of its own.
    _, nak, nsecret = user_with(ram, system=["AliyunECSReadOnlyAccess"])
    role2 = make_role(ram)
    e = expect("NoPermission", 403, assume, server, nak, nsecret, role2)
    assert e.access_denied_detail["PolicyType"] == "AccountLevelIdentityBasedPolicy"
    assert e.access_denied_detail["AuthPrincipalType"] == "SubUser"
    # Permission for another role only.
    _, oak, osecret = assumer(ram, role)
    expect("NoPermission", 403, assume, server, oak, osecret, role2)


def test_assume_role_parameter_errors(ram, server):
    role = make_role(ram)
    _, ak, secret = user_with(ram, statements=[allow("sts:AssumeRole")])
    sts = sts_client(server, ak, secret)

    def call(**kw):
        return lambda: sts.assume_role(sts_models.AssumeRoleRequest(**{"role_arn": role_arn(role), "role_session_name": "ok", **kw}))

    expect("InvalidParameter.RoleSessionName", 400, call(role_session_name="x"))
    expect("InvalidParameter.RoleSessionName", 400, call(role_session_name="bad name"))
    expect("InvalidParameter.RoleSessionName", 400, call(role_session_name="a" * 33))
    expect("InvalidParameter.RoleArn", 400, call(role_arn="acs:ram::1:user/x"))
    expect("EntityNotExist.Role", 404, call(role_arn=role_arn(unique("role"))))
    expect("InvalidParameter.PolicyGrammar", 400, call(policy="{}"))
    long_policy = policy_doc(*[allow(f"ecs:DescribeKeyPairs{i}") for i in range(40)])
    assert len(long_policy) > 1024
    expect("InvalidParameter.PolicyGrammar", 400, call(policy=long_policy))
    assert call(role_session_name="a.b@c-d_e")().body.assumed_role_user.arn.endswith("/a.b@c-d_e")


def test_a_session_works_on_every_node(ram, server):
    """Sessions are stored: one issued by a node is accepted by another sharing its database."""
    if not server.store.startswith("postgres"):
        pytest.skip("needs a shared PostgreSQL store (LOCALECS_TEST_STORE=postgres://…)")
    from conftest import Server
    role = make_role(ram)
    _, ak, secret = assumer(ram, role)
    creds = assume(server, ak, secret, role).credentials
    other = Server(server.store, args=["--transition-delay", "0"]).start()
    try:
        sts = ecs_with(other, creds)
        assert "KeyPairs" in sts.call("DescribeKeyPairs", RegionId=REGION)
        e = api_error(ecs_with(other, creds, token=None).call, "DescribeKeyPairs", RegionId=REGION)
        assert (e.code, e.status) == ("MissingSecurityToken", 400)
    finally:
        other.stop()
