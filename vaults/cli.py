"""``perennial-vaults``: LP vault strategies.

    perennial-vaults demo [--days N] [--market ETH|BTC|SOL] [--out DIR] [--seed N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from perennial_sdk.errors import PerennialError

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    from vaults.backtest import BacktestConfig, run_backtest
    from vaults.report import format_summary, summary, write_json, write_plot

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cfg = BacktestConfig(market=args.market, days=args.days, seed=args.seed)
    print(f"LeveragedMaker vault on a simulated {cfg.market} market: {cfg.days} days, hourly, "
          f"{cfg.traders} traders reacting to funding")
    started = time.perf_counter()
    result = run_backtest(cfg)
    elapsed = time.perf_counter() - started
    print(format_summary(summary(result)))
    write_json(result, out / "demo.json")
    plotted = write_plot(result, out / "demo.png")
    print(f"\nwrote {out / 'demo.json'}" + (f" and {out / 'demo.png'}" if plotted else "") + f" in {elapsed:.1f} s")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="perennial-vaults", description="LP vault strategies for Perennial V2.4")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run an LP maker vault over simulated days and print the report")
    demo.add_argument("--days", type=int, default=90)
    demo.add_argument("--market", choices=("ETH", "BTC", "SOL"), default="ETH")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--out", default="out")
    demo.set_defaults(func=_demo)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except PerennialError as exc:
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
