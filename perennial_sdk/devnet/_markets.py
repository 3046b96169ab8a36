"""More markets on a running devnet (e.g. to measure ten-market snapshots)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from perennial_sdk import presets

from ._real import oracle_factory_of, register_oracle
from ._tx import struct_arg

if TYPE_CHECKING:
    from ._devnet import Devnet

__all__ = ["add_markets"]


def add_markets(devnet: Devnet, count: int, *, like: str = "ETH") -> list[str]:
    """Create ``count`` markets with the ``like`` preset's parameters, each on its own keeper oracle
    reading ``like``'s Pyth feed; returns their addresses (the deployment record is unchanged)."""
    dep = devnet.deployment
    feed = bytes.fromhex(dep.markets[like].pyth_feed[2:])
    market_param = struct_arg("Market", "updateParameter", presets.market_parameter())
    risk_param = struct_arg("Market", "updateRiskParameter", presets.risk_parameter(like))
    created: list[str] = []
    oracle_factory = oracle_factory_of(devnet.w3, dep.factory)
    for i in range(count):
        oracle_id = bytes([0xEE, (len(created) + i) % 256, count % 256]) + b"\x00" * 29
        while devnet.pyth_factory.functions.oracles(oracle_id).call() != "0x" + "00" * 20:
            oracle_id = bytes([oracle_id[0], (oracle_id[1] + 1) % 256]) + oracle_id[2:]
        devnet.send(devnet.pyth_factory.functions.create(oracle_id, feed), dep.owner)
        oracle = devnet.pyth_factory.functions.oracles(oracle_id).call()
        if oracle_factory is not None:  # Perennial's own MarketFactory: register with its OracleFactory
            register_oracle(devnet.w3, oracle_factory, oracle)
        devnet.send(devnet.factory.functions.create((dep.dsu, oracle)), dep.owner)
        market = devnet.factory.functions.markets(oracle).call()
        devnet.send(devnet.contract("KeeperOracle", oracle).functions.register(market), dep.owner)
        contract = devnet.contract("Market", market)
        devnet.send(contract.functions.updateParameter(market_param), dep.owner)
        devnet.send(contract.functions.updateRiskParameter(risk_param), dep.coordinator)
        created.append(str(market))
    return created
