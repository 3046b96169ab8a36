"""Backtest an LP maker on the exact market simulator, with random traders reacting to funding.

Every number the market books comes from :mod:`perennial_sdk.sim` (the protocol's integer math);
the trader flow and the price path are the assumptions. Decisions (sizes, collateral) are integer
math; floats appear only in the report.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from perennial_sdk import analytics, errors, presets
from perennial_sdk.errors import InputError
from perennial_sdk.fixed import B
from perennial_sdk.sim import SimMarket, SimOracle
from vaults.books import VaultBooks
from vaults.paths import GbmJumps

__all__ = ["BacktestConfig", "BacktestResult", "LeveragedMakerConfig", "run_backtest"]

U = B
VAULT = "vault"


@dataclass(frozen=True, slots=True)
class LeveragedMakerConfig:
    """Maker exposure at ``leverage`` (raw, 3_000_000 = 3×) of equity, rebalanced outside ``band``."""

    leverage: int = 3 * U
    band: int = 100_000  # 10 % of the target
    min_trade: int = 1 * U

    def __post_init__(self) -> None:
        if not 0 < self.leverage <= 50 * U:
            raise InputError("leverage must be in (0, 50]", field="leverage", limit=50 * U, value=self.leverage)
        if not 0 <= self.band < U:
            raise InputError("band must be in [0, 1)", field="band", limit=U, value=self.band)


@dataclass(frozen=True, slots=True)
class BacktestConfig:
    """One market, one maker vault, ``traders`` random takers, hourly steps by default."""

    market: str = "ETH"
    days: int = 30
    step_seconds: int = 3_600
    deposit: int = 1_000_000 * U
    traders: int = 8
    trader_capital: int = 200_000 * U
    trade_probability: float = 0.08
    settlement_fee: int = 500_000
    maker: LeveragedMakerConfig = field(default_factory=LeveragedMakerConfig)
    prices: GbmJumps = field(default_factory=GbmJumps)
    seed: int = 7


@dataclass(slots=True, kw_only=True)
class BacktestResult(VaultBooks):
    """Time series and the maker's books, attributed from the market's own per-version results."""

    config: BacktestConfig
    times: list[int] = field(default_factory=list)
    prices: list[int] = field(default_factory=list)
    equity: list[int] = field(default_factory=list)
    maker_size: list[int] = field(default_factory=list)
    funding_rate: list[int] = field(default_factory=list)
    long_oi: list[int] = field(default_factory=list)
    short_oi: list[int] = field(default_factory=list)


def _trade_traders(market: SimMarket, rng: random.Random, cfg: BacktestConfig, names: list[str]) -> tuple[int, int]:
    """Random takers: more likely to take the side that funding pays. Returns (orders, rejected)."""
    view = market.view()
    rate = analytics.funding_rate(view)
    price = view.latest_price
    orders = rejected = 0
    for name in names:
        if rng.random() > cfg.trade_probability:
            continue
        if not market.raw_local_pending(name).is_empty():
            market.settle(name)
            if not market.raw_local_pending(name).is_empty():
                continue
        pos = market.raw_local_position(name)
        current = pos.long - pos.short
        lean = 0.5 + max(min(rate / 2_000_000, 0.3), -0.3)  # P(short): rate > 0 means longs pay
        if current != 0 and rng.random() < 0.4:
            target = 0  # take profit / cut
        else:
            side = 1 if rng.random() > lean else -1
            target = side * rng.randint(1, 25) * U * 3_000 * U // max(price, 1)
        if (current > 0 and target < 0) or (current < 0 and target > 0):
            target = 0  # a flip needs a settled close first
        cap = analytics.capacity(view)
        if target > current:
            target = min(target, current + cap.long)
        elif target < current:
            target = max(target, current - cap.short)
        if target == current:
            continue
        deposit = cfg.trader_capital if market.raw_local(name).collateral == 0 else 0
        try:
            market.update(name, 0, max(target, 0), max(-target, 0), deposit)
            orders += 1
        except errors.ContractError:
            rejected += 1
    return orders, rejected


def run_backtest(config: BacktestConfig | None = None) -> BacktestResult:
    """Run the maker vault over the configured days; returns the series and the attributed books."""
    cfg = config or BacktestConfig()
    steps = cfg.days * 86_400 // cfg.step_seconds
    prices = cfg.prices.generate(steps, cfg.step_seconds, seed=cfg.seed)
    rng = random.Random(cfg.seed + 1)
    oracle = SimOracle(granularity=10)
    market = SimMarket(presets.PROTOCOL, presets.market_parameter(), presets.risk_parameter(cfg.market), oracle)
    names = [f"trader{i}" for i in range(cfg.traders)]
    result = BacktestResult(config=cfg)
    t = 1_700_000_400 // cfg.step_seconds * cfg.step_seconds
    oracle.advance(t, prices[0])
    market.update(VAULT, None, None, None, cfg.deposit)
    seen_events = 0
    for i in range(steps + 1):
        # the interval about to settle accrues on the settled positions (the vault's share of makers)
        share = (market.raw_local_position(VAULT).maker, market.raw_position().maker)
        if i:
            # keepers commit the versions orders requested (at the new price), then a fresh version
            oracle.commit_requested(prices[i], settlement_fee=cfg.settlement_fee)
            t += cfg.step_seconds
            oracle.advance(t, prices[i])
            market.settle_market()
        market.settle(VAULT)
        # attribute each processed version's maker flows to the vault by its share of the maker side
        new_events = market.events[seen_events:]
        seen_events = len(market.events)
        _attribute(result, new_events, share)
        view, account = market.view(), market.account_view(VAULT)
        # LeveragedMaker: maker = equity × leverage / price, rebalanced outside the band
        equity = max(account.local.collateral, 0)
        target = equity * cfg.maker.leverage // U * U // max(view.latest_price, 1)
        current = account.current_position().maker
        cap = analytics.capacity(view, account)
        target = min(target, current + cap.maker_increase) if target > current else max(target, current - cap.maker_decrease)
        if abs(target - current) >= cfg.maker.min_trade and abs(target - current) * U > cfg.maker.band * max(target, 1):
            try:
                market.update(VAULT, target, 0, 0, 0)
                result.rebalances += 1
            except errors.ContractError:
                result.rejected_orders += 1
        orders, rejected = _trade_traders(market, rng, cfg, names)
        result.trader_orders += orders
        result.rejected_orders += rejected
        pos = market.raw_position()
        result.times.append(t)
        result.prices.append(view.latest_price)
        result.equity.append(account.local.collateral)
        result.maker_size.append(account.position.maker)
        result.funding_rate.append(analytics.funding_rate(view))
        result.long_oi.append(pos.long)
        result.short_oi.append(pos.short)
    return result


def _attribute(result: BacktestResult, events: list[dict[str, object]], share: tuple[int, int]) -> None:
    """Split the vault's collateral change into funding, interest, fee income, price PnL and fees paid.

    Market-level maker flows of each version are attributed by the vault's share of the settled
    maker position of that interval (``share = (vault maker, global maker)``).
    """
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
