"""Flow control (issue 14): per-account token buckets set by `--rate-limit` / LOCALECS_RATE_LIMITS and
`/_localecs/rate-limits`. Over the limit a call gets 400 `Throttling.User` with `x-acs-retry-after`
(ms) and changes nothing."""
from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import AK, BIN, REGION, SECRET, Server, unique
from test_faults import admin, new_sdk_client, raw

PUBLIC_KEY = ("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBK10A0GgtJwZg4XgiAA90ud5u+zTVHt2I+8u"
              "eLcCGQPn4xA8m7onGlVIv0OyC9BTQcMuF0e7sacy+QLJhRl/NJ4= t")


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    store = os.environ.get("LOCALECS_TEST_STORE") or f"sqlite:{tmp_path_factory.mktemp('flow') / 'localecs.sqlite'}"
    s = Server(store, args=["--transition-delay", "0", "--rate-limit", "ecs:ImportKeyPair=50"]).start()
    yield s
    s.stop()


def names_present(server, names: list[str]) -> set[str]:
    found = set()
    for i in range(0, len(names), 50):
        chunk = names[i:i + 50]
        # DescribeKeyPairs takes one exact name; a shared prefix and a wildcard lists them in one page.
        for n in chunk:
            _, _, body = raw(server, "DescribeKeyPairs", RegionId=REGION, KeyPairName=n)
            found.update(k["KeyPairName"] for k in body["KeyPairs"]["KeyPair"])
    return found


def test_200_calls_at_50_per_second_throttle_about_150_and_change_nothing(limited):
    names = [unique("fc") for _ in range(200)]
    results: list[tuple[str, int, dict, dict]] = []
    lock = threading.Lock()

    def worker(part):
        for n in part:
            status, headers, body = raw(limited, "ImportKeyPair", RegionId=REGION, KeyPairName=n, PublicKeyBody=PUBLIC_KEY)
            with lock:
                results.append((n, status, headers, body))
    threads = [threading.Thread(target=worker, args=(names[i::8],)) for i in range(8)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    ok = [r for r in results if r[1] == 200]
    throttled = [r for r in results if r[1] != 200]
    print(f"200 calls in {elapsed:.2f} s: {len(ok)} admitted, {len(throttled)} throttled")
    assert elapsed < 1.5, "the calls must fit in about one second for the count to mean anything"
    # A full bucket of 50, refilled at 50/s while the calls ran.
    assert 50 <= len(ok) <= 50 + 50 * elapsed + 1
    assert len(throttled) >= 200 - (50 + 50 * elapsed + 1)
    for _, status, headers, body in throttled:
        assert (status, body["Code"]) == (400, "Throttling.User")
        assert body["Message"] == "Request was denied due to user flow control."
        assert 1 <= int(headers["x-acs-retry-after"]) <= 1000
        assert "x-localecs-fault" not in headers
    assert names_present(limited, names) == {r[0] for r in ok}


def test_other_actions_are_not_limited(limited):
    statuses = [raw(limited, "DescribeRegions")[0] for _ in range(80)]
    assert statuses == [200] * 80


def test_new_sdk_sees_throttling_exception_and_retry_options_wait_it_out(limited):
    from alibabacloud_ecs20140526 import models
    from alibabacloud_tea_openapi.exceptions import ThrottlingException
    assert admin(limited, "PUT", "/_localecs/rate-limits", {"Limits": ["ecs:DescribeKeyPairs=2/1"]}) == \
        (200, {"Limits": ["ecs:DescribeKeyPairs=2/1"]})
    try:
        client = new_sdk_client(limited)
        req = models.DescribeKeyPairsRequest(region_id=REGION)
        client.describe_key_pairs(req)
        with pytest.raises(ThrottlingException) as info:
            client.describe_key_pairs(req)
        assert info.value.code == "Throttling.User" and 1 <= info.value.retry_after <= 500
        patient = new_sdk_client(limited, {"retryable": True, "retryCondition": [
            {"maxAttempts": 3, "exception": ["ThrottlingException"], "maxDelay": 2000}]})
        assert patient.describe_key_pairs(req).body.request_id
        # ImportKeyPair's limit was replaced: it is no longer limited.
        assert all(raw(limited, "ImportKeyPair", RegionId=REGION, KeyPairName=unique(), PublicKeyBody=PUBLIC_KEY)[0] == 200
                   for _ in range(60))
    finally:
        admin(limited, "PUT", "/_localecs/rate-limits", {"Limits": ["ecs:ImportKeyPair=50"]})


def test_product_wide_limit_and_off(limited):
    try:
        assert admin(limited, "PUT", "/_localecs/rate-limits", {"Limits": ["ecs:*=1/3"]})[0] == 200
        statuses = [raw(limited, a)[0] for a in ("DescribeRegions", "DescribeRegions", "DescribeRegions", "DescribeRegions")]
        assert statuses == [200, 200, 200, 400]
        assert admin(limited, "PUT", "/_localecs/rate-limits", {"Limits": []}) == (200, {"Limits": []})
        assert [raw(limited, "DescribeRegions")[0] for _ in range(10)] == [200] * 10
    finally:
        admin(limited, "PUT", "/_localecs/rate-limits", {"Limits": ["ecs:ImportKeyPair=50"]})


@pytest.mark.parametrize("body,fragment", [
    ({"Limits": ["DescribeRegions"]}, "expected [PRODUCT:]ACTION=RATE[/BURST]"),
    ({"Limits": ["foo:DescribeRegions=1"]}, "the product must be ecs, ram or sts"),
    ({"Limits": ["DescribeRegions=0"]}, "the rate must be"),
    ({"Limits": ["DescribeRegions=nan"]}, "the rate must be"),
    ({"Limits": ["DescribeRegions=5/0"]}, "the burst must be"),
    ({"Limits": ["DescribeRegions=5/99999999999999999999"]}, "the burst must be"),
    ({"Limits": "x"}, "the body must be"),
])
def test_bad_limits_are_refused_and_change_nothing(limited, body, fragment):
    status, answer = admin(limited, "PUT", "/_localecs/rate-limits", body)
    assert (status, answer["Code"]) == (400, "InvalidRateLimit") and fragment in answer["Message"], answer
    assert admin(limited, "GET", "/_localecs/rate-limits") == (200, {"Limits": ["ecs:ImportKeyPair=50/50"]})


def test_bad_flag_stops_the_server_with_a_reason(tmp_path):
    p = subprocess.run([str(BIN), "serve", "--port", "0", "--store", "memory", "--rate-limit", "ecs:X=-1"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode != 0 and "the rate must be" in p.stderr
    env = {**os.environ, "LOCALECS_RATE_LIMITS": "ecs:X=1/0"}
    p = subprocess.run([str(BIN), "serve", "--port", "0", "--store", "memory"], capture_output=True, text=True, timeout=30, env=env)
    assert p.returncode != 0 and "the burst must be" in p.stderr
