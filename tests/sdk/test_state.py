"""Reset, export and import (issue 16): the admin routes, the CLI, `serve --state`.

Every test here runs its own server on a private SQLite file (a reset of the session server, or
of a PostgreSQL database the other suites share, would wipe the other tests' state)."""
from __future__ import annotations

import json
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import (ACCOUNT_ID, AK, BIN, INSTANCE_TYPE, LINUX_IMAGE, REGION, ApiError, Sdk, Server, admin_instance,
                      run_linux, shared_vpc, unique)
from test_signatures import v1_send, v1_signed


@pytest.fixture
def own(tmp_path):
    s = Server(f"sqlite:{tmp_path / 'state.sqlite'}", args=["--transition-delay", "0"],
               env={"LOCALECS_KEYPAIR_QUOTA": "20"}).start()
    yield s
    s.stop()


def admin(server, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(server.url + path, data=body, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def estate_bytes(server, account: str | None = None) -> bytes:
    status, body = admin(server, "GET", "/_localecs/state" + (f"?account={account}" if account else ""))
    assert status == 200, body
    return body


def populate(v3: Sdk) -> list[str]:
    """A little of everything: key pairs (one tagged), instances running, stopped and bound (with
    data disks), a security group with a rule and an instance in it, RAM."""
    v3.call("CreateKeyPair", RegionId=REGION, KeyPairName="kp-a", **{"Tag.1.Key": "env", "Tag.1.Value": "ci"})
    v3.call("CreateKeyPair", RegionId="cn-shanghai", KeyPairName="kp-b")
    ids = run_linux(v3, 2, KeyPairName="kp-a", **{"DataDisk.1.Size": "50", "DataDisk.1.DiskName": "logs",
                                                  "DataDisk.2.Category": "cloud_essd", "DataDisk.2.Size": "100"})
    v3.call("StopInstance", InstanceId=ids[1])
    gid = v3.call("CreateSecurityGroup", RegionId=REGION, SecurityGroupName="web",
                  VpcId=shared_vpc(v3.endpoint, "state"))["SecurityGroupId"]
    v3.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, IpProtocol="tcp", PortRange="22/22",
            SourceCidrIp="0.0.0.0/0", Priority="3", Description="ssh")
    v3.call("JoinSecurityGroup", SecurityGroupId=gid, InstanceId=ids[0])
    ram = Sdk("v3", v3.endpoint, version="2015-05-01")
    ram.call("CreateUser", UserName="alice")
    ram.call("CreatePolicy", PolicyName="ro", PolicyDocument=json.dumps(
        {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:Describe*", "Resource": "*"}]}))
    ram.call("AttachPolicyToUser", PolicyType="Custom", PolicyName="ro", UserName="alice")
    ram.call("CreateAccessKey", UserName="alice")
    return ids


def test_export_import_export_is_byte_identical(own, tmp_path):
    v3 = Sdk("v3", own.endpoint)
    ids = populate(v3)
    time.sleep(0.05)  # let the stopped instance settle
    first = estate_bytes(own)
    doc = json.loads(first)
    assert doc["format"] == "localecs-estate/1"
    (acct,) = doc["accounts"]
    assert acct["id"] == ACCOUNT_ID
    assert sorted(k["name"] for k in acct["keyPairs"]) == ["kp-a", "kp-b"]
    assert [u["name"] for u in acct["users"]] == ["alice"]
    [group] = acct["securityGroups"]
    assert (group["name"], group["vpcId"], group["rules"][0]["priority"]) == ("web", shared_vpc(own.endpoint, "state"), 3)
    assert [i.get("securityGroupIds") for i in sorted(acct["instances"], key=lambda i: ids.index(i["id"]))] == [[group["id"]], None]
    assert [[(d["index"], d["category"], d["size"], d["name"], d["device"]) for d in i["dataDisks"]] for i in acct["instances"]] == \
        [[(1, "cloud_efficiency", 50, "logs", "/dev/xvdb"), (2, "cloud_essd", 100, "", "/dev/xvdc")]] * 2

    # Over HTTP: replace the state by its own export.
    status, body = admin(own, "PUT", "/_localecs/state?replace=true", first)
    assert status == 200, body
    assert estate_bytes(own) == first
    # IDs, logins and statuses survive.
    assert sorted(i["InstanceId"] for i in v3.call("DescribeInstances", RegionId=REGION)["Instances"]["Instance"]) == sorted(ids)
    assert admin_instance(own, ids[0])["Status"] == "Running"
    assert admin_instance(own, ids[0])["EffectiveKeyPair"] == "kp-a"
    assert admin_instance(own, ids[1])["Status"] == "Stopped"
    [g] = v3.call("DescribeSecurityGroups", RegionId=REGION)["SecurityGroups"]["SecurityGroup"]
    assert (g["SecurityGroupId"], g["EcsCount"], g["RuleCount"]) == (group["id"], 1, 1)
    data = v3.call("DescribeDisks", RegionId=REGION, DiskType="data", PageSize=100)["Disks"]["Disk"]
    assert sorted((d["DiskId"], d["DiskName"], d["Size"]) for d in data) == \
        sorted((f"d-{i[2:]}-{n}", name, size) for i in ids for n, name, size in ((1, "logs", 50), (2, "", 100)))

    # From the CLI, into another store, and back out: the same bytes.
    path = tmp_path / "estate.json"
    path.write_bytes(first)
    other = f"sqlite:{tmp_path / 'other.sqlite'}"
    p = subprocess.run([str(BIN), "state", "import", str(path), "--store", other], capture_output=True, text=True, env=own.env)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("imported ")
    p = subprocess.run([str(BIN), "state", "export", "--store", other], capture_output=True, env=own.env)
    assert p.returncode == 0, p.stderr
    assert p.stdout == first

    # serve --state: a memory store loaded before the ready line.
    fixture = Server("memory", args=["--transition-delay", "0", "--state", str(path)]).start()
    try:
        assert estate_bytes(fixture) == first
        assert Sdk("v3", fixture.endpoint).call("DescribeKeyPairs", RegionId=REGION)["TotalCount"] == 1
    finally:
        fixture.stop()


def test_reset_empties_the_state_and_keeps_the_root_key(own):
    v3 = Sdk("v3", own.endpoint)
    populate(v3)
    status, body = admin(own, "POST", "/_localecs/reset")
    assert (status, json.loads(body)) == (200, {"Reset": "all"})
    assert v3.call("DescribeKeyPairs", RegionId=REGION)["TotalCount"] == 0
    assert v3.call("DescribeInstances", RegionId=REGION)["TotalCount"] == 0
    assert v3.call("DescribeSecurityGroups", RegionId=REGION)["TotalCount"] == 0
    assert v3.call("DescribeDisks", RegionId=REGION, DiskType="all")["TotalCount"] == 0
    doc = json.loads(estate_bytes(own))
    assert all("securityGroups" not in a for a in doc["accounts"])
    assert [(a["id"], [k["id"] for k in a["accessKeys"]], a["users"], a["keyPairs"]) for a in doc["accounts"]] \
        == [(ACCOUNT_ID, [AK], [], [])]


def test_reset_of_one_account(own):
    v3 = Sdk("v3", own.endpoint)
    populate(v3)
    status, body = admin(own, "POST", f"/_localecs/reset?account={ACCOUNT_ID}")
    assert (status, json.loads(body)) == (200, {"Reset": ACCOUNT_ID})
    assert v3.call("DescribeKeyPairs", RegionId="cn-shanghai")["TotalCount"] == 0
    assert v3.call("DescribeSecurityGroups", RegionId=REGION)["TotalCount"] == 0
    assert Sdk("v3", own.endpoint, version="2015-05-01").call("ListUsers")["Users"]["User"] == []


def test_bad_requests_get_clear_errors(own):
    def error(method, path, body=None):
        status, raw = admin(own, method, path, body)
        return status, json.loads(raw)["Code"], json.loads(raw)["Message"]

    assert error("POST", "/_localecs/reset?account=9999999999999999")[:2] == (404, "InvalidAccount.NotFound")
    assert error("POST", "/_localecs/reset?account=abc")[:2] == (400, "InvalidParameter")
    assert error("GET", "/_localecs/state?account=9999999999999999")[:2] == (404, "InvalidAccount.NotFound")
    assert error("PUT", "/_localecs/state", b"{not json")[:2] == (400, "InvalidEstate.Malformed")
    s, code, msg = error("PUT", "/_localecs/state", b'{"format":"localecs-estate/99","accounts":[]}')
    assert (s, code) == (400, "InvalidEstate.Format") and "localecs-estate/1" in msg
    s, code, msg = error("PUT", "/_localecs/state", b'{"format":"localecs-estate/1","accounts":[{"id":"1"}]}')
    assert (s, code) == (400, "InvalidEstate.Malformed") and "accounts[0]" in msg
    assert error("PUT", "/_localecs/state?replace=maybe", b"{}")[:2] == (400, "InvalidParameter")
    Sdk("v3", own.endpoint).call("CreateKeyPair", RegionId=REGION, KeyPairName="kp-x")
    s, code, msg = error("PUT", "/_localecs/state", estate_bytes(own))
    assert (s, code) == (409, "StateNotEmpty") and "replace" in msg
    # A data disk whose size or index is out of bounds is refused before anything is written.
    v3 = Sdk("v3", own.endpoint)
    run_linux(v3, 1, **{"DataDisk.1.Size": "20"})
    doc = json.loads(estate_bytes(own))
    for field, value, says in (("size", 10**12, "size must be 1 to 65536"), ("index", 17, "index must be 1 to 16")):
        bad = json.loads(json.dumps(doc))
        bad["accounts"][0]["instances"][0]["dataDisks"][0][field] = value
        s, code, msg = error("PUT", "/_localecs/state?replace=true", json.dumps(bad).encode())
        assert (s, code) == (400, "InvalidEstate.Value") and says in msg, msg


def test_cli_errors_are_one_line(tmp_path, own):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format":"localecs-estate/7","accounts":[]}')
    p = subprocess.run([str(BIN), "state", "import", str(bad), "--store", f"sqlite:{tmp_path / 'x.sqlite'}"],
                       capture_output=True, text=True, env=own.env)
    assert p.returncode != 0
    assert p.stderr.strip().splitlines()[0].startswith("Error: unknown estate format \"localecs-estate/7\""), p.stderr
    p = subprocess.run([str(BIN), "serve", "--port", "0", "--state", str(tmp_path / "missing.json")],
                       capture_output=True, text=True, env=own.env, timeout=30)
    assert p.returncode != 0
    assert "Error: cannot read" in p.stderr, p.stderr


def test_reset_under_concurrent_load_is_all_or_nothing(own):
    stop = threading.Event()
    failures: list[str] = []
    calls = [0]

    def worker(n: int):
        sdk = Sdk("v3", own.endpoint)
        i = 0
        while not stop.is_set():
            name = f"load-{n}-{i}"
            i += 1
            try:
                sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=name)
                sdk.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, KeyPairName=name)
                sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name)
                sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name]))
            except ApiError as e:
                # A reset between two calls makes the next one miss what it made (4xx); never a 5xx.
                if e.status is None or int(e.status) >= 500:
                    failures.append(f"{e.status} {e.code}: {e.message}")
            except Exception as e:  # a dropped connection would be a failure too
                failures.append(repr(e))
            calls[0] += 1

    # A request signed and answered before the reset...
    replayed = v1_signed("DescribeRegions")
    assert v1_send(own, replayed).status == 200

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    try:
        for _ in range(5):
            time.sleep(0.3)
            status, body = admin(own, "POST", "/_localecs/reset")
            assert status == 200, body
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    assert not failures, failures[:5]
    assert calls[0] >= 8, "the load did not run"

    # Nothing half-reset: after a last reset the account is empty, and the quota counter agrees
    # with the rows: exactly the quota (20) of key pairs can be created again.
    status, _ = admin(own, "POST", "/_localecs/reset")
    assert status == 200
    v3 = Sdk("v3", own.endpoint)
    assert v3.call("DescribeKeyPairs", RegionId=REGION)["TotalCount"] == 0
    assert v3.call("DescribeInstances", RegionId=REGION)["TotalCount"] == 0
    for i in range(20):
        v3.call("CreateKeyPair", RegionId=REGION, KeyPairName=f"q-{i}")
    with pytest.raises(ApiError) as e:
        v3.call("CreateKeyPair", RegionId=REGION, KeyPairName="q-over")
    assert e.value.code == "QuotaExceed.KeyPair"

    # ...stays refused as a replay after the resets: nonces are kept.
    again = v1_send(own, replayed)
    assert (again.status, again.code) == (400, "SignatureNonceUsed"), again
