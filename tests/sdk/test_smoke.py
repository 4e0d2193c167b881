"""The smallest end-to-end proof: each official client signs, calls and parses a real answer."""
from conftest import REGION, unique


def test_create_describe_delete_round_trip(sdk):
    name = unique()
    created = sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=name)
    assert created["KeyPairName"] == name
    assert created["PrivateKeyBody"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    listed = sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name)
    assert listed["TotalCount"] == 1
    assert listed["KeyPairs"]["KeyPair"][0]["KeyPairFingerPrint"] == created["KeyPairFingerPrint"]
    sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=f'["{name}"]')
    assert sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name)["TotalCount"] == 0
