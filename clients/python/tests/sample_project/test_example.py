"""Three tests against LocalECS, each starting from an empty state.

pip install pytest-localecs alibabacloud-ecs20140526 alibabacloud-ram20150501
LOCALECS_BIN=/path/to/localecs pytest
"""
import json

import pytest
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_ram20150501 import models as ram

# Every test in this file starts from an empty state: the root account and its key, nothing else.
pytestmark = pytest.mark.localecs_fresh

IMAGE = "ubuntu_22_04_x64_20G_alibase_20240101.vhd"


def test_create_key_pair(ecs_client, localecs):
    created = ecs_client.create_key_pair(ecs.CreateKeyPairRequest(region_id=localecs.region, key_pair_name="deploy"))
    assert created.body.private_key_body.startswith("-----BEGIN")

    listed = ecs_client.describe_key_pairs(ecs.DescribeKeyPairsRequest(region_id=localecs.region))
    assert [k.key_pair_name for k in listed.body.key_pairs.key_pair] == ["deploy"]


def test_run_instance_with_key_pair(ecs_client, localecs):
    # The key pair of the previous test is gone: this test starts from an empty state.
    listed = ecs_client.describe_key_pairs(ecs.DescribeKeyPairsRequest(region_id=localecs.region))
    assert listed.body.total_count == 0

    ecs_client.create_key_pair(ecs.CreateKeyPairRequest(region_id=localecs.region, key_pair_name="deploy"))
    run = ecs_client.run_instances(ecs.RunInstancesRequest(
        region_id=localecs.region, image_id=IMAGE, instance_type="ecs.g7.large", key_pair_name="deploy", amount=1))
    (instance_id,) = run.body.instance_id_sets.instance_id_set

    described = ecs_client.describe_instances(ecs.DescribeInstancesRequest(
        region_id=localecs.region, instance_ids=json.dumps([instance_id])))
    (instance,) = described.body.instances.instance
    assert instance.status == "Running"          # transitions are instant under the plugin
    assert instance.key_pair_name == "deploy"


def test_ram_user(ram_client):
    ram_client.create_user(ram.CreateUserRequest(user_name="ci-bot"))
    users = ram_client.list_users(ram.ListUsersRequest())
    assert [u.user_name for u in users.body.users.user] == ["ci-bot"]
