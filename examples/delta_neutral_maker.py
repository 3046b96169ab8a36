"""DeltaNeutralMaker on the exact simulator: a 3× ETH maker hedged by a taker in the same market
from a second account, through a ±20 % price swing.

    .venv/bin/python examples/delta_neutral_maker.py [DAYS]
"""

from __future__ import annotations

import sys

from vaults.neutral import DeltaNeutralMaker, DeltaNeutralMakerConfig
from vaults.neutral_runner import NeutralBacktestConfig, run_neutral_backtest
from vaults.strategies import LeveragedMakerConfig

days = int(sys.argv[1]) if len(sys.argv) > 1 else 4
strategy = DeltaNeutralMaker(DeltaNeutralMakerConfig(
    maker=LeveragedMakerConfig(weights={"ETH": 1_000_000}, leverage=3_000_000),
    tolerance=10_000,  # re-hedge when |net delta × price| > 1 % of NAV
    hedge_leverage=5_000_000,
))
result = run_neutral_backtest(strategy, NeutralBacktestConfig(days=days))
print(f"DeltaNeutralMaker, {days} simulated days (maker account + hedge account)")
print(result.report())
