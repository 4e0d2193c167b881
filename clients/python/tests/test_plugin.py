"""The plugin's own tests: sample projects run in a pytest subprocess, as a user's project would.

Needs LOCALECS_BIN (or localecs on PATH) and the official SDKs. The plugin is used as installed
(`pip install ./clients/python`) when its entry point is present, else from this checkout
(PYTHONPATH + `-p pytest_localecs.plugin`).
"""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
from importlib import metadata

HERE = pathlib.Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent
REPO = PACKAGE_ROOT.parent.parent


def installed() -> bool:
    eps = metadata.entry_points()
    group = eps.select(group="pytest11") if hasattr(eps, "select") else eps.get("pytest11", [])
    return any(ep.value == "pytest_localecs.plugin" for ep in group)


def readme_example() -> str:
    """The README's complete pytest example, as the README shows it (not a copy that could drift)."""
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "readme_blocks.py"), str(REPO / "README.md"), "pytest-example"],
                         capture_output=True, text=True, check=True)
    return out.stdout


def run_pytest(project: str | pathlib.Path, tmp_path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "basetemp"), *args]
    full_env = {**os.environ, **(env or {})}
    if not installed():
        cmd[3:3] = ["-p", "pytest_localecs.plugin"]
        full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), full_env.get("PYTHONPATH")]))
    return subprocess.run(cmd, cwd=HERE / project, env=full_env, capture_output=True, text=True, timeout=300)


def test_sample_project_passes(tmp_path):
    project = tmp_path / "sample_project"
    shutil.copytree(HERE / "sample_project", project)
    (project / "test_example.py").write_text(readme_example())
    p = run_pytest(project, tmp_path, "-v")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "7 passed" in p.stdout, p.stdout


def test_failing_test_shows_the_server_log(tmp_path):
    p = run_pytest("failing_project", tmp_path)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "failing on purpose" in p.stdout
    assert "localecs server log" in p.stdout, p.stdout
    assert "LocalECS listening on http://127.0.0.1:" in p.stdout, p.stdout


def test_missing_binary_says_how_to_build_it(tmp_path):
    env = {"LOCALECS_BIN": "", "PATH": str(tmp_path)}   # no localecs anywhere
    p = run_pytest("failing_project", tmp_path, env=env)
    assert p.returncode != 0
    assert "localecs binary was not found" in p.stdout, p.stdout
    assert "swift build -c release" in p.stdout, p.stdout


def test_bad_binary_path_is_named(tmp_path):
    p = run_pytest("failing_project", tmp_path, "--localecs-bin", str(tmp_path / "nope"))
    assert p.returncode != 0
    assert f"{tmp_path / 'nope'} is not an executable file" in p.stdout, p.stdout


def test_reset_each_ini_option(tmp_path):
    # Two tests of test_estate.py rely on state left by the one before (a key pair); with
    # localecs_reset=each every test starts empty, so exactly those two fail.
    p = run_pytest("sample_project", tmp_path, "-o", "localecs_reset=each", "test_estate.py")
    assert p.returncode == 1, p.stdout + p.stderr
    assert "2 failed, 2 passed" in p.stdout, p.stdout
    assert "FAILED test_estate.py::test_state_carries_over_without_reset" in p.stdout
    assert "FAILED test_estate.py::test_load_without_replace_refuses_a_non_empty_store" in p.stdout
