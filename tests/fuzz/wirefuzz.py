#!/usr/bin/env python3
"""Wire fuzzer: correctly signed requests generated from the declaration table, against a live server.

    python tests/fuzz/wirefuzz.py --requests 100000 --seed 1 --bin .build/release/localecs

Starts its own `localecs serve` (memory store, instant transitions), reads the declaration table
from `localecs-bench actions-json` (next to --bin unless --bench says otherwise), creates a few
real resources so that deep paths are reached, then sends --requests requests over keep-alive
connections. Request i is generated from Random("SEED:i") alone, so `--only i` replays it.

Pass: every answer is < 500 with a RequestId (and a Code when it is an error), the health route
answers throughout, the server stays up and its peak RSS stays under --max-rss-mib. On a failure
the requests in flight are replayed one by one on a fresh server to name the culprit, and the
reproducer is printed. Exit status 1 on any failure.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import pathlib
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import fuzzgen  # noqa: E402
import signing  # noqa: E402

REGION = "cn-hangzhou"
ROOT_AK, ROOT_SECRET = "LTAI5tWireFuzzRoot0001", "WireFuzzRootSecret0123456789abcd"
ACCOUNT = "1000000000000042"


class Server:
    """A `localecs serve --store memory` on a free port, with its output kept for the report."""

    def __init__(self, binary: str):
        env = {**os.environ, "LOCALECS_ACCOUNT_ID": ACCOUNT, "LOCALECS_ACCESS_KEY_ID": ROOT_AK,
               "LOCALECS_ACCESS_KEY_SECRET": ROOT_SECRET, "LOCALECS_LOG_LEVEL": "error",
               "SWIFT_BACKTRACE": "symbolicate=fast,limit=16,top=0,sanitize=no"}  # a quick crash report
        self.proc = subprocess.Popen([binary, "serve", "--port", "0", "--store", "memory", "--transition-delay", "0"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True,
                                     errors="replace")
        self.output: list[str] = []
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.output.append(line)
            m = re.search(r"LocalECS listening on http://([^:\s]+):(\d+)", line)
            if m:
                self.host, self.port = m.group(1), int(m.group(2))
                threading.Thread(target=self._drain, daemon=True).start()
                return
        raise RuntimeError("server did not start:\n" + "".join(self.output))

    def _drain(self):
        for line in self.proc.stdout:
            self.output.append(line)
            del self.output[:-2000]  # bounded; a crash report is a few hundred lines

    def alive(self) -> bool:
        return self.proc.poll() is None

    def dead_within(self, seconds: float) -> bool:
        try:
            self.proc.wait(seconds)
            return True
        except subprocess.TimeoutExpired:
            return False

    def rss_kib(self) -> tuple[int, int]:
        """(VmRSS, VmHWM) in KiB from /proc, (0, 0) once the process is gone."""
        try:
            text = pathlib.Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return 0, 0
        found = [re.search(rf"^{k}:\s+(\d+)", text, re.M) for k in ("VmRSS", "VmHWM")]
        return tuple(int(m.group(1)) if m else 0 for m in found)  # a zombie has neither

    def stop(self):
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Conn:
    """One keep-alive connection; reopened after the server closes it."""

    def __init__(self, server: Server):
        self.server, self.c = server, None

    def send(self, req: signing.Wire) -> tuple[int, bytes]:
        for attempt in (0, 1):
            if self.c is None:
                self.c = http.client.HTTPConnection(self.server.host, self.server.port, timeout=60)
            try:
                self.c.request(req.method, req.target, body=req.body, headers=req.headers)
                r = self.c.getresponse()
                data = r.read()
                if r.getheader("connection", "").lower() == "close":
                    self.close()
                return r.status, data
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt == 1 or not self.server.alive():
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.c:
            self.c.close()
        self.c = None


def crash_report(output: list[str]) -> str:
    """The trap message and the crashing thread's first frames of a Swift crash report, if any."""
    text = [line for line in output if line.strip()]
    head = [line for line in text if re.search(r"Fatal error|Program crashed", line)][:2]
    for k, line in enumerate(text):
        if re.search(r"Thread \d+ .*crashed:", line):
            return "".join(head + text[k:k + 6])
    return "".join(head)


def check_answer(status: int, data: bytes) -> str | None:
    """Why an answer breaks the pass condition, or None. XML or JSON by the body: a junk or duplicate
    `Format` parameter legitimately changes the format asked for."""
    if status >= 500:
        return f"HTTP {status}"
    if data.startswith(b"<?xml"):
        text = data.decode("utf-8", "replace")
        if "<RequestId>" not in text:
            return "XML answer without RequestId"
        if status >= 400 and "<Code>" not in text:
            return "XML error without Code"
        return None
    try:
        body = json.loads(data)
    except ValueError:
        return "answer is not JSON"
    if not isinstance(body, dict) or not body.get("RequestId"):
        return "answer without RequestId"
    if status >= 400 and not body.get("Code"):
        return "error without Code"
    return None


def call(conn: Conn, creds: signing.Creds, action: str, version: str, params: list) -> dict:
    """A setup call: must succeed."""
    req = signing.sign("v1", conn.server, creds, action, version, params, nonce=f"setup-{time.time_ns()}")
    status, data = conn.send(req)
    body = json.loads(data)
    if status != 200:
        raise RuntimeError(f"setup {action} failed: {status} {body}")
    return body


def setup(server: Server) -> fuzzgen.Pools:
    """Real resources for deep paths: key pairs, instances, a RAM user allowed ECS and STS, a role."""
    conn, root = Conn(server), signing.Creds(ROOT_AK, ROOT_SECRET, None)
    ecs, ram, sts = "2014-05-26", "2015-05-01", "2015-04-01"
    pools = fuzzgen.Pools(region=REGION, account=ACCOUNT)
    for i in range(10):
        call(conn, root, "CreateKeyPair", ecs, [("RegionId", REGION), ("KeyPairName", f"kp-fz-{i}")])
        pools.key_pairs.append(f"kp-fz-{i}")
    body = call(conn, root, "RunInstances", ecs, [("RegionId", REGION), ("ImageId", fuzzgen.IMAGES[0]),
                                                  ("InstanceType", fuzzgen.INSTANCE_TYPES[0]), ("Amount", "20")])
    pools.instances.extend(body["InstanceIdSets"]["InstanceIdSet"])
    doc = json.dumps({"Version": "1", "Statement": [
        {"Effect": "Allow", "Action": ["ecs:*", "sts:AssumeRole", "ram:Get*", "ram:List*"], "Resource": "*"}]})
    call(conn, root, "CreateUser", ram, [("UserName", "fz-user")])
    call(conn, root, "CreatePolicy", ram, [("PolicyName", "fz-policy"), ("PolicyDocument", doc)])
    call(conn, root, "AttachPolicyToUser", ram, [("PolicyType", "Custom"), ("PolicyName", "fz-policy"), ("UserName", "fz-user")])
    key = call(conn, root, "CreateAccessKey", ram, [("UserName", "fz-user")])["AccessKey"]
    user = signing.Creds(key["AccessKeyId"], key["AccessKeySecret"], None)
    trust = json.dumps({"Version": "1", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"RAM": [f"acs:ram::{ACCOUNT}:root"]}}]})
    role = call(conn, root, "CreateRole", ram, [("RoleName", "fz-role"), ("AssumeRolePolicyDocument", trust)])["Role"]
    call(conn, root, "AttachPolicyToRole", ram, [("PolicyType", "Custom"), ("PolicyName", "fz-policy"), ("RoleName", "fz-role")])
    cred = call(conn, user, "AssumeRole", sts, [("RoleArn", role["Arn"]), ("RoleSessionName", "fz")])["Credentials"]
    pools.users, pools.policies, pools.roles, pools.role_arns = ["fz-user"], ["fz-policy"], ["fz-role"], [role["Arn"]]
    pools.access_keys = [key["AccessKeyId"]]
    pools.creds = [root, user, signing.Creds(cred["AccessKeyId"], cred["AccessKeySecret"], cred["SecurityToken"])]
    conn.close()
    return pools


class Run:
    """Sends the listed requests over `connections` threads; stops at the first failure (with
    --keep-going, at the first crash, health or memory failure)."""

    def __init__(self, args, actions, server: Server, pools: fuzzgen.Pools, indices: list[int]):
        self.args, self.actions, self.server, self.pools = args, actions, server, pools
        self.indices, self.next, self.lock = indices, 0, threading.Lock()
        self.sent, self.covered, self.statuses = 0, set(), {}
        self.failure: tuple[str, list] | None = None  # what stopped the run: (why, candidate requests)
        self.failures: list[tuple[str, list]] = []
        self.in_flight: dict[int, fuzzgen.Generated] = {}
        self.peak_rss = 0

    def take(self) -> int | None:
        with self.lock:
            if self.failure or self.next >= len(self.indices):
                return None
            self.next += 1
            return self.indices[self.next - 1]

    def fail(self, why: str, candidates: list, fatal: bool = True):
        """Records a failure; with --keep-going only a dead server or health failure stops the run."""
        with self.lock:
            self.failures.append((why, candidates))
            if fatal or not self.args.keep_going:
                self.failure = self.failure or (why, candidates)

    def worker(self):
        conn = Conn(self.server)
        while (i := self.take()) is not None:
            g = fuzzgen.generate(self.args.seed, i, self.actions, self.pools)
            req = signing.sign(g.shape, self.server, g.creds, g.action, g.version, g.params, nonce=f"fz-{self.args.seed}-{i}",
                               encoding=g.encoding, xml=g.xml)
            with self.lock:
                self.in_flight[i] = g
            try:
                status, data = conn.send(req)
            except (OSError, http.client.HTTPException) as e:
                with self.lock:
                    flight = list(self.in_flight.values())
                if self.server.dead_within(15):  # a crashing server first writes its crash report
                    self.fail(f"server died (exit {self.server.proc.returncode})", flight)
                else:
                    self.fail(f"no answer: {e!r}", [g])
                return
            with self.lock:
                del self.in_flight[i]
                self.sent += 1
                self.covered.add((g.version, g.action))
                self.statuses[status] = self.statuses.get(status, 0) + 1
            why = check_answer(status, data)
            if why:
                self.fail(f"{why}: {data[:300]!r}", [g], fatal=False)
                if self.failure:
                    return
            if i % self.args.health_every == 0:
                try:
                    c = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
                    c.request("GET", "/_localecs/health")
                    r = c.getresponse()
                    r.read()
                    c.close()
                    if r.status != 200:
                        self.fail(f"health answered {r.status}", [])
                        return
                except (OSError, http.client.HTTPException) as e:
                    self.fail(f"health did not answer: {e!r}", list(self.in_flight.values()))
        conn.close()

    def sample_rss(self):
        while self.server.alive() and not self.done:
            rss, hwm = self.server.rss_kib()
            self.peak_rss = max(self.peak_rss, rss, hwm)
            if self.peak_rss > self.args.max_rss_mib * 1024:
                self.fail(f"RSS {self.peak_rss // 1024} MiB over --max-rss-mib {self.args.max_rss_mib}", [])
            time.sleep(0.2)

    def go(self):
        self.done = False
        sampler = threading.Thread(target=self.sample_rss, daemon=True)
        sampler.start()
        threads = [threading.Thread(target=self.worker) for _ in range(self.args.connections)]
        for t in threads:
            t.start()
        last = time.time()
        while any(t.is_alive() for t in threads):
            time.sleep(0.5)
            if self.args.progress and time.time() - last > 10:
                last = time.time()
                print(f"wirefuzz: {self.sent} sent, RSS peak {self.peak_rss // 1024} MiB", file=sys.stderr)
        self.done = True
        sampler.join()
        rss, hwm = self.server.rss_kib()
        self.peak_rss = max(self.peak_rss, rss, hwm)


def culprit(args, actions, candidates: list) -> fuzzgen.Generated | None:
    """Replays each candidate alone on a fresh server; the first that kills it (or 5xx) is the culprit."""
    for g in candidates:
        server = Server(args.bin)
        try:
            run = Run(args, actions, server, setup(server), [g.index])
            run.go()
            if run.failures:
                return g
        finally:
            server.stop()
    return None


def main(argv=None) -> int:
    here = pathlib.Path(__file__).resolve()
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--requests", type=int, default=5000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--bin", default=os.environ.get("LOCALECS_BIN", str(here.parents[2] / ".build" / "release" / "localecs")))
    p.add_argument("--bench", help="localecs-bench, for the declaration table (default: next to --bin)")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--health-every", type=int, default=500)
    p.add_argument("--max-rss-mib", type=int, default=1024)
    p.add_argument("--only", help="comma-separated request indices to send (a reproducer)")
    p.add_argument("--actions", help="comma-separated action names to fuzz (default: every declared action)")
    p.add_argument("--keep-going", action="store_true", help="report every bad answer; stop only on a crash or health failure")
    p.add_argument("--progress", action="store_true")
    args = p.parse_args(argv)

    bench = args.bench or str(pathlib.Path(args.bin).with_name("localecs-bench"))
    actions = json.loads(subprocess.run([bench, "actions-json"], check=True, capture_output=True, text=True).stdout)["Actions"]
    if args.actions:
        actions = [a for a in actions if a["Name"] in args.actions.split(",")]
    indices = [int(x) for x in args.only.split(",")] if args.only else list(range(args.requests))
    started = time.time()
    server = Server(args.bin)
    try:
        run = Run(args, actions, server, setup(server), indices)
        run.go()
        tail = crash_report(server.output)
        errors = sorted({re.sub(r"\d+", "N", re.sub(r"^.*?\] ", "", line.strip()))  # one line per kind
                         for line in server.output if "internal error" in line})
    finally:
        server.stop()
    elapsed = time.time() - started
    crashes = 1 if run.failure and run.failure[0].startswith("server died") else 0
    five = sum(n for s, n in run.statuses.items() if s >= 500)
    print(f"wirefuzz: {run.sent} requests, {len(run.covered)} actions (of {len(actions)}), {crashes} crashes, "
          f"{five} 5xx, peak RSS {run.peak_rss // 1024} MiB, {elapsed:.0f} s (seed {args.seed})")
    if not run.failures:
        return 0
    if tail.strip():
        print("server crash report:\n" + tail, file=sys.stderr)
    if errors:
        print("server internal errors:\n  " + "\n  ".join(errors), file=sys.stderr)
    seen = set()
    for why, candidates in run.failures:  # one reproducer per kind of failure and action
        key = (why.split(":")[0], candidates[0].action if candidates else None)
        if key not in seen:
            seen.add(key)
            report(args, actions, here, why, candidates)
    print(f"wirefuzz: {len(run.failures)} failures in {len(seen)} kinds", file=sys.stderr)
    return 1


def report(args, actions, here: pathlib.Path, why: str, candidates: list):
    print(f"wirefuzz: FAILED: {why}", file=sys.stderr)
    if not candidates:
        return
    g = candidates[0] if len(candidates) == 1 else culprit(args, actions, candidates)
    if g is None:
        print(f"wirefuzz: no single request of {len(candidates)} in flight reproduces it alone:", file=sys.stderr)
        for c in candidates:
            print(c.describe(args.seed), file=sys.stderr)
        return
    print("reproducer:\n" + g.describe(args.seed), file=sys.stderr)
    print(f"replay: python {here.relative_to(here.parents[2])} --bin {args.bin} --seed {args.seed} --only {g.index}",
          file=sys.stderr)

if __name__ == "__main__":
    sys.exit(main())
