"""The V1 (HMAC-SHA1) signing primitives of clients.md §3, for tests that send raw HTTP."""
import base64
import datetime
import hashlib
import hmac
import urllib.parse


def pct(s: str) -> str:
    """RFC 3986 percent-encoding over UTF-8: keeps A–Z a–z 0–9 - _ . ~ (clients.md §3)."""
    return urllib.parse.quote(s, safe="-_.~")


def utc_timestamp(offset_seconds: float = 0) -> str:
    """Now (plus an offset) as `yyyy-MM-ddTHH:mm:ssZ`."""
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset_seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def v1_string_to_sign(method: str, params: dict) -> str:
    canon = "&".join(f"{pct(k)}={pct(v)}" for k, v in sorted(params.items()) if k != "Signature")
    return f"{method}&%2F&{pct(canon)}"


def v1_signature(method: str, params: dict, secret: str) -> str:
    digest = hmac.new((secret + "&").encode(), v1_string_to_sign(method, params).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def post_form(url: str, access_key_id: str, secret: str, params: dict) -> tuple[int, dict]:
    """A correctly V1-signed POST with every parameter in the form body (the SDKs put most in the
    URL, which LOCALECS_MAX_URI_BYTES caps): (HTTP status, JSON body), errors included."""
    import json
    import urllib.error
    import urllib.request
    import uuid
    p = {"Format": "JSON", "Version": "2014-05-26", "AccessKeyId": access_key_id, "SignatureMethod": "HMAC-SHA1",
         "SignatureVersion": "1.0", "SignatureNonce": uuid.uuid4().hex, "Timestamp": utc_timestamp(), **params}
    p["Signature"] = v1_signature("POST", p, secret)
    req = urllib.request.Request(url + "/", data=urllib.parse.urlencode(p).encode(), method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())
