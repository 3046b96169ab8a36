"""From targets to legs: what to change, when (triggers) and in which order (reduce → increase)."""

from __future__ import annotations

from dataclasses import dataclass

from perennial_sdk.client import PositionUpdate
from perennial_sdk.errors import InputError
from perennial_sdk.fixed import B
from perennial_sdk.math.position import maintenance_requirement
from vaults.strategy import Portfolio, Target

__all__ = ["BandTrigger", "Plan", "Trigger", "plan_rebalance"]


@dataclass(frozen=True, slots=True)
class BandTrigger:
    """Act when a size or the collateral is off target by more than ``band`` (raw fraction), or when
    collateral is within ``health_buffer`` × maintenance of liquidation (that overrides the band)."""

    band: int = 100_000
    min_size: int = 1
    health_buffer: int = 2 * B

    def __post_init__(self) -> None:
        if not 0 <= self.band < B:
            raise InputError("band must be in [0, 1)", field="band", limit=B, value=self.band)


Trigger = BandTrigger
"""The trigger type the planner takes (a band with a health override)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """Legs in execution order (reducing legs first) and why each market acts or not."""

    legs: tuple[PositionUpdate, ...]
    reasons: dict[str, str]


def _off(current: int, target: int, band: int) -> bool:
    return abs(target - current) * B > band * max(target, current, 1)


def plan_rebalance(portfolio: Portfolio, targets: dict[str, Target], trigger: BandTrigger | None = None) -> Plan:
    """The legs that move each market to its target, when a trigger fires for it."""
    trig = trigger or BandTrigger()
    legs: list[tuple[int, PositionUpdate]] = []
    reasons: dict[str, str] = {}
    for key, target in targets.items():
        state = portfolio.markets[key]
        current = state.account.current_position()
        collateral = state.collateral
        mag = max(current.maker, current.long, current.short)
        ps = state.view.ps
        maintenance = maintenance_requirement(mag, state.price, ps.maintenance, ps.min_maintenance)
        unhealthy = mag > 0 and collateral * B < maintenance * trig.health_buffer
        sizes = ((current.maker, target.maker), (current.long, target.long), (current.short, target.short))
        size_off = any(_off(c, t, trig.band) and abs(t - c) >= trig.min_size for c, t in sizes)
        coll_off = _off(collateral, target.collateral, trig.band)
        if not (size_off or coll_off or unhealthy):
            reasons[state.name] = "within band"
            continue
        reasons[state.name] = "health" if unhealthy else ("size off target" if size_off else "collateral off target")
        leg = PositionUpdate(
            market=state.market,
            maker=target.maker if target.maker != current.maker else None,
            long=target.long if target.long != current.long else None,
            short=target.short if target.short != current.short else None,
            collateral=target.collateral - collateral,
        )
        reduces = leg.reduces(current.maker, current.long, current.short) and leg.collateral <= 0
        legs.append((0 if reduces else 1, leg))
    legs.sort(key=lambda item: item[0])
    return Plan(legs=tuple(leg for _, leg in legs), reasons=reasons)
