"""LeveragedMaker on the exact simulator: a 3× maker vault over ETH, BTC and SOL for a few days.

    .venv/bin/python examples/leveraged_maker.py [DAYS]
"""

from __future__ import annotations

import sys

from vaults.backtest import BacktestConfig, run_backtest
from vaults.rebalance import CostAwareTrigger
from vaults.report import format_summary, summary
from vaults.strategies import LeveragedMaker, LeveragedMakerConfig

days = int(sys.argv[1]) if len(sys.argv) > 1 else 7
config = BacktestConfig(days=days)
strategy = LeveragedMaker(LeveragedMakerConfig(weights={"ETH": 500_000, "BTC": 300_000, "SOL": 200_000}, leverage=3_000_000))
result = run_backtest(config, strategy, CostAwareTrigger())
print(format_summary(summary(result)))
for name, sizes in result.maker.items():
    print(f"{name}: vault maker {sizes[-1] / 1e6:,.4f} at price {result.prices[name][-1] / 1e6:,.2f}")
