"""``perennial-vaults``: LP vault strategies.

    perennial-vaults demo [--days N] [--out DIR] [--seed N]          a vault on the local devnet
    perennial-vaults backtest [--days N] [--out DIR] [--seed N] [--compare]   the exact simulator
    perennial-vaults run --rpc URL --weight M=F ... [--execute]       one live cycle (dry run by default)
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
    price = result.share_price[-1] / 1e6 if result.share_price else 1.0
    print(f"depositors          share price {price:.6f}; books reconcile to the unit: {result.reconciled}")
    for depositor, book in result.depositors.items():
        print(f"  {depositor}  shares {book['shares'] / 1e6:>14,.6f}  value {book['value'] / 1e6:>14,.2f}"
              f"  claimable {book['claimable'] / 1e6:,.2f}")
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


def _compare(args: argparse.Namespace) -> int:
    from vaults.backtest import BacktestConfig, compare_triggers
    from vaults.rebalance import BandTrigger, CostAwareTrigger, Trigger
    from vaults.report import summary

    cfg = BacktestConfig(days=args.days, seed=args.seed)
    triggers: dict[str, Trigger] = {"band 2%": BandTrigger(band=20_000), "band 10%": BandTrigger(band=100_000),
                "cost-aware (7 d, 2x)": CostAwareTrigger()}
    print(f"Trigger comparison: LeveragedMaker over {', '.join(cfg.markets)}, {cfg.days} days, same price paths")
    print(f"{'trigger':24} {'rebalances':>10} {'cost':>12} {'net APR':>9} {'fee income APR':>15}")
    for name, result in compare_triggers(cfg, triggers).items():
        s = summary(result)
        print(f"{name:24} {result.rebalances:>10} {result.fees_paid / 1e6:>12,.2f} {100 * s['apr_net']:>8.2f}% "
              f"{100 * s['apr_fee_income']:>14.2f}%")
    return 0


def _backtest(args: argparse.Namespace) -> int:
    if args.compare:
        return _compare(args)
    from vaults.backtest import BacktestConfig, run_backtest
    from vaults.report import format_summary, summary, write_json, write_plot

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    paths = None
    if args.prices:
        from vaults.paths import load_price_csv

        paths = {}
        for item in args.prices:
            market, _, path = item.partition("=")
            paths[market] = load_price_csv(path)
    cfg = BacktestConfig(days=args.days, seed=args.seed, price_paths=paths,
                         markets={n: p[0] for n, p in paths.items()} if paths else BacktestConfig().markets)
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


def _run(args: argparse.Namespace) -> int:
    import json as _json

    from web3 import HTTPProvider, Web3

    from perennial_sdk.client import DEPLOYMENTS, ChainDeployment, PerennialClient, signer_from_env
    from perennial_sdk.errors import InputError
    from vaults.execution import ClientExecutor, DryRunExecutor, Executor
    from vaults.live import run_cycle
    from vaults.rebalance import BandTrigger
    from vaults.risk import Breaker, RiskLimits
    from vaults.strategies import LeveragedMaker, LeveragedMakerConfig

    w3 = Web3(HTTPProvider(args.rpc, request_kwargs={"timeout": 30}))
    names: dict[str, str] = {}
    if args.deployment:
        from perennial_sdk.devnet import Deployment

        dep = Deployment.from_json(Path(args.deployment).read_text(encoding="utf-8"))
        chain: ChainDeployment = dep.chain_deployment()
        names = {info.market: name for name, info in dep.markets.items()}
    else:
        chain = DEPLOYMENTS.get(int(w3.eth.chain_id)) or ChainDeployment(
            chain_id=int(w3.eth.chain_id), name="custom", protocol_version="2.4",
            market_factory=args.factory or "", multi_invoker=args.invoker or "")
        if not chain.market_factory:
            raise InputError("unknown chain: pass --deployment FILE or --factory/--invoker", field="rpc", value=args.rpc)
    weights: dict[str, int] = {}
    for item in args.weight:
        key, _, value = item.partition("=")
        from perennial_sdk.fixed import parse6

        name = next((n for a, n in names.items() if a.lower() == key.lower()), key)
        weights[name] = parse6(value, field=f"--weight {key}")
        names.setdefault(next((a for a, n in names.items() if n == name), key), name)
    account = signer_from_env(args.key_env) if args.execute else None
    client = PerennialClient(w3, chain, account=account)
    markets = {a: n for a, n in names.items() if n in weights}
    strategy = LeveragedMaker(LeveragedMakerConfig(weights=weights, leverage=parse6(args.leverage, field="--leverage")))
    executor: Executor = ClientExecutor(client) if args.execute else DryRunExecutor()
    who = account.address if account else args.account
    if who is None:
        raise InputError("pass --account ADDRESS (dry run) or --execute with a key", field="account")
    cycle = run_cycle(
        client, strategy, executor, names=markets, trigger=BandTrigger(band=parse6(args.band, field="--band")),
        limits=RiskLimits(max_leverage=parse6(args.max_leverage, field="--max-leverage")), breaker=Breaker(),
        account=who,
    )
    print(_json.dumps({"equity": cycle.portfolio.equity, "reasons": cycle.plan.reasons,
                       "legs": len(cycle.plan.legs), "sent": cycle.execution.transactions,
                       "rejected": list(cycle.execution.rejected)}, indent=1))
    if not args.execute:
        print("dry run: nothing was sent (add --execute to send one MultiInvoker transaction)")
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
    backtest.add_argument("--compare", action="store_true", help="compare fixed-band and cost-aware triggers")
    backtest.add_argument("--prices", action="append", default=[],
                          help="MARKET=FILE.csv: a CSV with a 'price' column per step, instead of GBM")
    backtest.set_defaults(func=_backtest)
    run = sub.add_parser("run", help="one live cycle on an RPC URL (dry run unless --execute)")
    run.add_argument("--rpc", required=True, help="JSON-RPC URL")
    run.add_argument("--deployment", help="a devnet Deployment JSON (names the markets)")
    run.add_argument("--factory", help="MarketFactory address of a custom deployment")
    run.add_argument("--invoker", help="MultiInvoker address of a custom deployment")
    run.add_argument("--weight", action="append", default=[], required=True,
                     help="MARKET=FRACTION (market name or address); repeat; fractions sum to 1")
    run.add_argument("--leverage", default="3", help="maker notional / allocated collateral")
    run.add_argument("--band", default="0.1", help="rebalance band (fraction)")
    run.add_argument("--max-leverage", default="5", help="risk limit: total notional / equity")
    run.add_argument("--account", help="the vault account to read (dry run)")
    run.add_argument("--key-env", default="PERENNIAL_PRIVATE_KEY", help="env variable holding the key (--execute)")
    run.add_argument("--execute", action="store_true", help="send the transaction (default: print the plan)")
    run.set_defaults(func=_run)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except PerennialError as exc:
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
