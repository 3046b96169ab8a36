"""Backtest a strategy on the exact market simulator, with random traders reacting to funding.

The same :class:`~vaults.strategy.Strategy` and planner that run live drive here a set of
:class:`~perennial_sdk.sim.SimMarket` s through :class:`~vaults.execution.SimExecutor`. Every number
the markets book is the protocol's integer math; the price paths and the trader flow are the
assumptions. Floats appear only in the report.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from perennial_sdk import analytics, presets
from perennial_sdk.errors import InputError
from perennial_sdk.fixed import B
from perennial_sdk.sim import SimMarket, SimOracle
from vaults.books import VaultSeries
from vaults.execution import SimExecutor
from vaults.flow import random_takers
from vaults.paths import GbmJumps
from vaults.rebalance import BandTrigger, Trigger, plan_rebalance
from vaults.strategies import LeveragedMaker, LeveragedMakerConfig
from vaults.strategy import Strategy, portfolio_from_sim

__all__ = ["BacktestConfig", "BacktestResult", "compare_triggers", "default_strategy", "run_backtest"]

U = B
VAULT = "vault"
START = 1_700_000_400


@dataclass(frozen=True, slots=True)
class BacktestConfig:
    """Markets (preset names → start price), days of ``step_seconds`` steps, the deposit and the flow."""

    markets: Mapping[str, int] = field(default_factory=lambda: {"ETH": 3_000 * U, "BTC": 60_000 * U, "SOL": 150 * U})
    days: int = 30
    step_seconds: int = 3_600
    deposit: int = 1_000_000 * U
    traders: int = 6
    trader_capital: int = 300_000 * U
    trade_probability: float = 0.1
    settlement_fee: int = 500_000
    volatility: float = 0.7
    seed: int = 7
    price_paths: Mapping[str, Sequence[int]] | None = None
    """Raw prices per market and step (e.g. from :func:`vaults.paths.load_price_csv`), instead of GBM;
    the backtest then runs ``len(path) − 1`` steps (the shortest path)."""


@dataclass(slots=True, kw_only=True)
class BacktestResult(VaultSeries):
    """Time series and the vault's books, attributed from the markets' own per-version results."""

    config: BacktestConfig
    rebalance_cost: int = 0


def default_strategy(config: BacktestConfig) -> Strategy:
    """LeveragedMaker at 3× over the configured markets, equal weights."""
    names = list(config.markets)
    weights = {n: B // len(names) for n in names}
    weights[names[0]] += B - sum(weights.values())
    return LeveragedMaker(LeveragedMakerConfig(weights=weights))


def run_backtest(
    config: BacktestConfig | None = None, strategy: Strategy | None = None, trigger: Trigger | None = None
) -> BacktestResult:
    """Run ``strategy`` (default :func:`default_strategy`) with ``trigger`` (default a 10 % band)."""
    cfg = config or BacktestConfig()
    strat = strategy or default_strategy(cfg)
    trig = trigger or BandTrigger()
    steps = cfg.days * 86_400 // cfg.step_seconds
    if cfg.price_paths is not None:
        missing = [n for n in cfg.markets if n not in cfg.price_paths]
        if missing:
            raise InputError("a price path is needed for every market", field="price_paths", value=missing)
        steps = min(len(cfg.price_paths[n]) for n in cfg.markets) - 1
        if steps < 1:
            raise InputError("price paths need at least two prices", field="price_paths", limit=2, value=steps + 1)
    rng = random.Random(cfg.seed + 1)
    markets: dict[str, SimMarket] = {}
    paths: dict[str, list[int]] = {}
    for i, (name, price) in enumerate(cfg.markets.items()):
        oracle = SimOracle(granularity=10)
        markets[name] = SimMarket(presets.PROTOCOL, presets.market_parameter(), presets.risk_parameter(name), oracle)
        if cfg.price_paths is not None:
            paths[name] = list(cfg.price_paths[name][: steps + 1])
        else:
            paths[name] = GbmJumps(start_price=price, volatility=cfg.volatility).generate(
                steps, cfg.step_seconds, cfg.seed + i
            )
        oracle.advance(START, paths[name][0])
    traders = [f"trader{i}" for i in range(cfg.traders)]
    executor = SimExecutor(markets, VAULT, cfg.deposit)
    result = BacktestResult(config=cfg)
    for name in markets:
        result.prices[name], result.maker[name], result.funding_rate[name] = [], [], []
    seen = {name: 0 for name in markets}
    t = START
    for step in range(steps + 1):
        shares = {name: (m.raw_local_position(VAULT).maker, m.raw_position().maker) for name, m in markets.items()}
        if step:
            t += cfg.step_seconds
            for name, market in markets.items():
                # keepers commit the requested versions at the new price, then a fresh version
                market.oracle.commit_requested(paths[name][step], settlement_fee=cfg.settlement_fee)
                market.oracle.advance(t, paths[name][step])
                market.settle_market()
        portfolio = portfolio_from_sim(markets, VAULT, wallet=executor.wallet, time=t)
        for name, market in markets.items():
            _attribute(result, market.events[seen[name]:], shares[name])
            seen[name] = len(market.events)
        plan = plan_rebalance(portfolio, strat.targets(portfolio), trig)
        if plan.legs:
            done = executor.execute(plan.legs)
            result.rebalances += done.applied > 0
            result.rejected_orders += len(done.rejected)
        for market in markets.values():
            orders, rejected = random_takers(
                market, rng, traders, probability=cfg.trade_probability, capital=cfg.trader_capital,
                min_notional=5_000 * U, max_notional=60_000 * U,
            )
            result.trader_orders += orders
            result.rejected_orders += rejected
        result.times.append(t)
        result.equity.append(portfolio.equity)
        result.leverage.append(portfolio.leverage())
        result.delta.append(portfolio.delta())
        for name, state in portfolio.markets.items():
            result.prices[name].append(state.price)
            result.maker[name].append(state.account.position.maker)
            result.funding_rate[name].append(analytics.funding_rate(state.view))
    result.rebalance_cost = result.fees_paid
    return result


def _attribute(result: BacktestResult, events: list[dict[str, object]], share: tuple[int, int]) -> None:
    """Add the vault's part of each version's maker flows (by its share of the maker side) and its fees."""
    vault_maker, global_maker = share
    for ev in events:
        if ev["event"] == "AccountPositionProcessed" and ev["account"] == VAULT:
            result.fees_paid += _int(ev["trade_fee"]) + _int(ev["offset"]) + _int(ev["settlement_fee"])
        elif ev["event"] == "PositionProcessed" and vault_maker and global_maker:
            funding, interest, fees, pnl, exposure = (
                _int(ev[key]) * vault_maker // global_maker
                for key in ("funding_maker", "interest_maker", "trade_offset_maker", "pnl_maker",
                            "adiabatic_exposure_maker")
            )
            result.funding += funding
            result.interest += interest
            result.fee_income += fees
            result.price_pnl += pnl + exposure


def _int(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"expected an int, got {type(value).__name__}")
    return value


def compare_triggers(config: BacktestConfig, triggers: Mapping[str, Trigger]) -> dict[str, BacktestResult]:
    """Run the default strategy once per trigger over the same price paths and trader seed."""
    return {name: run_backtest(config, default_strategy(config), trigger) for name, trigger in triggers.items()}
