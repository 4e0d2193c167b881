"""Metrics and structured logs (issue 14): `GET /metrics` parsed with prometheus-client's text
parser; counters move by exactly the calls made; `--log-format json` logs every call at info."""
from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import AK, BIN, REGION, SECRET, Server, unique
from test_faults import add_rule, admin, raw


@pytest.fixture(scope="module")
def mserver(tmp_path_factory):
    store = os.environ.get("LOCALECS_TEST_STORE") or f"sqlite:{tmp_path_factory.mktemp('metrics') / 'localecs.sqlite'}"
    s = Server(store, args=["--transition-delay", "0"]).start()
    yield s
    s.stop()


def scrape(server: Server) -> dict:
    """{(name, frozenset(labels)): value} for every sample, after checking the content type."""
    with urllib.request.urlopen(server.url + "/metrics", timeout=10) as r:
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = r.read().decode()
    samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples[(s.name, frozenset(s.labels.items()))] = s.value
    return samples


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_request_counters_move_by_exactly_the_calls_made(mserver):
    before = scrape(mserver)
    for _ in range(7):
        assert raw(mserver, "DescribeRegions")[0] == 200
    for _ in range(3):
        assert raw(mserver, "DescribeKeyPairs", RegionId=REGION, PageNumber="0")[0] == 400
    assert raw(mserver, "NoSuchAction")[0] == 404
    after = scrape(mserver)
    ok = dict(product="ecs", action="DescribeRegions", code="OK")
    assert value(after, "localecs_requests_total", **ok) - value(before, "localecs_requests_total", **ok) == 7
    bad = dict(product="ecs", action="DescribeKeyPairs", code="InvalidParameter")
    assert value(after, "localecs_requests_total", **bad) - value(before, "localecs_requests_total", **bad) == 3
    unknown = dict(product="-", action="-", code="InvalidAction.NotFound")
    assert value(after, "localecs_requests_total", **unknown) - value(before, "localecs_requests_total", **unknown) == 1
    # The latency histogram counted the same calls, and its buckets are cumulative up to +Inf.
    h = "localecs_request_duration_seconds"
    assert value(after, h + "_count", action="DescribeRegions") - value(before, h + "_count", action="DescribeRegions") == 7
    assert value(after, h + "_bucket", action="DescribeRegions", le="+Inf") == value(after, h + "_count", action="DescribeRegions")
    assert value(after, h + "_sum", action="DescribeRegions") > 0
    assert value(after, "localecs_requests_in_flight") == 0
    # Store transactions were timed (a read per DescribeKeyPairs at least; writes for nonces are not transactions).
    assert value(after, "localecs_store_transaction_duration_seconds_count", kind="read") > \
        value(before, "localecs_store_transaction_duration_seconds_count", kind="read")
    assert ("localecs_store_transaction_retries_total", frozenset()) in after


def test_faults_and_throttling_are_counted(mserver):
    before = scrape(mserver)
    add_rule(mserver, Action="DescribeRegions", Code="ServiceUnavailable", Count=2)
    add_rule(mserver, Action="DescribeImages", LatencyMs=5, Count=1)
    for _ in range(3):
        raw(mserver, "DescribeRegions")
    raw(mserver, "DescribeImages", RegionId=REGION)
    assert admin(mserver, "PUT", "/_localecs/rate-limits", {"Limits": ["ecs:DescribeInstances=1/2"]})[0] == 200
    try:
        statuses = [raw(mserver, "DescribeInstances", RegionId=REGION)[0] for _ in range(5)]
    finally:
        admin(mserver, "PUT", "/_localecs/rate-limits", {"Limits": []})
        admin(mserver, "DELETE", "/_localecs/faults")
    throttled = statuses.count(400)
    assert throttled >= 2
    after = scrape(mserver)
    diff = lambda name, **l: value(after, name, **l) - value(before, name, **l)
    assert diff("localecs_faults_injected_total", effect="error") == 2
    assert diff("localecs_faults_injected_total", effect="latency") == 1
    assert diff("localecs_throttled_total", product="ecs", action="DescribeInstances") == throttled
    assert diff("localecs_requests_total", product="ecs", action="DescribeRegions", code="ServiceUnavailable") == 2
    assert diff("localecs_requests_total", product="ecs", action="DescribeInstances", code="Throttling.User") == throttled


def test_no_metrics_turns_the_route_off(tmp_path):
    s = Server("memory", args=["--no-metrics"]).start()
    try:
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(s.url + "/metrics", timeout=10)
        assert info.value.code == 404
        assert raw(s, "DescribeRegions")[0] == 200
    finally:
        s.stop()


def test_json_logs_carry_request_id_action_account_code_and_latency(tmp_path):
    s = Server("memory", env={"LOCALECS_LOG_LEVEL": "info"}, args=["--log-format", "json"]).start()
    try:
        _, _, ok = raw(s, "DescribeRegions")
        _, _, bad = raw(s, "DescribeKeyPairs", RegionId=REGION, PageNumber="0")
        time.sleep(0.2)
    finally:
        s.stop()
    entries = [json.loads(line) for line in s.output if line.startswith("{")]
    assert entries, "".join(s.output)
    assert all({"time", "level", "label", "message"} <= set(e) for e in entries)
    by_id = {e.get("requestId"): e for e in entries}
    first, second = by_id[ok["RequestId"]], by_id[bad["RequestId"]]
    assert (first["level"], first["action"], first["code"], first["status"]) == ("info", "DescribeRegions", "OK", "200")
    assert first["account"] == "1000000000000042" and float(first["ms"]) >= 0
    assert (second["action"], second["code"], second["status"]) == ("DescribeKeyPairs", "InvalidParameter", "400")
    assert first["time"].endswith("Z")


def test_bad_log_format_and_metrics_env_are_refused():
    p = subprocess.run([str(BIN), "serve", "--port", "0", "--store", "memory", "--log-format", "xml"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode != 0 and "--log-format must be text or json" in p.stderr
    p = subprocess.run([str(BIN), "serve", "--port", "0", "--store", "memory"], capture_output=True, text=True, timeout=30,
                       env={**os.environ, "LOCALECS_METRICS": "yes"})
    assert p.returncode != 0 and "LOCALECS_METRICS must be 0 or 1" in p.stderr
