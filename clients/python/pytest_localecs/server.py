"""A `localecs serve` process and its admin API (reset, export, import), without pytest."""
from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

READY = re.compile(r"LocalECS listening on http://([^:\s]+):(\d+)")

DEFAULT_ACCOUNT_ID = "1000000000000001"
DEFAULT_ACCESS_KEY_ID = "LTAI5tLocalECSDefaultKey"
DEFAULT_ACCESS_KEY_SECRET = "LocalECSDefaultSecret0123456789"

HOW_TO_BUILD = (
    "the localecs binary was not found: set LOCALECS_BIN=/path/to/localecs, pass --localecs-bin, "
    "set localecs_bin in the pytest ini file, or put localecs on PATH. To build it, in a LocalECS "
    "checkout run `swift build -c release`; the binary is .build/release/localecs"
)


class LocalECSError(RuntimeError):
    """The server could not start, or an admin call failed (with the server's Code and Message)."""


def find_binary(explicit: str | None = None) -> str:
    """The localecs binary: `explicit` (option or ini), else LOCALECS_BIN, else PATH."""
    for candidate in (explicit, os.environ.get("LOCALECS_BIN")):
        if candidate:
            path = pathlib.Path(candidate).expanduser()
            if path.is_file() and os.access(path, os.X_OK):
                return str(path)
            raise LocalECSError(f"{candidate} is not an executable file; " + HOW_TO_BUILD)
    found = shutil.which("localecs")
    if found:
        return found
    raise LocalECSError(HOW_TO_BUILD)


class LocalECS:
    """One `localecs serve` on a free loopback port, its output in `log_path`.

    Attributes a test uses: `endpoint` (host:port, as the SDKs take it), `url`, `region`,
    `account_id`, `access_key_id`, `access_key_secret`; methods `reset()`, `load()`, `export()`.
    """

    def __init__(self, binary: str, log_path: str | os.PathLike, *, store: str = "memory",
                 transition_delay: str = "0", region: str = "cn-hangzhou", extra_args: list[str] | None = None):
        self.binary = binary
        self.log_path = pathlib.Path(log_path)
        self.store = store
        self.transition_delay = transition_delay
        self.region = region
        self.account_id = os.environ.get("LOCALECS_ACCOUNT_ID") or DEFAULT_ACCOUNT_ID
        self.access_key_id = os.environ.get("LOCALECS_ACCESS_KEY_ID") or DEFAULT_ACCESS_KEY_ID
        self.access_key_secret = os.environ.get("LOCALECS_ACCESS_KEY_SECRET") or DEFAULT_ACCESS_KEY_SECRET
        self.extra_args = extra_args or []
        self.host = "127.0.0.1"
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None

    # -- lifecycle

    def start(self, timeout: float = 30) -> "LocalECS":
        env = {**os.environ, "LOCALECS_ACCOUNT_ID": self.account_id, "LOCALECS_ACCESS_KEY_ID": self.access_key_id,
               "LOCALECS_ACCESS_KEY_SECRET": self.access_key_secret}
        env.setdefault("LOCALECS_LOG_LEVEL", "info")
        args = [self.binary, "serve", "--host", self.host, "--port", "0", "--store", self.store,
                "--transition-delay", self.transition_delay, *self.extra_args]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = READY.search(self.log_text())
            if m:
                self.port = int(m.group(2))
                return self
            if self.proc.poll() is not None:
                raise LocalECSError(f"localecs serve exited with status {self.proc.returncode}:\n{self.log_tail()}")
            time.sleep(0.02)
        self.stop()
        raise LocalECSError(f"localecs serve did not print its ready line within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self, timeout: float = 10) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    # -- what tests read

    @property
    def endpoint(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log_tail(self, lines: int = 100, since: int = 0) -> str:
        """The last `lines` lines of the server output written after byte offset `since`."""
        with open(self.log_path, "rb") as f:
            f.seek(since)
            text = f.read().decode(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    # -- admin API

    def reset(self, account: str | None = None) -> None:
        """Empties the state (back to the root account and its key), or one account's resources."""
        self._admin("POST", "/_localecs/reset", {"account": account})

    def export(self, account: str | None = None) -> dict:
        """The state (or one account's) as an estate: `{"format": "localecs-estate/1", "accounts": [...]}`."""
        return json.loads(self._admin("GET", "/_localecs/state", {"account": account}))

    def load(self, estate: str | os.PathLike | dict, replace: bool = True) -> int:
        """Loads an estate (a file path, or a dict as `export()` returns); returns the record count.

        With `replace` (the default) the current state is discarded first; without it the server
        refuses (LocalECSError, StateNotEmpty) when it holds resources."""
        body = json.dumps(estate).encode() if isinstance(estate, dict) else pathlib.Path(estate).read_bytes()
        out = self._admin("PUT", "/_localecs/state", {"replace": "true" if replace else "false"}, body)
        return json.loads(out)["Records"]

    def _admin(self, method: str, path: str, query: dict, body: bytes | None = None) -> bytes:
        q = urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        req = urllib.request.Request(self.url + path + ("?" + q if q else ""), data=body, method=method,
                                     headers={"Content-Type": "application/json"})
        token = os.environ.get("LOCALECS_ADMIN_TOKEN")
        if token:
            req.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                err = json.loads(raw)
                detail = f"{err.get('Code')}: {err.get('Message')}"
            except ValueError:
                detail = raw.decode(errors="replace")[:500]
            raise LocalECSError(f"{method} {path} answered {e.code} {detail}") from None
