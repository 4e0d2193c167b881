"""The RPC wire protocol (ecs-api.md §1, protocol-and-ram.md §1–2, clients.md §2): formats, methods,
where parameters travel, routing errors, the error envelope. Raw HTTP with a small V1 signer of our
own, and the official SDKs."""
from __future__ import annotations

import http.client
import json
import re
import socket
import uuid
import xml.etree.ElementTree as ET

import pytest

from conftest import AK, REGION, SECRET, ApiError, Sdk, old_client, unique
from rawsign import pct, utc_timestamp as now_ts, v1_signature

REQUEST_ID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
JSON_TYPE = "application/json;charset=utf-8"
XML_TYPE = "text/xml;charset=utf-8"
XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>'


# ---------------------------------------------------------------------------- a small V1 client

def v1_sign(method: str, params: dict, secret: str = SECRET) -> str:
    return v1_signature(method, params, secret)


def v1_params(action: str | None, method: str = "GET", *, fmt: str | None = "JSON", version: str | None = "2014-05-26",
              secret: str = SECRET, **params) -> dict:
    p = {"AccessKeyId": AK, "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
         "SignatureNonce": uuid.uuid4().hex, "Timestamp": now_ts()}
    if action is not None:
        p["Action"] = action
    if version is not None:
        p["Version"] = version
    if fmt is not None:
        p["Format"] = fmt
    p.update({k: str(v) for k, v in params.items()})
    p["Signature"] = v1_sign(method, p, secret)
    return p


def encode(params: dict) -> str:
    return "&".join(f"{pct(k)}={pct(v)}" for k, v in params.items())


class Reply:
    def __init__(self, status, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def content_type(self):
        return self.headers.get("content-type")

    def json(self):
        assert self.content_type == JSON_TYPE, self.content_type
        return json.loads(self.body)

    def xml(self) -> ET.Element:
        assert self.content_type == XML_TYPE, self.content_type
        text = self.body.decode()
        assert text.startswith(XML_DECL), text[:80]
        return ET.fromstring(self.body)


def send(server, method: str, target: str = "/", body: bytes | None = None, headers: dict | None = None) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
    try:
        conn.request(method, target, body=body, headers=headers or {})
        r = conn.getresponse()
        return Reply(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    finally:
        conn.close()


def v1_get(server, action, **params) -> Reply:
    return send(server, "GET", "/?" + encode(v1_params(action, "GET", **params)))


def expect_error(fn, code, status, message=None) -> ApiError:
    with pytest.raises(ApiError) as info:
        fn()
    e = info.value
    assert (e.code, e.status) == (code, status), f"got {e.status} {e.code}: {e.message}"
    if message is not None:
        assert e.message == message
    return e


def assert_envelope(body: dict, code: str, host: str):
    assert set(body) >= {"RequestId", "HostId", "Code", "Message", "Recommend"}, body
    assert REQUEST_ID.match(body["RequestId"]), body["RequestId"]
    assert body["Code"] == code
    assert body["HostId"] == host
    assert body["Message"]
    assert body["Recommend"].startswith("https://") and code in body["Recommend"]
    assert body["RequestId"] in body["Recommend"]


# ---------------------------------------------------------------------------- methods and parameter places

def test_signed_get_with_query_parameters(server):
    name = unique("raw")
    r = v1_get(server, "CreateKeyPair", RegionId=REGION, KeyPairName=name)
    assert r.status == 200, r.body
    assert r.json()["KeyPairName"] == name
    listed = v1_get(server, "DescribeKeyPairs", RegionId=REGION, KeyPairName=name).json()
    assert listed["TotalCount"] == 1 and REQUEST_ID.match(listed["RequestId"])
    assert v1_get(server, "DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name])).status == 200


def test_signed_post_with_query_parameters_and_empty_body(server):
    name = unique("raw")
    p = v1_params("CreateKeyPair", "POST", RegionId=REGION, KeyPairName=name)
    r = send(server, "POST", "/?" + encode(p), body=b"", headers={"Content-Length": "0"})
    assert r.status == 200, r.body
    assert r.json()["KeyPairName"] == name
    v1_get(server, "DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name]))


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded",
                                          "application/x-www-form-urlencoded; charset=UTF-8"])
def test_parameters_in_a_form_body(server, content_type):
    name = unique("form")
    p = v1_params("CreateKeyPair", "POST", RegionId=REGION, KeyPairName=name)
    r = send(server, "POST", "/", body=encode(p).encode(), headers={"Content-Type": content_type})
    assert r.status == 200, r.body
    assert r.json()["KeyPairName"] == name
    # Split across query and body: the signature covers both.
    p = v1_params("DescribeKeyPairs", "POST", RegionId=REGION, KeyPairName=name)
    in_query = {k: p[k] for k in ("Action", "Version", "Signature")}
    in_body = {k: v for k, v in p.items() if k not in in_query}
    r = send(server, "POST", "/?" + encode(in_query), body=encode(in_body).encode(),
             headers={"Content-Type": content_type})
    assert r.status == 200, r.body
    assert r.json()["TotalCount"] == 1
    v1_get(server, "DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name]))


def test_form_body_parameters_are_signed(server):
    name = unique("form")
    p = v1_params("CreateKeyPair", "POST", RegionId=REGION, KeyPairName=name)
    p["KeyPairName"] = name + "x"        # changed after signing
    r = send(server, "POST", "/", body=encode(p).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 400 and r.json()["Code"] == "SignatureDoesNotMatch"


def test_plus_in_query_means_space(server):
    # The new SDK writes spaces as `+`; the server must decode before re-canonicalising.
    tag_value = "a b"
    p = v1_params("DescribeKeyPairs", "GET", RegionId=REGION, **{"Tag.1.Key": "k", "Tag.1.Value": tag_value})
    query = encode(p).replace("%20", "+")
    assert "a+b" in query
    r = send(server, "GET", "/?" + query)
    assert r.status == 200, r.body


def test_absolute_form_request_target(server):
    """What a client sent through HTTP_PROXY produces (clients.md §5)."""
    name = unique("proxy")
    p = v1_params("CreateKeyPair", "POST", RegionId=REGION, KeyPairName=name, on="CreateKeyPair")
    host = "ecs-cn-hangzhou.aliyuncs.com"
    raw = (f"POST http://{host}/?{encode(p)} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n"
           f"Accept: */*\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=15) as s:
        s.sendall(raw)
        chunks = []
        while True:
            c = s.recv(65536)
            if not c:
                break
            chunks.append(c)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    assert json.loads(body)["KeyPairName"] == name
    # An error through the same route names the Host the client asked for.
    p = v1_params("DescribeKeyPairs", "GET", RegionId="cn-nowhere-1")
    raw = f"GET http://{host}/?{encode(p)} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=15) as s:
        s.sendall(raw)
        data = b""
        while (c := s.recv(65536)):
            data += c
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 404"), head
    assert_envelope(json.loads(body), "InvalidRegionId.NotFound", host)
    v1_get(server, "DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name]))


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_unsupported_http_methods(server, method):
    p = v1_params("DescribeKeyPairs", method, RegionId=REGION)
    r = send(server, method, "/?" + encode(p), body=b"", headers={"Accept": "application/json"})
    assert r.status == 403
    body = r.json()
    assert_envelope(body, "UnsupportedHTTPMethod", f"127.0.0.1:{server.port}")
    assert body["Message"] == "This HTTP method is not supported."


def test_unsupported_http_method_in_xml(server):
    # No Format and no Accept: XML, ECS's default.
    r = send(server, "PUT", "/?" + encode(v1_params("DescribeKeyPairs", "PUT", fmt=None, RegionId=REGION)), body=b"")
    assert r.status == 403
    root = r.xml()
    assert root.tag == "Error" and root.findtext("Code") == "UnsupportedHTTPMethod"


def test_unsupported_http_method_honours_format(server):
    r = send(server, "PUT", "/?" + encode(v1_params("DescribeKeyPairs", "PUT", fmt="JSON", RegionId=REGION)), body=b"")
    assert r.status == 403
    assert json.loads(r.body)["Code"] == "UnsupportedHTTPMethod"


# ---------------------------------------------------------------------------- JSON and XML

def test_xml_success_body(server):
    name = unique("xml")
    v1_get(server, "CreateKeyPair", RegionId=REGION, KeyPairName=name, **{"Tag.1.Key": "x&y", "Tag.1.Value": "<v>"})
    r = v1_get(server, "DescribeKeyPairs", fmt="XML", RegionId=REGION, KeyPairName=name)
    assert r.status == 200
    text = r.body.decode()
    assert text.startswith(XML_DECL + "<DescribeKeyPairsResponse>"), text[:120]
    assert "<KeyPairs><KeyPair>" in text
    root = r.xml()
    assert root.tag == "DescribeKeyPairsResponse"
    assert REQUEST_ID.match(root.findtext("RequestId"))
    assert root.findtext("TotalCount") == "1" and root.findtext("PageNumber") == "1" and root.findtext("PageSize") == "10"
    items = root.findall("KeyPairs/KeyPair")
    assert [i.findtext("KeyPairName") for i in items] == [name]
    assert re.match(r"^[0-9a-f]{2}(:[0-9a-f]{2}){15}$", items[0].findtext("KeyPairFingerPrint"))
    tags = items[0].findall("Tags/Tag")
    assert [(t.findtext("TagKey"), t.findtext("TagValue")) for t in tags] == [("x&y", "<v>")]
    v1_get(server, "DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name]))


@pytest.mark.parametrize("fmt", ["XML", "xml"])
def test_xml_error_body(server, fmt):
    r = v1_get(server, "DescribeKeyPairs", fmt=fmt, RegionId="cn-nowhere-1")
    assert r.status == 404
    text = r.body.decode()
    assert text.startswith(XML_DECL + "<Error>")
    root = r.xml()
    assert root.tag == "Error"
    assert root.findtext("Code") == "InvalidRegionId.NotFound"
    assert REQUEST_ID.match(root.findtext("RequestId"))
    assert root.findtext("HostId") == f"127.0.0.1:{server.port}"
    assert root.findtext("Message")


def test_xml_is_the_default_without_format_or_accept(server):
    r = v1_get(server, "DescribeKeyPairs", fmt=None, RegionId=REGION, KeyPairName=unique())
    assert r.status == 200
    assert r.xml().tag == "DescribeKeyPairsResponse"


@pytest.mark.parametrize("fmt", ["JSON", "json", "Json"])
def test_format_json_any_case(server, fmt):
    r = v1_get(server, "DescribeKeyPairs", fmt=fmt, RegionId=REGION, KeyPairName=unique())
    assert r.status == 200 and r.json()["TotalCount"] == 0


def test_format_beats_accept(server):
    p = v1_params("DescribeKeyPairs", "GET", fmt="XML", RegionId=REGION)
    r = send(server, "GET", "/?" + encode(p), headers={"Accept": "application/json"})
    assert r.xml().tag == "DescribeKeyPairsResponse"
    p = v1_params("DescribeKeyPairs", "GET", fmt=None, RegionId=REGION)
    r = send(server, "GET", "/?" + encode(p), headers={"Accept": "application/json"})
    assert r.json()["PageSize"] == 10


@pytest.mark.filterwarnings("ignore::DeprecationWarning")   # get_response is deprecated, yet the way to keep XML
def test_old_sdk_can_ask_for_xml(server):
    from aliyunsdkcore.request import CommonRequest
    r = CommonRequest(domain=server.endpoint, version="2014-05-26", action_name="DescribeKeyPairs")
    r.set_method("POST")
    r.set_protocol_type("http")
    r.set_accept_format("XML")
    r.add_query_param("RegionId", REGION)
    # do_action_with_exception forces JSON; get_response sends the format asked for.
    status, _headers, raw = old_client(server.endpoint).get_response(r)
    assert status == 200
    assert raw.decode().startswith(XML_DECL + "<DescribeKeyPairsResponse>")
    assert ET.fromstring(raw).find("KeyPairs") is not None


# ---------------------------------------------------------------------------- routing errors

def test_missing_action(server):
    r = v1_get(server, None, RegionId=REGION)
    assert r.status == 400
    body = r.json()
    assert_envelope(body, "MissingParameter", f"127.0.0.1:{server.port}")
    assert body["Message"] == 'The input parameter "Action" that is mandatory for processing this request is not supplied.'


def test_missing_version(server):
    r = v1_get(server, "DescribeKeyPairs", version=None, RegionId=REGION)
    assert r.status == 400
    body = r.json()
    assert body["Code"] == "MissingParameter"
    assert body["Message"] == 'The input parameter "Version" that is mandatory for processing this request is not supplied.'


def test_unknown_action_raw(server):
    r = v1_get(server, "DescribeKeyPairz", RegionId=REGION)
    assert r.status == 404
    body = r.json()
    assert_envelope(body, "InvalidAction.NotFound", f"127.0.0.1:{server.port}")
    assert body["Message"] == "Specified api is not found, please check your url and method."


def test_unknown_action(sdk):
    expect_error(lambda: sdk.call("DescribeKeyPairz", RegionId=REGION), "InvalidAction.NotFound", 404,
                 "Specified api is not found, please check your url and method.")


@pytest.mark.parametrize("kind", ["v3", "v1", "old"])
@pytest.mark.parametrize("version", ["2016-03-14", "garbage"])
def test_unknown_version(server, kind, version):
    sdk = Sdk(kind, server.endpoint, version=version)
    expect_error(lambda: sdk.call("DescribeKeyPairs", RegionId=REGION), "InvalidVersion", 400,
                 "Specified parameter Version is not valid.")


def test_unknown_parameters_are_ignored(sdk):
    name = unique("junk")
    body = sdk.call("CreateKeyPair", RegionId=REGION, KeyPairName=name, on="CreateKeyPair", Foo="bar",
                    OwnerId="123", ResourceOwnerAccount="x")
    assert body["KeyPairName"] == name
    listed = sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name, on="DescribeKeyPairs", Zzz="")
    assert listed["TotalCount"] == 1
    sdk.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name]), on="DeleteKeyPairs")


# ---------------------------------------------------------------------------- booleans

@pytest.fixture(scope="module")
def one_key(server):
    v3 = Sdk("v3", server.endpoint)
    name = unique("bool")
    v3.call("CreateKeyPair", RegionId=REGION, KeyPairName=name)
    yield name
    v3.call("DeleteKeyPairs", RegionId=REGION, KeyPairNames=json.dumps([name]))


@pytest.mark.parametrize("value,shown", [("True", True), ("true", True), ("TRUE", True),
                                         ("False", False), ("false", False), ("FALSE", False)])
def test_booleans_parse_case_insensitively(sdk, one_key, value, shown):
    item = sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=one_key, IncludePublicKey=value)["KeyPairs"]["KeyPair"][0]
    assert ("PublicKey" in item) is shown
    if shown:
        assert item["PublicKey"].startswith("ssh-rsa AAAA")


# ---------------------------------------------------------------------------- envelopes

def test_success_carries_a_request_id(sdk):
    a = sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=unique())
    b = sdk.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=unique())
    assert REQUEST_ID.match(a["RequestId"]) and REQUEST_ID.match(b["RequestId"])
    assert a["RequestId"] != b["RequestId"]


def test_error_carries_a_request_id(sdk):
    e = expect_error(lambda: sdk.call("DescribeKeyPairs", RegionId="cn-nowhere-1"), "InvalidRegionId.NotFound", 404)
    assert REQUEST_ID.match(e.request_id), e.request_id
    assert e.message


def test_error_envelope_fields_raw(server):
    r = v1_get(server, "DeleteKeyPairs", RegionId=REGION, KeyPairNames="not-json")
    assert r.status == 400
    body = r.json()
    assert_envelope(body, "InvalidKeyPairNames.ValueNotSupported", f"127.0.0.1:{server.port}")
    assert body["Message"] == 'The specified parameter "KeyPairNames" is not valid.'
    assert "AccessDeniedDetail" not in body


def test_new_sdk_error_data_has_the_envelope(server):
    """The new SDK exposes the whole error body (clients.md §4.1): check it as the SDK saw it."""
    from alibabacloud_tea_openapi.exceptions import ClientException
    from alibabacloud_ecs20140526 import models as m
    from conftest import ecs_client
    with pytest.raises(ClientException) as info:
        ecs_client(server.endpoint).describe_key_pairs(m.DescribeKeyPairsRequest(region_id="cn-nowhere-1"))
    e = info.value
    assert (e.code, e.status_code) == ("InvalidRegionId.NotFound", 404)
    assert REQUEST_ID.match(e.request_id)
    assert e.data["HostId"] == server.endpoint
    assert e.data["Recommend"].startswith("https://")
