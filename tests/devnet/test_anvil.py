"""The anvil process layer: start, stop, logs, failures, and no orphaned processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from perennial_sdk.devnet import (
    AnvilNotFoundError,
    AnvilStartError,
    Chain,
    DevnetValueError,
    find_anvil,
    launch_anvil,
)

from ._procs import alive, wait_gone

try:
    ANVIL: Path | None = find_anvil()
except AnvilNotFoundError as exc:
    ANVIL = None
    _MISSING = str(exc)
else:
    _MISSING = ""

needs_anvil = pytest.mark.skipif(ANVIL is None, reason=f"devnet unavailable: {_MISSING}")

ADDRESS = "0x00000000000000000000000000000000000000a1"
FIRST_DEV_KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"


@needs_anvil
def test_launch_answers_and_close_leaves_no_process() -> None:
    handle = launch_anvil()
    try:
        assert handle.running
        assert alive(handle.pid)
        assert handle.url == f"http://127.0.0.1:{handle.port}"
        w3 = handle.web3()
        assert w3.eth.chain_id == 31337 == handle.chain_id
        assert len(w3.eth.accounts) == 10
    finally:
        logs = handle.close()
    assert not handle.running
    assert wait_gone(handle.pid, timeout=2.0)
    assert f"Listening on 127.0.0.1:{handle.port}" in logs
    assert "eth_chainId" in logs  # the requests made above
    assert handle.close() == logs  # idempotent
    with socket.socket() as sock:  # nothing listens on the port any more
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", handle.port))


@needs_anvil
def test_logs_hide_the_dev_keys_and_mnemonic() -> None:
    with launch_anvil(accounts=2) as handle:
        pass
    logs = handle.close()
    assert "Private Keys" in logs
    assert FIRST_DEV_KEY not in logs
    assert "test test test" not in logs
    assert "<private key redacted>" in logs


@needs_anvil
def test_options_reach_the_node() -> None:
    with launch_anvil(chain_id=4242, accounts=3, balance=7) as handle:
        w3 = handle.web3()
        assert w3.eth.chain_id == 4242
        assert len(w3.eth.accounts) == 3
        assert w3.eth.get_balance(w3.eth.accounts[0]) == 7 * 10**18
    assert not alive(handle.pid)


@needs_anvil
def test_parallel_launches_get_distinct_ports() -> None:
    first = launch_anvil()
    try:
        second = launch_anvil()
        try:
            assert first.port != second.port
            assert Chain(second.web3()).block_number() == 0
        finally:
            second.close()
    finally:
        first.close()


@needs_anvil
def test_start_failure_raises_with_log_tail_and_kills_process() -> None:
    with pytest.raises(AnvilStartError) as info:
        launch_anvil(extra_args=["--no-such-anvil-flag"])
    err = info.value
    assert err.reason == "exited"
    assert err.returncode not in (None, 0)
    assert "--no-such-anvil-flag" in err.logs_tail
    assert "anvil log tail" in str(err)
    assert isinstance(err, RuntimeError)


@needs_anvil
def test_start_timeout_kills_process() -> None:
    # anvil cannot answer before it is started; a tiny timeout must end in a killed process.
    with pytest.raises(AnvilStartError) as info:
        launch_anvil(startup_timeout=1e-6)
    assert info.value.reason == "timeout"
    pid = _pid_of_running_anvil_with_port(info.value.command)
    assert pid is None


@needs_anvil
def test_busy_fixed_port_is_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(AnvilStartError) as info:
            launch_anvil(port=port)
    assert info.value.reason == "port_in_use"


def test_bad_arguments_fail_before_starting() -> None:
    with pytest.raises(DevnetValueError) as info:
        launch_anvil(fork_block=1)
    assert info.value.field == "fork_block"
    assert isinstance(info.value, ValueError)
    with pytest.raises(DevnetValueError):
        launch_anvil(fork_url="file:///etc/passwd")
    with pytest.raises(DevnetValueError):
        launch_anvil(load_state="/nonexistent/state.json")


def test_missing_anvil_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("PERENNIAL_TOOLS_DIR", str(tmp_path / "tools"))
    with pytest.raises(AnvilNotFoundError) as info:
        find_anvil()
    message = str(info.value)
    assert f"npm install --prefix {tmp_path / 'tools'} @foundry-rs/anvil" in message
    assert isinstance(info.value, FileNotFoundError)


@needs_anvil
def test_dump_state_on_close_then_load_state(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    with launch_anvil(dump_state=state_file) as handle:
        Chain(handle.web3()).set_balance(ADDRESS, 12345)
    assert state_file.is_file()
    with launch_anvil(load_state=state_file) as again:
        assert Chain(again.web3()).balance(ADDRESS) == 12345


_CHILD = textwrap.dedent(
    """
    import sys, time
    from perennial_sdk.devnet import launch_anvil
    handle = launch_anvil()
    print(handle.pid, flush=True)
    time.sleep(120)
    """
)


def _spawn_parent_of_anvil() -> tuple[subprocess.Popen[str], int]:
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    if not line.strip():
        child.kill()
        _, err = child.communicate()
        pytest.fail(f"child did not start anvil: {err}")
    return child, int(line)


@needs_anvil
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_DEATHSIG is Linux only")
def test_anvil_dies_with_a_sigkilled_parent() -> None:
    child, anvil_pid = _spawn_parent_of_anvil()
    try:
        assert alive(anvil_pid)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=10)
        assert wait_gone(anvil_pid, timeout=10.0), "anvil outlived its SIGKILLed parent"
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
        if alive(anvil_pid):
            os.kill(anvil_pid, signal.SIGKILL)


@needs_anvil
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_anvil_stops_when_parent_is_terminated(sig: signal.Signals) -> None:
    child, anvil_pid = _spawn_parent_of_anvil()
    try:
        child.send_signal(sig)
        child.communicate(timeout=15)
        assert child.returncode != 0
        assert wait_gone(anvil_pid, timeout=10.0), f"anvil outlived its parent after {sig.name}"
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
        if alive(anvil_pid):
            os.kill(anvil_pid, signal.SIGKILL)


def _pid_of_running_anvil_with_port(command: list[str]) -> int | None:
    """pid of a live process whose command line has the same --port as ``command``."""
    port = command[command.index("--port") + 1]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        matches = b"--port" in argv and argv[argv.index(b"--port") + 1] == port.encode()
        if matches and alive(int(entry.name)):
            return int(entry.name)
    return None
