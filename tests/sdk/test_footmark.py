"""footmark (PyPI, the library behind Ansible's ali_instance and friends) drives LocalECS end to end:
a VPC and a vSwitch (footmark's VPC connection, which waits on DescribeVpcAttribute and
DescribeVSwitchAttributes), a security group allowing SSH, key pairs, an instance in the vSwitch
with the group, user data and a chosen system disk, describe, join/leave a second group,
stop/start/reboot, key pair attach/detach, DescribeUserData, DescribeDisks, delete, and the
network torn down again.

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

import ipaddress

import footmark.ecs.connection as footmark_ecs  # pinned in requirements.txt: a missing one fails, never skips
import footmark.vpc.connection as footmark_vpc
import pytest

from conftest import AK, INSTANCE_TYPE, LINUX_IMAGE, REGION, SECRET

SCRIPT = "#!/bin/sh\necho footmark > /tmp/hello\n"


@pytest.fixture
def ecs(server):
    from aliyunsdkcore.endpoint.default_endpoint_resolver import DefaultEndpointResolver
    resolver = DefaultEndpointResolver.predefined_endpoint_resolver
    resolver.put_endpoint_entry(REGION, "ecs", server.endpoint)
    yield footmark_ecs.ECSConnection(acs_access_key_id=AK, acs_secret_access_key=SECRET, region=REGION)


@pytest.fixture
def vpc(server):
    from aliyunsdkcore.endpoint.default_endpoint_resolver import DefaultEndpointResolver
    DefaultEndpointResolver.predefined_endpoint_resolver.put_endpoint_entry(REGION, "vpc", server.endpoint)
    yield footmark_vpc.VPCConnection(acs_access_key_id=AK, acs_secret_access_key=SECRET, region=REGION)


def test_footmark_flow(ecs, vpc):
    name = "fm-" + uuid.uuid4().hex[:8]
    other = "fm-" + uuid.uuid4().hex[:8]
    network = vpc.create_vpc(cidr_block="10.8.0.0/16", vpc_name=name, description="footmark")
    assert (network.name, network.cidr_block, network.status) == (name, "10.8.0.0/16", "Available")
    subnet = vpc.create_vswitch(vpc_id=network.id, cidr_block="10.8.1.0/24", zone_id="cn-hangzhou-i", vswitch_name=name)
    assert (subnet.vpc_id, subnet.cidr_block, subnet.zone_id, subnet.status) == (network.id, "10.8.1.0/24", "cn-hangzhou-i", "Available")
    group = ecs.create_security_group(security_group_name=name, description="ssh", vpc_id=network.id)
    assert (group.security_group_name, group.vpc_id) == (name, network.id)
    assert ecs.authorize_security_group(security_group_id=group.security_group_id, ip_protocol="tcp", port_range="22/22",
                                        source_cidr_ip="0.0.0.0/0", policy="accept", priority=1, nic_type="intranet")
    [rule] = ecs.describe_security_group_attribute(security_group_id=group.security_group_id).permissions
    assert (rule["ip_protocol"].lower(), rule["port_range"], rule["source_cidr_ip"]) == ("tcp", "22/22", "0.0.0.0/0")
    spare = ecs.create_security_group(security_group_name=other, vpc_id=network.id)
    kp = ecs.create_key_pair(key_pair_name=name)
    assert kp.key_pair_name == name and kp.private_key_body.startswith("-----BEGIN RSA PRIVATE KEY-----")
    ecs.create_key_pair(key_pair_name=other)
    assert [k.name for k in ecs.describe_key_pairs(key_pair_name=name)] == [name]

    user_data = base64.b64encode(SCRIPT.encode()).decode()
    instances = ecs.run_instances(image_id=LINUX_IMAGE, instance_type=INSTANCE_TYPE, key_pair_name=name,
                                  instance_name=name, user_data=user_data, system_disk_category="cloud_essd",
                                  system_disk_size=50, amount=1, tags={"team": "fm"}, vswitch_id=subnet.id,
                                  security_group_id=group.security_group_id)
    [inst] = instances
    iid = inst.id
    assert (inst.name, inst.status, inst.key_name, inst.image_id) == (name, "running", name, LINUX_IMAGE)
    assert inst.tags == {"team": "fm"}
    # The public address is the instance's own loopback address, where its SSH endpoint listens (issue 11).
    assert inst.public_ip_address.startswith("127.")
    assert (inst.vpc_id, inst.vswitch_id, inst.zone_id) == (network.id, subnet.id, "cn-hangzhou-i")
    assert ipaddress.ip_address(inst.private_ip_address) in ipaddress.ip_network("10.8.1.0/24")
    assert inst.security_group_ids["security_group_id"] == [group.security_group_id]
    assert inst.instance_type == INSTANCE_TYPE and inst.cpu == 2 and inst.memory == 8192

    assert ecs.describe_user_data(instance_id=iid).user_data == user_data
    [disk] = ecs.describe_disks(instance_id=iid)
    assert (disk.id, disk.instance_id, disk.type, disk.category, disk.size, disk.status) == \
        ("d-" + iid[2:], iid, "system", "cloud_essd", 50, "in_use")
    assert disk.delete_on_termination is True

    assert ecs.join_security_group(instance_id=iid, security_group_id=spare.security_group_id)
    joined = ecs.describe_instances(instance_ids=[iid])[0].security_group_ids["security_group_id"]
    assert sorted(joined) == sorted([group.security_group_id, spare.security_group_id])
    assert ecs.leave_security_group(instance_id=iid, security_group_id=spare.security_group_id)
    assert ecs.describe_instances(instance_ids=[iid])[0].security_group_ids["security_group_id"] == [group.security_group_id]

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

    assert ecs.delete_security_group(security_group_id=spare.security_group_id)
    assert ecs.delete_security_group(security_group_id=group.security_group_id)
    assert vpc.delete_vswitch(vswitch_id=subnet.id)
    assert vpc.delete_vpc(vpc_id=network.id)
    assert vpc.describe_vpcs(vpc_id=network.id) == []
