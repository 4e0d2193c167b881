"""Request authentication (protocol-and-ram.md §2.2–2.4, §3, §4; clients.md §3–4; decisions.md
"Signature"): V1 HMAC-SHA1 and V3 ACS3-HMAC-SHA256, timestamps, nonces, access keys. Raw HTTP
with signers of our own, plus the official SDKs with a wrong secret or key."""
from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import urllib.parse
import uuid

import pytest

from conftest import AK, REGION, SECRET, ApiError, Sdk, old_client, unique
from rawsign import pct, utc_timestamp as ts, v1_signature, v1_string_to_sign

MISMATCH_PREFIX = "Specified signature is not matched with our calculation. server string to sign is:"
INCOMPLETE_PREFIX = "The request signature does not conform to Aliyun standards. server string to sign is:"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


class Reply:
    def __init__(self, status, body: bytes):
        self.status, self.raw = status, body
        self.body = json.loads(body) if body[:1] == b"{" else None

    @property
    def code(self):
        return self.body and self.body.get("Code")

    def __repr__(self):
        return f"{self.status} {self.raw[:300]!r}"


def send(server, method, target, body=b"", headers=None) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
    try:
        conn.request(method, target, body=body, headers=headers or {})
        r = conn.getresponse()
        return Reply(r.status, r.read())
    finally:
        conn.close()


# ---------------------------------------------------------------------------- V1 (HMAC-SHA1)

def v1_signed(action: str, method: str = "GET", *, secret: str = SECRET, timestamp: str | None = None,
              nonce: str | None = None, sig_method: str = "HMAC-SHA1", drop=(), **params) -> dict:
    p = {"Action": action, "Version": "2014-05-26", "Format": "JSON", "AccessKeyId": AK,
         "SignatureMethod": sig_method, "SignatureVersion": "1.0", "SignatureNonce": nonce or uuid.uuid4().hex,
         "Timestamp": timestamp or ts(), **{k: str(v) for k, v in params.items()}}
    for k in drop:
        p.pop(k, None)
    p["Signature"] = v1_signature(method, p, secret)
    return p


def v1_send(server, params: dict, method: str = "GET") -> Reply:
    return send(server, method, "/?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote))


# ---------------------------------------------------------------------------- V3 (ACS3-HMAC-SHA256)

class V3Request:
    """A V3-signed POST / with parameters in the query, like the new SDK's (protocol-and-ram.md §4.3)."""

    def __init__(self, server, action: str, query: dict, *, body: bytes = b"", secret: str = SECRET,
                 date: str | None = None, nonce: str | None = None, signed: list[str] | None = None,
                 extra_headers: dict | None = None, algorithm: str = "ACS3-HMAC-SHA256"):
        self.server = server
        self.query = {k: str(v) for k, v in query.items()}
        self.body = body
        self.headers = {
            "host": server.endpoint, "x-acs-action": action, "x-acs-version": "2014-05-26",
            "x-acs-date": date or ts(), "x-acs-signature-nonce": nonce or uuid.uuid4().hex,
            "x-acs-content-sha256": hashlib.sha256(body).hexdigest(), "accept": "application/json",
            "user-agent": "localecs-tests/1.0", **(extra_headers or {}),
        }
        self.signed = sorted(signed if signed is not None else self.headers)
        cq = "&".join(f"{pct(k)}={pct(v)}" for k, v in sorted(self.query.items()))
        canonical = ("POST\n/\n" + cq + "\n" + "".join(f"{h}:{self.headers.get(h, '').strip()}\n" for h in self.signed)
                     + "\n" + ";".join(self.signed) + "\n" + self.headers["x-acs-content-sha256"])
        self.string_to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
        sig = hmac.new(secret.encode(), self.string_to_sign.encode(), hashlib.sha256).hexdigest()
        self.headers["authorization"] = f"{algorithm} Credential={AK},SignedHeaders={';'.join(self.signed)},Signature={sig}"

    def send(self) -> Reply:
        target = "/?" + "&".join(f"{pct(k)}={pct(v)}" for k, v in self.query.items())
        return send(self.server, "POST", target, body=self.body, headers=self.headers)


def assert_error(reply: Reply, status: int, code: str, message: str | None = None, prefix: str | None = None):
    assert (reply.status, reply.code) == (status, code), reply
    if message is not None:
        assert reply.body["Message"] == message
    if prefix is not None:
        assert reply.body["Message"].startswith(prefix), reply.body["Message"]


def expect_error(fn, code, status, message=None) -> ApiError:
    with pytest.raises(ApiError) as info:
        fn()
    e = info.value
    assert (e.code, e.status) == (code, status), f"got {e.status} {e.code}: {e.message}"
    if message is not None:
        assert e.message == message
    return e


# ---------------------------------------------------------------------------- positive controls for our signers

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_own_v1_signer_is_accepted(server, method):
    r = v1_send(server, v1_signed("DescribeKeyPairs", method, RegionId=REGION, KeyPairName="my key*~é"), method)
    assert r.status == 200, r
    assert r.body["TotalCount"] == 0


def test_own_v3_signer_is_accepted(server):
    r = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION, "KeyPairName": "my key*~é"}).send()
    assert r.status == 200, r
    assert r.body["TotalCount"] == 0


def test_v3_form_body_is_covered_by_the_payload_hash(server):
    name = unique("v3form")
    body = urllib.parse.urlencode({"RegionId": REGION, "KeyPairName": name}).encode()
    r = V3Request(server, "CreateKeyPair", {}, body=body,
                  extra_headers={"content-type": "application/x-www-form-urlencoded"}).send()
    assert r.status == 200, r
    assert r.body["KeyPairName"] == name
    Sdk("v3", server.endpoint).call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name]))


# ---------------------------------------------------------------------------- wrong secret / unknown key

@pytest.mark.parametrize("kind", ["v3", "v1", "old"])
def test_wrong_secret(server, kind):
    sdk = Sdk(kind, server.endpoint, secret=SECRET + "x")
    e = expect_error(lambda: sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName="a b*~é"),
                     "SignatureDoesNotMatch", 400)
    assert e.message.startswith(MISMATCH_PREFIX), e.message


def test_wrong_secret_old_sdk_recognises_its_own_string_to_sign(server):
    """aliyunsdkcore compares the text after the colon with its own StringToSign and, when they are
    equal, reports InvalidAccessKeySecret (clients.md §4.2). Only its typed requests keep their
    StringToSign where that check reads it (a CommonRequest signs an inner copy)."""
    from aliyunsdkcore.acs_exception.exceptions import ServerException
    from aliyunsdkecs.request.v20140526.DescribeKeyPairsRequest import DescribeKeyPairsRequest
    req = DescribeKeyPairsRequest()
    req.set_KeyPairName("a b*~é")
    req.set_Tags([{"Key": "k", "Value": "x+y=z&w/é"}])
    req.set_IncludePublicKey(True)
    with pytest.raises(ServerException) as info:
        old_client(server.endpoint, secret=SECRET + "x").do_action_with_exception(req)
    e = info.value
    assert (e.get_error_code(), e.get_http_status()) == ("InvalidAccessKeySecret", 400)
    assert e.get_error_msg() == "The AccessKeySecret is incorrect. Please check your AccessKeyId and AccessKeySecret."


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_wrong_secret_raw_v1_reports_the_string_to_sign(server, method):
    p = v1_signed("DescribeKeyPairs", method, secret="not-the-secret", RegionId=REGION, KeyPairName="k y")
    r = v1_send(server, p, method)
    assert_error(r, 400, "SignatureDoesNotMatch", message=MISMATCH_PREFIX + v1_string_to_sign(method, p))


def test_wrong_secret_raw_v3(server):
    req = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION}, secret="not-the-secret")
    assert_error(req.send(), 400, "SignatureDoesNotMatch", message=MISMATCH_PREFIX + req.string_to_sign)


def test_unknown_access_key(sdk_kind_unknown_key):
    expect_error(lambda: sdk_kind_unknown_key.call("DescribeKeyPairs", RegionId=REGION),
                 "InvalidAccessKeyId.NotFound", 404, "Specified access key is not found.")


@pytest.fixture(params=["v3", "v1", "old"])
def sdk_kind_unknown_key(request, server):
    return Sdk(request.param, server.endpoint, ak="LTAI5tNoSuchKey0000000")


# ---------------------------------------------------------------------------- timestamps

@pytest.mark.parametrize("offset", [-16 * 60, 16 * 60, -3600 * 24])
def test_v1_timestamp_outside_15_minutes(server, offset):
    r = v1_send(server, v1_signed("DescribeKeyPairs", timestamp=ts(offset), RegionId=REGION))
    assert_error(r, 400, "InvalidTimeStamp.Expired", message="Specified time stamp or date value is expired.")


@pytest.mark.parametrize("offset", [-14 * 60, 14 * 60])
def test_v1_timestamp_inside_15_minutes(server, offset):
    r = v1_send(server, v1_signed("DescribeKeyPairs", timestamp=ts(offset), RegionId=REGION))
    assert r.status == 200, r


@pytest.mark.parametrize("offset", [-16 * 60, 16 * 60])
def test_v3_date_outside_15_minutes(server, offset):
    r = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION}, date=ts(offset)).send()
    assert_error(r, 400, "InvalidTimeStamp.Expired", message="Specified time stamp or date value is expired.")


BAD_TIMESTAMPS = ["2024-01-01 00:00:00", "2024-01-01T00:00:00", "1700000000", "yesterday", "2024-02-30T00:00:00Z",
                  "2024-13-01T00:00:00Z"]


@pytest.mark.parametrize("value", BAD_TIMESTAMPS)
def test_v1_malformed_timestamp(server, value):
    r = v1_send(server, v1_signed("DescribeKeyPairs", timestamp=value, RegionId=REGION))
    assert_error(r, 400, "InvalidTimeStamp.Format", message="Specified time stamp or date value is not well formatted.")


def test_v3_malformed_date(server):
    r = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION}, date="Mon, 01 Jan 2024 00:00:00 GMT").send()
    assert_error(r, 400, "InvalidTimeStamp.Format", message="Specified time stamp or date value is not well formatted.")


# ---------------------------------------------------------------------------- nonces

NONCE_USED = "Specified signature nonce was used already."


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_v1_replayed_request_is_refused(server, method):
    name = unique("replay")
    p = v1_signed("CreateKeyPair", method, RegionId=REGION, KeyPairName=name)
    first = v1_send(server, p, method)
    assert first.status == 200, first
    second = v1_send(server, p, method)
    assert_error(second, 400, "SignatureNonceUsed", message=NONCE_USED)
    # The replay did nothing: a single key pair, the one the first call made.
    listed = Sdk("v3", server.endpoint).call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name)
    assert listed["TotalCount"] == 1
    assert listed["KeyPairs"]["KeyPair"][0]["KeyPairFingerPrint"] == first.body["KeyPairFingerPrint"]
    Sdk("v3", server.endpoint).call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name]))


def test_v3_replayed_request_is_refused(server):
    req = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION})
    assert req.send().status == 200
    assert_error(req.send(), 400, "SignatureNonceUsed", message=NONCE_USED)


def test_nonce_reused_in_a_different_request_is_refused(server):
    nonce = uuid.uuid4().hex
    assert v1_send(server, v1_signed("DescribeKeyPairs", nonce=nonce, RegionId=REGION)).status == 200
    again = v1_signed("DescribeRegions", "POST", nonce=nonce)
    assert_error(v1_send(server, again, "POST"), 400, "SignatureNonceUsed", message=NONCE_USED)
    # ...and across signature versions, for the same AccessKeyId.
    v3 = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION}, nonce=nonce)
    assert_error(v3.send(), 400, "SignatureNonceUsed", message=NONCE_USED)


def test_sdk_calls_use_fresh_nonces(sdk):
    for _ in range(3):
        assert sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=unique())["TotalCount"] == 0


# ---------------------------------------------------------------------------- tampering (V1)

def test_v1_parameter_changed_after_signing(server):
    p = v1_signed("DescribeKeyPairs", RegionId=REGION, KeyPairName="original")
    p["KeyPairName"] = "tampered"
    assert_error(v1_send(server, p), 400, "SignatureDoesNotMatch", prefix=MISMATCH_PREFIX)


def test_v1_parameter_added_after_signing(server):
    p = v1_signed("DescribeKeyPairs", RegionId=REGION)
    p["PageSize"] = "50"
    assert_error(v1_send(server, p), 400, "SignatureDoesNotMatch", message=MISMATCH_PREFIX + v1_string_to_sign("GET", p))


def test_v1_method_is_part_of_the_signature(server):
    p = v1_signed("DescribeKeyPairs", "GET", RegionId=REGION)
    assert_error(v1_send(server, p, "POST"), 400, "SignatureDoesNotMatch", prefix=MISMATCH_PREFIX)


def test_v1_hmac_sha256_is_not_a_v1_method(server):
    r = v1_send(server, v1_signed("DescribeKeyPairs", sig_method="HMAC-SHA256", RegionId=REGION))
    assert_error(r, 400, "InvalidSignatureMethod", message="Specified signature method is not supported.")


@pytest.mark.parametrize("missing", ["AccessKeyId", "Signature"])
def test_v1_missing_signing_parameter(server, missing):
    p = v1_signed("DescribeKeyPairs", RegionId=REGION)
    del p[missing]
    assert_error(v1_send(server, p), 400, "MissingParameter",
                 message=f'The input parameter "{missing}" that is mandatory for processing this request is not supplied.')


# ---------------------------------------------------------------------------- tampering (V3)

def test_v3_signed_header_changed_after_signing(server):
    req = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION})
    req.headers["user-agent"] = "someone-else/2.0"
    assert_error(req.send(), 400, "SignatureDoesNotMatch", prefix=MISMATCH_PREFIX)


def test_v3_action_header_changed_after_signing(server):
    req = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION, "KeyPairNames": '["x"]'})
    req.headers["x-acs-action"] = "DeleteKeyPairs"
    assert_error(req.send(), 400, "SignatureDoesNotMatch", prefix=MISMATCH_PREFIX)


def test_v3_query_changed_after_signing(server):
    req = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION, "KeyPairName": "a"})
    req.query["KeyPairName"] = "b"
    assert_error(req.send(), 400, "SignatureDoesNotMatch", prefix=MISMATCH_PREFIX)


def test_v3_unsigned_header_may_change(server):
    req = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION}, signed=[
        "host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"])
    req.headers["user-agent"] = "changed-but-unsigned"
    r = req.send()
    assert r.status == 200, r


def test_v3_body_hash_mismatch(server):
    body = urllib.parse.urlencode({"RegionId": REGION, "KeyPairName": unique()}).encode()
    req = V3Request(server, "CreateKeyPair", {}, body=body, extra_headers={"content-type": "application/x-www-form-urlencoded"})
    req.body = body + b"x"          # the body no longer has the signed hash
    assert_error(req.send(), 400, "ContentSHA256NotMatched")


def test_v3_content_hash_header_not_matching_body(server):
    req = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION},
                    extra_headers={"x-acs-content-sha256": hashlib.sha256(b"other").hexdigest()})
    assert_error(req.send(), 400, "ContentSHA256NotMatched")


@pytest.mark.parametrize("header", ["x-acs-date", "x-acs-signature-nonce", "host"])
def test_v3_required_header_not_signed(server, header):
    signed = ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"]
    signed.remove(header)
    req = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION}, signed=signed)
    assert_error(req.send(), 400, "IncompleteSignature", prefix=INCOMPLETE_PREFIX)


def test_v3_signed_header_absent_from_request(server):
    req = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION},
                    signed=["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce",
                            "x-acs-version", "x-acs-missing"])
    assert_error(req.send(), 400, "IncompleteSignature", prefix=INCOMPLETE_PREFIX)


def test_v3_other_algorithm(server):
    req = V3Request(server, "DescribeKeyPairs", {"RegionId": REGION}, algorithm="ACS3-HMAC-SM3")
    assert_error(req.send(), 400, "InvalidSignatureMethod", message="Specified signature method is not supported.")


# V3 signs the body bytes but the SDKs do not sign Content-Type: dropping that header used to
# drop the body's parameters while the signature still verified. A V3 body is now read as form
# parameters whatever Content-Type says, so its meaning is fixed by the signed bytes.
@pytest.mark.parametrize("content_type", [None, "application/octet-stream", "application/x-www-form-urlencoded"])
def test_v3_body_parameters_do_not_depend_on_the_unsigned_content_type(server, content_type):
    name = unique("v3dry")
    body = urllib.parse.urlencode({"DryRun": "true", "InstanceName": name}).encode()
    query = {"RegionId": REGION, "ImageId": "ubuntu_22_04_x64_20G_alibase_20240101.vhd", "InstanceType": "ecs.g7.large"}
    r = V3Request(server, "RunInstances", query, body=body,
                  extra_headers={"content-type": content_type} if content_type else None,
                  signed=["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"]).send()
    assert_error(r, 400, "DryRunOperation")
    listed = Sdk("v3", server.endpoint).call("DescribeInstances", RegionId=REGION, InstanceName=name)
    assert listed["TotalCount"] == 0
