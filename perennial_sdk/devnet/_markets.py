"""More markets on a running devnet (e.g. to measure ten-market snapshots)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from perennial_sdk import presets
from perennial_sdk.client._stork import stork_asset_id

from ._real import STORK_ASSETS, create_records_market, oracle_factory_of
from ._tx import struct_arg

if TYPE_CHECKING:
    from ._devnet import Devnet

__all__ = ["add_markets"]


def add_markets(devnet: Devnet, count: int, *, like: str = "ETH") -> list[str]:
    """Create ``count`` markets with the ``like`` preset's parameters, each on its own keeper oracle
    reading ``like``'s price feed; returns their addresses (the deployment record is unchanged)."""
    dep = devnet.deployment
    if dep.price_feed == "stork":  # Perennial's own factories: Oracle over KeeperOracle, as they do it
        oracle_factory = oracle_factory_of(devnet.w3, dep.factory)
        assert oracle_factory is not None
        out: list[str] = []
        for i in range(count):
            new_id = "0x" + (bytes([0xEE, i % 256, count % 256]) + b"\x00" * 29).hex()
            # the real KeeperFactory allows one oracle per underlying feed (and payoff): a feed of its own
            own_feed = stork_asset_id(f"{STORK_ASSETS[like]}#{new_id[2:10]}")
            info = create_records_market(devnet.w3, devnet.tx, dep, f"{like}-{i}", oracle_id=new_id,
                                         feed_id=own_feed, oracle_factory=oracle_factory, risk=like)
            out.append(info.market)
        return out
    feed = bytes.fromhex(dep.markets[like].feed_id[2:])
    market_param = struct_arg("Market", "updateParameter", presets.market_parameter())
    risk_param = struct_arg("Market", "updateRiskParameter", presets.risk_parameter(like))
    created: list[str] = []
    for i in range(count):
        oracle_id = bytes([0xEE, (len(created) + i) % 256, count % 256]) + b"\x00" * 29
        while devnet.keeper_factory.functions.oracles(oracle_id).call() != "0x" + "00" * 20:
            oracle_id = bytes([oracle_id[0], (oracle_id[1] + 1) % 256]) + oracle_id[2:]
        devnet.send(devnet.keeper_factory.functions.create(oracle_id, feed), dep.owner)
        oracle = devnet.keeper_factory.functions.oracles(oracle_id).call()
        devnet.send(devnet.factory.functions.create((dep.dsu, oracle)), dep.owner)
        market = devnet.factory.functions.markets(oracle).call()
        devnet.send(devnet.contract("KeeperOracle", oracle).functions.register(market), dep.owner)
        contract = devnet.contract("Market", market)
        devnet.send(contract.functions.updateParameter(market_param), dep.owner)
        devnet.send(contract.functions.updateRiskParameter(risk_param), dep.coordinator)
        created.append(str(market))
    return created
