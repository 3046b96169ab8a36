"""Running hedged makers: one step for two accounts (maker + hedge), on the simulator or live.

One step of :class:`~vaults.neutral.DeltaNeutralMaker`: read the maker account, plan its legs
(:func:`~vaults.rebalance.plan_rebalance`) and execute them; read both accounts again (the maker's
orders are pending then and move the skew), plan the hedge account's legs and execute them through
its OWN executor. On the simulator the two executors are two :class:`~vaults.execution.SimExecutor` s
over the same :class:`~perennial_sdk.sim.SimMarket` s; live they are two
:class:`~vaults.execution.ClientExecutor` s (two accounts, one transaction each).

:func:`run_neutral_backtest` drives either strategy (or a plain LeveragedMaker) through a price
path on the simulator with another maker and random takers, and records the net delta after every
rebalance.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from perennial_sdk import presets
from perennial_sdk.errors import InputError
from perennial_sdk.fixed import B
from perennial_sdk.sim import SimMarket, SimOracle
from vaults.execution import Execution, Executor, SimExecutor
from vaults.flow import random_takers
from vaults.hedging import Hedger, HedgeResult, PaperHedger
from vaults.neutral import DeltaNeutralMaker, HedgedMaker, maker_delta
from vaults.rebalance import BandTrigger, plan_rebalance
from vaults.strategy import Portfolio, Strategy, portfolio_from_sim

__all__ = [
    "NeutralBacktestConfig", "NeutralBacktestResult", "NeutralStep", "run_neutral_backtest", "step_delta_neutral",
    "step_hedged", "swing_path",
]

U = B
MAKER, HEDGE, LP = "vault-maker", "vault-hedge", "lp"
START = 1_700_000_400
HEDGE_TRIGGER = BandTrigger(band=0)
"""The hedge account acts on any size difference (the strategy already applied its tolerance)."""


@dataclass(frozen=True, slots=True)
class NeutralStep:
    """One step: the executions, the hedge fills, and after them the net delta per market, NAV and prices."""

    maker: Execution
    hedge: Execution
    net_delta: dict[str, int]
    nav: int
    prices: dict[str, int]
    hedges: dict[str, HedgeResult] = field(default_factory=dict)

    def delta_ratio(self) -> int:
        """Σ |net delta × price| / NAV (raw fraction, 10_000 = 1 %)."""
        notional = sum(abs(d) * self.prices[k] // B for k, d in self.net_delta.items())
        return notional * B // self.nav if self.nav > 0 else 0


def step_delta_neutral(
    strategy: DeltaNeutralMaker,
    read_maker: Callable[[], Portfolio],
    read_hedge: Callable[[], Portfolio],
    maker_executor: Executor,
    hedge_executor: Executor,
    trigger: BandTrigger | None = None,
) -> NeutralStep:
    """Maker legs first (planner + trigger), then the hedge account's legs from a fresh read of both."""
    portfolio, hedge = read_maker(), read_hedge()
    plan = plan_rebalance(portfolio, strategy.maker_targets(portfolio, hedge), trigger)
    maker_done = maker_executor.execute(plan.legs) if plan.legs else Execution(0)
    if plan.legs:
        portfolio, hedge = read_maker(), read_hedge()
    hplan = plan_rebalance(hedge, strategy.hedge_targets(portfolio, hedge), HEDGE_TRIGGER)
    hedge_done = hedge_executor.execute(hplan.legs) if hplan.legs else Execution(0)
    if hplan.legs:
        portfolio, hedge = read_maker(), read_hedge()
    return NeutralStep(
        maker_done, hedge_done, strategy.net_deltas(portfolio, hedge), portfolio.equity + hedge.equity,
        {k: abs(s.price) for k, s in hedge.markets.items()},
    )


def step_hedged(
    strategy: HedgedMaker,
    read_maker: Callable[[], Portfolio],
    maker_executor: Executor,
    hedgers: Mapping[str, Hedger],
    hedge_equity: Callable[[Mapping[str, int]], int],
    trigger: BandTrigger | None = None,
) -> NeutralStep:
    """Maker legs first, then each market's hedger moved to ``−δ × m`` when off tolerance.

    ``hedge_equity(prices)`` values the hedge books (e.g. :meth:`PaperHedger.equity`) for the NAV.
    """
    portfolio = read_maker()
    plan = plan_rebalance(portfolio, strategy.targets(portfolio), trigger)
    maker_done = maker_executor.execute(plan.legs) if plan.legs else Execution(0)
    portfolio = read_maker() if plan.legs else portfolio
    prices = {k: abs(s.price) for k, s in portfolio.markets.items()}
    exposures = {k: h.exposure() for k, h in hedgers.items()}
    targets = strategy.hedge_deltas(portfolio, exposures, hedge_equity=hedge_equity(prices))
    fills: dict[str, HedgeResult] = {}
    for key, target in targets.items():
        if key in hedgers and target != exposures[key]:
            fills[key] = hedgers[key].hedge(target, prices[key])
            exposures[key] = fills[key].after
    net = {k: maker_delta(s.view, s.account) + exposures.get(k, 0) for k, s in portfolio.markets.items()}
    applied = sum(1 for f in fills.values() if f.filled)
    rejected = tuple(f.rejected for f in fills.values() if f.rejected)
    return NeutralStep(
        maker_done, Execution(applied, rejected), net, portfolio.equity + hedge_equity(prices), prices, fills,
    )


# ------------------------------------------------------------------------------ simulator backtest


def swing_path(start: int, steps: int, *, amplitude: int = 200_000, noise: int = 3_000, seed: int = 0) -> list[int]:
    """``steps + 1`` prices: start → +amplitude → −amplitude → start (piecewise linear), times a small
    deterministic noise (raw fractions, 200_000 = 20 %)."""
    if steps < 4:
        raise InputError("steps must be ≥ 4", field="steps", limit=4, value=steps)
    if not 0 <= amplitude < B:
        raise InputError("amplitude must be in [0, 1)", field="amplitude", limit=B, value=amplitude)
    rng = random.Random(seed)
    q1, q3 = steps // 4, 3 * steps // 4
    out = []
    for i in range(steps + 1):
        if i <= q1:
            level = amplitude * i // q1
        elif i <= q3:
            level = amplitude - 2 * amplitude * (i - q1) // (q3 - q1)
        else:
            level = -amplitude + amplitude * (i - q3) // (steps - q3)
        wiggle = rng.randint(-noise, noise) if 0 < i < steps and noise else 0
        out.append(start * (B + level + wiggle) // B)
    return out


@dataclass(frozen=True, slots=True)
class NeutralBacktestConfig:
    """One market (preset ``market`` at ``price``), ``days`` of ``step_seconds`` steps on a ±``amplitude``
    swing; ``deposit`` split ``hedge_share`` to the hedge account (or the paper hedger); another maker
    of ``lp_maker`` units and ``traders`` random takers."""

    market: str = "ETH"
    price: int = 3_000 * U
    days: int = 20
    step_seconds: int = 3_600
    amplitude: int = 200_000
    deposit: int = 1_000_000 * U
    hedge_share: int = 400_000
    lp_maker: int = 1_000 * U
    lp_capital: int = 1_500_000 * U
    traders: int = 6
    trader_capital: int = 200_000 * U
    trade_probability: float = 0.15
    max_trade: int = 60_000 * U
    settlement_fee: int = 0
    paper_fee_bps: int = 5
    seed: int = 11

    def __post_init__(self) -> None:
        if not 0 <= self.hedge_share < B:
            raise InputError("hedge_share must be in [0, 1)", field="hedge_share", limit=B, value=self.hedge_share)
        if self.days < 1:
            raise InputError("days must be ≥ 1", field="days", limit=1, value=self.days)
        if self.deposit <= 0:
            raise InputError("deposit must be > 0", field="deposit", limit=1, value=self.deposit)


@dataclass(slots=True, kw_only=True)
class NeutralSeries:
    """After every step (raw 6 decimals): prices, NAV (both accounts), sizes, net delta and its share of NAV."""

    prices: list[int] = field(default_factory=list)
    nav: list[int] = field(default_factory=list)
    maker: list[int] = field(default_factory=list)
    hedge: list[int] = field(default_factory=list)
    net_delta: list[int] = field(default_factory=list)
    delta_ratio: list[int] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    trader_orders: int = 0

    @property
    def max_delta_ratio(self) -> int:
        return max(self.delta_ratio, default=0)


@dataclass(slots=True, kw_only=True)
class NeutralBacktestResult(NeutralSeries):
    """A two-account backtest's series (see :class:`NeutralSeries`), times, leverage and trade counts."""

    config: NeutralBacktestConfig
    times: list[int] = field(default_factory=list)
    leverage: list[int] = field(default_factory=list)
    maker_rebalances: int = 0
    hedge_trades: int = 0

    def report(self) -> str:
        nav0, nav1 = self.nav[0], self.nav[-1]
        lo, hi = min(self.prices), max(self.prices)
        return "\n".join([
            f"steps {len(self.times)}  price {lo / U:,.2f} .. {hi / U:,.2f}",
            f"NAV {nav0 / U:,.2f} -> {nav1 / U:,.2f} ({(nav1 - nav0) / nav0:+.3%})",
            f"max |net delta x price| / NAV {self.max_delta_ratio / U:.3%}",
            (f"maker rebalances {self.maker_rebalances}  hedge trades {self.hedge_trades}  "
            f"rejected {len(self.rejected)}  trader orders {self.trader_orders}"),
            (f"final maker {self.maker[-1] / U:,.3f}  hedge {self.hedge[-1] / U:+,.3f}  "
            f"net delta {self.net_delta[-1] / U:+,.4f}"),
        ])


def run_neutral_backtest(
    strategy: Strategy, config: NeutralBacktestConfig | None = None, trigger: BandTrigger | None = None
) -> NeutralBacktestResult:
    """Backtest ``strategy`` (DeltaNeutralMaker, HedgedMaker with a PaperHedger, or any maker Strategy)."""
    cfg = config or NeutralBacktestConfig()
    steps = cfg.days * 86_400 // cfg.step_seconds
    rng = random.Random(cfg.seed)
    path = swing_path(cfg.price, steps, amplitude=cfg.amplitude, seed=cfg.seed)
    oracle = SimOracle(granularity=10)
    market = SimMarket(presets.PROTOCOL, presets.market_parameter(), presets.risk_parameter(cfg.market), oracle)
    oracle.advance(START, cfg.price)
    markets = {cfg.market: market}
    if cfg.lp_maker:
        market.update(LP, cfg.lp_maker, 0, 0, cfg.lp_capital)
    hedge_capital = cfg.deposit * cfg.hedge_share // B
    maker_exec = SimExecutor(markets, MAKER, cfg.deposit - hedge_capital)
    hedge_exec = SimExecutor(markets, HEDGE, hedge_capital)
    paper = PaperHedger(fee_bps=cfg.paper_fee_bps, capital=hedge_capital)
    traders = [f"trader{i}" for i in range(cfg.traders)]
    result = NeutralBacktestResult(config=cfg)
    t = START

    def read_maker() -> Portfolio:
        return portfolio_from_sim(markets, MAKER, wallet=maker_exec.wallet, time=t)

    def read_hedge() -> Portfolio:
        return portfolio_from_sim(markets, HEDGE, wallet=hedge_exec.wallet, time=t)

    for step in range(steps + 1):
        if step:
            t += cfg.step_seconds
            oracle.commit_requested(path[step], settlement_fee=cfg.settlement_fee)
            oracle.advance(t, path[step])
            market.settle_market()
        if isinstance(strategy, DeltaNeutralMaker):
            done = step_delta_neutral(strategy, read_maker, read_hedge, maker_exec, hedge_exec, trigger)
        elif isinstance(strategy, HedgedMaker):
            done = step_hedged(
                strategy, read_maker, maker_exec, {cfg.market: paper},
                lambda prices: paper.equity(prices[cfg.market]), trigger,
            )
        else:
            portfolio = read_maker()
            plan = plan_rebalance(portfolio, strategy.targets(portfolio), trigger)
            maker_done = maker_exec.execute(plan.legs) if plan.legs else Execution(0)
            portfolio = read_maker()
            state = portfolio.markets[cfg.market]
            done = NeutralStep(
                maker_done, Execution(0), {cfg.market: maker_delta(state.view, state.account)}, portfolio.equity,
                {cfg.market: abs(state.price)},
            )
        result.maker_rebalances += done.maker.applied > 0
        result.hedge_trades += done.hedge.applied
        result.rejected.extend(done.maker.rejected + done.hedge.rejected)
        maker_state = read_maker()
        mstate = maker_state.markets[cfg.market]
        maker_size = mstate.account.current_position().maker
        hedge_pos = read_hedge().markets[cfg.market].account.current_position()
        result.times.append(t)
        result.prices.append(path[step])
        result.nav.append(done.nav)
        result.maker.append(maker_size)
        result.hedge.append(paper.position if isinstance(strategy, HedgedMaker) else hedge_pos.long - hedge_pos.short)
        result.net_delta.append(done.net_delta[cfg.market])
        result.delta_ratio.append(done.delta_ratio())
        deployed = maker_state.equity
        result.leverage.append(maker_size * abs(mstate.price) // B * B // deployed if deployed > 0 else 0)
        result.trader_orders += random_takers(
            market, rng, traders, probability=cfg.trade_probability, capital=cfg.trader_capital,
            min_notional=1, max_notional=cfg.max_trade, funding_lean=False,
        )[0]
    return result
