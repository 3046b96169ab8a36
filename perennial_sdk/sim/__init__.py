"""Deterministic simulator of a Perennial V2.4 market and scenario replay."""

from perennial_sdk.sim.market import MAGIC_CLOSE, MAGIC_UNCHANGED, MAGIC_WITHDRAW_ALL, SimMarket
from perennial_sdk.sim.oracle import SimOracle, VersionRecord
from perennial_sdk.sim.replay import Scenario, account_address, replay_scenario

__all__ = [
    "MAGIC_CLOSE",
    "MAGIC_UNCHANGED",
    "MAGIC_WITHDRAW_ALL",
    "Scenario",
    "SimMarket",
    "SimOracle",
    "VersionRecord",
    "account_address",
    "replay_scenario",
]
