"""A full disk (issue 9, part 4): SQLite on a small filesystem of the test's own.

The store lives on a 4 MiB tmpfs (`mount -t tmpfs`, so the test needs root; a loop-mounted ext4
image is the fallback). A filler file takes most of the space, then ImportKeyPair runs until the
disk is full: writes are refused with 503 ServiceUnavailable (never 500), reads keep answering
(nonces spill to memory while the nonce file cannot grow), nothing acknowledged is lost; once the
filler is deleted, writes succeed again; after a clean stop `PRAGMA integrity_check` is ok and a
restarted server sees every acknowledged write.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid

import pytest

from conftest import REGION, ApiError, Sdk, Server
from test_multinode import PUBLIC_KEY


def mount_small_fs(where) -> str:
    """Mounts a 4 MiB filesystem at `where`; returns how, or skips saying why none works here."""
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("a small filesystem needs root (mount); run as root to test a full disk")
    tmpfs = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)], capture_output=True, text=True)
    if tmpfs.returncode == 0:
        return "tmpfs"
    image = where.parent / "small.img"
    steps = [["truncate", "-s", "8M", str(image)], ["mkfs.ext4", "-q", str(image)], ["mount", "-o", "loop", str(image), str(where)]]
    for step in steps:
        p = subprocess.run(step, capture_output=True, text=True)
        if p.returncode != 0:
            pytest.skip(f"cannot make a small filesystem: tmpfs: {tmpfs.stderr.strip()}; {step[0]}: {p.stderr.strip()}")
    return "ext4 loop image"


def free_bytes(path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def test_full_disk_refuses_writes_keeps_reads_and_recovers(tmp_path):
    fs = tmp_path / "small"
    how = mount_small_fs(fs)
    server = None
    try:
        db = fs / "full.sqlite"
        server = Server(f"sqlite:{db}").start()
        sdk = Sdk("v3", server.endpoint)
        acknowledged = []
        for i in range(5):
            name = f"fd-{i}"
            sdk.call("ImportKeyPair", RegionId=REGION, KeyPairName=name, PublicKeyBody=PUBLIC_KEY)
            acknowledged.append(name)
        # Take all but ~256 KiB, then write until refused.
        filler = fs / "filler"
        with open(filler, "wb") as f:
            f.write(b"\0" * max(0, free_bytes(fs) - 256 * 1024))
        refused = 0
        other = []
        for i in range(2000):
            name = f"fd-fill-{i}-{uuid.uuid4().hex[:6]}"
            try:
                sdk.call("ImportKeyPair", RegionId=REGION, KeyPairName=name, PublicKeyBody=PUBLIC_KEY)
                acknowledged.append(name)
            except ApiError as e:
                if (e.status, e.code) == (503, "ServiceUnavailable"):
                    refused += 1
                    if refused >= 5:
                        break
                else:
                    other.append(f"{e.status} {e.code} {e.message}")
        print(f"\nfull disk ({how}): {len(acknowledged)} writes acknowledged, then {refused} refused with 503; "
              f"{free_bytes(fs)} bytes free")
        assert not other, other
        assert refused >= 5, "the disk never filled"
        # Reads keep answering, and show every acknowledged write.
        for _ in range(5):
            try:
                body = sdk.call("DescribeKeyPairs", RegionId=REGION, PageSize=50)
            except ApiError as e:
                raise AssertionError(f"a read failed on a full disk: {e}\n" + "".join(server.output[-10:])) from None
            assert body["TotalCount"] == len(acknowledged)
        assert sdk.call("DescribeRegions")["Regions"]["Region"]
        # Space returns: writes succeed again without a restart.
        filler.unlink()
        sdk.call("ImportKeyPair", RegionId=REGION, KeyPairName="fd-after", PublicKeyBody=PUBLIC_KEY)
        acknowledged.append("fd-after")
        assert server.stop() == 0, "".join(server.output)
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM key_pairs").fetchone()[0] == len(acknowledged)
        assert conn.execute("SELECT SUM(n) FROM key_pair_counts").fetchone()[0] == len(acknowledged)
        conn.close()
        server.start()
        sdk = Sdk("v1", server.endpoint)
        names = set()
        page = 1
        while True:
            body = sdk.call("DescribeKeyPairs", RegionId=REGION, PageSize=50, PageNumber=page)
            names |= {k["KeyPairName"] for k in body["KeyPairs"]["KeyPair"]}
            if page * 50 >= body["TotalCount"]:
                break
            page += 1
        assert names == set(acknowledged)
    finally:
        if server:
            server.stop()
        subprocess.run(["umount", "-l", str(fs)], capture_output=True)
        shutil.rmtree(fs, ignore_errors=True)
