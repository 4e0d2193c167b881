"""footmark (PyPI, the library behind Ansible's ali_instance and friends) drives LocalECS end to end:
key pairs, instances with user data and a chosen system disk, describe, stop/start/reboot, key pair
attach/detach, DescribeUserData, DescribeDisks, delete.

footmark builds a fresh AcsClient per call and has no endpoint option; the old core SDK's
process-wide endpoint hook points every one of them here (clients.md §5). It turns each response
into objects by setting attributes in the order of the JSON keys, and its Instance setters read
`EipAddress` while handling `PublicIpAddress`: with the keys out of the reference's order, every
DescribeInstances that lists an instance ended in a RecursionError.
"""
from __future__ import annotations

import base64
import json
import uuid

import footmark.ecs.connection as footmark_ecs  # pinned in requirements.txt: a missing one fails, never skips
import pytest

from conftest import AK, INSTANCE_TYPE, LINUX_IMAGE, REGION, SECRET

SCRIPT = "#!/bin/sh\necho footmark > /tmp/hello\n"


@pytest.fixture
def ecs(server):
    from aliyunsdkcore.endpoint.default_endpoint_resolver import DefaultEndpointResolver
    resolver = DefaultEndpointResolver.predefined_endpoint_resolver
    resolver.put_endpoint_entry(REGION, "ecs", server.endpoint)
    yield footmark_ecs.ECSConnection(acs_access_key_id=AK, acs_secret_access_key=SECRET, region=REGION)


def test_footmark_flow(ecs):
    name = "fm-" + uuid.uuid4().hex[:8]
    other = "fm-" + uuid.uuid4().hex[:8]
    kp = ecs.create_key_pair(key_pair_name=name)
    assert kp.key_pair_name == name and kp.private_key_body.startswith("-----BEGIN RSA PRIVATE KEY-----")
    ecs.create_key_pair(key_pair_name=other)
    assert [k.name for k in ecs.describe_key_pairs(key_pair_name=name)] == [name]

    user_data = base64.b64encode(SCRIPT.encode()).decode()
    instances = ecs.run_instances(image_id=LINUX_IMAGE, instance_type=INSTANCE_TYPE, key_pair_name=name,
                                  instance_name=name, user_data=user_data, system_disk_category="cloud_essd",
                                  system_disk_size=50, amount=1, tags={"team": "fm"})
    [inst] = instances
    iid = inst.id
    assert (inst.name, inst.status, inst.key_name, inst.image_id) == (name, "running", name, LINUX_IMAGE)
    assert inst.tags == {"team": "fm"}
    # The public address is the instance's own loopback address, where its SSH endpoint listens (issue 11).
    assert inst.private_ip_address and inst.vpc_id == "" and inst.public_ip_address.startswith("127.")
    assert inst.instance_type == INSTANCE_TYPE and inst.cpu == 2 and inst.memory == 8192

    assert ecs.describe_user_data(instance_id=iid).user_data == user_data
    [disk] = ecs.describe_disks(instance_id=iid)
    assert (disk.id, disk.instance_id, disk.type, disk.category, disk.size, disk.status) == \
        ("d-" + iid[2:], iid, "system", "cloud_essd", 50, "in_use")
    assert disk.delete_on_termination is True

    assert ecs.stop_instances(instance_ids=[iid], force_stop=True)
    assert ecs.describe_instances(instance_ids=[iid])[0].status == "stopped"
    assert ecs.start_instances(instance_ids=[iid])
    assert ecs.describe_instances(instance_ids=[iid])[0].status == "running"

    assert ecs.detach_key_pair(instance_ids=[iid], key_pair_name=name)
    assert ecs.describe_instances(instance_ids=[iid])[0].key_name == ""
    assert ecs.attach_key_pair(instance_ids=[iid], key_pair_name=other)
    assert ecs.reboot_instances(instance_ids=[iid], force_stop=False)
    [after] = ecs.describe_instances(instance_ids=[iid])
    assert (after.status, after.key_name) == ("running", other)

    assert ecs.delete_instances(instance_ids=[iid], force=True)
    assert ecs.describe_instances(instance_ids=[iid]) == []
    assert ecs.describe_disks(instance_id=iid) == []
    # footmark passes key_pair_names through as given: ECS wants a JSON array (a Python list would be
    # sent as "['a', 'b']" and refused, by ECS as by LocalECS, with footmark retrying for 5 minutes).
    assert ecs.delete_key_pair(key_pair_names=json.dumps([name, other]))
    assert ecs.describe_key_pairs(key_pair_name=name) == []
