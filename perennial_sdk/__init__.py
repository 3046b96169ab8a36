"""Perennial V2.4 SDK: exact market math, a fast simulator, a local devnet and (soon) a typed client.

Subpackages and modules:

* :mod:`perennial_sdk.fixed` — UFixed6 / Fixed6 with the protocol's rounding
* :mod:`perennial_sdk.models` — pydantic models of every protocol struct
* :mod:`perennial_sdk.math` — version / checkpoint accumulation and the update invariants
* :mod:`perennial_sdk.analytics` — funding projections, order costs, capacity, liquidation prices
* :mod:`perennial_sdk.sim` — the market simulator and scenario replay
* :mod:`perennial_sdk.devnet` / :mod:`perennial_sdk.testing` — anvil devnet and pytest plugin
"""

from perennial_sdk import analytics
from perennial_sdk.errors import (
    ContractError,
    FixedPointError,
    InputError,
    InvalidParameterError,
    MarketError,
    PerennialError,
    ScenarioError,
    UFixed6UnderflowError,
)
from perennial_sdk.fixed import Fixed6, UFixed6
from perennial_sdk.models import (
    Checkpoint,
    Global,
    Local,
    MarketParameter,
    OracleReceipt,
    OracleVersion,
    Order,
    Position,
    ProtocolParameter,
    RiskParameter,
    Version,
)
from perennial_sdk.sim import SimMarket, SimOracle, replay_scenario

__version__ = "0.1.0"

__all__ = [
    "Checkpoint",
    "ContractError",
    "Fixed6",
    "FixedPointError",
    "Global",
    "InputError",
    "InvalidParameterError",
    "Local",
    "MarketError",
    "MarketParameter",
    "OracleReceipt",
    "OracleVersion",
    "Order",
    "PerennialError",
    "Position",
    "ProtocolParameter",
    "RiskParameter",
    "ScenarioError",
    "SimMarket",
    "SimOracle",
    "UFixed6",
    "UFixed6UnderflowError",
    "Version",
    "analytics",
    "replay_scenario",
]
