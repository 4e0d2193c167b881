"""reset(), export() and load() of the `localecs` fixture; no marker: state carries over until reset."""
import pytest
from alibabacloud_ecs20140526 import models as ecs

from pytest_localecs import LocalECSError


def key_pair_names(ecs_client, region):
    body = ecs_client.describe_key_pairs(ecs.DescribeKeyPairsRequest(region_id=region, page_size=50)).body
    return sorted(k.key_pair_name for k in body.key_pairs.key_pair)


def test_export_load_round_trip(ecs_client, localecs, tmp_path):
    localecs.reset()
    ecs_client.create_key_pair(ecs.CreateKeyPairRequest(region_id=localecs.region, key_pair_name="fixture-key"))
    estate = localecs.export()
    assert estate["format"] == "localecs-estate/1"
    (account,) = [a for a in estate["accounts"] if a["id"] == localecs.account_id]
    assert [k["name"] for k in account["keyPairs"]] == ["fixture-key"]

    path = tmp_path / "estate.json"
    import json
    path.write_text(json.dumps(estate))
    localecs.reset()
    assert key_pair_names(ecs_client, localecs.region) == []
    localecs.load(path)
    assert key_pair_names(ecs_client, localecs.region) == ["fixture-key"]
    assert localecs.export() == estate


def test_state_carries_over_without_reset(ecs_client, localecs):
    assert key_pair_names(ecs_client, localecs.region) == ["fixture-key"]


def test_load_without_replace_refuses_a_non_empty_store(localecs):
    with pytest.raises(LocalECSError, match="409 StateNotEmpty"):
        localecs.load(localecs.export(), replace=False)


def test_fresh_fixture_starts_empty(localecs_fresh, ecs_client):
    assert key_pair_names(ecs_client, localecs_fresh.region) == []
    assert [a["id"] for a in localecs_fresh.export()["accounts"]] == [localecs_fresh.account_id]
