"""The pytest side: options, the session server, fixtures, the marker, the failure report.

Fixtures:
- `localecs`: the session's server (a `LocalECS`): endpoint, region, credentials, reset(),
  load(), export(). State carries over between tests unless a reset is asked for.
- `localecs_fresh`: the same, reset before the test.
- `ecs_client`, `ram_client`: the official SDK clients, configured for the server.
Marker `@pytest.mark.localecs_fresh` (on a test, class or module): reset before the test;
ini `localecs_reset = each`: reset before every test that uses a LocalECS fixture.
"""
from __future__ import annotations

import pytest

from .server import LocalECS, LocalECSError, find_binary

_LOG_START = "_localecs_log_start"


def pytest_addoption(parser):
    group = parser.getgroup("localecs", "LocalECS (local Alibaba Cloud ECS)")
    group.addoption("--localecs-bin", default=None,
                    help="the localecs binary (default: ini localecs_bin, then LOCALECS_BIN, then PATH)")
    group.addoption("--localecs-store", default=None,
                    help="the server's store: memory (default), sqlite:PATH or postgres://…")
    group.addoption("--localecs-transition-delay", default=None,
                    help="time an instance spends in each transient status: 0 (default, instant), 250ms, 1s")
    group.addoption("--localecs-reset", default=None, choices=["each", "marked"],
                    help="each: reset the state before every test using LocalECS; marked (default): only "
                         "tests marked localecs_fresh or using the localecs_fresh fixture")
    parser.addini("localecs_bin", "the localecs binary", default=None)
    parser.addini("localecs_store", "the server's store (memory, sqlite:PATH, postgres://…)", default="memory")
    parser.addini("localecs_transition_delay", "transient status duration (0, 250ms, 1s)", default="0")
    parser.addini("localecs_reset", "each | marked (default)", default="marked")


def pytest_configure(config):
    config.addinivalue_line("markers", "localecs_fresh: start this test from an empty LocalECS state (reset before it)")


def _setting(config, name: str) -> str | None:
    value = config.getoption("--" + name.replace("_", "-"))
    return value if value is not None else config.getini(name)


@pytest.fixture(scope="session")
def localecs_server(request, tmp_path_factory) -> LocalECS:
    """The session's `localecs serve` (started on first use, stopped at the end of the session)."""
    config = request.config
    try:
        binary = find_binary(_setting(config, "localecs_bin"))
    except LocalECSError as e:
        pytest.fail(str(e), pytrace=False)
    server = LocalECS(binary, tmp_path_factory.mktemp("localecs") / "server.log",
                      store=_setting(config, "localecs_store") or "memory",
                      transition_delay=_setting(config, "localecs_transition_delay") or "0")
    try:
        server.start()
    except LocalECSError as e:
        pytest.fail(str(e), pytrace=False)
    config._localecs_server = server
    yield server
    server.stop()


@pytest.fixture
def localecs(localecs_server, request) -> LocalECS:
    """The session's server; reset first when the test is marked `localecs_fresh` or ini
    `localecs_reset = each`."""
    if request.node.get_closest_marker("localecs_fresh") or _setting(request.config, "localecs_reset") == "each":
        localecs_server.reset()
    return localecs_server


@pytest.fixture
def localecs_fresh(localecs) -> LocalECS:
    """The session's server, reset before this test: it starts from the root account alone."""
    localecs.reset()
    return localecs


def _openapi_config(server: LocalECS):
    from alibabacloud_tea_openapi import models as open_api_models  # lazy: the plugin loads without the SDK
    return open_api_models.Config(access_key_id=server.access_key_id, access_key_secret=server.access_key_secret,
                                  endpoint=server.endpoint, protocol="http", region_id=server.region)


@pytest.fixture
def ecs_client(localecs):
    """`alibabacloud_ecs20140526.client.Client` for the server (pip install alibabacloud-ecs20140526)."""
    try:
        from alibabacloud_ecs20140526.client import Client
    except ImportError:
        pytest.fail("ecs_client needs the official ECS SDK: pip install alibabacloud-ecs20140526", pytrace=False)
    return Client(_openapi_config(localecs))


@pytest.fixture
def ram_client(localecs):
    """`alibabacloud_ram20150501.client.Client` for the server (pip install alibabacloud-ram20150501)."""
    try:
        from alibabacloud_ram20150501.client import Client
    except ImportError:
        pytest.fail("ram_client needs the official RAM SDK: pip install alibabacloud-ram20150501", pytrace=False)
    return Client(_openapi_config(localecs))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    server = getattr(item.config, "_localecs_server", None)
    setattr(item, _LOG_START, server.log_size() if server else 0)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    server = getattr(item.config, "_localecs_server", None)
    if server is None or not report.failed or "localecs_server" not in getattr(item, "fixturenames", ()):
        return
    # The server output written while this test ran; the last lines overall if it wrote none.
    since = getattr(item, _LOG_START, 0)
    tail = server.log_tail(200, since=since) or server.log_tail(50)
    report.sections.append((f"localecs server log ({server.log_path})", tail))
