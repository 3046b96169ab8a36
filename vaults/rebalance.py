"""From targets to legs: what to change, when (triggers) and in which order (reduce → increase).

A trigger decides per market whether moving to the target is worth it now:

* :class:`BandTrigger`: a size or the collateral is off target by more than a band;
* :class:`CostAwareTrigger`: the income forgone by staying off target over a horizon beats the exact
  cost of the trade (flat + impact + settlement fee share + gas, from :func:`analytics.order_cost`) by
  a factor;
* :class:`MinIntervalTrigger`: wraps another trigger and acts at most once per interval per market.

Whatever the trigger says, a market whose collateral is within ``health_buffer`` × maintenance acts
(the health override), and no leg asks for more than the market accepts (targets are capacity-capped
by the strategies; the planner never creates an order the pre-flight would reject for size).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from perennial_sdk import analytics
from perennial_sdk.client import PositionUpdate
from perennial_sdk.errors import InputError
from perennial_sdk.fixed import YEAR, B
from perennial_sdk.math.position import maintenance_requirement
from vaults.strategy import MarketState, Portfolio, Target

__all__ = ["BandTrigger", "CostAwareTrigger", "MinIntervalTrigger", "Plan", "Trigger", "plan_rebalance"]


class Trigger(Protocol):
    """Whether a market should move to its target now; returns the reason to act, or None."""

    def decide(self, state: MarketState, target: Target, time: int) -> str | None: ...


def _off(current: int, target: int, band: int) -> bool:
    return abs(target - current) * B > band * max(target, current, 1)


@dataclass(frozen=True, slots=True)
class BandTrigger:
    """Act when a size or the collateral is off target by more than ``band`` (raw fraction)."""

    band: int = 100_000
    min_size: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.band < B:
            raise InputError("band must be in [0, 1)", field="band", limit=B, value=self.band)

    def decide(self, state: MarketState, target: Target, time: int) -> str | None:
        current = state.account.current_position()
        sizes = ((current.maker, target.maker), (current.long, target.long), (current.short, target.short))
        if any(_off(c, t, self.band) and abs(t - c) >= self.min_size for c, t in sizes):
            return "size off target"
        if _off(state.collateral, target.collateral, self.band):
            return "collateral off target"
        return None


@dataclass(frozen=True, slots=True)
class CostAwareTrigger:
    """Act when ``horizon`` seconds of the maker income forgone off target exceed ``factor`` × the cost.

    Under target (capital idle): the income forgone is the maker's projected rate (funding + interest,
    :func:`analytics.side_rates`) on the gap's notional over the horizon; the cost is
    :func:`analytics.order_cost` of the maker change at the latest price with ``settlement_fee`` as
    the version's fee, plus ``gas_cost`` (collateral units). Over target (more exposure than chosen):
    there is no income to gain, only risk to shed, so it acts past ``over_band``. A collateral gap
    larger than ``collateral_band`` also acts.
    """

    horizon: int = 7 * 86_400
    factor: int = 2 * B
    settlement_fee: int = 500_000
    gas_cost: int = 200_000
    collateral_band: int = 250_000
    over_band: int = 150_000
    min_size: int = 1

    def __post_init__(self) -> None:
        if self.horizon <= 0:
            raise InputError("horizon must be > 0 seconds", field="horizon", limit=1, value=self.horizon)
        if self.factor < 0:
            raise InputError("factor must be ≥ 0", field="factor", limit=0, value=self.factor)

    def decide(self, state: MarketState, target: Target, time: int) -> str | None:
        current = state.account.current_position()
        gap = target.maker - current.maker
        if gap < 0 and _off(current.maker, target.maker, self.over_band):
            return "over target beyond the band"
        if gap >= self.min_size:
            cost = analytics.order_cost(state.view, maker_delta=gap, settlement_fee=self.settlement_fee).total
            cost += self.gas_cost
            rate = max(analytics.side_rates(state.view).maker, 0)
            notional = abs(gap) * abs(state.price) // B
            forgone = notional * rate // B * self.horizon // YEAR
            if forgone * B > self.factor * cost:
                return f"income {forgone} over the horizon beats {self.factor / B:g} × cost {cost}"
        if _off(state.collateral, target.collateral, self.collateral_band):
            return "collateral off target"
        return None


@dataclass(slots=True)
class MinIntervalTrigger:
    """Another trigger, but at most once every ``interval`` seconds per market."""

    inner: Trigger
    interval: int
    last: dict[str, int] = field(default_factory=dict)

    def decide(self, state: MarketState, target: Target, time: int) -> str | None:
        if time - self.last.get(state.market, -(2**62)) < self.interval:
            return None
        reason = self.inner.decide(state, target, time)
        if reason is not None:
            self.last[state.market] = time
        return reason


@dataclass(frozen=True, slots=True)
class Plan:
    """Legs in execution order (reducing legs first) and why each market acts or not."""

    legs: tuple[PositionUpdate, ...]
    reasons: dict[str, str]


def plan_rebalance(
    portfolio: Portfolio, targets: dict[str, Target], trigger: Trigger | None = None, *, health_buffer: int = 2 * B
) -> Plan:
    """The legs that move each market to its target, where the trigger (or the health override) says so."""
    trig = trigger or BandTrigger()
    legs: list[tuple[int, PositionUpdate]] = []
    reasons: dict[str, str] = {}
    for key, target in targets.items():
        state = portfolio.markets[key]
        current = state.account.current_position()
        mag = max(current.maker, current.long, current.short)
        ps = state.view.ps
        maintenance = maintenance_requirement(mag, state.price, ps.maintenance, ps.min_maintenance)
        unhealthy = mag > 0 and state.collateral * B < maintenance * health_buffer
        reason = "health" if unhealthy else trig.decide(state, target, portfolio.time)
        if reason is None:
            reasons[state.name] = "within trigger"
            continue
        reasons[state.name] = reason
        leg = PositionUpdate(
            market=state.market,
            maker=target.maker if target.maker != current.maker else None,
            long=target.long if target.long != current.long else None,
            short=target.short if target.short != current.short else None,
            collateral=target.collateral - state.collateral,
        )
        reduces = leg.reduces(current.maker, current.long, current.short) and leg.collateral <= 0
        legs.append((0 if reduces else 1, leg))
    legs.sort(key=lambda item: item[0])
    return Plan(legs=tuple(leg for _, leg in legs), reasons=reasons)
