"""HedgedMaker on the exact simulator: a 3× ETH maker whose delta is hedged on an external venue
(a PaperHedger with a 5 bps fee), through a ±20 % price swing.

    .venv/bin/python examples/hedged_maker.py [DAYS]
"""

from __future__ import annotations

import sys

from vaults.neutral import HedgedMaker, HedgedMakerConfig
from vaults.neutral_runner import NeutralBacktestConfig, run_neutral_backtest
from vaults.strategies import LeveragedMakerConfig

days = int(sys.argv[1]) if len(sys.argv) > 1 else 4
strategy = HedgedMaker(HedgedMakerConfig(maker=LeveragedMakerConfig(weights={"ETH": 1_000_000}), tolerance=10_000))
result = run_neutral_backtest(strategy, NeutralBacktestConfig(days=days, paper_fee_bps=5))
print(f"HedgedMaker + PaperHedger (5 bps), {days} simulated days")
print(result.report())
