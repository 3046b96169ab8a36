"""The deployed protocol reads back as configured: presets, keeper oracle settings, wiring, funding."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from web3 import Web3

from perennial_sdk import models, presets
from perennial_sdk.devnet import (
    DEFAULT_PRICES,
    PYTH_FEEDS,
    Deployment,
    Devnet,
    DevnetConfig,
    DevnetValueError,
    OracleConfig,
)
from perennial_sdk.devnet._reads import struct_dict

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "perennial_sdk" / "artifacts"
U = 10**6


def test_protocol_parameter_is_the_preset(devnet: Devnet) -> None:
    raw = devnet.factory.functions.parameter().call()
    components = next(i for i in devnet.factory.abi if i.get("name") == "parameter")["outputs"][0]["components"]
    assert models.ProtocolParameter.model_validate(struct_dict(raw, components)) == presets.PROTOCOL


@pytest.mark.parametrize("name", ["ETH", "BTC", "SOL"])
def test_market_and_risk_parameters_are_the_presets(devnet: Devnet, name: str) -> None:
    reader = devnet.reader(name)
    assert reader.parameter() == presets.market_parameter()
    stored = presets.risk_parameter(name).stored()  # scales and makerLimit: whole units
    assert reader.risk_parameter() == stored
    assert reader.global_().latest_price == DEFAULT_PRICES[name]
    assert devnet.latest_price(name) == DEFAULT_PRICES[name]


def test_stored_truncation_is_what_the_contract_keeps(devnet: Devnet) -> None:
    fractional = presets.risk_parameter(
        "ETH", maker_limit=3_010_500_000,
        taker_fee={"linear_fee": 400, "proportional_fee": 200, "adiabatic_fee": 1_200, "scale": 600_700_000},
    )
    devnet.send(devnet.market("ETH").functions.updateRiskParameter(
        _risk_tuple(devnet, fractional)), devnet.deployment.coordinator)
    read = devnet.reader("ETH").risk_parameter()
    assert read != fractional
    assert read == fractional.stored()
    assert read.maker_limit == 3_010 * U and read.taker_fee.scale == 600 * U


def _risk_tuple(devnet: Devnet, risk: models.RiskParameter) -> tuple[object, ...]:
    from perennial_sdk.devnet._tx import struct_arg

    return struct_arg("Market", "updateRiskParameter", risk)


def test_keeper_oracle_settings(devnet: Devnet) -> None:
    config = devnet.deployment.oracle
    assert config == OracleConfig()  # Arbitrum-like: 5 s granularity, [+2 s, +7 s], 30 s timeout
    pf = devnet.keeper_factory.functions
    latest_granularity, granularity, _effective, oracle_fee, valid_from, valid_to = pf.parameter().call()
    assert (granularity, oracle_fee, valid_from, valid_to) == (5, 0, 2, 7)
    assert latest_granularity == 1
    assert tuple(pf.feeConfig().call()) == (config.sync_fee, config.async_fee, config.max_settlement_fee)
    assert pf.timeout().call() == 30
    assert pf.pyth().call() == devnet.deployment.pyth
    for name, info in devnet.deployment.markets.items():
        feed = bytes.fromhex(PYTH_FEEDS[name][2:])
        assert info.oracle_id == info.feed_id == PYTH_FEEDS[name]
        assert pf.oracles(feed).call() == info.oracle
        assert pf.toUnderlyingId(feed).call() == feed
        oracle = devnet.oracle(name).functions
        assert oracle.market().call() == info.market
        assert oracle.timeout().call() == 30
        assert oracle.factory().call() == devnet.deployment.keeper_factory


def test_wiring(devnet: Devnet) -> None:
    d = devnet.deployment
    assert devnet.factory.functions.owner().call() == d.owner
    assert devnet.factory.functions.implementation().call() == d.market_implementation
    assert devnet.factory.functions.extensions(d.multi_invoker).call() is True
    assert devnet.dsu.functions.minters(d.reserve).call() is True
    invoker = devnet.multi_invoker.functions
    assert (invoker.USDC().call(), invoker.DSU().call()) == (d.usdc, d.dsu)
    assert (invoker.marketFactory().call(), invoker.reserve().call()) == (d.factory, d.reserve)
    for name, info in d.markets.items():
        market = devnet.market(name).functions
        assert devnet.factory.functions.markets(info.oracle).call() == info.market
        assert devnet.factory.functions.instances(info.market).call() is True
        assert market.oracle().call() == info.oracle
        assert market.token().call() == d.dsu
        assert market.coordinator().call() == d.coordinator == d.owner
    for address in d.addresses().values():
        assert len(devnet.w3.eth.get_code(Web3.to_checksum_address(address))) > 0, address


def test_accounts_are_funded_and_approved(devnet: Devnet) -> None:
    assert len(devnet.accounts) == 10
    assert devnet.accounts[0] == devnet.deployment.owner == devnet.keeper
    read = devnet.tx.read  # one raw eth_call each
    for account in devnet.accounts:
        if devnet.deployment.chain_id == 31337:  # on a fork the deployment paid gas
            assert devnet.chain.balance(account) == 10_000 * 10**18
        assert devnet.balance(account, "DSU") == 1_000_000 * 10**18
        assert devnet.balance(account, "USDC") == 1_000_000 * U
        for info in devnet.deployment.markets.values():
            assert read(devnet.dsu.functions.allowance(account, info.market)) == 2**256 - 1
        assert read(devnet.usdc.functions.allowance(account, devnet.deployment.multi_invoker)) == 2**256 - 1


def test_fund_and_mint_an_outside_address(devnet: Devnet) -> None:
    outsider = Web3.to_checksum_address("0x00000000000000000000000000000000000f00d5")
    devnet.fund(outsider, dsu=500 * U, usdc=20 * U, eth=10**18)
    devnet.mint(outsider, 1 * U)
    assert devnet.balance(outsider) == 501 * 10**18
    assert devnet.balance(outsider, "USDC") == 20 * U
    assert devnet.dsu.functions.allowance(outsider, devnet.deployment.markets["ETH"].market).call() == 2**256 - 1
    with pytest.raises(DevnetValueError) as info:
        devnet.mint(outsider, 1, token="WETH")
    assert info.value.field == "token"


def test_deployment_json_round_trip(devnet: Devnet) -> None:
    d = devnet.deployment
    again = Deployment.from_json(d.to_json())
    assert again == d
    assert json.loads(d.to_json())["markets"]["ETH"]["market"] == d.markets["ETH"].market
    assert d.chain_id == devnet.w3.eth.chain_id  # 31337, or the forked chain's
    with pytest.raises(DevnetValueError) as info:
        d.market("DOGE")
    assert info.value.field == "market" and "ETH" in str(info.value)


def test_bad_configurations_name_the_field() -> None:
    with pytest.raises(DevnetValueError) as info:
        DevnetConfig.of(["ETH", "DOGE"], None)
    assert info.value.field == "markets"
    with pytest.raises(DevnetValueError) as info:
        DevnetConfig.of(["ETH"], {"BTC": 1})
    assert info.value.field == "prices.BTC"
    with pytest.raises(DevnetValueError) as info:
        DevnetConfig.of("ETH", None)
    assert info.value.field == "markets"


def test_artifacts_are_built_from_the_current_sources() -> None:
    """sourceHash as contracts/build.mjs computes it: sha256 over every contracts/src/**/*.sol,
    in sorted order of the POSIX path relative to contracts/src (no solc needed)."""
    src = ROOT / "contracts" / "src"
    files = sorted(src.rglob("*.sol"), key=lambda p: p.relative_to(src).as_posix())
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    manifest = json.loads((ARTIFACTS / "_manifest.json").read_text())
    assert manifest["sourceHash"] == digest.hexdigest(), (
        "perennial_sdk/artifacts are stale: run `node contracts/build.mjs`"
    )
    for name in manifest["contracts"]:
        assert json.loads((ARTIFACTS / f"{name}.json").read_text())["sourceHash"] == manifest["sourceHash"], name
