"""Backtest speed: prints ``backtest_seconds_1y_hourly_3_markets`` (goal < 10 s).

A year of hourly steps over the ETH, BTC and SOL presets on the exact simulator, with the default
LeveragedMaker vault and six random traders per market. Run: ``.venv/bin/python bench/backtest_bench.py``.
"""

from __future__ import annotations

import time

from vaults.backtest import BacktestConfig, run_backtest


def main() -> None:
    started = time.perf_counter()
    result = run_backtest(BacktestConfig(days=365))
    elapsed = time.perf_counter() - started
    versions = len(result.times)
    print(f"backtest_seconds_1y_hourly_3_markets {elapsed:.2f}")
    print(f"backtest_steps {versions} backtest_trader_orders {result.trader_orders} "
          f"backtest_rebalances {result.rebalances}")


if __name__ == "__main__":
    main()
