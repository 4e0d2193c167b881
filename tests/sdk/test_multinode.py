"""Several LocalECS nodes sharing one PostgreSQL database (`localecs serve --store postgres://…`).

32 client threads, spread over two nodes, run a bounded random mix of AttachKeyPair, DetachKeyPair,
RebootInstance, Create/Import/DeleteKeyPairs and RunInstances; half-way through one node is killed
with SIGKILL and its clients move to the other. Then, from the survivor and a freshly started node:
- every acknowledged write is visible from both nodes (key pairs, instances, bindings);
- no instance has two key pairs, and none is bound to a key pair that does not exist;
- the key-pair quota was never exceeded (sampled while running, and at the end);
- no SignatureNonce was accepted twice (the same signed request raced at both nodes);
- a ClientToken replayed on the other node returns the same instances;
- each instance's final binding is one the acknowledged calls could have left: the value of a
  successful Attach/Detach (or launch) that no other acknowledged one is known to follow, or of a
  call whose outcome is unknown (in flight on the killed node). For an instance only one thread
  uses, that is exactly the last acknowledged Attach/Detach.

test_throughput runs the same mix, without the kill, on SQLite, one PostgreSQL node and two, and
prints calls/s (also to bench/out/multinode.txt).

test_database_outage_is_503_then_recovers puts a TCP proxy between a node and PostgreSQL and
cuts it: calls get ServiceUnavailable (503) while it is down, and succeed again once it is back,
without restarting the node.

Needs LOCALECS_TEST_POSTGRES_URL (scripts/with-postgres sets it); skipped without it unless
LOCALECS_REQUIRE_POSTGRES=1, which makes its absence a failure.
"""
from __future__ import annotations

import base64
import collections
import datetime
import hashlib
import hmac
import http.client
import json
import os
import pathlib
import random
import socket
import threading
import time
import urllib.parse
import uuid

import pytest

from conftest import LINUX_IMAGE, INSTANCE_TYPE, REGION, REPO, Server

PG_URL = os.environ.get("LOCALECS_TEST_POSTGRES_URL", "")
CLIENTS = 32
DURATION = float(os.environ.get("LOCALECS_MULTINODE_SECONDS", "10"))
BENCH_SECONDS = float(os.environ.get("LOCALECS_BENCH_SECONDS", "3"))
QUOTA = 60
PUBLIC_KEY = ("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBK10A0GgtJwZg4XgiAA90ud5u+zTVHt2I+8u"
              "eLcCGQPn4xA8m7onGlVIv0OyC9BTQcMuF0e7sacy+QLJhRl/NJ4= t")


@pytest.fixture(scope="module")
def pg_url() -> str:
    if not PG_URL:
        if os.environ.get("LOCALECS_REQUIRE_POSTGRES") == "1":
            pytest.fail("LOCALECS_REQUIRE_POSTGRES=1 but LOCALECS_TEST_POSTGRES_URL is not set (use scripts/with-postgres)")
        pytest.skip("LOCALECS_TEST_POSTGRES_URL is not set: run under scripts/with-postgres to test several nodes")
    return PG_URL


# ------------------------------------------------------------------------------------ a lean client

class Unknown(Exception):
    """The call's outcome is unknown: the connection failed after the request may have been sent."""


class Client:
    """V1-signed GET calls over one kept-alive connection: cheap enough that 32 threads measure the server."""

    def __init__(self, port: int, account: "Account"):
        self.port, self.account, self.conn = port, account, None

    def signed(self, action: str, nonce: str | None = None, **params) -> str:
        p = {"Action": action, "Version": "2014-05-26", "Format": "JSON", "AccessKeyId": self.account.ak,
             "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": nonce or uuid.uuid4().hex,
             "Timestamp": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
             **{k: str(v) for k, v in params.items()}}
        q = lambda s: urllib.parse.quote(s, safe="-_.~")
        canon = "&".join(f"{q(k)}={q(v)}" for k, v in sorted(p.items()))
        digest = hmac.new((self.account.secret + "&").encode(), f"GET&%2F&{q(canon)}".encode(), hashlib.sha1).digest()
        p["Signature"] = base64.b64encode(digest).decode()
        return "/?" + "&".join(f"{q(k)}={q(v)}" for k, v in p.items())

    def send(self, target: str) -> tuple[int, dict]:
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request("GET", target)
            r = self.conn.getresponse()
            body = r.read()
            return r.status, json.loads(body) if body[:1] == b"{" else {"Code": f"raw:{body[:100]!r}"}
        except (OSError, http.client.HTTPException) as e:
            if self.conn:
                self.conn.close()
            self.conn = None
            raise Unknown(repr(e)) from None

    def call(self, action: str, **params) -> tuple[int, dict]:
        return self.send(self.signed(action, **params))

    def ok(self, action: str, **params) -> dict:
        status, body = self.call(action, **params)
        assert status == 200, f"{action} {params}: {status} {body}"
        return body


class Account:
    """A fresh account per test run: the database outlives the nodes and other suites share it."""

    def __init__(self):
        self.id = "7" + "".join(random.choice("0123456789") for _ in range(15))
        self.ak = "LTAI5tMN" + uuid.uuid4().hex[:16].upper()
        self.secret = uuid.uuid4().hex

    def env(self, **extra) -> dict:
        return {"LOCALECS_ACCOUNT_ID": self.id, "LOCALECS_ACCESS_KEY_ID": self.ak, "LOCALECS_ACCESS_KEY_SECRET": self.secret,
                "LOCALECS_KEYPAIR_QUOTA": str(QUOTA), "LOCALECS_PG_POOL_SIZE": "8", **extra}


def start_nodes(store: str, account: Account, count: int) -> list[Server]:
    """`count` nodes started at the same moment (they migrate and bootstrap the account together)."""
    nodes = [Server(store, env=account.env(), args=["--transition-delay", "50ms"]) for _ in range(count)]
    errors = []

    def start(s):
        try:
            s.start()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
    threads = [threading.Thread(target=start, args=(s,)) for s in nodes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        for s in nodes:
            s.stop()
        raise errors[0]
    return nodes


# ------------------------------------------------------------------------------------ the workload

Op = collections.namedtuple("Op", "sent answered value")   # answered is None when the outcome is unknown


class Workload:
    """The random mix and everything it observed."""

    WEIGHTS = {"attach": 30, "detach": 25, "reboot": 12, "import": 10, "create": 2, "delete": 10, "run": 6, "describe": 5}

    def __init__(self, account: Account, instances: list[str], key_pairs: list[str], owned: dict[int, list[str]]):
        self.account = account
        self.lock = threading.Lock()
        self.instances = list(instances)
        self.owned = owned                                   # thread → instances only it touches
        self.shared = [i for i in instances if not any(i in v for v in owned.values())]
        self.pool = list(key_pairs)                          # acknowledged, not (known to be) deleted
        self.created = set(key_pairs)                        # acknowledged creates/imports
        self.deleted: set[str] = set()                       # acknowledged deletes
        self.unknown_kp: set[str] = set()                    # create or delete with unknown outcome
        self.writes: dict[str, list[Op]] = collections.defaultdict(list)
        for i in instances:
            self.writes[i].append(Op(0.0, 0.0, ""))           # launched unbound, before the load
        self.tokens: list[tuple[str, str, list[str]]] = []   # (token, name, ids)
        self.counts: collections.Counter = collections.Counter()
        self.unexpected: list[str] = []
        self.max_keypairs_seen = 0
        self.calls = 0

    def pick(self, rnd: random.Random, thread: int) -> str:
        mine = self.owned.get(thread)
        if mine and rnd.random() < 0.5:
            return rnd.choice(mine)
        with self.lock:
            return rnd.choice(self.shared)

    def bound_guess(self, instance: str) -> str | None:
        with self.lock:
            ops = [o for o in self.writes[instance] if o.answered]
        return max(ops, key=lambda o: o.answered).value if ops else None

    def one(self, c: Client, rnd: random.Random, thread: int) -> None:
        kind = rnd.choices(list(self.WEIGHTS), weights=list(self.WEIGHTS.values()))[0]
        getattr(self, "do_" + kind)(c, rnd, thread)
        with self.lock:
            self.calls += 1
            self.counts[kind] += 1

    def bad(self, what: str) -> None:
        with self.lock:
            self.unexpected.append(what)

    def do_attach(self, c, rnd, thread, detach=False):
        inst = self.pick(rnd, thread)
        with self.lock:
            kp = rnd.choice(self.pool) if self.pool else None
        if detach and rnd.random() < 0.7:
            kp = self.bound_guess(inst) or kp
        if not kp:
            return
        sent = time.monotonic()
        try:
            status, body = c.call("DetachKeyPair" if detach else "AttachKeyPair", RegionId=REGION, KeyPairName=kp,
                                  InstanceIds=json.dumps([inst]))
        except Unknown:
            with self.lock:
                self.writes[inst].append(Op(sent, None, "" if detach else kp))
            return
        answered = time.monotonic()
        if status == 200:
            r = body["Results"]["Result"][0]
            if r["Success"] == "true":
                with self.lock:
                    self.writes[inst].append(Op(sent, answered, "" if detach else kp))
            elif r["Code"] not in ("InvalidKeyPair.NotAttached", "IncorrectInstanceStatus"):
                self.bad(f"{'detach' if detach else 'attach'} {inst} {kp}: {r}")
        elif body.get("Code") != "InvalidKeyPairName.NotFound":   # raced with a delete
            self.bad(f"{'detach' if detach else 'attach'} {inst} {kp}: {status} {body}")

    def do_detach(self, c, rnd, thread):
        self.do_attach(c, rnd, thread, detach=True)

    def do_reboot(self, c, rnd, thread):
        inst = self.pick(rnd, thread)
        try:
            status, body = c.call("RebootInstance", InstanceId=inst)
        except Unknown:
            return
        if status != 200 and body.get("Code") not in ("IncorrectInstanceStatus", "IncorrectInstanceStatus.Initializing"):
            self.bad(f"reboot {inst}: {status} {body}")

    def do_import(self, c, rnd, thread, create=False):
        name = f"mn-{uuid.uuid4().hex[:10]}"
        try:
            if create:
                status, body = c.call("CreateKeyPair", RegionId=REGION, KeyPairName=name)
            else:
                status, body = c.call("ImportKeyPair", RegionId=REGION, KeyPairName=name, PublicKeyBody=PUBLIC_KEY)
        except Unknown:
            with self.lock:
                self.unknown_kp.add(name)
            return
        if status == 200:
            with self.lock:
                self.pool.append(name)
                self.created.add(name)
        elif body.get("Code") == "QuotaExceed.KeyPair":
            with self.lock:
                self.counts["quota refused"] += 1
        else:
            self.bad(f"import {name}: {status} {body}")

    def do_create(self, c, rnd, thread):
        self.do_import(c, rnd, thread, create=True)

    def do_delete(self, c, rnd, thread):
        with self.lock:
            if len(self.pool) < 4:
                return
            name = rnd.choice(self.pool)
        try:
            status, body = c.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name]))
        except Unknown:
            with self.lock:
                self.unknown_kp.add(name)
            return
        if status == 200:
            with self.lock:
                self.deleted.add(name)
                if name in self.pool:
                    self.pool.remove(name)
        elif body.get("Code") != "InvalidParameter.KeypairAlreadyAttachedInstance":
            self.bad(f"delete {name}: {status} {body}")

    def do_run(self, c, rnd, thread):
        with self.lock:
            kp = rnd.choice(self.pool) if self.pool and rnd.random() < 0.5 else None
        token = uuid.uuid4().hex
        params = dict(RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, Amount=1, ClientToken=token)
        if kp:
            params["KeyPairName"] = kp
        sent = time.monotonic()
        try:
            status, body = c.call("RunInstances", **params)
        except Unknown:
            return
        answered = time.monotonic()
        if status == 200:
            ids = body["InstanceIdSets"]["InstanceIdSet"]
            with self.lock:
                for i in ids:
                    self.writes[i].append(Op(sent, answered, kp or ""))
                    self.instances.append(i)
                    self.shared.append(i)
                self.tokens.append((token, json.dumps(params), ids))
        elif body.get("Code") != "InvalidKeyPairName.NotFound":
            self.bad(f"run {params}: {status} {body}")

    def do_describe(self, c, rnd, thread):
        try:
            status, body = c.call("DescribeKeyPairs", RegionId=REGION, PageSize=1)
        except Unknown:
            return
        if status != 200:
            self.bad(f"describe: {status} {body}")
            return
        with self.lock:
            self.max_keypairs_seen = max(self.max_keypairs_seen, body["TotalCount"])


def setup_state(c: Client, n_instances: int = 24, n_key_pairs: int = 12) -> tuple[list[str], list[str]]:
    kps = []
    for _ in range(n_key_pairs):
        name = f"mn-{uuid.uuid4().hex[:10]}"
        c.ok("ImportKeyPair", RegionId=REGION, KeyPairName=name, PublicKeyBody=PUBLIC_KEY)
        kps.append(name)
    ids = c.ok("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE,
               Amount=n_instances)["InstanceIdSets"]["InstanceIdSet"]
    time.sleep(0.3)  # past Pending (transition delay 50 ms)
    return ids, kps


def run_load(nodes: list[Server], account: Account, seconds: float, *, kill_at: float | None = None,
             n_instances: int = 24) -> tuple[Workload, float]:
    """Runs the mix for `seconds`; returns the workload and the calls/s it achieved."""
    ids, kps = setup_state(Client(nodes[0].port, account), n_instances)
    owned = {t: [ids[t]] for t in range(min(CLIENTS, n_instances // 2))}
    w = Workload(account, ids, kps, owned)
    stop_at = time.monotonic() + seconds
    killed = threading.Event()

    def client(t: int):
        rnd = random.Random(t * 7919)
        node = nodes[t % len(nodes)]
        c = Client(node.port, account)
        while time.monotonic() < stop_at:
            if killed.is_set() and node is not nodes[0]:
                node = nodes[0]
                c = Client(node.port, account)
            w.one(c, rnd, t)

    threads = [threading.Thread(target=client, args=(t,), daemon=True) for t in range(CLIENTS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    if kill_at is not None:
        time.sleep(kill_at)
        nodes[1].kill()
        killed.set()
    for t in threads:
        t.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    assert not any(t.is_alive() for t in threads), "a client thread is stuck"
    return w, w.calls / elapsed


# ------------------------------------------------------------------------------------ checks

def all_key_pairs(c: Client) -> dict[str, str]:
    out, page = {}, 1
    while True:
        body = c.ok("DescribeKeyPairs", RegionId=REGION, PageSize=50, PageNumber=page)
        for kp in body["KeyPairs"]["KeyPair"]:
            out[kp["KeyPairName"]] = kp["KeyPairFingerPrint"]
        if page * 50 >= body["TotalCount"]:
            return out
        page += 1


def all_instances(c: Client) -> dict[str, str]:
    """Instance ID → bound key pair ("" for none)."""
    out, page = {}, 1
    while True:
        body = c.ok("DescribeInstances", RegionId=REGION, PageSize=100, PageNumber=page)
        for i in body["Instances"]["Instance"]:
            out[i["InstanceId"]] = i.get("KeyPairName") or ""
        if page * 100 >= body["TotalCount"]:
            return out
        page += 1


def possible_final_values(ops: list[Op]) -> set[str]:
    """Values the binding may have at the end: of an acknowledged write that no acknowledged write
    started after (it may be the last to take effect), or of any write with an unknown outcome."""
    done = [o for o in ops if o.answered is not None]
    values = {o.value for o in done if not any(x.sent > o.answered for x in done)}
    return values | {o.value for o in ops if o.answered is None}


def nonce_races(nodes: list[Server], account: Account, rounds: int = 40) -> list[int]:
    """Sends each signed request (one nonce) 4 times at once, to every node: how many were accepted."""
    accepted = []
    for _ in range(rounds):
        target = Client(nodes[0].port, account).signed("DescribeRegions")
        barrier = threading.Barrier(4)
        got = []

        def fire(port):
            c = Client(port, account)
            barrier.wait()
            try:
                got.append(c.send(target))
            except Unknown as e:
                got.append((None, {"Code": str(e)}))
        ts = [threading.Thread(target=fire, args=(nodes[k % len(nodes)].port,)) for k in range(4)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert all(status == 200 or body.get("Code") == "SignatureNonceUsed" for status, body in got), got
        accepted.append(sum(status == 200 for status, _ in got))
    return accepted


# ------------------------------------------------------------------------------------ the tests

def test_two_nodes_one_database_lose_nothing(pg_url):
    account = Account()
    nodes = start_nodes(pg_url, account, 2)
    fresh = None
    try:
        # Replays across nodes before the load: nonces, and a ClientToken answered by the other node.
        assert nonce_races(nodes, account) == [1] * 40
        a, b = Client(nodes[0].port, account), Client(nodes[1].port, account)
        token_params = dict(RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE, Amount=2, ClientToken=uuid.uuid4().hex)
        first = a.ok("RunInstances", **token_params)["InstanceIdSets"]["InstanceIdSet"]
        assert b.ok("RunInstances", **token_params)["InstanceIdSets"]["InstanceIdSet"] == first

        w, rate = run_load(nodes, account, DURATION, kill_at=DURATION / 2)
        assert nodes[1].proc.poll() is not None, "node B should be dead"
        print(f"\nmultinode: {w.calls} calls in {DURATION:.0f} s with a SIGKILL half-way ({rate:.0f}/s): {dict(w.counts)}")
        assert not w.unexpected, "unexpected answers:\n" + "\n".join(w.unexpected[:20])
        assert w.counts["attach"] > 50 and w.counts["import"] > 10, w.counts

        # The survivor still serves; a node started now sees the same state.
        fresh = Server(pg_url, env=account.env(), args=["--transition-delay", "50ms"]).start()
        views = [Client(nodes[0].port, account), Client(fresh.port, account)]
        key_pairs = [all_key_pairs(c) for c in views]
        instances = [all_instances(c) for c in views]
        assert key_pairs[0] == key_pairs[1]
        assert instances[0] == instances[1]
        kps, insts = set(key_pairs[0]), instances[0]

        # Key pairs: acknowledged creates are there unless deleted; acknowledged deletes are gone;
        # nothing else exists but calls whose outcome is unknown; never over the quota.
        assert (w.created - w.deleted - w.unknown_kp) <= kps
        assert not (w.deleted - w.unknown_kp) & kps
        assert kps <= w.created | w.unknown_kp
        assert len(kps) <= QUOTA and w.max_keypairs_seen <= QUOTA
        assert w.counts["quota refused"] > 0 or len(w.created) < QUOTA

        # Instances: every acknowledged launch is visible; replayed tokens give the same IDs.
        assert set(w.instances) <= set(insts)
        for token, params, ids in w.tokens[:10]:
            assert views[1].ok("RunInstances", **json.loads(params))["InstanceIdSets"]["InstanceIdSet"] == ids

        # Bindings: one key pair per instance, an existing one, and the last acknowledged write's.
        for k in kps:
            listed = views[1].ok("DescribeInstances", RegionId=REGION, KeyPairName=k, PageSize=100)["Instances"]["Instance"]
            assert {i["InstanceId"] for i in listed} == {i for i, v in insts.items() if v == k}
        for inst in w.instances:
            bound = insts[inst]
            assert bound == "" or bound in kps, f"{inst} is bound to {bound}, which does not exist"
            ops = w.writes[inst]
            if ops:
                assert bound in possible_final_values(ops), f"{inst}: bound {bound!r}, ops {ops}"
        owned = [i for v in w.owned.values() for i in v]
        exact = [i for i in owned if all(o.answered is not None for o in w.writes[i]) and len(w.writes[i]) > 1]
        assert exact, "no owned instance was written"
        for inst in exact:
            assert insts[inst] == max(w.writes[inst], key=lambda o: o.answered).value

        # Nonces after the kill: still one acceptance per nonce.
        assert nonce_races([nodes[0], fresh], account, rounds=10) == [1] * 10
    finally:
        for s in nodes + ([fresh] if fresh else []):
            s.stop()


def test_throughput(pg_url, tmp_path):
    """The same mix for a few seconds: SQLite, one PostgreSQL node, two PostgreSQL nodes."""
    results = {}
    for label, store, count in [("sqlite, 1 node", f"sqlite:{tmp_path / 'bench.sqlite'}", 1),
                                ("postgres, 1 node", pg_url, 1), ("postgres, 2 nodes", pg_url, 2)]:
        account = Account()
        nodes = start_nodes(store, account, count)
        try:
            w, rate = run_load(nodes, account, BENCH_SECONDS)
            assert not w.unexpected, "unexpected answers:\n" + "\n".join(w.unexpected[:20])
            results[label] = (rate, w.calls)
        finally:
            for s in nodes:
                s.stop()
    binary = os.environ.get("LOCALECS_BIN", str(REPO / ".build" / "debug" / "localecs"))
    lines = [f"mixed workload, {CLIENTS} client threads, {BENCH_SECONDS:.0f} s each, binary {pathlib.Path(binary).parent.name}:"]
    lines += [f"  {label:<18} {rate:8.0f} calls/s  ({calls} calls)" for label, (rate, calls) in results.items()]
    text = "\n".join(lines)
    print("\n" + text)
    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "multinode.txt").write_text(text + "\n")


class Proxy:
    """A TCP proxy on a fixed local port that can be cut (listener and connections closed) and restored."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = 0
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> "Proxy":
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        with self.lock:
            self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                if listener is not self.listener:   # cut meanwhile
                    client.close()
                    upstream.close()
                    return
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        with self.lock:
            listener, self.listener = self.listener, None
            try:
                listener.shutdown(socket.SHUT_RDWR)   # wakes the thread blocked in accept() and stops listening
            except OSError:
                pass
            listener.close()
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self.sockets = []


def test_database_outage_is_503_then_recovers(pg_url):
    u = urllib.parse.urlsplit(pg_url)
    proxy = Proxy(u.hostname or "127.0.0.1", u.port or 5432).start()
    proxied = u._replace(netloc=f"{u.username or ''}{'@' if u.username else ''}127.0.0.1:{proxy.port}").geturl()
    account = Account()
    node = Server(proxied, env=account.env(LOCALECS_PG_POOL_SIZE="3"), args=["--transition-delay", "0"]).start()
    try:
        c = Client(node.port, account)
        c.ok("ImportKeyPair", RegionId=REGION, KeyPairName="before-outage", PublicKeyBody=PUBLIC_KEY)
        # Calls at once, so that the node has several connections open when they are cut.
        burst = [threading.Thread(target=lambda: Client(node.port, account).ok("DescribeKeyPairs", RegionId=REGION))
                 for _ in range(6)]
        for t in burst:
            t.start()
        for t in burst:
            t.join()

        proxy.cut()
        for i in range(6):
            status, body = c.call("ImportKeyPair", RegionId=REGION, KeyPairName=f"during-{i}", PublicKeyBody=PUBLIC_KEY)
            assert (status, body.get("Code")) == (503, "ServiceUnavailable"), body
            status, body = c.call("DescribeKeyPairs", RegionId=REGION)
            assert (status, body.get("Code")) == (503, "ServiceUnavailable"), body

        proxy.start()   # the same port again
        deadline = time.monotonic() + 10
        while True:
            status, body = c.call("DescribeKeyPairs", RegionId=REGION)
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert status == 200, body
        assert [k["KeyPairName"] for k in body["KeyPairs"]["KeyPair"]] == ["before-outage"]
        c.ok("ImportKeyPair", RegionId=REGION, KeyPairName="after-outage", PublicKeyBody=PUBLIC_KEY)
        assert node.proc.poll() is None
    finally:
        node.stop()
        if proxy.listener:
            proxy.cut()
