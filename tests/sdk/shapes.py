"""Walks a JSON response against an official SDK's response model (generated from the API
metadata), reporting every field the model carries that the response lacks or types otherwise.

The models are read from their `from_map` source: each `if m.get('Key') is not None:` block names
a wire key, and either a nested model (`temp_model = main_models.X()`, in a `for` loop for a list)
or a scalar attribute whose annotation in `__init__` gives its JSON type.
"""
from __future__ import annotations

import importlib
import inspect
import re
import typing

_BLOCK = re.compile(r"if m\.get\('([A-Za-z0-9_]+)'\) is not None:\n(.*?)(?=\n        if m\.get|\n        return|\n        self\.[a-z_0-9]+ = \[\]\n)", re.S)
_SCALARS = {"str": str, "int": int, "bool": bool, "float": (int, float)}


def fields(cls) -> list[tuple[str, str, object]]:
    """[(wire key, kind, detail)]: kind "model" (detail: class), "models" (a list of them) or
    "scalar" (detail: the annotation as a string, e.g. "str", "List[str]")."""
    src = inspect.getsource(cls.from_map)
    hints = inspect.signature(cls.__init__).parameters
    mod = importlib.import_module(cls.__module__.rsplit(".", 1)[0])
    out = []
    for m in _BLOCK.finditer(src):
        key, body = m.group(1), m.group(2)
        sub = re.search(r"temp_model = main_models\.(\w+)\(\)", body)
        if sub:
            out.append((key, "models" if "for k" in body else "model", getattr(mod, sub.group(1))))
            continue
        attr = re.search(r"self\.(\w+) = m\.get", body).group(1)
        ann = hints[attr].annotation
        out.append((key, "scalar", ann if isinstance(ann, str) else getattr(ann, "__name__", str(ann))))
    return out


def walk(value, cls, path: str = "", exempt: set[str] = frozenset()) -> list[str]:
    """Every problem as a line: `missing <path>` or `type <path>: <want>, got <value>`.
    `exempt` holds paths (list indices written `[]`) that ECS sends only under a condition."""
    problems = []
    if not isinstance(value, dict):
        return [f"type {path or '<body>'}: object, got {value!r}"]
    for key, kind, detail in fields(cls):
        p = f"{path}.{key}" if path else key
        if p in exempt:
            continue
        if key not in value:
            problems.append(f"missing {p}")
            continue
        v = value[key]
        if kind == "model":
            problems += walk(v, detail, p, exempt)
        elif kind == "models":
            if not isinstance(v, list):
                problems.append(f"type {p}: array, got {v!r}")
            else:
                for item in v:
                    problems += walk(item, detail, p + "[]", exempt)
        else:
            want = detail
            if want.startswith("List[") or want.startswith("typing.List"):
                inner = want[want.index("[") + 1:-1]
                if not isinstance(v, list) or any(not isinstance(x, _SCALARS.get(inner, object)) for x in v):
                    problems.append(f"type {p}: {want}, got {v!r}")
            elif want in _SCALARS:
                t = _SCALARS[want]
                # bool is an int subclass in Python: keep them apart.
                if not isinstance(v, t) or (want in ("int", "float") and isinstance(v, bool)):
                    problems.append(f"type {p}: {want}, got {v!r}")
    return problems


def body_model(action: str, package: str = "alibabacloud_ecs20140526"):
    return getattr(importlib.import_module(package + ".models"), action + "ResponseBody")
