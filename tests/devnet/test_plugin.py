"""The pytest plugin seen from outside: inner pytest runs on small generated test suites."""

from __future__ import annotations

import importlib.metadata
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from perennial_sdk.devnet import AnvilNotFoundError, find_anvil

from ._procs import alive, wait_gone

try:
    find_anvil()
    HAVE_ANVIL = True
except AnvilNotFoundError:
    HAVE_ANVIL = False

REGISTERED = any(
    ep.name == "perennial_sdk" for ep in importlib.metadata.entry_points(group="pytest11")
)
pytestmark = pytest.mark.skipif(
    not REGISTERED,
    reason="perennial-sdk is not installed (pip install -e .), plugin not registered",
)

MODULE_A = """
import pytest

ADDRESS = "0x00000000000000000000000000000000000000f6"
KEPT = "0x00000000000000000000000000000000000000f7"

@pytest.fixture(scope="module")
def funded(chain):
    chain.set_balance(ADDRESS, 99)
    return ADDRESS

def test_pure():
    assert 1 + 1 == 2

def test_module_state(chain, funded):
    assert chain.balance(funded) == 99

@pytest.mark.no_isolation
def test_no_isolation_keeps(chain):
    chain.set_balance(KEPT, 1)

def test_kept_within_module(chain):
    assert chain.balance(KEPT) == 1

def test_fork(fork):
    raise AssertionError("must be skipped without a fork url")

def test_protocol(devnet, prices):
    assert set(devnet.deployment.markets) == {"ETH", "BTC", "SOL"}
    assert prices.get("ETH") == 3_000_000_000
"""

MODULE_B = """
ADDRESS = "0x00000000000000000000000000000000000000f6"
KEPT = "0x00000000000000000000000000000000000000f7"

def test_module_a_was_reverted(chain):
    assert chain.balance(ADDRESS) == 0
    assert chain.balance(KEPT) == 0
"""


def _run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    (tmp_path / "test_mod_a.py").write_text(textwrap.dedent(MODULE_A))
    (tmp_path / "test_mod_b.py").write_text(textwrap.dedent(MODULE_B))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q", *args],
        cwd=tmp_path,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.skipif(not HAVE_ANVIL, reason="devnet unavailable: anvil is not installed")
def test_inner_suite_isolates_modules_skips_fork_and_deploys_devnet(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "-W", "error")
    assert code == 0, out
    assert "6 passed, 1 skipped" in out, out
    assert "no fork: pass --fork-url URL" in out


def test_inner_suite_skips_devnet_tests_without_anvil(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out = _run(tmp_path, env={"PATH": str(empty), "PERENNIAL_TOOLS_DIR": str(empty)})
    assert code == 0, out
    assert "1 passed, 6 skipped" in out, out
    assert f"npm install --prefix {empty} @foundry-rs/anvil" in out


def test_devnet_marker_selects(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "-m", "not devnet")
    assert code == 0, out
    assert "1 passed, 6 deselected" in out, out


def test_fork_block_without_url_is_a_usage_error(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "--fork-block", "5", env={"PERENNIAL_FORK_URL": ""})
    assert code != 0
    assert "--fork-block needs --fork-url" in out


_PID_SUITE = """
import os, time
from pathlib import Path

def test_fails(anvil):
    Path("anvil.pid").write_text(str(anvil.pid))
    if os.environ.get("INNER_SLEEP"):
        time.sleep(60)
    raise AssertionError("this inner test fails on purpose")
"""


@pytest.mark.skipif(not HAVE_ANVIL, reason="devnet unavailable: anvil is not installed")
def test_no_anvil_survives_a_failing_run(tmp_path: Path) -> None:
    (tmp_path / "test_pid.py").write_text(_PID_SUITE)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed" in done.stdout
    assert wait_gone(int((tmp_path / "anvil.pid").read_text()), timeout=5.0)


@pytest.mark.skipif(not HAVE_ANVIL, reason="devnet unavailable: anvil is not installed")
def test_no_anvil_survives_ctrl_c(tmp_path: Path) -> None:
    (tmp_path / "test_pid.py").write_text(_PID_SUITE)
    run = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        cwd=tmp_path,
        env={**os.environ, "INNER_SLEEP": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    pid_file = tmp_path / "anvil.pid"
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() or not pid_file.read_text():
            assert run.poll() is None, run.communicate()[0]
            assert time.monotonic() < deadline, "inner run never started anvil"
            time.sleep(0.05)
        anvil_pid = int(pid_file.read_text())
        assert alive(anvil_pid)
        run.send_signal(signal.SIGINT)
        out, _ = run.communicate(timeout=30)
        assert "KeyboardInterrupt" in out, out
        assert wait_gone(anvil_pid, timeout=5.0)
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
