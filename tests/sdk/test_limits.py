"""HTTP-layer limits and timeouts (issue 9, part 3): every refusal is an ECS error, never a hang.

- oversized request heads (target, header count, header bytes) get 414/431 with an ECS JSON body;
  garbage gets 400; NIO's decoder backstop too;
- a slowloris of 500 connections trickling header bytes does not slow an SDK client down, and
  its connections are closed after LOCALECS_HEAD_TIMEOUT; a body that stalls gets 408;
- idle keep-alive connections are closed after LOCALECS_IDLE_TIMEOUT;
- beyond LOCALECS_MAX_INFLIGHT concurrent calls the server answers 503 ServiceUnavailable at once;
- SIGTERM answers every request already read and exits 0 within LOCALECS_SHUTDOWN_TIMEOUT, even
  with idle keep-alive and half-sent requests open, and (plus a 2 s watchdog) with a call stuck
  in the database;
- the open-files soft limit is raised to the hard limit at start-up.
"""
from __future__ import annotations

import json
import resource
import signal
import socket
import sqlite3
import statistics
import threading
import time
import uuid

import pytest

from conftest import AK, REGION, SECRET, Sdk, Server
from rawsign import pct, utc_timestamp, v1_signature
from test_multinode import PUBLIC_KEY


def signed_target(action: str, **params) -> str:
    p = {"Action": action, "Version": "2014-05-26", "Format": "JSON", "AccessKeyId": AK, "SignatureMethod": "HMAC-SHA1",
         "SignatureVersion": "1.0", "SignatureNonce": uuid.uuid4().hex, "Timestamp": utc_timestamp(),
         **{k: str(v) for k, v in params.items()}}
    p["Signature"] = v1_signature("GET", p, SECRET)
    return "/?" + "&".join(f"{pct(k)}={pct(v)}" for k, v in p.items())


def read_response(s: socket.socket, timeout: float = 10) -> tuple[int, dict, bytes]:
    """One HTTP/1.1 response (Content-Length framed): status, lower-cased headers, body."""
    s.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a response head: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body


def raw(server: Server, request: bytes, timeout: float = 10) -> tuple[int, dict, dict]:
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(request)
        status, headers, body = read_response(s, timeout)
        return status, headers, json.loads(body) if body[:1] == b"{" else {"raw": body}


def closed_by_peer(s: socket.socket, timeout: float) -> bool:
    """Whether the server closes the socket within `timeout` (any bytes it sends first are read)."""
    s.settimeout(timeout)
    try:
        while s.recv(65536):
            pass
        return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    s = Server(f"sqlite:{tmp_path_factory.mktemp('limits') / 'l.sqlite'}", args=["--transition-delay", "0"],
               env={"LOCALECS_HEAD_TIMEOUT": "2s", "LOCALECS_BODY_TIMEOUT": "2s", "LOCALECS_IDLE_TIMEOUT": "3s"}).start()
    yield s
    s.stop()


# ------------------------------------------------------------------------------------ oversized heads

def test_long_target_is_414_invalid_parameter(limited):
    status, headers, body = raw(limited, f"GET /?Action=DescribeRegions&Pad={'a' * 17000} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert status == 414 and body["Code"] == "InvalidParameter", body
    assert "16384" in body["Message"] and "form body" in body["Message"]
    assert body["RequestId"] and headers["connection"] == "close"
    assert headers["content-type"].startswith("application/json")


def test_too_many_headers_is_431(limited):
    extra = "".join(f"X-H{i}: v\r\n" for i in range(101))
    status, _, body = raw(limited, f"GET / HTTP/1.1\r\nHost: x\r\n{extra}\r\n".encode())
    assert status == 431 and body["Code"] == "InvalidParameter", body
    assert "header fields" in body["Message"]


def test_large_headers_are_431(limited):
    status, _, body = raw(limited, f"GET / HTTP/1.1\r\nHost: x\r\nX-Big: {'b' * 33000}\r\n\r\n".encode())
    assert status == 431 and body["Code"] == "InvalidParameter", body


def test_huge_header_hits_decoder_backstop_still_ecs_error(limited):
    status, _, body = raw(limited, f"GET / HTTP/1.1\r\nHost: x\r\nX-Big: {'b' * 300000}\r\n\r\n".encode())
    assert status == 431 and body["Code"] == "InvalidParameter", body


def test_garbage_is_400_ecs_error(limited):
    status, _, body = raw(limited, b"\x16\x03\x01 hello\r\n\r\n")
    assert status == 400 and body["Code"] == "InvalidParameter", body


def test_normal_call_still_works_after_refusals(limited):
    assert Sdk("v3", limited.endpoint).call("DescribeRegions")["Regions"]["Region"]


# ------------------------------------------------------------------------------------ slow clients

def test_slowloris_500_connections_do_not_block_others(limited):
    """500 connections trickle one header byte every 0.5 s; an SDK client is answered quickly meanwhile,
    and every slow connection is closed after the 2 s head timeout."""
    socks = []
    for _ in range(500):
        s = socket.create_connection(("127.0.0.1", limited.port), timeout=10)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        socks.append(s)
    stop = threading.Event()

    def trickle():
        while not stop.is_set():
            for s in socks:
                try:
                    s.send(b"a")
                except OSError:
                    pass
            stop.wait(0.5)
    t = threading.Thread(target=trickle, daemon=True)
    t.start()
    started = time.monotonic()
    try:
        sdk = Sdk("v3", limited.endpoint)
        latencies = []
        while time.monotonic() - started < 1.5:   # within the head timeout: all 500 are still open
            t0 = time.monotonic()
            sdk.call("DescribeKeyPairs", RegionId=REGION)
            latencies.append(time.monotonic() - t0)
        print(f"\nslowloris: 500 connections trickling; {len(latencies)} SDK calls, median {statistics.median(latencies) * 1000:.1f} ms, "
              f"max {max(latencies) * 1000:.1f} ms")
        assert max(latencies) < 1.0, latencies
        time.sleep(max(0.0, started + 3.5 - time.monotonic()))   # head timeout 2 s, plus slack
        stop.set()
        t.join()
        closed = sum(closed_by_peer(s, 2.0) for s in socks)
        print(f"slowloris: {closed}/500 closed by the server after the head timeout")
        assert closed == 500
    finally:
        stop.set()
        for s in socks:
            s.close()


def test_stalled_body_is_408_request_timeout(limited):
    with socket.create_connection(("127.0.0.1", limited.port), timeout=10) as s:
        t0 = time.monotonic()
        s.sendall(f"POST {signed_target('DescribeRegions')} HTTP/1.1\r\nHost: x\r\n"
                  "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nA=b".encode())
        status, headers, body = read_response(s, 10)
        waited = time.monotonic() - t0
        assert status == 408, body
        assert json.loads(body)["Code"] == "RequestTimeout"
        assert 1.5 < waited < 5, waited
        assert closed_by_peer(s, 3)


def test_idle_keep_alive_is_closed(limited):
    with socket.create_connection(("127.0.0.1", limited.port), timeout=10) as s:
        s.sendall(f"GET {signed_target('DescribeRegions')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        status, _, _ = read_response(s)
        assert status == 200
        t0 = time.monotonic()
        assert closed_by_peer(s, 8)
        assert 2 < time.monotonic() - t0 < 6


# ------------------------------------------------------------------------------------ concurrency bound

def test_inflight_bound_answers_503_at_once(tmp_path):
    """With at most 2 calls executing, 24 concurrent CreateKeyPair (CPU-heavy RSA) calls: some are
    refused with 503 ServiceUnavailable at once, the rest succeed, every one is answered."""
    s = Server(f"sqlite:{tmp_path / 'i.sqlite'}", env={"LOCALECS_MAX_INFLIGHT": "2"}).start()
    try:
        results, lock = [], threading.Lock()
        barrier = threading.Barrier(24)

        def one(i):
            barrier.wait()
            t0 = time.monotonic()
            try:
                with socket.create_connection(("127.0.0.1", s.port), timeout=30) as c:
                    c.sendall(f"GET {signed_target('CreateKeyPair', RegionId=REGION, KeyPairName=f'in-{i}')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                    status, _, body = read_response(c, 30)
                    r = (status, json.loads(body).get("Code"), time.monotonic() - t0)
            except OSError as e:
                r = (None, repr(e), time.monotonic() - t0)
            with lock:
                results.append(r)
        threads = [threading.Thread(target=one, args=(i,)) for i in range(24)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(results) == 24, results
        ok = [r for r in results if r[0] == 200]
        busy = [r for r in results if r[0] == 503]
        print(f"\ninflight bound 2: {len(ok)} created, {len(busy)} refused with 503 "
              f"(slowest refusal {max((r[2] for r in busy), default=0) * 1000:.0f} ms, slowest success {max(r[2] for r in ok) * 1000:.0f} ms)")
        assert len(ok) + len(busy) == 24, results
        assert ok and busy, results
        assert all(r[1] == "ServiceUnavailable" for r in busy)
        # Refused on the event loop, without waiting for the calls that hold the slots.
        assert statistics.median(r[2] for r in busy) < 0.5, busy
        # The health route is exempt and the server recovers at once.
        assert Sdk("v3", s.endpoint).call("DescribeKeyPairs", RegionId=REGION)["TotalCount"] == len(ok)
    finally:
        s.stop()


# ------------------------------------------------------------------------------------ graceful shutdown

def test_sigterm_answers_requests_read_and_exits_in_bound(tmp_path):
    s = Server(f"sqlite:{tmp_path / 'g.sqlite'}",
               env={"LOCALECS_SHUTDOWN_TIMEOUT": "8s", "LOCALECS_BODY_TIMEOUT": "60s", "LOCALECS_HEAD_TIMEOUT": "60s"}).start()
    results, lock = [], threading.Lock()
    conns = []
    try:
        # An idle keep-alive client, and one that stops half-way through its body.
        idle = socket.create_connection(("127.0.0.1", s.port), timeout=30)
        idle.sendall(f"GET {signed_target('DescribeRegions')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert read_response(idle)[0] == 200
        stalled = socket.create_connection(("127.0.0.1", s.port), timeout=30)
        stalled.sendall(f"POST {signed_target('DescribeRegions')} HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nab".encode())
        # 8 CreateKeyPair calls (CPU-heavy RSA) sent in full.
        for i in range(8):
            c = socket.create_connection(("127.0.0.1", s.port), timeout=30)
            c.sendall(f"GET {signed_target('CreateKeyPair', RegionId=REGION, KeyPairName=f'gs-{i}')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            conns.append(c)

        def collect(c):
            try:
                status, _, body = read_response(c, 30)
                r = (status, json.loads(body).get("Code"))
            except OSError as e:
                r = (None, repr(e))
            with lock:
                results.append(r)
        time.sleep(0.3)   # the server has read them
        t0 = time.monotonic()
        s.proc.send_signal(signal.SIGTERM)
        readers = [threading.Thread(target=collect, args=(c,)) for c in conns]
        for t in readers:
            t.start()
        code = s.proc.wait(timeout=30)
        elapsed = time.monotonic() - t0
        for t in readers:
            t.join(10)
        print(f"\nshutdown: exit {code} after {elapsed:.2f} s; answers {sorted(set(results))}\n" + "".join(s.output[-5:]))
        assert code == 0, "".join(s.output)
        assert elapsed < 8 + 2 + 1.5, elapsed
        assert len(results) == 8 and all(r[0] == 200 for r in results), results
        assert closed_by_peer(idle, 1) and closed_by_peer(stalled, 1)
    finally:
        s.stop(signal.SIGKILL)
        for c in conns:
            c.close()


def test_sigterm_exits_in_bound_with_a_call_stuck_in_the_database(tmp_path):
    """A write blocked behind another process's SQLite lock (busy timeout 10 s) does not notice
    cancellation; the shutdown still ends within LOCALECS_SHUTDOWN_TIMEOUT plus the 2 s watchdog."""
    path = tmp_path / "stuck.sqlite"
    s = Server(f"sqlite:{path}", env={"LOCALECS_SHUTDOWN_TIMEOUT": "2s"}).start()
    lock = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        lock.execute("BEGIN IMMEDIATE")
        c = socket.create_connection(("127.0.0.1", s.port), timeout=30)
        c.sendall(f"GET {signed_target('ImportKeyPair', RegionId=REGION, KeyPairName='stuck', PublicKeyBody=PUBLIC_KEY)} "
                  "HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        time.sleep(0.5)
        t0 = time.monotonic()
        s.proc.send_signal(signal.SIGTERM)
        code = s.proc.wait(timeout=30)
        elapsed = time.monotonic() - t0
        print(f"\nshutdown with a call stuck in the database: exit {code} after {elapsed:.2f} s")
        assert code == 0, "".join(s.output)
        assert elapsed < 2 + 2 + 1.5, elapsed
        c.close()
    finally:
        lock.execute("ROLLBACK")
        lock.close()
        s.stop(signal.SIGKILL)


def test_open_files_soft_limit_is_raised_to_the_hard_limit(tmp_path):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard <= 256:
        pytest.skip(f"the hard limit ({hard}) leaves nothing to raise")
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))   # inherited by the server
    try:
        s = Server(f"sqlite:{tmp_path / 'f.sqlite'}").start()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    try:
        limits = open(f"/proc/{s.proc.pid}/limits").read()
        line = next(ln for ln in limits.splitlines() if ln.startswith("Max open files"))
        assert line.split()[3] == str(hard), line
    finally:
        s.stop()


def test_an_oversized_body_is_answered_not_reset(limited):
    # The server refuses a body over 1 MiB as soon as it has seen 1 MiB; a client that goes on
    # sending (as every HTTP client does: it writes the whole body, then reads) must still read
    # the refusal, not a connection reset. The wire fuzzer found the reset (seed 1, request 70147).
    # 24 MB: more than the kernel's socket buffers hold, so the client is still sending when the
    # server has answered (3 MB were enough under the fuzzer's load, not on an idle machine).
    body = b"a=" + b"%F0%9F%98%80" * 2_000_000
    head = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    for _ in range(3):
        status, headers, answer = raw(limited, head + body)
        assert status == 400 and answer["Code"] == "InvalidParameter", (status, answer)
        assert "exceeds 1 MiB" in answer["Message"]
        assert headers.get("connection") == "close"
