"""Shared fixtures: a live `localecs serve` and the official SDKs pointed at it.

Every test talks HTTP to a real server process through unmodified official clients:
- "v3":  alibabacloud-ecs20140526 / tea-openapi in its default ACS3-HMAC-SHA256 mode,
- "v1":  the same SDK with signature_algorithm="v2" (HMAC-SHA1 query signing),
- "old": aliyun-python-sdk-core's AcsClient (HMAC-SHA1, Format=JSON).
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import signal
import subprocess
import threading
import time
import uuid

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("LOCALECS_BIN", REPO / ".build" / "release" / "localecs"))
REGION = "cn-hangzhou"
ACCOUNT_ID = "1000000000000042"
AK = "LTAI5tTestRootKey0001"
SECRET = "TestRootSecret0123456789abcdef"
LINUX_IMAGE = "ubuntu_22_04_x64_20G_alibase_20240101.vhd"
LINUX_IMAGE_2 = "aliyun_3_x64_20G_alibase_20240819.vhd"
WINDOWS_IMAGE = "win2022_21H2_x64_dtc_en-us_40G_alibase_20240815.vhd"
INSTANCE_TYPE = "ecs.g7.large"


class Server:
    """A `localecs serve` process on a free port; stop() sends SIGTERM, kill() SIGKILL."""

    def __init__(self, store: str, *, env: dict | None = None, args: list[str] | None = None):
        self.store = store
        self.env = {**os.environ, "LOCALECS_ACCOUNT_ID": ACCOUNT_ID, "LOCALECS_ACCESS_KEY_ID": AK,
                    "LOCALECS_ACCESS_KEY_SECRET": SECRET, "LOCALECS_LOG_LEVEL": "warning",
                    # SSH endpoints only where a test asks for them (test_ssh.py): two servers on
                    # stores numbered alike would otherwise compete for the same addresses.
                    "LOCALECS_SSH": "off", **(env or {})}
        self.args = args or []
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self.output: list[str] = []

    def start(self, port: int = 0) -> "Server":
        if not BIN.exists():
            raise RuntimeError(f"{BIN} is missing: run `swift build -c release` first (scripts/test does), or set LOCALECS_BIN")
        self.proc = subprocess.Popen([str(BIN), "serve", "--port", str(port), "--store", self.store, *self.args],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=self.env, text=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.output.append(line)
            m = re.search(r"LocalECS listening on http://[^:]+:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                threading.Thread(target=self._drain, daemon=True).start()
                return self
        raise RuntimeError("server did not start:\n" + "".join(self.output))

    def _drain(self):
        for line in self.proc.stdout:
            self.output.append(line)

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, sig=signal.SIGTERM, timeout=15) -> int:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            return self.proc.wait(timeout=timeout)
        return self.proc.returncode if self.proc else 0

    def kill(self) -> int:
        return self.stop(signal.SIGKILL)

    def restart(self) -> "Server":
        port = self.port
        self.stop()
        return self.start(port)


class ApiError(Exception):
    """An ECS error as any of the SDKs reported it, normalised."""

    def __init__(self, code, status, message, request_id, raw):
        super().__init__(f"{status} {code}: {message}")
        self.code, self.status, self.message, self.request_id, self.raw = code, status, message, request_id, raw


def _flatten(params: dict) -> dict:
    out = {}
    for k, v in params.items():
        if v is None:
            continue
        out[k] = str(v) if not isinstance(v, str) else v   # str(True) == "True", as both Python SDKs send
    return out


class Sdk:
    """Calls any ECS action through one official client, returning the JSON body as a dict."""

    def __init__(self, kind: str, endpoint: str, ak: str = AK, secret: str = SECRET, version: str = "2014-05-26"):
        self.kind, self.endpoint, self.ak, self.secret, self.version = kind, endpoint, ak, secret, version
        if kind in ("v3", "v1"):
            from alibabacloud_tea_openapi.client import Client as OpenApiClient
            from alibabacloud_tea_openapi import utils_models as om
            cfg = om.Config(access_key_id=ak, access_key_secret=secret, endpoint=endpoint, protocol="http",
                            region_id=REGION, read_timeout=30000)
            if kind == "v1":
                cfg.signature_algorithm = "v2"
            self.client = OpenApiClient(cfg)
        else:
            from aliyunsdkcore.client import AcsClient
            self.client = AcsClient(ak, secret, REGION, timeout=30)

    def call(self, action: str, **params) -> dict:
        q = _flatten(params)
        if self.kind in ("v3", "v1"):
            from alibabacloud_tea_openapi import utils_models as om
            from alibabacloud_tea_openapi.utils import Utils
            from darabonba.runtime import RuntimeOptions
            from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
            p = om.Params(action=action, version=self.version, protocol="HTTP", pathname="/", method="POST",
                          auth_type="AK", style="RPC", req_body_type="formData", body_type="json")
            try:
                resp = self.client.call_api(p, om.OpenApiRequest(query=Utils.query(q)), RuntimeOptions())
            except AlibabaCloudException as e:
                data = getattr(e, "data", None) or {}
                raise ApiError(e.code, getattr(e, "status_code", None) or data.get("statusCode"), data.get("Message"),
                               getattr(e, "request_id", None), data) from None
            assert resp["statusCode"] == 200
            return resp["body"]
        from aliyunsdkcore.request import CommonRequest
        from aliyunsdkcore.acs_exception.exceptions import ServerException
        r = CommonRequest(domain=self.endpoint, version=self.version, action_name=action)
        r.set_method("POST")
        r.set_protocol_type("http")
        r.set_accept_format("JSON")
        for k, v in q.items():
            r.add_query_param(k, v)
        try:
            return json.loads(self.client.do_action_with_exception(r))
        except ServerException as e:
            raise ApiError(e.get_error_code(), e.get_http_status(), e.get_error_msg(), e.get_request_id(), None) from None


def unique(prefix: str = "kp") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One server for the session, with instant instance transitions: on a real SQLite file, or on
    the store LOCALECS_TEST_STORE names (e.g. `postgres://…`, to run the suite on PostgreSQL)."""
    store = os.environ.get("LOCALECS_TEST_STORE") or f"sqlite:{tmp_path_factory.mktemp('store') / 'localecs.sqlite'}"
    s = Server(store, args=["--transition-delay", "0"]).start()
    yield s
    s.stop()


@pytest.fixture(params=["v3", "v1", "old"])
def sdk(request, server) -> Sdk:
    """The same test through each official client."""
    return Sdk(request.param, server.endpoint)


@pytest.fixture
def v3(server) -> Sdk:
    return Sdk("v3", server.endpoint)


def ecs_client(endpoint: str, kind: str = "v3", ak: str = AK, secret: str = SECRET):
    """The typed new-SDK client (alibabacloud_ecs20140526.client.Client)."""
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi import utils_models as om
    cfg = om.Config(access_key_id=ak, access_key_secret=secret, endpoint=endpoint, protocol="http", region_id=REGION)
    if kind == "v1":
        cfg.signature_algorithm = "v2"
    return Client(cfg)


def old_client(endpoint: str, ak: str = AK, secret: str = SECRET):
    """The old SDK's AcsClient, pointed at the server for REGION, as clients.md §4.2 shows."""
    from aliyunsdkcore.client import AcsClient
    c = AcsClient(ak, secret, REGION)
    c.add_endpoint(REGION, "Ecs", endpoint)
    return c


def run_linux(sdk: Sdk, amount: int = 1, **extra) -> list[str]:
    body = sdk.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, Amount=amount, **extra)
    return body["InstanceIdSets"]["InstanceIdSet"]


def wait_available(status, what: str = "the resource", timeout: float = 30) -> None:
    """Polls `status()` until it returns "Available" (VPCs and vSwitches leave Pending after a step)."""
    deadline = time.time() + timeout
    while status() != "Available":
        assert time.time() < deadline, f"{what} not Available after {timeout:g} s"
        time.sleep(0.05)


def wait_status(sdk: Sdk, instance_id: str, status: str, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        body = sdk.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps([instance_id]))
        items = body["Instances"]["Instance"]
        if items and items[0]["Status"] == status:
            return
        time.sleep(0.05)
    raise AssertionError(f"{instance_id} did not reach {status}")


def admin_instance(server: Server, instance_id: str) -> dict | None:
    """The login facts LocalECS keeps for an instance (`GET /_localecs/instances/{id}`); None when
    the server says it does not exist (404 InvalidInstanceId.NotFound). Anything else raises: a
    store failure must not pass for "no such instance"."""
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(f"{server.url}/_localecs/instances/{instance_id}", timeout=10) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        if e.code == 404 and json.loads(e.read() or b"{}").get("Code") == "InvalidInstanceId.NotFound":
            return None
        raise


def cli_instance_show(server: Server, instance_id: str) -> dict[str, str]:
    """`localecs instances show ID --store …` parsed into {field: value} (the CLI prints "-" for none)."""
    p = subprocess.run([str(BIN), "instances", "show", instance_id, "--store", server.store],
                       capture_output=True, text=True, timeout=60, env=server.env)
    assert p.returncode == 0, f"localecs instances show exited {p.returncode}: {p.stderr[:1500]}"
    out = {}
    for line in p.stdout.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip()] = value.strip()
    return out


def describe_one(sdk: Sdk, instance_id: str) -> dict | None:
    """The instance's DescribeInstances item, or None when it is not listed."""
    items = sdk.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps([instance_id]))["Instances"]["Instance"]
    return items[0] if items else None


_SHARED_VPCS: dict[tuple[str, str], str] = {}


def shared_vpc(endpoint: str, label: str) -> str:
    """A real VPC (VPC API 2016-04-28), made once per server and label and reused after: a security
    group's VpcId must name one, and a region holds at most 10 VPCs per account."""
    key = (endpoint, label)
    vpc = Sdk("v3", endpoint, version="2016-04-28")
    # A later server may get the same port: the cached VPC must still exist there.
    if key in _SHARED_VPCS and not vpc.call("DescribeVpcs", RegionId=REGION, VpcId=_SHARED_VPCS[key])["Vpcs"]["Vpc"]:
        del _SHARED_VPCS[key]
    if key not in _SHARED_VPCS:
        vpc_id = vpc.call("CreateVpc", RegionId=REGION, CidrBlock="172.16.0.0/12", VpcName="shared-" + label)["VpcId"]
        deadline = time.time() + 30
        while vpc.call("DescribeVpcs", RegionId=REGION, VpcId=vpc_id)["Vpcs"]["Vpc"][0]["Status"] != "Available":
            assert time.time() < deadline, f"{vpc_id} not Available after 30 s"
            time.sleep(0.05)
        _SHARED_VPCS[key] = vpc_id
    return _SHARED_VPCS[key]
