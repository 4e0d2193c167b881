"""Request generation for the wire fuzzer, from the declaration table (`localecs-bench actions-json`).

`generate(seed, i, …)` depends on nothing but its arguments: request i of a seed is always the same
(given the same pools), so any failure replays with `--only i`.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

import signing

IMAGES = ["ubuntu_22_04_x64_20G_alibase_20240101.vhd", "win2022_21H2_x64_dtc_en-us_40G_alibase_20240815.vhd"]
INSTANCE_TYPES = ["ecs.g7.large", "ecs.t6-c1m1.large"]
# A valid 2048-bit RSA key from the Swift tests, so that ImportKeyPair reaches the store.
RSA_KEY = ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC4cQisKh1SjvX+v7PqE/B3KIFFoXsI7mcHZjbkof8/4lyF0b36HURfARvOidp40znwuUP1"
           "Liaya9VL8VEv7igCF2V2fEcs5W/wBwxIe3MB7CsCRWOmMeLKg8BJNNnSQFoQe44GVX1FpidqUavutdLE5buxnG18eC4782mcBKNrChvZY+/Iq"
           "crTuatDijqmcjWMYfPB32P1abRymtkIMq+vKlFMQGYWOCciyh2wQA+VMb4CYUbudPDOkTWPn4Da5mBg13x+PweIvy2h9ICoedspbqRzrlG0G+E"
           "D0glMErbQBlN8yyTzMbNXPqlRNthZnEKgr4i5dXeuPez6/dibjUk5 fuzz")

BOUNDARY_INTS = ["0", "-1", "1", "2", "10", "50", "51", "100", "101", "1000", "2147483647", "2147483648", "-2147483648",
                 "4294967296", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551616",
                 "1000000000000000000", "4611686018427387904", "-4611686018427387905", "9" * 40, "-" + "9" * 40,
                 "00000000000000000001", "+1", "-0", "1.5", "1e3", "0x10", " 1", "1 ", "", " ", "NaN", "one", "1_000"]
BOOLEANS = ["true", "false", "True", "False", "TRUE", "tRuE", "", " ", "1", "0", "yes", "null", "truee"]
NASTY = ["", " ", "a", "*", "kp-*", "%", "%zz", "%%", "+", "&", "=", "&=&", "\\", '"', "'", "<x>", "]]>", "\t\n\r",
         "\x01\x1f\x7f", "\x00", "a\x00b", "é", "名字", "😀" * 10, "\u202eRTL\u202c", "e\u0301" * 40, "\ufeff", "\ufffd",
         "\U0010ffff", "null", "true", "[]", '["a"]', "{}", "-1", "9" * 30, "cn-hangzhou", "i-", "i-" + "0" * 20,
         "acs:ram::1:role/x", "ssh-rsa AAAA", "Running", "Stopped", "System", "Custom", "rg-", "../..", "%00", "${x}"]
UNKNOWN = ["OwnerId", "ResourceOwnerAccount", "on", "Foo", "Tag", "Tags", "InstanceIds.1", "KeyPairNames.1", "X" * 300,
           "名", "", "Action", "Version", "Format", "RegionId.1", "SignatureNonce"]


@dataclass
class Pools:
    """Real resources made by setup, plus the three kinds of credentials (root, RAM user, STS)."""
    region: str
    account: str
    key_pairs: list = field(default_factory=list)
    instances: list = field(default_factory=list)
    users: list = field(default_factory=list)
    policies: list = field(default_factory=list)
    roles: list = field(default_factory=list)
    role_arns: list = field(default_factory=list)
    access_keys: list = field(default_factory=list)
    creds: list = field(default_factory=list)


@dataclass
class Generated:
    index: int
    action: str
    version: str
    shape: str
    encoding: str
    creds: signing.Creds
    creds_kind: str
    xml: bool
    params: list

    def describe(self, seed: int) -> str:
        shown = [(k[:80], v if len(v) <= 200 else f"{v[:60]}…({len(v)} chars)") for k, v in self.params]
        return (f"  request {self.index} (seed {seed}): {self.action} (Version {self.version}), shape {self.shape}, "
                f"encoding {self.encoding}, credentials {self.creds_kind}{', Format=XML' if self.xml else ''}\n"
                f"  params: {shown!r}")


def valid_string(rng: random.Random, name: str, pools: Pools) -> str:
    """A plausible value for a parameter, so that requests also get past validation."""
    pick = lambda xs, default: rng.choice(xs) if xs else default  # noqa: E731
    table = {
        "RegionId": lambda: pools.region,
        "KeyPairName": lambda: pick(pools.key_pairs, "kp-x") if rng.random() < 0.7 else f"kp-new-{rng.randrange(10**6)}",
        "InstanceId": lambda: pick(pools.instances, "i-x"),
        "ImageId": lambda: rng.choice(IMAGES),
        "InstanceType": lambda: rng.choice(INSTANCE_TYPES),
        "PublicKeyBody": lambda: RSA_KEY,
        "UserName": lambda: pick(pools.users, "u") if rng.random() < 0.6 else f"fz-u{rng.randrange(10**6)}",
        "PolicyName": lambda: rng.choice(pools.policies + ["AdministratorAccess", "AliyunECSFullAccess"]),
        "PolicyType": lambda: rng.choice(["Custom", "System"]),
        "RoleName": lambda: pick(pools.roles, "r") if rng.random() < 0.6 else f"fz-r{rng.randrange(10**6)}",
        "RoleArn": lambda: pick(pools.role_arns, "acs:ram::1:role/x"),
        "RoleSessionName": lambda: f"s{rng.randrange(1000)}",
        "UserAccessKeyId": lambda: pick(pools.access_keys, "LTAI"),
        "Status": lambda: rng.choice(["Active", "Inactive", "Running", "Stopped"]),
        "PolicyDocument": lambda: policy_document(rng),
        "AssumeRolePolicyDocument": lambda: json.dumps({"Version": "1", "Statement": [{"Effect": "Allow",
            "Action": "sts:AssumeRole", "Principal": {"RAM": [f"acs:ram::{pools.account}:root"]}}]}),
        "Policy": lambda: policy_document(rng),
    }
    return table.get(name, lambda: f"v{rng.randrange(10**6)}")()


def policy_document(rng: random.Random) -> str:
    statement = {"Effect": rng.choice(["Allow", "Deny"]), "Action": rng.choice(["ecs:*", ["ecs:Describe*", "ram:Get*"], "*"]),
                 "Resource": rng.choice(["*", ["acs:ecs:*:*:keypair/kp-*"], "acs:ecs:*:*:instance/*"])}
    if rng.random() < 0.3:
        statement["Condition"] = {"IpAddress": {"acs:SourceIp": ["127.0.0.0/8"]},
                                  rng.choice(["StringLike", "NumericLessThan", "DateLessThan", "Bool"]): {"k": rng.choice(["1", "x*", "2030-01-01T00:00:00Z"])}}
    return json.dumps({"Version": "1", "Statement": [statement] * rng.choice([1, 1, 2, 40])})


def huge(rng: random.Random) -> str:
    """A long string: from a page to near the 1 MiB body limit (rarely)."""
    n = rng.choice([1000, 4096, 16384, 16385, 65536, 200_000] + ([1_000_000] if rng.random() < 0.05 else []))
    return rng.choice(["a", "é", "😀", "%"]) * (n // 4 if n > 100_000 else n)


def string_value(rng: random.Random, p: dict, pools: Pools) -> str:
    r = rng.random()
    if r < 0.5:
        return valid_string(rng, p["Name"], pools)
    if r < 0.6 and "MaxLength" in p:
        return "x" * (p["MaxLength"] + rng.choice([0, 1]))
    if r < 0.63:
        return huge(rng)
    if r < 0.7:
        return rng.choice([128, 129, 255, 256, 257]) * "k"
    return rng.choice(NASTY)


def integer_value(rng: random.Random, p: dict) -> str:
    if "Min" in p and rng.random() < 0.4:
        lo, hi = p["Min"], p["Max"]
        return str(rng.choice([lo, hi, lo - 1, hi + 1, rng.randint(lo, hi)]))
    if rng.random() < 0.2:
        return str(rng.randint(1, 100))
    return rng.choice(BOUNDARY_INTS)


def json_array(rng: random.Random, p: dict, pools: Pools) -> str:
    ids = pools.instances if "Instance" in p["Name"] else pools.key_pairs
    r = rng.random()
    if r < 0.4 and ids:
        return json.dumps(rng.sample(ids, rng.randint(1, min(len(ids), 5))), separators=rng.choice([(",", ":"), (", ", ": ")]))
    n = p.get("MaxItems", 50)
    return rng.choice([
        "[]", "[ ]", '[""]', '["a","a","a"]', json.dumps([f"i-{k}" for k in range(n + 1)]), json.dumps([f"i-{k}" for k in range(n)]),
        json.dumps(["kp-0"] * (n + 5)), '[["a"]]', "[1,2]", "[null]", '[true,"a"]', '["a",]', "[", '["a"', '"a"', "{}", "null",
        '["\\ud83d\\ude00"]', '["\\udc00"]', '["\\ud800x"]', '["\\u0000"]', '["a\\u0000b"]', '["\\x"]', '["' + "a" * 20000 + '"]',
        " \t[\"a\"]\n", '["a"] x', "[" * 1000, "[" * 1000 + "]" * 1000, '["' + "\\\\" * 500 + '"]', '["é", "名", "😀"]',
        json.dumps([str(k) for k in range(1000)]), "\u3010\u3011", "[\"\x01\"]",
    ])


def repeat_list(rng: random.Random, p: dict, pools: Pools) -> list:
    name, n = p["Name"], p.get("MaxItems", 10)
    valid = pools.instances if "Instance" in name and "Type" not in name else INSTANCE_TYPES
    shape = rng.choice(["ok", "ok", "gaps", "over", "zero", "huge-n", "odd-n", "empty"])
    if shape == "ok":
        return [(f"{name}.{k + 1}", rng.choice(valid) if valid else "x") for k in range(rng.randint(1, min(n, 5)))]
    if shape == "gaps":
        return [(f"{name}.{k}", rng.choice(valid) if valid else "x") for k in (1, 3, 7, 1000)]
    if shape == "over":
        return [(f"{name}.{k + 1}", f"v{k}") for k in range(n + 1)]
    if shape == "zero":
        return [(f"{name}.0", "x"), (f"{name}.-1", "y")]
    if shape == "huge-n":
        return [(f"{name}.{rng.choice(BOUNDARY_INTS)}", "x"), (f"{name}.99999999999999999999", "y")]
    if shape == "odd-n":
        return [(f"{name}.01", "x"), (f"{name}.1.2", "y"), (f"{name}.", "z"), (f"{name}.+1", "w")]
    return [(f"{name}.1", "")]


def tags(rng: random.Random) -> list:
    shape = rng.choice(["ok", "ok", "zero", "21", "value-only", "empty-key", "huge-n", "dup", "odd"])
    if shape == "ok":
        return [(f"Tag.{k}.{part}", f"{part.lower()}{k}") for k in range(1, rng.randint(2, 5)) for part in ("Key", "Value")]
    if shape == "zero":
        return [("Tag.0.Key", "k"), ("Tag.0.Value", "v")]
    if shape == "21":
        return [(f"Tag.{k}.Key", f"k{k}") for k in range(1, 22)]
    if shape == "value-only":
        return [("Tag.1.Value", "v")]
    if shape == "empty-key":
        return [("Tag.1.Key", ""), ("Tag.1.Value", "v")]
    if shape == "huge-n":
        return [(f"Tag.{rng.choice(BOUNDARY_INTS)}.Key", "k"), ("Tag.18446744073709551616.Value", "v")]
    if shape == "dup":
        return [("Tag.1.Key", "a"), ("Tag.1.Key", "b"), ("Tag.1.Value", rng.choice(NASTY))]
    return [("Tag.1.Key.Extra", "x"), ("Tag..Key", "y"), ("Tag.1", "z"), ("Tag.1.key", "w"), ("Tag.1.Key", "k" * 129)]


def generate(seed: int, i: int, actions: list, pools: Pools) -> Generated:
    rng = random.Random(f"{seed}:{i}")
    # The first pass visits every action in order, so even a short run covers all of them.
    spec = actions[i] if i < len(actions) else rng.choice(actions)
    params: list = []
    for p in spec["Params"]:
        if rng.random() < (0.9 if p["Required"] else 0.5):
            kind = p["Kind"]
            if kind == "tags":
                params += tags(rng)
            elif kind == "repeatList":
                params += repeat_list(rng, p, pools)
            elif kind == "integer":
                params.append((p["Name"], integer_value(rng, p)))
            elif kind == "boolean":
                params.append((p["Name"], rng.choice(BOOLEANS)))
            elif kind == "jsonStringArray":
                params.append((p["Name"], json_array(rng, p, pools)))
            else:
                params.append((p["Name"], string_value(rng, p, pools)))
    if rng.random() < 0.1:  # duplicates: the server reads the last occurrence
        for k, v in rng.sample(params, min(len(params), 2)):
            params.append((k, rng.choice(NASTY + [v])))
    if rng.random() < 0.1:
        params.append((rng.choice(UNKNOWN), rng.choice(NASTY)))
    rng.shuffle(params)
    big = sum(len(k) + len(v) for k, v in params) > 4000
    shapes = ["v3form", "v1form"] if big else list(signing.SHAPES)  # long values travel in bodies, not URLs
    shape = rng.choice(shapes)
    kind = rng.choices(["root", "user", "sts"], [0.7, 0.15, 0.15])[0]
    creds = pools.creds[["root", "user", "sts"].index(kind)]
    xml = shape not in ("v3", "v3form") and rng.random() < 0.1
    return Generated(i, spec["Name"], spec["Version"], shape, rng.choice(signing.ENCODINGS), creds, kind, xml, params)
