"""Key-pair operations (ecs-api.md §4–8, decisions.md "Key material" and "Other open points"),
through each official client: CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPairs,
plus the typed request classes of both SDKs.

Every key pair a test makes is deleted at teardown (the session server is shared and the
per-region quota is 500)."""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
import struct
import subprocess
import time
import uuid

import pytest

from conftest import (REGION, ApiError, Sdk, Server, ecs_client,
                      old_client, run_linux, unique)

KEY_PAIR_ID = re.compile(r"^ssh-[a-z0-9]{20}$")
MD5_FP = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){15}$")
CREATION_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\dZ$")
OTHER_REGION = "cn-shanghai"

MSG_MISSING = 'The input parameter "{}" that is mandatory for processing this request is not supplied.'
MSG_NAME_MALFORMED = "Specified Key Pair name is not valid."
MSG_EXISTS = "The key pair already exist."
MSG_PUBKEY = "The PublicKeyBody format is not supported."
MSG_REGION = ("The specified RegionId does not exist.", "The RegionId provided does not exist in our records.")



@pytest.fixture(autouse=True)
def _ssh_keygen_is_required():
    """Fail, never skip: a suite that skips without ssh-keygen would pass while checking nothing."""
    if shutil.which("ssh-keygen") is None:
        pytest.fail("ssh-keygen is required by the key-pair suite (install openssh-client)")


def expect_error(fn, code: str, status: int, message=None) -> ApiError:
    with pytest.raises(ApiError) as info:
        fn()
    e = info.value
    assert (e.code, e.status) == (code, status), f"got {e.status} {e.code}: {e.message}"
    if isinstance(message, str):
        assert e.message == message
    elif message is not None:
        assert e.message in message
    return e


def tags(*pairs) -> dict:
    out = {}
    for i, (k, v) in enumerate(pairs, 1):
        out[f"Tag.{i}.Key"] = k
        if v is not None:
            out[f"Tag.{i}.Value"] = v
    return out


def describe(sdk, region=REGION, **params) -> dict:
    return sdk.call("DescribeKeyPairs", RegionId=region, **params)


def names_of(body) -> list[str]:
    return [kp["KeyPairName"] for kp in body["KeyPairs"]["KeyPair"]]


# ---------------------------------------------------------------------------- fixtures

class Keys:
    """Creates and imports key pairs, remembering them for deletion at teardown."""

    def __init__(self, server, public_key: str):
        self.admin = Sdk("v3", server.endpoint)
        self.public_key = public_key
        self.made: dict[str, set[str]] = {}

    def track(self, name, region=REGION):
        self.made.setdefault(region, set()).add(name)
        return name

    def create(self, sdk, name=None, region=REGION, **extra) -> dict:
        name = name or unique()
        self.track(name, region)
        return sdk.call("CreateKeyPair", RegionId=region, KeyPairName=name, **extra)

    def import_(self, sdk, public_key, name=None, region=REGION, **extra) -> dict:
        name = name or unique()
        self.track(name, region)
        return sdk.call("ImportKeyPair", RegionId=region, KeyPairName=name, PublicKeyBody=public_key, **extra)

    def quick(self, sdk, name=None, region=REGION, **extra) -> str:
        """A key pair whose key material does not matter: imported (the server's RSA generation is slow)."""
        return self.import_(sdk, self.public_key, name, region, **extra)["KeyPairName"]

    def cleanup(self):
        for region, names in self.made.items():
            names = sorted(names)
            for i in range(0, len(names), 100):
                try:
                    self.admin.call("DeleteKeyPairs", RegionId=region, KeyPairNames=json.dumps(names[i:i + 100]))
                except ApiError:
                    pass   # still bound to an instance: harmless


@pytest.fixture
def keys(server, ssh_keys):
    k = Keys(server, ssh_keys["ecdsa-sha2-nistp256"].line)
    yield k
    k.cleanup()


class SshKey:
    def __init__(self, path):
        self.path = path
        self.line = open(path + ".pub").read().strip()
        self.type, self.b64 = self.line.split()[:2]
        self.public = f"{self.type} {self.b64}"
        self.md5 = ssh_keygen_md5(path + ".pub")


def ssh_keygen_md5(path) -> str:
    out = subprocess.run(["ssh-keygen", "-l", "-E", "md5", "-f", path], capture_output=True, text=True, check=True).stdout
    m = re.search(r"MD5:([0-9a-f:]{47})", out)
    assert m, out
    return m.group(1)


def keygen(directory, kind: str, bits: str | None = None, comment="user@test host") -> SshKey:
    path = os.path.join(directory, f"id_{kind}_{bits or 'x'}_{uuid.uuid4().hex[:6]}")
    cmd = ["ssh-keygen", "-q", "-t", kind, *(["-b", bits] if bits else []), "-N", "", "-C", comment, "-f", path]
    subprocess.run(cmd, check=True, capture_output=True)
    return SshKey(path)


KEY_TYPES = {
    "ssh-rsa": ("rsa", "2048"),
    "ecdsa-sha2-nistp256": ("ecdsa", "256"),
    "ecdsa-sha2-nistp384": ("ecdsa", "384"),
    "ecdsa-sha2-nistp521": ("ecdsa", "521"),
    "ssh-dss": ("dsa", None),
}


@pytest.fixture(scope="session")
def ssh_keys(tmp_path_factory):
    """One key of each type, made by ssh-keygen at test time (ssh-dss only if this ssh-keygen can)."""
    d = str(tmp_path_factory.mktemp("sshkeys"))
    out = {}
    for type_name, (kind, bits) in KEY_TYPES.items():
        try:
            out[type_name] = keygen(d, kind, bits)
        except subprocess.CalledProcessError:
            if type_name != "ssh-dss":
                raise
    out["ssh-ed25519"] = keygen(d, "ed25519")
    out["rsa-1024"] = keygen(d, "rsa", "1024")
    return out


@pytest.fixture
def fresh_key(tmp_path):
    """A new ECDSA key (fast to make), so its fingerprint is unique to the test."""
    return lambda: keygen(str(tmp_path), "ecdsa", "256")


# ---------------------------------------------------------------------------- CreateKeyPair

def test_create_key_pair_returns_usable_pkcs1_key(sdk, keys, tmp_path):
    name = unique("create")
    body = keys.create(sdk, name)
    assert body["KeyPairName"] == name
    assert KEY_PAIR_ID.match(body["KeyPairId"]), body["KeyPairId"]
    assert MD5_FP.match(body["KeyPairFingerPrint"]), body["KeyPairFingerPrint"]
    assert re.match(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$", body["RequestId"])

    pem = body["PrivateKeyBody"]
    lines = pem.strip("\n").split("\n")
    assert lines[0] == "-----BEGIN RSA PRIVATE KEY-----"
    assert lines[-1] == "-----END RSA PRIVATE KEY-----"
    assert "\r" not in pem
    der = base64.b64decode("".join(lines[1:-1]), validate=True)
    # PKCS#1 RSAPrivateKey: SEQUENCE { INTEGER 0, INTEGER n (257 bytes: 2048 bits) ... }
    assert der[:4] == b"\x30\x82" + der[2:4] and der[4:7] == b"\x02\x01\x00"
    assert der[7:12] == b"\x02\x82\x01\x01\x00"

    key_file = tmp_path / "id_rsa"
    key_file.write_text(pem if pem.endswith("\n") else pem + "\n")
    os.chmod(key_file, 0o600)
    derived = subprocess.run(["ssh-keygen", "-y", "-f", str(key_file)], capture_output=True, text=True)
    assert derived.returncode == 0, derived.stderr
    derived_public = " ".join(derived.stdout.split()[:2])
    assert derived_public.startswith("ssh-rsa ")
    listing = subprocess.run(["ssh-keygen", "-l", "-E", "md5", "-f", str(key_file)], capture_output=True, text=True, check=True).stdout
    assert listing.startswith("2048 ")
    assert f"MD5:{body['KeyPairFingerPrint']} " in listing

    # The service keeps the public half and shows it on request; the private key is not shown again.
    item = describe(sdk, KeyPairName=name, IncludePublicKey=True)["KeyPairs"]["KeyPair"][0]
    assert item["PublicKey"] == derived_public
    assert item["KeyPairFingerPrint"] == body["KeyPairFingerPrint"]
    assert "PrivateKeyBody" not in item


def test_each_created_key_is_new(sdk, keys):
    a, b = keys.create(sdk), keys.create(sdk)
    assert a["KeyPairId"] != b["KeyPairId"]
    assert a["KeyPairFingerPrint"] != b["KeyPairFingerPrint"]
    assert a["PrivateKeyBody"] != b["PrivateKeyBody"]


# ---------------------------------------------------------------------------- ImportKeyPair

@pytest.mark.parametrize("key_type", list(KEY_TYPES) + ["rsa-1024"])
def test_import_key_pair_types(sdk, keys, ssh_keys, key_type):
    if key_type not in ssh_keys:
        pytest.skip(f"this ssh-keygen cannot make {key_type}")
    k = ssh_keys[key_type]
    name = unique("imp")
    body = keys.import_(sdk, k.line, name)        # with its comment "user@test host"
    assert body["KeyPairName"] == name
    assert body["KeyPairFingerPrint"] == k.md5
    item = describe(sdk, KeyPairName=name, IncludePublicKey=True)["KeyPairs"]["KeyPair"][0]
    assert item["PublicKey"] == k.public
    assert item["KeyPairFingerPrint"] == k.md5


def test_import_tolerates_surrounding_whitespace_and_no_comment(sdk, keys, ssh_keys):
    k = ssh_keys["ssh-rsa"]
    assert keys.import_(sdk, f"  {k.public}\n")["KeyPairFingerPrint"] == k.md5
    assert keys.import_(sdk, k.public)["KeyPairFingerPrint"] == k.md5


def _rsa_blob(bits: int) -> bytes:
    def s(b): return struct.pack(">I", len(b)) + b
    n = (1 << (bits - 1)) | 1 | (0xABCDEF << 8)
    return s(b"ssh-rsa") + s(b"\x01\x00\x01") + s(b"\x00" + n.to_bytes(bits // 8, "big"))


def _bad_bodies(k_rsa, k_ec, k_ed):
    rsa_blob = base64.b64decode(k_rsa.b64)
    ec_blob = base64.b64decode(k_ec.b64)
    return {
        "ed25519": k_ed.line,
        "garbage": "this is not a key",
        "base64-garbage": "ssh-rsa !!!notbase64!!!",
        "truncated-text": k_rsa.line[: len(k_rsa.line) // 2],
        "truncated-blob": "ssh-rsa " + base64.b64encode(rsa_blob[:-20]).decode(),
        "wrong-type-label": "ssh-rsa " + k_ec.b64,
        "type-mismatch-ecdsa": "ecdsa-sha2-nistp384 " + base64.b64encode(ec_blob).decode(),
        "unknown-type": "ssh-foo " + k_rsa.b64,
        "rsa-512-bits": "ssh-rsa " + base64.b64encode(_rsa_blob(512)).decode(),
        "two-lines": k_rsa.line + "\n" + k_ec.line,
        "only-type": "ssh-rsa",
    }


BAD_BODY_CASES = ["ed25519", "garbage", "base64-garbage", "truncated-text", "truncated-blob", "wrong-type-label",
                  "type-mismatch-ecdsa", "unknown-type", "rsa-512-bits", "two-lines", "only-type"]


@pytest.mark.parametrize("case", BAD_BODY_CASES)
def test_import_rejects_malformed_public_keys(sdk, keys, ssh_keys, case):
    body = _bad_bodies(ssh_keys["ssh-rsa"], ssh_keys["ecdsa-sha2-nistp256"], ssh_keys["ssh-ed25519"])[case]
    name = unique("bad")
    expect_error(lambda: keys.import_(sdk, body, name), "InvalidPublicKeyBody.Malformed", 400, MSG_PUBKEY)
    assert describe(sdk, KeyPairName=name)["TotalCount"] == 0


def test_import_rejects_a_private_key(sdk, keys, ssh_keys):
    private = open(ssh_keys["ssh-rsa"].path).read()
    expect_error(lambda: keys.import_(sdk, private), "InvalidPublicKeyBody.Malformed", 400, MSG_PUBKEY)


def test_import_requires_public_key_body(sdk):
    expect_error(lambda: sdk.call("ImportKeyPair", RegionId=REGION, KeyPairName=unique()),
                 "MissingParameter", 400, MSG_MISSING.format("PublicKeyBody"))


def test_import_accepts_a_name_starting_with_a_chinese_character(sdk, keys, ssh_keys):
    # ecs-api.md §5: ImportKeyPair names may start with a Chinese character and contain `.`.
    name = f"密钥.{uuid.uuid4().hex[:8]}"
    assert keys.import_(sdk, ssh_keys["ssh-rsa"].line, name)["KeyPairName"] == name
    assert names_of(describe(sdk, KeyPairName=name)) == [name]


# ---------------------------------------------------------------------------- names, duplicates, regions

BAD_NAMES = {
    "too-short": "a",
    "starts-with-digit": "1abc",
    "starts-with-dash": "-abc",
    "http": "http://abc",
    "https": "https://abc",
    "129-chars": "k" * 129,
    "space": "my key",
    "slash": "my/key",
    "star": "my*key",
}


@pytest.mark.parametrize("case", list(BAD_NAMES))
def test_malformed_key_pair_names(sdk, keys, ssh_keys, case):
    name = BAD_NAMES[case]
    expect_error(lambda: keys.create(sdk, name), "InvalidKeyPairName.Malformed", 400, MSG_NAME_MALFORMED)
    expect_error(lambda: keys.import_(sdk, ssh_keys["ssh-rsa"].line, name), "InvalidKeyPairName.Malformed", 400,
                 MSG_NAME_MALFORMED)


def test_name_length_bounds_and_allowed_characters(sdk, keys):
    long_name = ("k" + uuid.uuid4().hex * 8)[:128]
    assert len(long_name) == 128
    assert keys.create(sdk, long_name)["KeyPairName"] == long_name
    short = "z" + uuid.uuid4().hex[0]
    try:
        assert keys.quick(sdk, short) == short
    finally:
        sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([short]))
    mixed = f"Key:pair_{uuid.uuid4().hex[:6]}-X.y"
    assert keys.quick(sdk, mixed) == mixed
    long_imported = ("i" + uuid.uuid4().hex * 8)[:128]
    assert keys.quick(sdk, long_imported) == long_imported


def test_duplicate_names_are_refused(sdk, keys, ssh_keys):
    name = unique("dup")
    first = keys.create(sdk, name)
    expect_error(lambda: keys.create(sdk, name), "KeyPair.AlreadyExist", 400, MSG_EXISTS)
    expect_error(lambda: keys.import_(sdk, ssh_keys["ssh-rsa"].line, name), "KeyPair.AlreadyExist", 400, MSG_EXISTS)
    # The original is untouched, and the same name is free in another region.
    assert describe(sdk, KeyPairName=name)["KeyPairs"]["KeyPair"][0]["KeyPairFingerPrint"] == first["KeyPairFingerPrint"]
    assert keys.import_(sdk, ssh_keys["ssh-rsa"].line, name, region=OTHER_REGION)["KeyPairName"] == name
    imported = keys.quick(sdk)
    expect_error(lambda: keys.create(sdk, imported), "KeyPair.AlreadyExist", 400, MSG_EXISTS)
    expect_error(lambda: keys.import_(sdk, ssh_keys["ssh-rsa"].line, imported), "KeyPair.AlreadyExist", 400, MSG_EXISTS)


def test_name_is_free_again_after_delete(sdk, keys):
    name = keys.quick(sdk, unique("again"))
    sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name]))
    assert keys.create(sdk, name)["KeyPairName"] == name


@pytest.mark.parametrize("action", ["CreateKeyPair", "ImportKeyPair", "DescribeKeyPairs", "DeleteKeyPairs"])
def test_unknown_region(sdk, ssh_keys, action):
    params = {"CreateKeyPair": {"KeyPairName": unique()},
              "ImportKeyPair": {"KeyPairName": unique(), "PublicKeyBody": ssh_keys["ssh-rsa"].line},
              "DescribeKeyPairs": {},
              "DeleteKeyPairs": {"KeyPairNames": json.dumps([unique()])}}[action]
    expect_error(lambda: sdk.call(action, RegionId="cn-nowhere-9", **params), "InvalidRegionId.NotFound", 404, MSG_REGION)


@pytest.mark.parametrize("kind", ["v3", "v1"])   # the old SDK always adds RegionId itself (protocol-and-ram.md §1.2)
@pytest.mark.parametrize("action", ["CreateKeyPair", "ImportKeyPair", "DescribeKeyPairs", "DeleteKeyPairs"])
def test_missing_region_id(server, ssh_keys, kind, action):
    sdk = Sdk(kind, server.endpoint)
    params = {"CreateKeyPair": {"KeyPairName": unique()},
              "ImportKeyPair": {"KeyPairName": unique(), "PublicKeyBody": ssh_keys["ssh-rsa"].line},
              "DescribeKeyPairs": {},
              "DeleteKeyPairs": {"KeyPairNames": json.dumps([unique()])}}[action]
    expect_error(lambda: sdk.call(action, **params), "MissingParameter", 400, MSG_MISSING.format("RegionId"))


@pytest.mark.parametrize("action", ["CreateKeyPair", "ImportKeyPair"])
def test_missing_key_pair_name(sdk, ssh_keys, action):
    extra = {"PublicKeyBody": ssh_keys["ssh-rsa"].line} if action == "ImportKeyPair" else {}
    expect_error(lambda: sdk.call(action, RegionId=REGION, **extra), "MissingParameter", 400,
                 MSG_MISSING.format("KeyPairName"))


# ---------------------------------------------------------------------------- tags and resource groups

TAG_VALUES = ["test run", "a*b", "x~y", "p/q", "café é", "a+b", "k=v", "a&b", "", "mix +=&/~*é ok"]


def test_tags_round_trip_with_special_characters(sdk, keys):
    key_base = "t" + uuid.uuid4().hex[:8]
    pairs = [(f"{key_base}-{i}", v) for i, v in enumerate(TAG_VALUES)]
    name = keys.create(sdk, **tags(*pairs))["KeyPairName"]
    item = describe(sdk, KeyPairName=name)["KeyPairs"]["KeyPair"][0]
    got = {t["TagKey"]: t["TagValue"] for t in item["Tags"]["Tag"]}
    assert got == dict(pairs)


def test_tag_filter_requires_all_tags(sdk, keys, ssh_keys):
    env, owner = "env-" + uuid.uuid4().hex[:8], "owner-" + uuid.uuid4().hex[:8]
    v_env, v_owner = "test run*~/é", "a+b=c&d"
    both = keys.import_(sdk, ssh_keys["ssh-rsa"].line, **tags((env, v_env), (owner, v_owner)))["KeyPairName"]
    env_only = keys.import_(sdk, ssh_keys["ssh-rsa"].line, **tags((env, v_env)))["KeyPairName"]
    other_value = keys.import_(sdk, ssh_keys["ssh-rsa"].line, **tags((env, "test run"), (owner, v_owner)))["KeyPairName"]
    keys.import_(sdk, ssh_keys["ssh-rsa"].line)   # untagged

    body = describe(sdk, PageSize=50, **tags((env, v_env), (owner, v_owner)))
    assert names_of(body) == [both] and body["TotalCount"] == 1
    assert sorted(names_of(describe(sdk, PageSize=50, **tags((env, v_env))))) == sorted([both, env_only])
    assert sorted(names_of(describe(sdk, PageSize=50, **tags((owner, v_owner))))) == sorted([both, other_value])
    assert describe(sdk, PageSize=50, **tags((env, "no such value")))["TotalCount"] == 0
    # The tag filter combines with the name filter.
    assert names_of(describe(sdk, KeyPairName=env_only, **tags((env, v_env)))) == [env_only]
    assert describe(sdk, KeyPairName=other_value, **tags((env, v_env)))["TotalCount"] == 0


def test_twenty_tags_ok_twenty_one_refused(sdk, keys):
    base = "q" + uuid.uuid4().hex[:6]
    twenty = tags(*[(f"{base}-{i}", str(i)) for i in range(20)])
    name = keys.create(sdk, **twenty)["KeyPairName"]
    assert len(describe(sdk, KeyPairName=name)["KeyPairs"]["KeyPair"][0]["Tags"]["Tag"]) == 20
    too_many = tags(*[(f"{base}-{i}", str(i)) for i in range(21)])
    name21 = unique()
    expect_error(lambda: keys.create(sdk, name21, **too_many), "QuotaExceed.Tags", 403)
    assert describe(sdk, KeyPairName=name21)["TotalCount"] == 0


TAG_CASES = {
    "duplicate-key": (tags(("dupkey", "1"), ("dupkey", "2")), "Duplicate.TagKey", "The Tag.N.Key contain duplicate key."),
    "key-aliyun": (tags(("aliyunfoo", "v")), "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid."),
    "key-acs": (tags(("acs:foo", "v")), "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid."),
    "key-empty": (tags(("", "v")), "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid."),
    "key-http": (tags(("see http://x", "v")), "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid."),
    "key-129": (tags(("k" * 129, "v")), "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid."),
    "value-acs": (tags(("k", "acs:x")), "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid."),
    "value-https": (tags(("k", "go https://x")), "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid."),
    "value-129": (tags(("k", "v" * 129)), "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid."),
}


@pytest.mark.parametrize("case", list(TAG_CASES))
def test_tag_rules(sdk, keys, ssh_keys, case):
    params, code, message = TAG_CASES[case]
    name = unique("tag")
    expect_error(lambda: keys.create(sdk, name, **params), code, 400, message)
    expect_error(lambda: keys.import_(sdk, ssh_keys["ssh-rsa"].line, name, **params), code, 400)
    assert describe(sdk, KeyPairName=name)["TotalCount"] == 0


def test_resource_group(sdk, keys):
    rg = "rg-" + uuid.uuid4().hex[:16]
    in_rg = keys.create(sdk, ResourceGroupId=rg)["KeyPairName"]
    outside = keys.quick(sdk)
    imported_rg = keys.quick(sdk, ResourceGroupId=rg)
    body = describe(sdk, ResourceGroupId=rg)
    assert sorted(names_of(body)) == sorted([in_rg, imported_rg]) and body["TotalCount"] == 2
    assert {kp["ResourceGroupId"] for kp in body["KeyPairs"]["KeyPair"]} == {rg}
    assert describe(sdk, KeyPairName=outside)["KeyPairs"]["KeyPair"][0]["ResourceGroupId"] == ""
    assert describe(sdk, KeyPairName=outside, ResourceGroupId=rg)["TotalCount"] == 0


def test_unknown_resource_group_on_create(sdk, keys):
    expect_error(lambda: keys.create(sdk, ResourceGroupId="not-a-group"), "InvalidResourceGroup.NotFound", 404,
                 "The ResourceGroup provided does not exist in our records.")
    expect_error(lambda: keys.quick(sdk, ResourceGroupId="not-a-group"), "InvalidResourceGroup.NotFound", 404,
                 "The ResourceGroup provided does not exist in our records.")


# ---------------------------------------------------------------------------- DescribeKeyPairs filters

@pytest.fixture
def wildcard_set(server, keys, ssh_keys):
    """Four names around the word `{p}-core`, made through one client."""
    v3 = Sdk("v3", server.endpoint)
    p = "w" + uuid.uuid4().hex[:10]
    names = {"bare": f"{p}-core", "tail": f"{p}-core-a", "head": f"x{p}-core", "both": f"x{p}-core-b"}
    for n in names.values():
        keys.import_(v3, ssh_keys["ecdsa-sha2-nistp256"].line, n)
        time.sleep(0.003)   # distinct creation instants: order is creation order
    return p, names


def test_exact_name_does_not_match_longer_names(sdk, wildcard_set):
    p, n = wildcard_set
    body = describe(sdk, KeyPairName=n["bare"])
    assert names_of(body) == [n["bare"]] and body["TotalCount"] == 1
    assert describe(sdk, KeyPairName=f"{p}-cor")["TotalCount"] == 0


@pytest.mark.parametrize("pattern,expected", [
    ("{p}-core*", ["bare", "tail"]),            # prefix, matching the bare word too
    ("*{p}-core", ["bare", "head"]),            # suffix
    ("*{p}-core*", ["bare", "tail", "head", "both"]),   # contains
    ("x{p}*b", ["both"]),
    ("*{p}-nothing*", []),
])
def test_wildcard_names(sdk, wildcard_set, pattern, expected):
    p, n = wildcard_set
    body = describe(sdk, KeyPairName=pattern.format(p=p))
    assert names_of(body) == [n[k] for k in expected]
    assert body["TotalCount"] == len(expected)


def test_fingerprint_filter(sdk, keys, fresh_key):
    k, other = fresh_key(), fresh_key()
    a = keys.import_(sdk, k.line)["KeyPairName"]
    time.sleep(0.003)
    b = keys.import_(sdk, k.line)["KeyPairName"]
    keys.import_(sdk, other.line)
    body = describe(sdk, KeyPairFingerPrint=k.md5)
    assert names_of(body) == [a, b] and body["TotalCount"] == 2
    assert all(kp["KeyPairFingerPrint"] == k.md5 for kp in body["KeyPairs"]["KeyPair"])
    assert names_of(describe(sdk, KeyPairFingerPrint=k.md5, KeyPairName=b)) == [b]
    assert describe(sdk, KeyPairFingerPrint="00:" * 15 + "00")["TotalCount"] == 0


def test_describe_item_shape_and_public_key_only_on_request(sdk, keys, ssh_keys):
    name = keys.import_(sdk, ssh_keys["ecdsa-sha2-nistp384"].line)["KeyPairName"]
    body = describe(sdk, KeyPairName=name)
    for field in ("TotalCount", "PageNumber", "PageSize"):
        assert type(body[field]) is int, (field, body[field])
    assert re.match(r"^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$", body["RequestId"])
    item = body["KeyPairs"]["KeyPair"][0]
    assert "PublicKey" not in item
    assert CREATION_TIME.match(item["CreationTime"]), item["CreationTime"]
    assert item["KeyPairFingerPrint"] == ssh_keys["ecdsa-sha2-nistp384"].md5
    assert item["Tags"] == {"Tag": []} or item["Tags"]["Tag"] == []
    assert "PublicKey" not in describe(sdk, KeyPairName=name, IncludePublicKey=False)["KeyPairs"]["KeyPair"][0]
    with_key = describe(sdk, KeyPairName=name, IncludePublicKey=True)["KeyPairs"]["KeyPair"][0]
    assert with_key["PublicKey"] == ssh_keys["ecdsa-sha2-nistp384"].public


def test_describe_with_no_match_is_empty_not_an_error(sdk):
    body = describe(sdk, KeyPairName=unique("none"))
    assert body["TotalCount"] == 0
    assert body["KeyPairs"]["KeyPair"] == []


# ---------------------------------------------------------------------------- paging and order

@pytest.fixture(scope="module")
def paging_set(server, ssh_keys):
    """52 key pairs in their own region, imported in a known order (not alphabetical)."""
    v3 = Sdk("v3", server.endpoint)
    region = "eu-west-1"
    p = "pg" + uuid.uuid4().hex[:8]
    names = [f"{p}-{(i * 37) % 52:02d}" for i in range(52)]
    for n in names:
        v3.call("ImportKeyPair", RegionId=region, KeyPairName=n, PublicKeyBody=ssh_keys["ecdsa-sha2-nistp256"].line)
        time.sleep(0.002)
    yield region, p, names
    for i in range(0, len(names), 100):
        v3.call("DeleteKeyPairs", RegionId=region, KeyPairNames=json.dumps(names[i:i + 100]))


def test_paging_defaults_and_order(sdk, paging_set):
    region, p, names = paging_set
    body = describe(sdk, region, KeyPairName=f"{p}-*")
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (52, 1, 10)
    assert names_of(body) == names[:10]            # oldest first, not by name
    page3 = describe(sdk, region, KeyPairName=f"{p}-*", PageNumber=3, PageSize=20)
    assert (page3["TotalCount"], page3["PageNumber"], page3["PageSize"]) == (52, 3, 20)
    assert names_of(page3) == names[40:]
    beyond = describe(sdk, region, KeyPairName=f"{p}-*", PageNumber=9, PageSize=20)
    assert beyond["TotalCount"] == 52 and names_of(beyond) == []


def test_page_size_is_clamped(sdk, paging_set):
    region, p, names = paging_set
    big = describe(sdk, region, KeyPairName=f"{p}-*", PageSize=100)
    assert big["PageSize"] == 50 and names_of(big) == names[:50] and big["TotalCount"] == 52
    second = describe(sdk, region, KeyPairName=f"{p}-*", PageSize=100, PageNumber=2)
    assert names_of(second) == names[50:]
    tiny = describe(sdk, region, KeyPairName=f"{p}-*", PageSize=0)
    assert tiny["PageSize"] == 1 and names_of(tiny) == names[:1]


@pytest.mark.parametrize("number", ["0", "-1"])
def test_page_number_below_one(sdk, number):
    e = expect_error(lambda: describe(sdk, PageNumber=number), "InvalidParameter", 400)
    assert e.message.startswith('The specified parameter "PageNumber" is not valid.')


# ---------------------------------------------------------------------------- DeleteKeyPairs

def test_delete_json_array_with_spaces_and_unknown_names(sdk, keys):
    a, b, c = keys.quick(sdk), keys.quick(sdk), keys.quick(sdk)
    body = sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([a, unique("ghost"), b]))   # '["a", "g", "b"]'
    assert set(body) == {"RequestId"}
    assert describe(sdk, KeyPairName=a)["TotalCount"] == 0
    assert describe(sdk, KeyPairName=b)["TotalCount"] == 0
    assert describe(sdk, KeyPairName=c)["TotalCount"] == 1
    # Only unknown names: nothing to do, still a success.
    sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([unique("ghost")]))
    # A compact array and a deleted name again.
    sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=f'["{c}","{a}"]')
    assert describe(sdk, KeyPairName=c)["TotalCount"] == 0


def test_delete_at_most_100_names(sdk, keys):
    kept = keys.quick(sdk)
    hundred = [unique("ghost") for _ in range(100)]
    sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps(hundred))
    over = [kept] + [unique("ghost") for _ in range(100)]
    expect_error(lambda: sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps(over)),
                 "InstanceKeyPairLimitExceeded", 403, "Exceeding the allowed amount of instance which will be deleted.")
    assert describe(sdk, KeyPairName=kept)["TotalCount"] == 1


@pytest.mark.parametrize("value", ["key1", '"key1"', '{"a": 1}', "[key1]", '["a",', '[1]', '[null]', '[""]'])
def test_delete_names_must_be_a_json_array(sdk, value):
    expect_error(lambda: sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=value),
                 "InvalidKeyPairNames.ValueNotSupported", 400, 'The specified parameter "KeyPairNames" is not valid.')


def test_delete_requires_names(sdk):
    expect_error(lambda: sdk.call("DeleteKeyPairs", RegionId=REGION), "MissingParameter", 400,
                 MSG_MISSING.format("KeyPairNames"))


def test_delete_is_all_or_nothing_when_one_is_bound(sdk, keys):
    bound, free = keys.quick(sdk), keys.quick(sdk)
    [instance] = run_linux(sdk, KeyPairName=bound)
    expect_error(lambda: sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([free, bound])),
                 "InvalidParameter.KeypairAlreadyAttachedInstance", 400,
                 'The specified parameter "KeyPairNames" attached to instances can not be deleted.')
    assert describe(sdk, KeyPairName=free)["TotalCount"] == 1
    assert describe(sdk, KeyPairName=bound)["TotalCount"] == 1
    # Once detached, both go.
    sdk.call("DetachKeyPair", RegionId=REGION, KeyPairName=bound, InstanceIds=json.dumps([instance]))
    sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([free, bound]))
    assert describe(sdk, KeyPairName=bound)["TotalCount"] == 0
    assert describe(sdk, KeyPairName=free)["TotalCount"] == 0


# ---------------------------------------------------------------------------- quota

@pytest.fixture(scope="module")
def quota_server(tmp_path_factory):
    s = Server("memory", env={"LOCALECS_KEYPAIR_QUOTA": "3"}, args=["--transition-delay", "0"]).start()
    yield s
    s.stop()


@pytest.mark.parametrize("kind,region", [("v3", "cn-beijing"), ("v1", "cn-shenzhen"), ("old", "cn-qingdao")])
def test_key_pair_quota(quota_server, ssh_keys, kind, region):
    sdk = Sdk(kind, quota_server.endpoint)
    pub = ssh_keys["ssh-rsa"].line
    sdk.call("CreateKeyPair", RegionId=region, KeyPairName="q-one")
    sdk.call("ImportKeyPair", RegionId=region, KeyPairName="q-two", PublicKeyBody=pub)
    sdk.call("ImportKeyPair", RegionId=region, KeyPairName="q-three", PublicKeyBody=pub)
    # Created and imported key pairs share the quota.
    expect_error(lambda: sdk.call("CreateKeyPair", RegionId=region, KeyPairName="q-four"),
                 "QuotaExceed.KeyPair", 403, "The key pair quota exceeds.")
    expect_error(lambda: sdk.call("ImportKeyPair", RegionId=region, KeyPairName="q-four", PublicKeyBody=pub),
                 "QuotaExceed.KeyPair", 403, "The key pair quota exceeds.")
    assert sdk.call("DescribeKeyPairs", RegionId=region)["TotalCount"] == 3
    # The quota is per region.
    other = {"cn-beijing": "us-west-1", "cn-shenzhen": "us-east-1", "cn-qingdao": "eu-central-1"}[region]
    sdk.call("ImportKeyPair", RegionId=other, KeyPairName="q-four", PublicKeyBody=pub)
    # Deleting one frees a slot.
    sdk.call("DeleteKeyPairs", RegionId=region, KeyPairNames='["q-two"]')
    sdk.call("ImportKeyPair", RegionId=region, KeyPairName="q-four", PublicKeyBody=pub)
    assert sdk.call("DescribeKeyPairs", RegionId=region)["TotalCount"] == 3


# ---------------------------------------------------------------------------- typed SDK methods

@pytest.mark.parametrize("kind", ["v3", "v1"])
def test_typed_new_sdk_methods(server, keys, ssh_keys, kind):
    from alibabacloud_ecs20140526 import models as m
    from alibabacloud_tea_openapi.exceptions import ClientException

    client = ecs_client(server.endpoint, kind)
    tag_key, tag_value = "typed-" + uuid.uuid4().hex[:8], "v a/l+u=e"
    created_name = keys.track(unique("typed"))
    r = client.create_key_pair(m.CreateKeyPairRequest(
        region_id=REGION, key_pair_name=created_name, tag=[m.CreateKeyPairRequestTag(key=tag_key, value=tag_value)]))
    assert r.status_code == 200
    assert r.body.key_pair_name == created_name
    assert KEY_PAIR_ID.match(r.body.key_pair_id)
    assert MD5_FP.match(r.body.key_pair_finger_print)
    assert r.body.private_key_body.startswith("-----BEGIN RSA PRIVATE KEY-----")

    imported_name = keys.track(unique("typed"))
    k = ssh_keys["ecdsa-sha2-nistp521"]
    ri = client.import_key_pair(m.ImportKeyPairRequest(
        region_id=REGION, key_pair_name=imported_name, public_key_body=k.line,
        tag=[m.ImportKeyPairRequestTag(key=tag_key, value="other")]))
    assert ri.body.key_pair_finger_print == k.md5

    rd = client.describe_key_pairs(m.DescribeKeyPairsRequest(
        region_id=REGION, include_public_key=True, tag=[m.DescribeKeyPairsRequestTag(key=tag_key, value=tag_value)]))
    assert rd.body.total_count == 1 and rd.body.page_number == 1 and rd.body.page_size == 10
    [item] = rd.body.key_pairs.key_pair
    assert item.key_pair_name == created_name
    assert item.public_key.startswith("ssh-rsa AAAA")
    assert item.key_pair_finger_print == r.body.key_pair_finger_print
    assert [(t.tag_key, t.tag_value) for t in item.tags.tag] == [(tag_key, tag_value)]
    assert CREATION_TIME.match(item.creation_time)

    rd2 = client.describe_key_pairs(m.DescribeKeyPairsRequest(region_id=REGION, key_pair_name=imported_name))
    assert rd2.body.key_pairs.key_pair[0].public_key is None

    [instance] = run_linux(Sdk(kind, server.endpoint), KeyPairName=created_name)
    det = client.detach_key_pair(m.DetachKeyPairRequest(
        region_id=REGION, key_pair_name=created_name, instance_ids=json.dumps([instance])))
    assert int(det.body.total_count) == 1 and int(det.body.fail_count) == 0
    [res] = det.body.results.result
    assert (res.instance_id, res.code, res.success) == (instance, "200", "true")
    att = client.attach_key_pair(m.AttachKeyPairRequest(
        region_id=REGION, key_pair_name=imported_name, instance_ids=json.dumps([instance])))
    assert att.body.results.result[0].success == "true"

    with pytest.raises(ClientException) as info:
        client.delete_key_pairs(m.DeleteKeyPairsRequest(region_id=REGION, key_pair_names=json.dumps([imported_name])))
    assert (info.value.code, info.value.status_code) == ("InvalidParameter.KeypairAlreadyAttachedInstance", 400)
    client.detach_key_pair(m.DetachKeyPairRequest(region_id=REGION, key_pair_name=imported_name,
                                                  instance_ids=json.dumps([instance])))
    rdel = client.delete_key_pairs(m.DeleteKeyPairsRequest(region_id=REGION,
                                                           key_pair_names=json.dumps([created_name, imported_name])))
    assert rdel.status_code == 200 and rdel.body.request_id
    assert client.describe_key_pairs(m.DescribeKeyPairsRequest(region_id=REGION, key_pair_name=created_name)).body.total_count == 0

    with pytest.raises(ClientException) as info:
        client.describe_key_pairs(m.DescribeKeyPairsRequest(region_id=REGION, page_number=0))
    assert (info.value.code, info.value.status_code) == ("InvalidParameter", 400)


def test_typed_old_sdk_requests(server, keys, ssh_keys):
    from aliyunsdkcore.acs_exception.exceptions import ServerException
    from aliyunsdkecs.request.v20140526.AttachKeyPairRequest import AttachKeyPairRequest
    from aliyunsdkecs.request.v20140526.CreateKeyPairRequest import CreateKeyPairRequest
    from aliyunsdkecs.request.v20140526.DeleteKeyPairsRequest import DeleteKeyPairsRequest
    from aliyunsdkecs.request.v20140526.DescribeKeyPairsRequest import DescribeKeyPairsRequest
    from aliyunsdkecs.request.v20140526.DetachKeyPairRequest import DetachKeyPairRequest
    from aliyunsdkecs.request.v20140526.ImportKeyPairRequest import ImportKeyPairRequest

    client = old_client(server.endpoint)
    call = lambda req: json.loads(client.do_action_with_exception(req))
    tag_key, tag_value = "old-" + uuid.uuid4().hex[:8], "sp ace*~é"

    name = keys.track(unique("old"))
    req = CreateKeyPairRequest()
    req.set_KeyPairName(name)
    req.set_Tags([{"Key": tag_key, "Value": tag_value}])
    created = call(req)
    assert created["KeyPairName"] == name and KEY_PAIR_ID.match(created["KeyPairId"])
    assert created["PrivateKeyBody"].startswith("-----BEGIN RSA PRIVATE KEY-----")

    imported = keys.track(unique("old"))
    k = ssh_keys["ssh-rsa"]
    req = ImportKeyPairRequest()
    req.set_KeyPairName(imported)
    req.set_PublicKeyBody(k.line)
    assert call(req)["KeyPairFingerPrint"] == k.md5

    req = DescribeKeyPairsRequest()
    req.set_IncludePublicKey(True)
    req.set_Tags([{"Key": tag_key, "Value": tag_value}])
    listed = call(req)
    assert listed["TotalCount"] == 1
    item = listed["KeyPairs"]["KeyPair"][0]
    assert item["KeyPairName"] == name and item["PublicKey"].startswith("ssh-rsa ")
    assert item["Tags"]["Tag"] == [{"TagKey": tag_key, "TagValue": tag_value}]

    [instance] = run_linux(Sdk("old", server.endpoint), KeyPairName=name)
    req = AttachKeyPairRequest()
    req.set_KeyPairName(imported)
    req.set_InstanceIds(json.dumps([instance]))
    attached = call(req)
    assert attached["TotalCount"] == "1" and attached["Results"]["Result"][0]["Success"] == "true"
    req = DetachKeyPairRequest()
    req.set_KeyPairName(imported)
    req.set_InstanceIds(json.dumps([instance]))
    detached = call(req)
    assert detached["FailCount"] == "0" and detached["Results"]["Result"][0]["Code"] == "200"

    req = CreateKeyPairRequest()
    req.set_KeyPairName(name)
    with pytest.raises(ServerException) as info:
        client.do_action_with_exception(req)
    assert (info.value.get_error_code(), info.value.get_http_status()) == ("KeyPair.AlreadyExist", 400)

    req = DeleteKeyPairsRequest()
    req.set_KeyPairNames(json.dumps([name, imported]))
    assert set(call(req)) == {"RequestId"}
    req = DescribeKeyPairsRequest()
    req.set_KeyPairName(name)
    assert call(req)["TotalCount"] == 0
