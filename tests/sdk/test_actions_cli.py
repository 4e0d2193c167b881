"""`localecs actions [NAME] [--json]` and `GET /_localecs/actions`: the RAM tables and the declaration
table as the CLI and the server publish them, from the one declaration of each action."""
from __future__ import annotations

import json
import subprocess
import urllib.request

from conftest import BIN


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), "actions", *args], capture_output=True, text=True, timeout=60)


def test_detach_key_pair_table_as_the_seed_prints_it():
    out = cli("DetachKeyPair")
    assert out.returncode == 0, out.stderr
    header, first, second = out.stdout.splitlines()
    assert header.split() == ["Action", "Access", "level", "Resource", "type", "Condition", "key", "Dependent", "action"]
    assert first.split() == ["ecs:DetachKeyPair", "update", "*Instance",
                             "acs:ecs:{#regionId}:{#accountId}:instance/{#instanceId}", "None", "None"]
    assert second.split() == ["*KeyPair", "acs:ecs:{#regionId}:{#accountId}:keypair/{#keypairName}"]


def test_json_matches_what_the_server_publishes(server):
    with urllib.request.urlopen(f"{server.url}/_localecs/actions", timeout=10) as r:
        published = json.loads(r.read())["Actions"]
    products = {a["Product"] for a in published}
    assert products == {"ecs", "ram", "sts", "actiontrail", "vpc"}
    everything = json.loads(cli("--json").stdout)["Actions"]
    assert everything == published
    [one] = json.loads(cli("lookupevents", "--json").stdout)["Actions"]
    assert one["RAM"] == {"Action": "actiontrail:LookupEvents", "AccessLevel": "get",
                          "ResourceTypes": [{"Name": "All Resources", "ARN": "*", "Required": False}],
                          "ConditionKeys": [], "DependentActions": []}
    listing = cli().stdout.splitlines()
    assert len(listing) == len(published) and listing[0].split()[0] == "ecs:CreateKeyPair"
    # Every line has three columns, the longest names included.
    assert all(len(line.split()) == 3 for line in listing), [line for line in listing if len(line.split()) != 3]
    assert "ecs:DescribeInstanceMaintenanceAttributes" in [line.split()[0] for line in listing]


def test_unknown_action_says_where_to_look():
    out = cli("NoSuchAction")
    assert out.returncode != 0
    assert "no action named NoSuchAction" in out.stderr and "localecs actions" in out.stderr
