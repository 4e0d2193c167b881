"""Signed requests in the shapes of the three official clients (plus aliyungo's GET), for the wire fuzzer.

V1 (HMAC-SHA1) reuses tests/sdk/rawsign.py's primitives over a list of pairs (duplicates kept, sorted
by name in byte order, stable, as the server does); V3 (ACS3-HMAC-SHA256) is written here and checked
against the recorded SDK vectors by test_signing.py.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import pathlib
import re
import sys
from dataclasses import dataclass

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "sdk"))
from rawsign import pct, utc_timestamp  # noqa: E402

SHAPES = ("v3", "v3form", "v1", "old", "v1form", "get")
ENCODINGS = ("upper", "lower", "plus", "raw-fffd")


@dataclass(frozen=True)
class Creds:
    ak: str
    secret: str
    token: str | None  # STS SecurityToken


@dataclass
class Wire:
    method: str
    target: str
    headers: dict
    body: bytes | None


def canonical(pairs) -> str:
    """`pct(name)=pct(value)` joined by `&`, sorted by name bytes (stable): V1's and V3's canonical query."""
    ordered = sorted(pairs, key=lambda p: p[0].encode())
    return "&".join(f"{pct(k)}={pct(v)}" for k, v in ordered)


def v1_signature(method: str, pairs, secret: str) -> str:
    sts = f"{method}&%2F&{pct(canonical([p for p in pairs if p[0] != 'Signature']))}"
    return base64.b64encode(hmac.new((secret + "&").encode(), sts.encode(), hashlib.sha1).digest()).decode()


def v3_authorization(method: str, query, headers: dict, body: bytes, ak: str, secret: str) -> str:
    """ACS3-HMAC-SHA256 over every header given (names lower-case), the canonical query and the body hash."""
    names = sorted(headers)
    canon = "\n".join([method, "/", canonical(query)] + [f"{n}:{headers[n].strip()}" for n in names]
                      + ["", ";".join(names), hashlib.sha256(body).hexdigest()])
    sts = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canon.encode()).hexdigest()
    sig = hmac.new(secret.encode(), sts.encode(), hashlib.sha256).hexdigest()
    return f"ACS3-HMAC-SHA256 Credential={ak},SignedHeaders={';'.join(names)},Signature={sig}"


def encode(pairs, encoding: str) -> str:
    """A query string or form body; every encoding decodes (server-side) to the same pairs."""
    out = "&".join(f"{pct(k)}={pct(v)}" for k, v in pairs)
    if encoding == "lower":
        out = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), out)
    elif encoding == "plus":
        out = out.replace("%20", "+")
    elif encoding == "raw-fffd":
        out = out.replace("%EF%BF%BD", "%FF")  # invalid UTF-8 decodes to U+FFFD, which was signed
    return out


def sign(shape: str, server, creds: Creds, action: str, version: str, params, nonce: str,
         encoding: str = "upper", xml: bool = False) -> Wire:
    host = f"{server.host}:{server.port}"
    if shape in ("v3", "v3form"):
        body_text = encode(params, encoding) if shape == "v3form" else ""
        body = body_text.encode()
        query = [] if shape == "v3form" else params
        h = {"host": host, "x-acs-version": version, "x-acs-action": action,
             "user-agent": "AlibabaCloud (Linux; x86_64) Python/3 Core/0.4.3 TeaDSL/2",
             "x-acs-date": utc_timestamp(), "x-acs-signature-nonce": nonce, "accept": "application/json",
             "x-acs-content-sha256": hashlib.sha256(body).hexdigest(), "x-acs-credentials-provider": "static_ak"}
        if creds.token:
            h["x-acs-security-token"] = creds.token
        if shape == "v3form":
            h["content-type"] = "application/x-www-form-urlencoded"
        h["authorization"] = v3_authorization("POST", query, h, body, creds.ak, creds.secret)
        target = "/?" + encode(query, encoding) if query else "/"
        return Wire("POST", target, h, body)

    fmt = "XML" if xml else ("json" if shape == "v1" else "JSON")
    pairs = [("Action", action), ("Format", fmt), ("Version", version), ("Timestamp", utc_timestamp()),
             ("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "1.0"), ("SignatureNonce", nonce),
             ("AccessKeyId", creds.ak)] + list(params)
    if creds.token:
        pairs.append(("SecurityToken", creds.token))
    method = "GET" if shape == "get" else "POST"
    pairs.append(("Signature", v1_signature(method, pairs, creds.secret)))
    if shape == "get":
        return Wire("GET", "/?" + encode(pairs, encoding), {"host": host, "user-agent": "aliyungo", "x-sdk-client": "golang/1.0.0"}, None)
    if shape == "v1form":
        return Wire("POST", "/", {"host": host, "content-type": "application/x-www-form-urlencoded"},
                    encode(pairs, encoding).encode())
    if shape == "v1":
        h = {"host": host, "x-acs-version": version, "x-acs-action": action, "user-agent": "AlibabaCloud TeaDSL/2",
             "x-acs-credentials-provider": "static_ak"}
    else:  # aliyun-python-sdk-core
        h = {"host": host, "user-agent": "AlibabaCloud (Linux) Python/3 Core/2.16.0 python-requests/2", "accept": "application/json",
             "x-acs-action": action, "x-acs-version": version, "x-sdk-invoke-type": "common", "x-sdk-client": "python/2.0.0"}
    return Wire("POST", "/?" + encode(pairs, encoding), h, b"")
