"""A newcomer's first mistakes get answers that say what to do (issue: a newcomer's first hour).

Each test makes one mistake a new user makes: a busy port, a store path whose folder is missing or
not writable, a CLI command run from the wrong folder, a wrong secret, a malformed InstanceIds.
"""
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from conftest import AK, BIN, REGION, SECRET, ApiError, Sdk, Server
from rawsign import utc_timestamp, v1_signature


def run_cli(*args, cwd=None, env=None, timeout=60, user=None, binary=None):
    cmd = [str(binary or BIN), *args]
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          env={**os.environ, **(env or {})})


def test_busy_port_names_the_address_and_the_flag(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        p = run_cli("serve", "--port", str(port), "--store", "memory")
    assert p.returncode != 0
    err = p.stdout + p.stderr
    assert f"127.0.0.1:{port}" in err and "already in use" in err and "--port" in err, err
    assert "bind(descriptor" not in err, err


def test_store_in_a_missing_folder_is_refused_and_nothing_is_created(tmp_path):
    missing = tmp_path / "no-such-dir" / "deeper"
    p = run_cli("serve", "--port", "0", "--store", f"sqlite:{missing}/x.sqlite", timeout=30)
    assert p.returncode != 0
    err = p.stdout + p.stderr
    assert "--store" in err and str(missing) in err and "does not exist" in err, err
    assert not (tmp_path / "no-such-dir").exists()


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("runuser") is None,
                    reason="needs root and runuser to run the server as another user")
def test_store_in_a_folder_not_writable_by_the_user_is_refused_in_words(tmp_path):
    # pytest's own temporary folders are private to root: use one that nobody may search.
    base = pathlib.Path(tempfile.mkdtemp(prefix="localecs-locked-", dir="/tmp"))
    os.chmod(base, 0o755)
    locked = base / "locked"
    locked.mkdir(mode=0o755)          # root's, not writable by nobody
    # The checkout may sit in a folder nobody cannot enter (a private temp clone): run a copy.
    binary = base / "localecs"
    shutil.copy2(BIN, binary)
    os.chmod(binary, 0o755)
    p = run_cli("serve", "--port", "0", "--store", f"sqlite:{locked}/x.sqlite", user="nobody", timeout=30, binary=binary)
    assert p.returncode != 0
    err = p.stdout + p.stderr
    assert "--store" in err and "not writable" in err and str(locked) in err, err
    assert "NSCocoaErrorDomain" not in err, err
    shutil.rmtree(base)


def test_the_default_data_folder_is_created_private(tmp_path):
    s = Server("sqlite:./localecs-data/localecs.sqlite")
    s.env = {**s.env}
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        s.start()
    finally:
        os.chdir(old)
    try:
        assert (tmp_path / "localecs-data" / "localecs.sqlite").exists()
        assert (tmp_path / "localecs-data").stat().st_mode & 0o777 == 0o700
        ready = "".join(s.output)
        assert f"store: sqlite:{tmp_path}/localecs-data/localecs.sqlite" in ready, ready
    finally:
        s.stop()


def test_cli_from_another_folder_names_the_absolute_store_and_creates_nothing(tmp_path):
    p = run_cli("instances", "show", "i-doesnotmatter", cwd=tmp_path)
    assert p.returncode != 0
    err = p.stdout + p.stderr
    assert f"{tmp_path}/localecs-data/localecs.sqlite" in err and "--store" in err, err
    assert not (tmp_path / "localecs-data").exists()
    for args in (["users", "create", "dev"], ["accounts", "create"]):
        p = run_cli(*args, cwd=tmp_path)
        assert p.returncode != 0 and not (tmp_path / "localecs-data").exists(), p.stdout + p.stderr


def test_cli_refuses_a_memory_store_in_words(tmp_path):
    p = run_cli("instances", "show", "i-x", "--store", "memory")
    assert p.returncode != 0
    assert "running server" in p.stdout + p.stderr


def test_cli_names_the_store_when_the_instance_is_not_there(server):
    p = run_cli("instances", "show", "i-nosuchinstance", "--store", server.store, env=server.env)
    assert p.returncode != 0
    err = p.stdout + p.stderr
    assert "no instance i-nosuchinstance in" in err, err
    if server.store.startswith("sqlite:"):
        assert server.store.removeprefix("sqlite:") in err


def _raw_v1(server, params: dict, secret: str = SECRET):
    p = {"Format": "JSON", "Version": "2014-05-26", "AccessKeyId": AK, "SignatureMethod": "HMAC-SHA1",
         "SignatureVersion": "1.0", "SignatureNonce": uuid.uuid4().hex, "Timestamp": utc_timestamp(), **params}
    p["Signature"] = v1_signature("GET", p, secret)
    url = f"{server.url}/?{urllib.parse.urlencode(p)}"
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@pytest.fixture(scope="module")
def info_server(tmp_path_factory):
    """A server logging at the default level (the session server logs warnings only)."""
    s = Server(f"sqlite:{tmp_path_factory.mktemp('info') / 'x.sqlite'}", env={"LOCALECS_LOG_LEVEL": "debug"}).start()
    yield s
    s.stop()


def _log_line_for(server, request_id: str, timeout: float = 5) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        for line in list(server.output):
            if request_id in line and "account=" in line:
                return line
        time.sleep(0.05)
    raise AssertionError(f"no log line for {request_id}:\n" + "".join(server.output[-20:]))


def test_a_refused_request_is_logged_with_its_code_and_the_string_to_sign(info_server):
    status, body = _raw_v1(info_server, {"Action": "DescribeKeyPairs", "RegionId": REGION}, secret="wrong-secret")
    assert status == 400 and body["Code"] == "SignatureDoesNotMatch"
    line = _log_line_for(info_server, body["RequestId"])
    assert "DescribeKeyPairs" in line and "SignatureDoesNotMatch" in line and AK in line, line
    assert re.search(r"ms=\d+\.\d\d", line), line
    server_sts = body["Message"].split("server string to sign is:", 1)[1]
    assert any("string to sign" in l and server_sts in l for l in info_server.output), "no debug line with the string to sign"


def test_a_successful_request_is_logged_with_account_and_latency(info_server):
    status, body = _raw_v1(info_server, {"Action": "DescribeKeyPairs", "RegionId": REGION})
    assert status == 200
    line = _log_line_for(info_server, body["RequestId"])
    assert "DescribeKeyPairs 200 OK" in line and "account=" in line and "ms=" in line, line


def test_ecs_messages_stay_ecs_own_and_the_hint_goes_to_recommend(server):
    status, body = _raw_v1(server, {"Action": "DetachKeyPair", "RegionId": REGION, "KeyPairName": "x",
                                    "InstanceIds": "i-notjson"})
    assert status == 400 and body["Code"] == "InvalidInstanceIds.ValueNotSupported"
    assert body["Message"] == "The specified parameter InstanceIds is not valid."
    assert "JSON array" in body["Recommend"] and "api.aliyun.com/troubleshoot" in body["Recommend"]
    # Through an official SDK, the code and message are what a user matches on.
    with pytest.raises(ApiError) as e:
        Sdk("v3", server.endpoint).call("DetachKeyPair", RegionId=REGION, KeyPairName="x", InstanceIds="i-notjson")
    assert e.value.code == "InvalidInstanceIds.ValueNotSupported"
