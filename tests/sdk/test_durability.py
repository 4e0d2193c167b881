"""Durability under load (issue 9, part 4): SIGKILL while 32 clients write, restart, check.

Each round: 32 threads of the official new SDK (V3 and V1 signing, no automatic retries) run
ImportKeyPair, CreateKeyPair, AttachKeyPair, DetachKeyPair, DeleteKeyPairs and RAM CreateUser /
DeleteUser against one server; at a seeded random moment the server is SIGKILLed; it is
restarted on the same store and every outcome the clients saw is checked:
- every acknowledged create is there (key pairs with the same fingerprint), every acknowledged
  delete is gone, every refused write is absent;
- a write whose outcome is unknown (connection cut, or 503: possibly committed) is either fully
  there (an imported key pair with its fingerprint, a user with its display name) or absent;
- nothing else exists; every instance is bound to no key pair or to one that exists; its binding
  is one the acknowledged or unknown Attach/Detach calls could have left;
- on SQLite, read from the file after the kill: the quota counter row equals COUNT(*), no
  instance is bound to a missing key pair, no policy attachment names a missing user, and
  `PRAGMA integrity_check` is ok.
State accumulates over the rounds (one store, one tracker). 10 rounds on SQLite; 10 on PostgreSQL
(under scripts/with-postgres), plus a test that kills the PostgreSQL server itself while clients
run: calls during the gap get 503 ServiceUnavailable (no other 5xx, none hangs), and the node
recovers by itself once PostgreSQL is back.

LOCALECS_DURABILITY_ROUNDS (10), LOCALECS_DURABILITY_SECONDS (1.5 s of load per round) and
LOCALECS_DURABILITY_SEED (9) tune it.
"""
from __future__ import annotations

import collections
import json
import os
import random
import shlex
import sqlite3
import subprocess
import threading
import time
import urllib.parse
import uuid

import pytest

from conftest import INSTANCE_TYPE, LINUX_IMAGE, REGION, ApiError, Sdk, Server
from test_multinode import PUBLIC_KEY, Account, Op, possible_final_values

ROUNDS = int(os.environ.get("LOCALECS_DURABILITY_ROUNDS", "10"))
SECONDS = float(os.environ.get("LOCALECS_DURABILITY_SECONDS", "1.5"))
SEED = int(os.environ.get("LOCALECS_DURABILITY_SEED", "9"))
CLIENTS = 32
PG_URL = os.environ.get("LOCALECS_TEST_POSTGRES_URL", "")
RAM = "2015-05-01"


class Unknown(Exception):
    """The call's outcome is unknown: no answer, or 503 (the write may have committed before it)."""


def call(sdk: Sdk, action: str, **params) -> dict:
    """The SDK call. Unknown for no answer or 503 (it may have committed); ApiError otherwise,
    which the tracker records as unexpected unless the caller expects that code."""
    try:
        return sdk.call(action, **params)
    except ApiError as e:
        if e.code is None or e.status is None or (int(e.status) == 503 and e.code == "ServiceUnavailable"):
            raise Unknown(f"{e.status} {e.code}") from None
        raise
    except Exception as e:  # noqa: BLE001 - any transport failure of either SDK
        raise Unknown(repr(e)) from None


class Tracker:
    """What the clients were told, across all rounds."""

    WEIGHTS = {"import": 24, "create": 3, "attach": 20, "detach": 14, "delete": 14, "user": 12, "deluser": 8, "policy": 8,
               "describe": 5}
    POLICY = dict(PolicyType="System", PolicyName="AliyunECSReadOnlyAccess")

    def __init__(self, instances: list[str]):
        self.lock = threading.Lock()
        self.instances = instances
        self.kp: dict[str, str] = {}            # name → "created" | "deleted" | "refused" | "unknown-create" | "unknown-delete"
        self.fingerprint: dict[str, str] = {}   # acknowledged name → fingerprint
        self.imported: set[str] = set()         # names sent with PUBLIC_KEY (their fingerprint is known)
        self.users: dict[str, str] = {}         # same states, for RAM users
        self.policy: dict[str, str] = {}        # user → "attached" | "detached" | "unknown" (POLICY)
        self.writes: dict[str, list[Op]] = collections.defaultdict(list)
        for i in instances:
            self.writes[i].append(Op(0.0, 0.0, ""))
        self.counts: collections.Counter = collections.Counter()
        self.unexpected: list[str] = []
        self.public_fp: str | None = None

    def live(self, table: dict) -> list[str]:
        return [n for n, s in table.items() if s == "created"]

    def one(self, sdk: Sdk, rnd: random.Random) -> None:
        kind = rnd.choices(list(self.WEIGHTS), weights=list(self.WEIGHTS.values()))[0]
        try:
            getattr(self, "do_" + kind)(sdk, rnd)
        except ApiError as e:
            with self.lock:
                self.unexpected.append(f"{kind}: {e}")
        with self.lock:
            self.counts[kind] += 1

    def do_import(self, sdk, rnd, create=False):
        name = f"du-{uuid.uuid4().hex[:12]}"
        with self.lock:
            self.kp[name] = "unknown-create"
            if not create:
                self.imported.add(name)
        try:
            if create:
                body = call(sdk, "CreateKeyPair", RegionId=REGION, KeyPairName=name)
            else:
                body = call(sdk, "ImportKeyPair", RegionId=REGION, KeyPairName=name, PublicKeyBody=PUBLIC_KEY)
        except Unknown:
            return
        with self.lock:
            self.kp[name] = "created"
            self.fingerprint[name] = body["KeyPairFingerPrint"]

    def do_create(self, sdk, rnd):
        self.do_import(sdk, rnd, create=True)

    def do_delete(self, sdk, rnd):
        with self.lock:
            live = self.live(self.kp)
            if len(live) < 8:
                return
            name = rnd.choice(live)
            self.kp[name] = "unknown-delete"
        try:
            call(sdk, "DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name]))
        except Unknown:
            return
        except ApiError as e:
            with self.lock:
                self.kp[name] = "created"   # still there (bound to an instance)
            if e.code != "InvalidParameter.KeypairAlreadyAttachedInstance":
                raise
            return
        with self.lock:
            self.kp[name] = "deleted"

    def do_attach(self, sdk, rnd, detach=False):
        with self.lock:
            live = self.live(self.kp)
            if not live:
                return
            inst = rnd.choice(self.instances)
            kp = rnd.choice(live)
            if detach:
                done = [o for o in self.writes[inst] if o.answered]
                kp = (max(done, key=lambda o: o.answered).value if done else "") or kp
        sent = time.monotonic()
        try:
            body = call(sdk, "DetachKeyPair" if detach else "AttachKeyPair", RegionId=REGION, KeyPairName=kp,
                        InstanceIds=json.dumps([inst]))
        except Unknown:
            with self.lock:
                self.writes[inst].append(Op(sent, None, "" if detach else kp))
            return
        except ApiError as e:
            if e.code in ("InvalidKeyPairName.NotFound",):   # raced with a delete
                return
            raise
        r = body["Results"]["Result"][0]
        ok = r["Success"] in (True, "true")
        if ok:
            with self.lock:
                self.writes[inst].append(Op(sent, time.monotonic(), "" if detach else kp))
        elif r["Code"] not in ("InvalidKeyPair.NotAttached",):
            with self.lock:
                self.unexpected.append(f"attach/detach {inst} {kp}: {r}")

    def do_detach(self, sdk, rnd):
        self.do_attach(sdk, rnd, detach=True)

    def do_user(self, sdk, rnd):
        name = f"du{uuid.uuid4().hex[:12]}"
        with self.lock:
            self.users[name] = "unknown-create"
        try:
            call(sdk.ram, "CreateUser", UserName=name, DisplayName=f"D{name}")
        except Unknown:
            return
        with self.lock:
            self.users[name] = "created"

    def do_deluser(self, sdk, rnd):
        with self.lock:
            live = self.live(self.users)
            if len(live) < 4:
                return
            name = rnd.choice(live)
            self.users[name] = "unknown-delete"
        try:
            if self.policy.get(name, "detached") != "detached":   # RAM refuses to delete a user with policies
                self.policy[name] = "unknown"
                try:
                    call(sdk.ram, "DetachPolicyFromUser", UserName=name, **self.POLICY)
                except ApiError as e:
                    if e.code != "EntityNotExist.User.Policy":
                        raise
                self.policy[name] = "detached"
            call(sdk.ram, "DeleteUser", UserName=name)
        except Unknown:
            return
        except ApiError:
            with self.lock:
                self.users[name] = "created"
            raise
        with self.lock:
            self.users[name] = "deleted"

    def do_policy(self, sdk, rnd):
        """Attaches the system policy to a live user (which only this thread then deletes or detaches)."""
        with self.lock:
            live = [u for u in self.live(self.users) if self.policy.get(u, "detached") == "detached"]
            if not live:
                return
            name = rnd.choice(live)
            self.users[name] = "busy"   # neither deleted nor given a policy by another thread meanwhile
            self.policy[name] = "unknown"
        try:
            call(sdk.ram, "AttachPolicyToUser", UserName=name, **self.POLICY)
            with self.lock:
                self.policy[name] = "attached"
        except Unknown:
            pass
        finally:
            with self.lock:
                self.users[name] = "created"

    def do_describe(self, sdk, rnd):
        try:
            call(sdk, "DescribeKeyPairs", RegionId=REGION, PageSize=1)
        except Unknown:
            pass


def clients(endpoint: str, account: Account | None) -> list[Sdk]:
    out = []
    for t in range(CLIENTS):
        kind = "v3" if t % 2 == 0 else "v1"
        kw = {"ak": account.ak, "secret": account.secret} if account else {}
        s = Sdk(kind, endpoint, **kw)
        s.ram = Sdk(kind, endpoint, version=RAM, **kw)
        out.append(s)
    return out


def run_round(server: Server, tracker: Tracker, account: Account | None, rnd: random.Random,
              during=None) -> None:
    """Load for SECONDS with a SIGKILL at a random moment within it (or `during` instead of a kill)."""
    sdks = clients(server.endpoint, account)
    stop = threading.Event()

    def worker(t: int):
        r = random.Random(rnd.random())
        while not stop.is_set():
            tracker.one(sdks[t], r)
    threads = [threading.Thread(target=worker, args=(t,), daemon=True) for t in range(CLIENTS)]
    for t in threads:
        t.start()
    if during:
        during()
    else:
        time.sleep(rnd.uniform(0.3, SECONDS))
        server.kill()
    stop.set()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a client thread hangs"


def list_all(sdk: Sdk) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(key pair → fingerprint, instance → bound key pair or "", user → display name)."""
    kps, page = {}, 1
    while True:
        body = sdk.call("DescribeKeyPairs", RegionId=REGION, PageSize=50, PageNumber=page)
        for kp in body["KeyPairs"]["KeyPair"]:
            kps[kp["KeyPairName"]] = kp["KeyPairFingerPrint"]
        if page * 50 >= body["TotalCount"]:
            assert len(kps) == body["TotalCount"], "DescribeKeyPairs' TotalCount differs from what it lists"
            break
        page += 1
    insts, page = {}, 1
    while True:
        body = sdk.call("DescribeInstances", RegionId=REGION, PageSize=100, PageNumber=page)
        for i in body["Instances"]["Instance"]:
            insts[i["InstanceId"]] = i.get("KeyPairName") or ""
        if page * 100 >= body["TotalCount"]:
            break
        page += 1
    users, marker = {}, None
    while True:
        body = sdk.ram.call("ListUsers", MaxItems=1000, **({"Marker": marker} if marker else {}))
        for u in body["Users"]["User"]:
            users[u["UserName"]] = u.get("DisplayName", "")
        if not body.get("IsTruncated"):
            break
        marker = body["Marker"]
    return kps, insts, users


def check(tracker: Tracker, sdk: Sdk, round_no: int) -> None:
    assert not tracker.unexpected, "unexpected answers:\n" + "\n".join(tracker.unexpected[:20])
    kps, insts, users = list_all(sdk)
    ours = {n: f for n, f in kps.items() if n.startswith("du-")}
    for name, state in tracker.kp.items():
        present = name in ours
        if state == "created":
            assert present, f"round {round_no}: acknowledged key pair {name} is missing"
            assert ours[name] == tracker.fingerprint[name], f"{name}: fingerprint changed"
        elif state == "deleted":
            assert not present, f"round {round_no}: acknowledged delete of {name} did not stick"
        elif state == "unknown-delete":
            if present:
                assert ours[name] == tracker.fingerprint[name]
        elif state == "unknown-create" and present and name in tracker.imported:
            assert ours[name] == tracker.public_fp, f"{name} is half-imported: {ours[name]}"
    assert set(ours) <= set(tracker.kp), f"key pairs nobody asked for: {set(ours) - set(tracker.kp)}"
    # Resolve the doubt now that it is settled, so that later rounds check it exactly.
    for name, state in list(tracker.kp.items()):
        if state.startswith("unknown"):
            tracker.counts["in doubt: " + ("applied" if (name in ours) == (state == "unknown-create") else "not applied")] += 1
            tracker.kp[name] = "created" if name in ours else "deleted"
            if name in ours:
                tracker.fingerprint[name] = ours[name]
    for inst in tracker.instances:
        bound = insts[inst]
        assert bound == "" or bound in kps, f"round {round_no}: {inst} is bound to {bound}, which does not exist"
        assert bound in possible_final_values(tracker.writes[inst]), f"{inst}: bound {bound!r}, writes {tracker.writes[inst]}"
        # Settled: the binding now is the one value later rounds start from.
        tracker.writes[inst] = [Op(0.0, 0.0, bound)]
    for name, state in list(tracker.users.items()):
        present = name in users
        if state == "created":
            assert present, f"round {round_no}: acknowledged user {name} is missing"
        elif state == "deleted":
            assert not present, f"round {round_no}: acknowledged delete of user {name} did not stick"
        if present:
            assert users[name] == f"D{name}", f"user {name} is half-created: {users[name]!r}"
        if state.startswith("unknown"):
            tracker.users[name] = "created" if present else "deleted"
    assert {u for u in users if u.startswith("du")} <= set(tracker.users)
    for name, state in list(tracker.policy.items()):
        if tracker.users.get(name) != "created":
            tracker.policy.pop(name)
            continue
        attached = any(p["PolicyName"] == Tracker.POLICY["PolicyName"]
                       for p in sdk.ram.call("ListPoliciesForUser", UserName=name)["Policies"]["Policy"])
        if state != "unknown":
            assert attached == (state == "attached"), f"round {round_no}: {name}'s acknowledged policy {state} did not stick"
        tracker.policy[name] = "attached" if attached else "detached"


def check_sqlite_file(path: str) -> None:
    """Invariants straight from the file the killed server left (SQLite recovers its WAL on open)."""
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counted = dict(((a, r), n) for a, r, n in db.execute("SELECT account_id, region_id, n FROM key_pair_counts"))
        real = dict(((a, r), n) for a, r, n in db.execute("SELECT account_id, region_id, COUNT(*) FROM key_pairs GROUP BY 1, 2"))
        assert {k: v for k, v in counted.items() if v} == real, f"quota counters {counted} != counts {real}"
        orphans = db.execute("""SELECT i.id, i.bound_key_pair FROM instances i WHERE i.bound_key_pair IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM key_pairs k WHERE k.account_id = i.account_id AND k.region_id = i.region_id
                            AND k.name = i.bound_key_pair)""").fetchall()
        assert not orphans, f"instances bound to deleted key pairs: {orphans}"
        dangling = db.execute("""SELECT p.user_name FROM user_policies p WHERE NOT EXISTS
            (SELECT 1 FROM users u WHERE u.account_id = p.account_id AND u.name = p.user_name)""").fetchall()
        assert not dangling, f"policy attachments of deleted users: {dangling}"
    finally:
        db.close()


def setup(server: Server, account: Account | None) -> Tracker:
    sdk = clients(server.endpoint, account)[0]
    ids = sdk.call("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType=INSTANCE_TYPE,
                   Amount=16)["InstanceIdSets"]["InstanceIdSet"]
    tracker = Tracker(ids)
    probe = f"du-probe-{uuid.uuid4().hex[:6]}"
    tracker.public_fp = sdk.call("ImportKeyPair", RegionId=REGION, KeyPairName=probe, PublicKeyBody=PUBLIC_KEY)["KeyPairFingerPrint"]
    tracker.kp[probe] = "created"
    tracker.fingerprint[probe] = tracker.public_fp
    return tracker


def rounds(store: str, account: Account | None, env: dict, sqlite_path: str | None) -> None:
    rnd = random.Random(SEED)
    server = Server(store, env=env, args=["--transition-delay", "0"]).start()
    try:
        tracker = setup(server, account)
        for n in range(1, ROUNDS + 1):
            run_round(server, tracker, account, rnd)
            if sqlite_path:
                check_sqlite_file(sqlite_path)
            server.start()
            check(tracker, clients(server.endpoint, account)[0], n)
        c = tracker.counts
        assert c["in doubt: applied"] + c["in doubt: not applied"] > 0, "no write was in doubt at a kill"
        print(f"\n{ROUNDS} rounds, {sum(c.values())} calls: {dict(c)}; {len(tracker.live(tracker.kp))} key pairs, "
              f"{len(tracker.live(tracker.users))} users at the end")
        assert c["import"] > 5 * ROUNDS and c["attach"] > 5 * ROUNDS and c["user"] > 3 * ROUNDS, c
    finally:
        server.stop()


def test_sigkill_under_load_sqlite(tmp_path):
    path = str(tmp_path / "durable.sqlite")
    rounds(f"sqlite:{path}", None, {"LOCALECS_KEYPAIR_QUOTA": "100000"}, path)


@pytest.fixture(scope="module")
def pg_url() -> str:
    if not PG_URL:
        if os.environ.get("LOCALECS_REQUIRE_POSTGRES") == "1":
            pytest.fail("LOCALECS_REQUIRE_POSTGRES=1 but LOCALECS_TEST_POSTGRES_URL is not set (use scripts/with-postgres)")
        pytest.skip("LOCALECS_TEST_POSTGRES_URL is not set: run under scripts/with-postgres")
    return PG_URL


def test_sigkill_under_load_postgres(pg_url):
    account = Account()
    rounds(pg_url, account, account.env(LOCALECS_KEYPAIR_QUOTA="100000"), None)


class Postgres:
    """The scripts/with-postgres cluster, stopped as by a crash and started again with its own options."""

    def __init__(self):
        self.data = os.environ.get("LOCALECS_TEST_POSTGRES_DATA", "")
        self.bin = os.environ.get("LOCALECS_TEST_POSTGRES_BIN", "")
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def crash(self):
        subprocess.run([*self.run_as, f"{self.bin}/pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"],
                       check=True, capture_output=True, timeout=30)

    def start(self):
        # postmaster.opts holds the command line it was started with: the same port and socket folder.
        opts = shlex.split(open(os.path.join(self.data, "postmaster.opts")).read())
        args = opts[1:]
        if "-D" in args:
            i = args.index("-D")
            del args[i:i + 2]
        subprocess.run([*self.run_as, f"{self.bin}/pg_ctl", "-D", self.data, "-l", os.path.join(self.data, "..", "restart.log"),
                        "-w", "-t", "60", "-o", shlex.join(args), "start"], check=True, capture_output=True, timeout=90)


def test_postgres_killed_and_restarted_under_load(pg_url):
    pg = Postgres()
    if not (pg.data and pg.bin):
        pytest.skip("LOCALECS_TEST_POSTGRES_DATA/BIN are not set (scripts/with-postgres sets them)")
    account = Account()
    server = Server(pg_url, env=account.env(LOCALECS_KEYPAIR_QUOTA="100000"), args=["--transition-delay", "0"]).start()
    try:
        tracker = setup(server, account)
        probe = clients(server.endpoint, account)[0]
        gap: list[tuple[float, str]] = []

        def outage():
            time.sleep(0.5)
            pg.crash()
            t0 = time.monotonic()
            while time.monotonic() - t0 < 1.5:       # the gap: every answer is 503, none hangs
                s = time.monotonic()
                try:
                    probe.call("DescribeKeyPairs", RegionId=REGION)
                    gap.append((time.monotonic() - s, "200"))
                except ApiError as e:
                    gap.append((time.monotonic() - s, f"{e.status} {e.code}"))
                time.sleep(0.05)
            pg.start()
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                try:
                    probe.call("DescribeKeyPairs", RegionId=REGION)
                    break
                except ApiError:
                    time.sleep(0.2)
            time.sleep(0.5)   # load again on the recovered node

        run_round(server, tracker, account, random.Random(SEED), during=outage)
        answers = collections.Counter(a for _, a in gap)
        print(f"\nPostgreSQL down {len(gap)} probes: {dict(answers)}; slowest {max(t for t, _ in gap) * 1000:.0f} ms; {dict(tracker.counts)}")
        assert set(answers) <= {"503 ServiceUnavailable"}, answers
        assert max(t for t, _ in gap) < 5, "a call hung while PostgreSQL was down"
        assert server.proc.poll() is None, "the node died with PostgreSQL"
        check(tracker, probe, 1)
        # And a node restarted afterwards sees the same.
        server.restart()
        check(tracker, clients(server.endpoint, account)[0], 2)
    finally:
        server.stop()
