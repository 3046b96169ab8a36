"""Strategies: LeveragedMaker (maker exposure at a target leverage, spread across markets by weight)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from perennial_sdk import analytics
from perennial_sdk.errors import InputError
from perennial_sdk.fixed import B
from vaults.strategy import Portfolio, Target

__all__ = ["Allocator", "LeveragedMaker", "LeveragedMakerConfig", "StaticWeights", "YieldWeights"]


@dataclass(frozen=True, slots=True)
class LeveragedMakerConfig:
    """``weights``: market name → share of equity (raw 6 decimals, summing to 1e6);
    ``leverage``: maker notional / allocated collateral (raw, 3_000_000 = 3×);
    ``reserve``: share of equity kept idle in the wallet (raw)."""

    weights: Mapping[str, int] = field(default_factory=dict)
    leverage: int = 3 * B
    reserve: int = 0
    max_leverage: int = 20 * B

    def __post_init__(self) -> None:
        if not self.weights:
            raise InputError("weights must name at least one market", field="weights", limit=1, value=0)
        total = sum(self.weights.values())
        if total != B:
            raise InputError("weights must sum to 1.0 (1_000_000)", field="weights", limit=B, value=total)
        if any(w < 0 for w in self.weights.values()):
            raise InputError("weights must be ≥ 0", field="weights", limit=0, value=min(self.weights.values()))
        if not 0 < self.leverage <= self.max_leverage:
            raise InputError(
                f"leverage must be in (0, max_leverage={self.max_leverage}]", field="leverage",
                limit=self.max_leverage, value=self.leverage,
            )
        if not 0 <= self.reserve < B:
            raise InputError("reserve must be in [0, 1)", field="reserve", limit=B, value=self.reserve)


class Allocator(Protocol):
    """Splits the equity between markets: market name → weight (raw fractions summing to 1e6)."""

    def weights(self, portfolio: Portfolio) -> dict[str, int]: ...


def _normalized(raw: Mapping[str, int]) -> dict[str, int]:
    total = sum(raw.values())
    if total <= 0:
        raise InputError("weights must have a positive sum", field="weights", limit=1, value=total)
    out = {name: value * B // total for name, value in raw.items()}
    first = next(iter(out))
    out[first] += B - sum(out.values())  # the rounding residue, so the weights sum to exactly 1e6
    return out


@dataclass(frozen=True, slots=True)
class StaticWeights:
    """Fixed weights (like Perennial's on-chain vault)."""

    fixed: Mapping[str, int]

    def weights(self, portfolio: Portfolio) -> dict[str, int]:
        return dict(self.fixed)


@dataclass(frozen=True, slots=True)
class YieldWeights:
    """Funding-, skew- and utilization-aware weights: ``base`` tilted toward the markets whose makers
    earn more now. Each market's score is ``base × (floor + max(maker yield, 0))`` with the maker yield
    the annual funding + interest rate per unit of maker notional from :func:`analytics.side_rates`
    (it rises with skew and utilization); ``floor`` (raw, 0.05e6 = 5 %/yr) keeps every market in play."""

    base: Mapping[str, int]
    floor: int = 50_000

    def weights(self, portfolio: Portfolio) -> dict[str, int]:
        scores = {}
        for state in portfolio.markets.values():
            if state.name in self.base:
                rate = max(analytics.side_rates(state.view).maker, 0)
                scores[state.name] = self.base[state.name] * (self.floor + rate) // B
        return _normalized(scores)


class LeveragedMaker:
    """Maker size = equity × weight × (1 − reserve) × leverage / price, within what the market accepts.

    Weights come from ``allocator`` (default: the config's static weights)."""

    def __init__(self, config: LeveragedMakerConfig, allocator: Allocator | None = None) -> None:
        self.config = config
        self.allocator = allocator or StaticWeights(config.weights)

    def __repr__(self) -> str:
        return f"LeveragedMaker({self.config!r})"

    def targets(self, portfolio: Portfolio) -> dict[str, Target]:
        cfg = self.config
        deployable = portfolio.equity * (B - cfg.reserve) // B
        weights = self.allocator.weights(portfolio)
        out: dict[str, Target] = {}
        for key, state in portfolio.markets.items():
            weight = weights.get(state.name, 0)
            collateral = deployable * weight // B
            price = abs(state.price)
            maker = collateral * cfg.leverage // B * B // price if price else 0
            current = state.account.current_position().maker
            room = analytics.capacity(state.view, state.account)
            reasons: list[str] = []
            if maker > current + room.maker_increase:
                maker = current + room.maker_increase
                reasons.append("capped by the maker limit")
            if maker < current - room.maker_decrease:
                maker = current - room.maker_decrease
                reasons.append("capped by efficiency / socialization")
            out[key] = Target(market=state.market, maker=maker, collateral=collateral, reasons=tuple(reasons))
        return out
