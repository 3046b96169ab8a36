"""Devnet.start: warm start from the cached deployment, cold build into a new cache, dump/load,
and the `perennial-sdk devnet up` command."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from web3 import HTTPProvider, Web3

from perennial_sdk.devnet import (
    AnvilNotFoundError,
    Devnet,
    DevnetConfig,
    OracleConfig,
    dev_accounts,
    find_anvil,
)

from ._procs import alive, wait_gone

try:
    find_anvil()
except AnvilNotFoundError as exc:
    pytest.skip(f"devnet unavailable: {exc}", allow_module_level=True)

U = 10**6


def test_warm_start_loads_the_cached_deployment_fast(devnet: Devnet) -> None:
    """The session fixture built (or found) the cache; a second devnet starts from it."""
    start = time.perf_counter()
    dn = Devnet.start()
    elapsed = time.perf_counter() - start
    try:
        assert elapsed < 1.0, f"warm start took {elapsed:.2f}s"
        assert dn.deployment == devnet.deployment
        assert dn.accounts == devnet.accounts[: len(dn.accounts)]
        assert dn.latest_price("BTC") == 60_000 * U
        assert dn.now() - dn.oracle("ETH").functions.latest().call()[0] < 10  # prices are fresh
        dn.update("ETH", dn.accounts[1], maker=1 * U, collateral=1_000 * U)  # not stale: it trades
        assert "0x" + dev_accounts(1)[0].key.hex().removeprefix("0x") not in repr(dn)
        pid = dn.handle.pid if dn.handle else 0
    finally:
        dn.close()
    assert wait_gone(pid, timeout=5.0)


def test_cache_keys_follow_the_configuration() -> None:
    base = DevnetConfig()
    assert base.key() == DevnetConfig().key()
    assert DevnetConfig.of(["ETH"], None).key() != base.key()
    assert DevnetConfig.of(["ETH", "BTC", "SOL"], {"ETH": 2_000 * U}).key() != base.key()


def test_cold_build_fills_a_new_cache_then_starts_warm(tmp_path: Path) -> None:
    config = {"markets": ("SOL",), "prices": {"SOL": 140 * U}, "oracle": OracleConfig(granularity=10, timeout=60)}
    with Devnet.start(**config, cache_directory=tmp_path) as cold:  # type: ignore[arg-type]
        assert list(cold.deployment.markets) == ["SOL"] and cold.latest_price("SOL") == 140 * U
        assert cold.keeper_factory.functions.parameter().call()[1] == 10
        assert cold.keeper_factory.functions.timeout().call() == 60
        first = cold.deployment
    assert len(list(tmp_path.glob("*.state.json"))) == 1 and len(list(tmp_path.glob("*.meta.json"))) == 1
    with Devnet.start(**config, cache_directory=tmp_path) as warm:  # type: ignore[arg-type]
        assert warm.deployment == first
        assert warm.reader("SOL").global_().latest_price == 140 * U
        warm.update("SOL", warm.accounts[1], maker=1 * U, collateral=1_000 * U)
        assert warm.requested("SOL")[0] % 10 == 0


def test_dump_state_and_load(devnet: Devnet, tmp_path: Path) -> None:
    maker = devnet.accounts[2]
    devnet.update("ETH", maker, maker=3 * U, collateral=5_000 * U)
    devnet.commit_requested("ETH", 3_000 * U)
    path = devnet.dump_state(tmp_path / "state.json")
    assert (tmp_path / "state.deployment.json").is_file()
    with Devnet.load(path) as loaded:
        assert loaded.deployment == devnet.deployment
        assert loaded.reader("ETH").positions(maker).maker == 3 * U
        assert loaded.now() >= devnet.now()


def test_devnet_up_prints_the_devnet_and_stops_on_ctrl_c() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "perennial_sdk.cli", "devnet", "up"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        while not lines or lines[-1].strip() != "Ctrl-C to stop.":
            assert time.monotonic() < deadline, "".join(lines)
            line = proc.stdout.readline()
            assert line, "".join(lines) + f"\n(exit {proc.poll()})"
            lines.append(line)
        text = "".join(lines)
        url = re.search(r"^RPC URL\s+(\S+)", text, re.MULTILINE)
        pid = re.search(r"^anvil pid\s+(\d+)", text, re.MULTILINE)
        assert url and pid, text
        assert re.search(r"^chain id\s+31337$", text, re.MULTILINE)
        for name in ("MarketFactory", "MarketEngine", "MarketCore", "DSU", "USDC", "MockPyth", "PythFactory",
                     "Multicall3", "MultiInvoker", "market.ETH", "oracle.SOL"):
            assert re.search(rf"^\s+{re.escape(name)}\s+0x[0-9a-fA-F]{{40}}$", text, re.MULTILINE), name
        assert "PUBLIC dev keys" in text
        assert re.search(r"^\s+\(9\) 0x[0-9a-fA-F]{40}\s+0x[0-9a-f]{64}$", text, re.MULTILINE)
        w3 = Web3(HTTPProvider(url.group(1)))
        assert w3.eth.chain_id == 31337
        factory = re.search(r"^\s+MarketFactory\s+(0x[0-9a-fA-F]{40})$", text, re.MULTILINE)
        assert factory and w3.eth.get_code(Web3.to_checksum_address(factory.group(1)))
        assert abs(w3.eth.get_block("latest")["timestamp"] - time.time()) < 30  # moved to the wall clock
        anvil_pid = int(pid.group(1))
        assert alive(anvil_pid)
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=30)
        assert proc.returncode == 0, rest
        assert "devnet stopped" in rest
        assert wait_gone(anvil_pid, timeout=5.0)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
