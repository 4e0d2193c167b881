"""Issue 9 "Hardening" through the official SDKs and the real binary: request values that
used to trap the process, oversized requests, the start-up rules for non-loopback addresses,
the admin token, a changed root secret, private data files."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import urllib.error
import urllib.request

import pytest

from conftest import AK, BIN, REGION, SECRET, ApiError, Sdk, Server, unique


def expect_error(fn, code: str, status: int) -> ApiError:
    with pytest.raises(ApiError) as info:
        fn()
    e = info.value
    assert (e.code, int(e.status)) == (code, status), f"got {e.status} {e.code}: {e.message}"
    return e


# A page number whose offset overflows used to trap: the whole server exited.
@pytest.mark.parametrize("action", ["DescribeKeyPairs", "DescribeInstances", "DescribeImages", "DescribeInstanceStatus"])
def test_huge_page_numbers_are_refused_and_the_server_lives(sdk, server, action):
    e = expect_error(lambda: sdk.call(action, RegionId=REGION, PageNumber="1000000000000000000", PageSize=50),
                     "InvalidParameter", 400)
    assert e.message.startswith('The specified parameter "PageNumber" is not valid.'), e.message
    assert "1 to 2147483647" in e.message
    assert server.proc.poll() is None
    assert "Regions" in sdk.call("DescribeRegions")


def expect_limit(fn, parser_detail: str) -> ApiError:
    """An oversized request is refused with InvalidParameter naming the limit: 400 from the
    parameter parser when it arrives as a form body, 414 (or 431) from the HTTP layer when the SDK
    put it all in the URL (as the SDKs do for RPC calls)."""
    with pytest.raises(ApiError) as info:
        fn()
    e = info.value
    assert e.code == "InvalidParameter", f"got {e.status} {e.code}: {e.message}"
    if int(e.status) in (414, 431):      # 431 when the URL also overflows the decoder's head limit
        assert "16384" in e.message, e.message
    else:
        assert int(e.status) == 400 and parser_detail in e.message, e.message
    return e


def post_form(server, params: dict) -> tuple[int, dict]:
    """A correctly V1-signed POST whose parameters all travel in the form body."""
    from conftest import AK, SECRET
    from rawsign import post_form as signed_post
    return signed_post(server.url, AK, SECRET, params)


def test_thousands_of_parameters_get_a_400_naming_the_limit(sdk, server):
    expect_limit(lambda: sdk.call("DescribeRegions", **{f"Junk{i}": "v" for i in range(2000)}), "at most 500")
    status, body = post_form(server, {"Action": "DescribeRegions", **{f"Junk{i}": "v" for i in range(2000)}})
    assert (status, body["Code"]) == (400, "InvalidParameter") and "at most 500" in body["Message"], body


def test_a_long_value_gets_a_400_naming_the_limit(sdk, server):
    expect_limit(lambda: sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName="k" * 50_000), "49152")
    status, body = post_form(server, {"Action": "DescribeKeyPairs", "RegionId": REGION, "KeyPairName": "k" * 50_000})
    assert (status, body["Code"]) == (400, "InvalidParameter"), body
    assert "KeyPairName" in body["Message"] and "49152" in body["Message"], body


# ---------------------------------------------------------------------------- start-up and exposure

def plain_env(**extra) -> dict:
    """The environment without any LOCALECS_* setting of the caller's, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCALECS_")}
    return {**env, "LOCALECS_LOG_LEVEL": "notice", **extra}


def test_refuses_a_non_loopback_address_with_the_default_secret(tmp_path):
    p = subprocess.run([str(BIN), "serve", "--host", "0.0.0.0", "--port", "0", "--store", f"sqlite:{tmp_path / 'x.sqlite'}"],
                       capture_output=True, text=True, timeout=60, env=plain_env())
    assert p.returncode != 0
    assert "--allow-default-credentials" in p.stderr + p.stdout
    assert not (tmp_path / "x.sqlite").exists()


def admin_get(server: Server, path: str, token: str | None = None, method: str = "GET") -> int:
    req = urllib.request.Request(f"{server.url}{path}", method=method,
                                 headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_non_loopback_admin_routes_need_the_token(tmp_path):
    s = Server(f"sqlite:{tmp_path / 'x.sqlite'}", args=["--host", "0.0.0.0", "--admin-token", "adm-" + "7" * 20]).start()
    try:
        ids = Sdk("v3", s.endpoint).call("RunInstances", RegionId=REGION, ImageId="ubuntu_22_04_x64_20G_alibase_20240101.vhd",
                                         InstanceType="ecs.g7.large")["InstanceIdSets"]["InstanceIdSet"]
        assert admin_get(s, f"/_localecs/instances/{ids[0]}") == 401
        assert admin_get(s, f"/_localecs/instances/{ids[0]}", "wrong") == 401
        assert admin_get(s, f"/_localecs/instances/{ids[0]}", "adm-" + "7" * 20) == 200
        assert admin_get(s, "/_localecs/health") == 200
        # The state routes sit behind the same gate: no token, no reset and no export.
        assert admin_get(s, "/_localecs/state") == 401
        assert admin_get(s, "/_localecs/reset", method="POST") == 401
        assert admin_get(s, f"/_localecs/instances/{ids[0]}", "adm-" + "7" * 20) == 200, "a refused reset changed nothing"
        assert admin_get(s, "/_localecs/state", "adm-" + "7" * 20) == 200
    finally:
        s.stop()


def test_default_credentials_on_a_non_loopback_address_when_asked(tmp_path):
    s = Server(f"sqlite:{tmp_path / 'x.sqlite'}", env=plain_env(), args=["--host", "0.0.0.0", "--allow-default-credentials"])
    s.env = plain_env()
    s.start()
    try:
        # No admin token: closed beyond loopback.
        assert admin_get(s, "/_localecs/instances/i-x") == 403
    finally:
        s.stop()


def test_a_changed_root_secret_is_applied_on_restart(tmp_path):
    store = f"sqlite:{tmp_path / 'x.sqlite'}"
    a = Server(store, env={"LOCALECS_ACCESS_KEY_SECRET": "SecretA-0123456789"}).start()
    try:
        for kind in ("v3", "v1", "old"):
            Sdk(kind, a.endpoint, secret="SecretA-0123456789").call("DescribeRegions")
    finally:
        a.stop()
    b = Server(store, env={"LOCALECS_ACCESS_KEY_SECRET": "SecretB-0123456789", "LOCALECS_LOG_LEVEL": "notice"}).start()
    try:
        for kind in ("v3", "v1", "old"):
            Sdk(kind, b.endpoint, secret="SecretB-0123456789").call("DescribeRegions")
            expect_error(lambda: Sdk(kind, b.endpoint, secret="SecretA-0123456789").call("DescribeRegions"),
                         "SignatureDoesNotMatch", 400)
        assert any("replaces it" in line for line in b.output), "".join(b.output)
    finally:
        b.stop()


def test_data_files_are_private(tmp_path):
    # Only the default data folder is created by LocalECS (0700: test_newcomer checks it); the
    # files are LocalECS's wherever they are.
    data = tmp_path / "fresh" / "data"
    data.mkdir(parents=True)
    s = Server(f"sqlite:{data / 'localecs.sqlite'}").start()
    try:
        Sdk("v3", s.endpoint).call("CreateKeyPair", RegionId=REGION, KeyPairName=unique())
        files = sorted(p.name for p in data.iterdir())
        for name in ("localecs.sqlite", "localecs.sqlite-wal", "localecs.sqlite-nonces", "localecs.sqlite-nonces-wal",
                     "localecs.sqlite-nonces2", "localecs.sqlite-audit"):
            assert name in files, files
        for name in files:
            assert stat.S_IMODE(os.stat(data / name).st_mode) == 0o600, (name, oct(os.stat(data / name).st_mode))
    finally:
        s.stop()
