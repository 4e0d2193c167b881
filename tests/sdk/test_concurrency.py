"""Many official clients at once hammering Attach/Detach/Reboot/Delete (and key-pair churn) over a few
instances, then checking that the state is one the acknowledged calls could have produced
(decisions.md: "Concurrent Attach/Detach on the same instance never leave a state that neither call
would produce"; a bound key pair cannot be deleted; a deleted instance stays deleted).

The check is a linearizability check on each instance's binding. Every call takes effect at one
moment between the client sending it and receiving the answer. So the final binding must be the
value written by some successful write W (an attach of pair P writes P, a detach writes "") that no
other successful write is known to follow, i.e. no other successful write on that instance *started*
after W's answer arrived. Failed outcomes change nothing and are not writes.
"""
from __future__ import annotations

import collections
import json
import random
import threading
import time

from conftest import REGION, ApiError, Sdk, admin_instance, describe_one, run_linux, unique, wait_status

THREADS = 18
DURATION = 5.0          # at least this long…
MAX_DURATION = 12.0     # …and on a loaded machine, longer, until MIN_CALLS calls were answered
MIN_CALLS = 400
INSTANCES = 8
DELETABLE = 3           # the first DELETABLE instances get force-deleted part-way through
KEY_PAIRS = THREADS // 2  # two threads share each key pair, so deletes race with attaches

MISSING_INSTANCE = "i-doesnotexist000000000"


def test_parallel_bindings_stay_linearizable(server):
    setup = Sdk("v3", server.endpoint)
    kps = [unique("cc") for _ in range(KEY_PAIRS)]
    for kp in kps:
        setup.call("CreateKeyPair", RegionId=REGION, KeyPairName=kp)
    ids = run_linux(setup, INSTANCES)
    for i in ids:
        wait_status(setup, i, "Running")
    deletable, keep = ids[:DELETABLE], ids[DELETABLE:]

    lock = threading.Lock()
    writes: dict[str, list[tuple[float, float, str]]] = {i: [] for i in ids}   # (sent, answered, value)
    not_found: dict[str, list[tuple[float, float]]] = {i: [] for i in ids}     # per-instance NotFound answers
    ok_after_delete: list[tuple[str, float]] = []
    deleted: dict[str, tuple[float, float]] = {}
    unexpected: list[str] = []
    counts: collections.Counter = collections.Counter()
    t0 = time.monotonic()

    def going() -> bool:
        elapsed = time.monotonic() - t0
        if elapsed < DURATION:
            return True
        with lock:
            return elapsed < MAX_DURATION and sum(counts.values()) < MIN_CALLS

    def fail(what: str):
        with lock:
            unexpected.append(what)

    def worker(n: int):
        rng = random.Random(n)
        sdk = Sdk(("v3", "v1", "old")[n % 3], server.endpoint)
        kp = kps[n % KEY_PAIRS]

        def call(action, allowed: set[tuple[str, int]], **params):
            sent = time.monotonic()
            try:
                body = sdk.call(action, **params)
                outcome = "ok"
            except ApiError as e:
                body, outcome = None, (e.code, e.status)
                if e.status is None or int(e.status) >= 500:
                    fail(f"{action} {params}: {e.status} {e.code} {e.message}")
                elif outcome not in allowed:
                    fail(f"{action} {params}: unexpected {e.status} {e.code} {e.message}")
            except Exception as e:   # transport failures, unparsable answers…
                body, outcome = None, ("exception", 0)
                fail(f"{action} {params}: {type(e).__name__}: {e}")
            answered = time.monotonic()
            with lock:
                counts[(action, outcome if outcome == "ok" else outcome[0])] += 1
            return body, sent, answered

        def force_delete(iid):
            body, sent, answered = call("DeleteInstance", {("InvalidInstanceId.NotFound", 404)}, InstanceId=iid, Force=True)
            if body is not None:
                with lock:
                    if iid in deleted:
                        unexpected.append(f"DeleteInstance {iid} succeeded twice")
                    deleted[iid] = (sent, answered)

        def due() -> list[str]:
            return [d for k, d in enumerate(deletable) if time.monotonic() - t0 > 0.8 + 1.2 * k]

        kp_gone = {("InvalidKeyPairName.NotFound", 400)}
        scheduled = set()
        while going():
            if n == 0:
                # Thread 0 makes sure each deletable instance is force-deleted once its turn has come.
                for iid in due():
                    if iid not in scheduled:
                        scheduled.add(iid)
                        force_delete(iid)
            r = rng.random()
            if r < 0.70:
                action = "AttachKeyPair" if rng.random() < 0.5 else "DetachKeyPair"
                targets = rng.sample(ids, rng.randint(1, 3))
                if rng.random() < 0.1:
                    targets.append(MISSING_INSTANCE)
                body, sent, answered = call(action, kp_gone, RegionId=REGION, KeyPairName=kp,
                                            InstanceIds=json.dumps(targets))
                if body is None:
                    continue
                results = body["Results"]["Result"]
                if [x["InstanceId"] for x in results] != targets or body["TotalCount"] != str(len(targets)) or \
                        body["FailCount"] != str(sum(1 for x in results if x["Success"] != "true")):
                    fail(f"{action} {targets}: malformed answer {body}")
                    continue
                with lock:
                    for x in results:
                        iid, code = x["InstanceId"], x["Code"]
                        if code == "200" and x["Success"] == "true" and iid in writes:
                            writes[iid].append((sent, answered, kp if action == "AttachKeyPair" else ""))
                            ok_after_delete.append((iid, sent))
                        elif code == "InvalidInstanceId.NotFound" and x["Success"] == "false":
                            if iid in not_found:
                                not_found[iid].append((sent, answered))
                        elif code == "InvalidKeyPair.NotAttached" and action == "DetachKeyPair" and x["Success"] == "false":
                            pass
                        else:
                            unexpected.append(f"{action} {iid}: unexpected result {x}")
            elif r < 0.82:
                iid = rng.choice(ids)
                call("RebootInstance", {("InvalidInstanceId.NotFound", 404)} if iid in deletable else set(), InstanceId=iid)
            elif r < 0.88:
                # Without Force a Running instance refuses; a deleted one is not found.
                iid = rng.choice(ids)
                allowed = {("IncorrectInstanceStatus", 403)} | ({("InvalidInstanceId.NotFound", 404)} if iid in deletable else set())
                body, _, _ = call("DeleteInstance", allowed, InstanceId=iid)
                if body is not None:
                    fail(f"DeleteInstance {iid} without Force succeeded on a Running instance")
            elif r < 0.93:
                # Racing force-deletes of instances whose turn has come (one every ~1.2 s): one wins.
                candidates = due()
                if candidates:
                    force_delete(rng.choice(candidates))
            else:
                # Key-pair churn: delete our (shared) pair when nothing holds it, then bring it back.
                body, _, _ = call("DeleteKeyPairs", {("InvalidParameter.KeypairAlreadyAttachedInstance", 400)},
                                  RegionId=REGION, KeyPairNames=json.dumps([kp]))
                if body is not None:
                    call("CreateKeyPair", {("KeyPair.AlreadyExist", 400)}, RegionId=REGION, KeyPairName=kp)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(MAX_DURATION + 60)
    assert not any(t.is_alive() for t in threads), "a client hung"

    print("calls:", dict(counts))
    assert unexpected == [], "\n".join(unexpected[:20])
    total = sum(counts.values())
    attaches = sum(v for (a, o), v in counts.items() if a == "AttachKeyPair" and o == "ok")
    detaches = sum(v for (a, o), v in counts.items() if a == "DetachKeyPair" and o == "ok")
    reboots = sum(v for (a, o), v in counts.items() if a == "RebootInstance" and o == "ok")
    assert total >= 200 and attaches >= 30 and detaches >= 30 and reboots >= 5, dict(counts)
    assert set(deleted) == set(deletable), f"deleted {sorted(deleted)} of {deletable}; counts {dict(counts)}"

    # Deleted instances stay deleted; nothing answered success for them after their deletion was acknowledged,
    # and nothing called them unknown before their deletion was sent.
    for iid, (del_sent, del_answered) in deleted.items():
        late = [s for (j, s) in ok_after_delete if j == iid and s > del_answered]
        assert late == [], f"{iid}: {len(late)} binding successes sent after its deletion was acknowledged"
        early = [(s, a) for (s, a) in not_found[iid] if a < del_sent]
        assert early == [], f"{iid}: reported unknown before its deletion was sent"
        assert describe_one(setup, iid) is None
        assert admin_instance(server, iid) is None
    for iid in keep:
        assert not_found[iid] == [], f"{iid} (never deleted) was reported unknown"
    listed = setup.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps(ids), PageSize=100)["Instances"]["Instance"]
    assert sorted(i["InstanceId"] for i in listed) == sorted(keep)

    # Every surviving binding is one a last acknowledged write could have left.
    final = {i["InstanceId"]: i["KeyPairName"] for i in listed}
    for iid in keep:
        ws = writes[iid]
        if not ws:
            allowed = {""}
        else:
            allowed = {v for (s, a, v) in ws if not any(s2 > a for (s2, _, _) in ws)}
        assert final[iid] in allowed, f"{iid}: final binding {final[iid]!r} is none of the possible last writes {allowed}"

    # No binding to a key pair that no longer exists.
    existing = {kp for kp in kps if setup.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=kp)["TotalCount"] == 1}
    for iid in keep:
        if final[iid]:
            assert final[iid] in existing, f"{iid} is bound to deleted key pair {final[iid]}"
    # A pair still bound cannot be deleted; an unbound one can.
    for kp in kps:
        holders = [i for i in keep if final[i] == kp]
        if kp not in existing:
            assert not holders
            continue
        if holders:
            try:
                setup.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([kp]))
                raise AssertionError(f"{kp} was deleted while bound to {holders}")
            except ApiError as e:
                assert (e.code, e.status) == ("InvalidParameter.KeypairAlreadyAttachedInstance", 400)

    # The binding and its pending-effect marker were written together: the admin view agrees with
    # DescribeInstances, and one more reboot puts every binding into effect.
    for iid in keep:
        a = admin_instance(server, iid)
        assert (a["BoundKeyPair"] or "") == final[iid]
        assert a["PasswordSet"] is False and a["PasswordLoginEffective"] is False, a
        assert a["RestartPending"] is ((a["EffectiveKeyPair"] or "") != final[iid]), a
        setup.call("RebootInstance", InstanceId=iid)
        wait_status(setup, iid, "Running")
        a = admin_instance(server, iid)
        assert (a["BoundKeyPair"] or "", a["EffectiveKeyPair"] or "", a["RestartPending"]) == (final[iid], final[iid], False)

    # The storm allows several endings, so the check above admits a set. A serialized coda in a
    # known order pins one exact outcome per instance, through the same nodes the storm used.
    a_kp, b_kp = unique("pinA"), unique("pinB")
    for kp in (a_kp, b_kp):
        setup.call("CreateKeyPair", RegionId=REGION, KeyPairName=kp)
    for iid in keep:
        setup.call("AttachKeyPair", RegionId=REGION, KeyPairName=a_kp, InstanceIds=json.dumps([iid]))
        setup.call("AttachKeyPair", RegionId=REGION, KeyPairName=b_kp, InstanceIds=json.dumps([iid]))
        r = setup.call("DetachKeyPair", RegionId=REGION, KeyPairName=a_kp, InstanceIds=json.dumps([iid]))["Results"]["Result"][0]
        assert r["Code"] == "InvalidKeyPair.NotAttached", r
    pinned = setup.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps(keep), PageSize=100)["Instances"]["Instance"]
    assert {i["InstanceId"]: i["KeyPairName"] for i in pinned} == {iid: b_kp for iid in keep}
    for iid in keep:
        assert admin_instance(server, iid)["BoundKeyPair"] == b_kp
