from alibabacloud_ecs20140526 import models as ecs


def test_fails_on_purpose(ecs_client, localecs):
    ecs_client.describe_key_pairs(ecs.DescribeKeyPairsRequest(region_id=localecs.region))
    assert False, "failing on purpose, to show the server log in the report"
