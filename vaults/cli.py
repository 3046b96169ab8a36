"""``perennial-vaults``: LP vault strategies.

    perennial-vaults demo [--days N] [--out DIR] [--seed N]          a vault on the local devnet
    perennial-vaults backtest [--days N] [--out DIR] [--seed N]      the exact simulator
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
    from vaults.devnet_demo import DevnetDemoConfig, run_devnet_demo
    from vaults.report import format_summary, summary, write_json, write_plot

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cfg = DevnetDemoConfig(days=args.days, seed=args.seed)
    print(f"LeveragedMaker vault on the local Perennial devnet (anvil): {cfg.days} days of hourly steps, "
          f"ETH/BTC/SOL, {cfg.traders} traders reacting to funding, keeper-path prices")
    started = time.perf_counter()
    result = run_devnet_demo(cfg, progress=_progress_bar)
    elapsed = time.perf_counter() - started
    print(format_summary(summary(result)))
    print(f"vault transactions  {result.transactions} ({result.rebalance_txs} one-transaction rebalances)")
    write_json(result, out / "demo.json")
    plotted = write_plot(result, out / "demo.png", "LeveragedMaker vault on the local Perennial devnet (anvil)")
    print(f"\nwrote {out / 'demo.json'}" + (f" and {out / 'demo.png'}" if plotted else "") + f" in {elapsed:.0f} s")
    return 0


def _progress_bar(step: int, steps: int) -> None:
    width = 40
    done = width * (step + 1) // (steps + 1)
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] day {step * 1.0 / 24:5.1f}")
    if step == steps:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _backtest(args: argparse.Namespace) -> int:
    from vaults.backtest import BacktestConfig, run_backtest
    from vaults.report import format_summary, summary, write_json, write_plot

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cfg = BacktestConfig(days=args.days, seed=args.seed)
    print(f"Backtest: LeveragedMaker over {', '.join(cfg.markets)} on the exact simulator: {cfg.days} days, "
          f"hourly, {cfg.traders} traders per market reacting to funding")
    started = time.perf_counter()
    result = run_backtest(cfg)
    elapsed = time.perf_counter() - started
    print(format_summary(summary(result)))
    write_json(result, out / "backtest.json")
    plotted = write_plot(result, out / "backtest.png", "LeveragedMaker backtest (exact Perennial V2.4 simulator)")
    print(f"\nwrote {out / 'backtest.json'}" + (f" and {out / 'backtest.png'}" if plotted else "")
          + f" in {elapsed:.1f} s")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="perennial-vaults", description="LP vault strategies for Perennial V2.4")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="a maker vault on the local devnet over simulated days, with a report")
    demo.add_argument("--days", type=int, default=10)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--out", default="out")
    demo.set_defaults(func=_demo)
    backtest = sub.add_parser("backtest", help="backtest a maker vault on the exact simulator")
    backtest.add_argument("--days", type=int, default=90)
    backtest.add_argument("--seed", type=int, default=7)
    backtest.add_argument("--out", default="out")
    backtest.set_defaults(func=_backtest)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except PerennialError as exc:
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
