"""State across restarts (decisions.md "Signature": replays refused across nodes sharing one store;
README/CLI: `--store sqlite:PATH` persists, `--store memory` does not). Each test runs its own server."""
from __future__ import annotations

import json
import signal
import subprocess
import time
import uuid

import pytest

from conftest import REGION, ApiError, Sdk, Server, run_linux, unique
from test_signatures import v1_send, v1_signed

def ecdsa_public_key(tmp_path) -> str:
    path = tmp_path / f"k{uuid.uuid4().hex[:6]}"
    subprocess.run(["ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "c", "-f", str(path)],
                   check=True, capture_output=True)
    return (tmp_path / (path.name + ".pub")).read_text().strip()


def snapshot(sdk: Sdk, pattern: str) -> list[dict]:
    body = sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=pattern, IncludePublicKey=True, PageSize=50)
    for kp in body["KeyPairs"]["KeyPair"]:
        kp["Tags"]["Tag"].sort(key=lambda t: t["TagKey"])
    return body["KeyPairs"]["KeyPair"]


@pytest.fixture
def sqlite_server(tmp_path):
    s = Server(f"sqlite:{tmp_path / 'state.sqlite'}", args=["--transition-delay", "0"]).start()
    yield s
    s.stop()


def populate(sdk: Sdk, tmp_path, prefix: str) -> list[dict]:
    sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=f"{prefix}-created",
             **{"Tag.1.Key": "env", "Tag.1.Value": "a b/é", "Tag.2.Key": "team", "Tag.2.Value": "x+y"})
    sdk.call("ImportKeyPair", RegionId=REGION, KeyPairName=f"{prefix}-imported", PublicKeyBody=ecdsa_public_key(tmp_path),
             ResourceGroupId="rg-aaaa1111")
    before = snapshot(sdk, f"{prefix}-*")
    assert [kp["KeyPairName"] for kp in before] == [f"{prefix}-created", f"{prefix}-imported"]
    return before


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_clean_shutdown_exits_zero_and_keeps_data(sqlite_server, tmp_path, sig):
    sdk = Sdk("v3", sqlite_server.endpoint)
    before = populate(sdk, tmp_path, "keep")
    port = sqlite_server.port
    assert sqlite_server.stop(sig) == 0, "".join(sqlite_server.output)
    sqlite_server.start(port)
    after = snapshot(Sdk("v1", sqlite_server.endpoint), "keep-*")
    assert after == before
    # The names are still taken.
    with pytest.raises(ApiError) as info:
        sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName="keep-created")
    assert (info.value.code, info.value.status) == ("KeyPair.AlreadyExist", 400)


def test_restart_helper_keeps_data(sqlite_server, tmp_path):
    sdk = Sdk("old", sqlite_server.endpoint)
    before = populate(sdk, tmp_path, "rs")
    sqlite_server.restart()
    assert snapshot(Sdk("old", sqlite_server.endpoint), "rs-*") == before


def test_data_survives_sigkill(sqlite_server, tmp_path):
    sdk = Sdk("v3", sqlite_server.endpoint)
    before = populate(sdk, tmp_path, "kill")
    # A binding, and a burst of writes acknowledged just before the kill.
    [instance] = run_linux(sdk, KeyPairName="kill-created")
    burst = [f"kill-burst-{i:02d}" for i in range(10)]
    for name in burst:
        sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=name)
    port = sqlite_server.port
    assert sqlite_server.kill() == -signal.SIGKILL
    sqlite_server.start(port)
    sdk = Sdk("v3", sqlite_server.endpoint)
    assert snapshot(sdk, "kill-created") + snapshot(sdk, "kill-imported") == before
    assert [kp["KeyPairName"] for kp in snapshot(sdk, "kill-burst-*")] == burst
    # The binding survived: the bound key pair still refuses deletion, and nothing is deleted.
    with pytest.raises(ApiError) as info:
        sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps(["kill-imported", "kill-created"]))
    assert (info.value.code, info.value.status) == ("InvalidParameter.KeypairAlreadyAttachedInstance", 400)
    assert len(snapshot(sdk, "kill-*")) == 12
    described = sdk.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps([instance]))
    assert described["Instances"]["Instance"][0]["KeyPairName"] == "kill-created"


@pytest.mark.parametrize("how", ["restart", "sigkill"])
def test_nonce_used_before_a_restart_is_refused_after_it(sqlite_server, how):
    name = unique("nonce")
    p = v1_signed("CreateKeyPair", "GET", RegionId=REGION, KeyPairName=name)
    first = v1_send(sqlite_server, p)
    assert first.status == 200, first
    port = sqlite_server.port
    if how == "restart":
        assert sqlite_server.stop() == 0
    else:
        sqlite_server.kill()
    sqlite_server.start(port)
    again = v1_send(sqlite_server, p)
    assert (again.status, again.code) == (400, "SignatureNonceUsed"), again
    listed = Sdk("v3", sqlite_server.endpoint).call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name)
    assert listed["TotalCount"] == 1


def test_nonces_in_both_nonce_files_are_refused_after_a_sigkill(sqlite_server):
    """Nonces go to two files in turn (README "Security model"): the active one is handed over to a
    background checkpoint after 4,000 nonces or a second. Requests made before and after such a
    hand-over (and a burst that crosses more of them) all stay refused after a SIGKILL and restart."""
    sent = [v1_signed("DescribeKeyPairs", "GET", RegionId=REGION)]
    assert v1_send(sqlite_server, sent[0]).status == 200
    time.sleep(1.5)  # the file holding the first nonce is handed over and checkpointed
    for _ in range(1_200):
        p = v1_signed("DescribeKeyPairs", "GET", RegionId=REGION)
        assert v1_send(sqlite_server, p).status == 200
        sent.append(p)
    port = sqlite_server.port
    sqlite_server.kill()
    sqlite_server.start(port)
    for p in sent[:3] + sent[-3:] + sent[::97]:
        again = v1_send(sqlite_server, p)
        assert (again.status, again.code) == (400, "SignatureNonceUsed"), again


def test_replay_refused_by_another_server_on_the_same_store(sqlite_server):
    """decisions.md: replays are refused across every server node sharing one store."""
    other = Server(sqlite_server.store, args=["--transition-delay", "0"]).start()
    try:
        p = v1_signed("DescribeKeyPairs", "GET", RegionId=REGION)
        assert v1_send(sqlite_server, p).status == 200
        again = v1_send(other, p)
        assert (again.status, again.code) == (400, "SignatureNonceUsed"), again
        # And data written through one node is read through the other.
        name = unique("shared")
        Sdk("v3", other.endpoint).call("CreateKeyPair", RegionId=REGION, KeyPairName=name)
        assert Sdk("v1", sqlite_server.endpoint).call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name)["TotalCount"] == 1
    finally:
        assert other.stop() == 0


def test_memory_store_loses_state_on_restart():
    s = Server("memory", args=["--transition-delay", "0"]).start()
    try:
        assert "(store: memory)" in "".join(s.output)
        sdk = Sdk("v3", s.endpoint)
        name = unique("mem")
        sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=name)
        assert sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name)["TotalCount"] == 1
        p = v1_signed("DescribeKeyPairs", "GET", RegionId=REGION)
        assert v1_send(s, p).status == 200
        assert s.stop() == 0
        s.start()
        sdk = Sdk("v3", s.endpoint)
        assert sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name)["TotalCount"] == 0
        # The name is free again, and so is the nonce: nothing was kept.
        sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=name)
        assert v1_send(s, p).status == 200
    finally:
        s.stop()
