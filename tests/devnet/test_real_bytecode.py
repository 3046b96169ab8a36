"""Perennial's own bytecode from its deployment records (skipped unless $PERENNIAL_DEPLOYMENTS_DIR is set).

    PERENNIAL_DEPLOYMENTS_DIR=/path/to/perennial-v2/packages/deploy/deployments/perennial ./run test
runs this module and makes the session's ``devnet`` fixture (so every client and integration test)
use the real Market / MarketFactory / OracleFactory / Oracle / StorkFactory / KeeperOracle /
MultiInvoker and libraries at their real addresses, over the SDK's mocks of their externals.
"""

from __future__ import annotations

import os

import pytest
from eth_account import Account
from web3 import Web3

from perennial_sdk.abi import encode_call
from perennial_sdk.client import DEVNET_STORK_KEY, PerennialClient, PositionUpdate, PriceCommit, signer_from_key
from perennial_sdk.devnet import Devnet, dev_accounts
from perennial_sdk.devnet._real import RECORDS_ENV, create_address, load_records

pytestmark = pytest.mark.skipif(not os.environ.get(RECORDS_ENV), reason=f"set ${RECORDS_ENV} to a deployments/<network> folder")
U = 10**6


def _address(devnet: Devnet, to: str, signature: str, *args: object) -> str:
    raw = devnet.w3.eth.call({"to": Web3.to_checksum_address(to), "data": encode_call(signature, *args)})
    return str(Web3.to_checksum_address("0x" + bytes(raw)[-20:].hex()))


def test_every_record_lands_at_its_real_address(devnet: Devnet) -> None:
    records = load_records(os.environ[RECORDS_ENV])
    for record in records.values():
        assert create_address(record.deployer, record.nonce) == record.address
        assert len(devnet.w3.eth.get_code(record.address)) > 0, record.name
    d = devnet.deployment
    assert d.factory == records["MarketFactory"].address
    assert d.market_implementation == records["MarketImpl"].address
    assert d.keeper_factory == records["StorkFactory"].address
    assert d.multi_invoker == records["MultiInvoker"].address
    assert (d.dsu, d.usdc) == (records["MultiInvokerImpl"].arg("dsu_"), records["MultiInvokerImpl"].arg("usdc_"))


def test_markets_run_on_the_real_oracle_path(devnet: Devnet) -> None:
    """Market → Oracle (created by the real OracleFactory) → KeeperOracle (created by the real
    StorkFactory), verified by the Stork mock at Stork's address with the devnet publisher key."""
    records = load_records(os.environ[RECORDS_ENV])
    d = devnet.deployment
    stork = records["StorkFactoryImpl"].arg("stork_")
    assert _address(devnet, stork, "storkPublicKey()") == Account.from_key(DEVNET_STORK_KEY).address
    for name, info in d.markets.items():
        assert _address(devnet, info.market, "oracle()") == info.oracle
        assert _address(devnet, info.oracle, "factory()") == records["OracleFactory"].address
        assert _address(devnet, info.oracle, "market()") == info.market
        assert info.keeper_oracle is not None
        assert _address(devnet, info.keeper_oracle, "factory()") == d.keeper_factory
        assert _address(devnet, info.keeper_oracle, "oracle()") == info.oracle
        assert devnet.latest_price(name) > 0, name


def test_client_trades_on_the_real_market(devnet: Devnet) -> None:
    key = dev_accounts(3)[2]
    url = devnet.w3.provider.endpoint_uri  # type: ignore[attr-defined]
    client = PerennialClient(Web3(Web3.HTTPProvider(str(url))), devnet.deployment.chain_deployment(),
                             account=signer_from_key(key.key))
    eth = devnet.deployment.markets["ETH"].market
    client.update(eth, maker=10 * U, collateral=100_000 * U)
    devnet.commit_requested("ETH", devnet.latest_price("ETH"))
    snapshot = client.snapshot()
    assert snapshot.account_in(eth).position.maker == 10 * U
    assert len(snapshot.markets) == 3


def test_one_real_multiinvoker_transaction_commits_prices_and_rebalances(devnet: Devnet) -> None:
    key = dev_accounts(5)[4]
    url = devnet.w3.provider.endpoint_uri  # type: ignore[attr-defined]
    client = PerennialClient(Web3(Web3.HTTPProvider(str(url))), devnet.deployment.chain_deployment(),
                             account=signer_from_key(key.key))
    markets = {n: devnet.deployment.markets[n].market for n in ("ETH", "BTC", "SOL")}
    source = devnet.price_source()
    devnet.advance_time(120)  # stale prices: the commits ride in the same transaction
    result = client.rebalance(
        [PositionUpdate(markets["ETH"], maker=5 * U, collateral=50_000 * U),
         PositionUpdate(markets["BTC"], maker=U // 2, collateral=50_000 * U),
         PositionUpdate(markets["SOL"], maker=50 * U, collateral=50_000 * U)],
        commits=[PriceCommit(m, source) for m in markets.values()],
    )
    assert result.status == 1
    assert len(result.events_named("OracleProviderVersionFulfilled")) == 3
    assert len(result.events_named("OrderCreated")) == 3
    for name in markets:
        devnet.commit_requested(name, devnet.latest_price(name))
    snap = client.snapshot()
    assert [snap.account_in(m).position.maker for m in markets.values()] == [5 * U, U // 2, 50 * U]


def test_the_registry_matches_the_records() -> None:
    """``client.PERENNIAL`` (chain 1424) names the same contracts as the records."""
    from perennial_sdk.client import PERENNIAL

    records = load_records(os.environ[RECORDS_ENV])
    if PERENNIAL.market_factory != records["MarketFactory"].address:
        pytest.skip("these records are another network's")
    assert PERENNIAL.multi_invoker == records["MultiInvoker"].address
    assert PERENNIAL.oracle_factory == records["OracleFactory"].address
    assert PERENNIAL.keeper_factory == records["StorkFactory"].address
    assert PERENNIAL.vault_factory == records["MakerVaultFactory"].address
    assert PERENNIAL.usdc == records["MultiInvokerImpl"].arg("usdc_")


def test_devnet_up_serves_the_records_deployment() -> None:
    """``perennial-sdk devnet up --records DIR``: the real factories at their addresses, until Ctrl-C."""
    import signal
    import subprocess
    import sys

    records = load_records(os.environ[RECORDS_ENV])
    proc = subprocess.Popen(
        [sys.executable, "-m", "perennial_sdk.cli", "devnet", "up", "--records", os.environ[RECORDS_ENV]],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        while not lines or lines[-1].strip() != "Ctrl-C to stop.":
            line = proc.stdout.readline()
            assert line, "".join(lines) + f"\n(exit {proc.poll()})"
            lines.append(line)
        text = "".join(lines)
        for name in ("MarketFactory", "StorkFactory", "MultiInvoker"):
            assert f"{name:<24} {records[name].address}" in text, name
        assert "Stork asset id" in text and "MarketEngine" not in text
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=30)
        assert proc.returncode == 0 and "devnet stopped" in rest, rest
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
