"""CreateKeyPair's pool of keys made ahead of time (issue 15): concurrent creates get distinct,
whole key pairs whose private key derives the public key and fingerprint DescribeKeyPairs shows;
the pool's gauge and miss counter move on /metrics; `--key-pool 0` (LOCALECS_KEY_POOL=0) turns it off."""
from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import os
import subprocess
import time

import pytest

from conftest import REGION, Sdk, Server, unique
from test_metrics import scrape, value


def serve(tmp_path_factory, name: str, **env) -> Server:
    store = os.environ.get("LOCALECS_TEST_STORE") or f"sqlite:{tmp_path_factory.mktemp(name) / 'localecs.sqlite'}"
    return Server(store, env=env, args=["--transition-delay", "0"]).start()


@pytest.fixture(scope="module")
def pooled(tmp_path_factory):
    s = serve(tmp_path_factory, "keypool", LOCALECS_KEY_POOL="24")
    yield s
    s.stop()


def md5_fingerprint(public_key: str) -> str:
    digest = hashlib.md5(base64.b64decode(public_key.split()[1])).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, 32, 2))


def derived_public_key(pem: str, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_text(pem)
    path.chmod(0o600)
    out = subprocess.run(["ssh-keygen", "-y", "-f", str(path)], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split()[:2])


def wait_for(server: Server, name: str, at_least: float, timeout: float = 90) -> float:
    deadline = time.time() + timeout
    while True:
        v = value(scrape(server), name)
        if v >= at_least or time.time() > deadline:
            return v
        time.sleep(0.1)


def test_pool_fills_only_after_demand_and_its_metrics_move(pooled, tmp_path):
    sdk = Sdk("v3", pooled.endpoint)
    time.sleep(0.5)
    before = scrape(pooled)
    assert value(before, "localecs_key_pool_ready") == 0, "nothing made before the first CreateKeyPair"
    assert value(before, "localecs_key_pool_misses_total") == 0

    first = sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=unique())
    assert value(scrape(pooled), "localecs_key_pool_misses_total") == 1, "the first create found the pool empty"
    assert wait_for(pooled, "localecs_key_pool_ready", 16) >= 16, "the pool filled towards 16 keys after that demand"

    second = sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=unique())
    after = scrape(pooled)
    assert value(after, "localecs_key_pool_misses_total") == 1, "the second create took a pooled key"
    assert first["KeyPairFingerPrint"] != second["KeyPairFingerPrint"]
    assert derived_public_key(second["PrivateKeyBody"], tmp_path, "second") .split()[0] == "ssh-rsa"


def test_concurrent_creates_get_distinct_valid_keys(pooled, tmp_path):
    sdk = Sdk("v3", pooled.endpoint)
    sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=unique())
    wait_for(pooled, "localecs_key_pool_ready", 16)
    names = [unique("pool") for _ in range(40)]

    def create(name):
        return name, Sdk("v3", pooled.endpoint).call("CreateKeyPair", RegionId=REGION, KeyPairName=name)

    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        created = dict(ex.map(create, names))
    assert len({c["KeyPairFingerPrint"] for c in created.values()}) == 40
    assert len({c["PrivateKeyBody"] for c in created.values()}) == 40

    listed = {}
    for page in (1, 2, 3):
        r = sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName="pool-*", IncludePublicKey="true",
                     PageSize="50", PageNumber=str(page))
        listed.update({k["KeyPairName"]: k for k in r["KeyPairs"]["KeyPair"]})
    for i, (name, c) in enumerate(created.items()):
        assert c["PrivateKeyBody"].startswith("-----BEGIN RSA PRIVATE KEY-----\n")
        public = listed[name]["PublicKey"]
        assert listed[name]["KeyPairFingerPrint"] == c["KeyPairFingerPrint"] == md5_fingerprint(public)
        if i < 8:   # ssh-keygen on a few: the private key derives exactly the public key stored
            assert derived_public_key(c["PrivateKeyBody"], tmp_path, f"k{i}") == public


def test_key_pool_zero_disables_it(tmp_path_factory, tmp_path):
    s = serve(tmp_path_factory, "nokeypool", LOCALECS_KEY_POOL="0")
    try:
        sdk = Sdk("v3", s.endpoint)
        created = [sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=unique()) for _ in range(3)]
        assert len({c["KeyPairFingerPrint"] for c in created}) == 3
        assert derived_public_key(created[0]["PrivateKeyBody"], tmp_path, "k").split()[0] == "ssh-rsa"
        time.sleep(0.3)
        samples = scrape(s)
        assert not any(name.startswith("localecs_key_pool") for name, _ in samples), "no pool, no pool metrics"
    finally:
        s.stop()


def test_key_pool_option_is_checked(tmp_path_factory):
    with pytest.raises(RuntimeError, match="key-pool"):
        serve(tmp_path_factory, "badkeypool", LOCALECS_KEY_POOL="-1")
