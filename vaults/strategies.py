"""Strategies: LeveragedMaker (maker exposure at a target leverage, spread across markets by weight)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from perennial_sdk import analytics
from perennial_sdk.errors import InputError
from perennial_sdk.fixed import B
from vaults.strategy import Portfolio, Target

__all__ = ["LeveragedMaker", "LeveragedMakerConfig"]


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


class LeveragedMaker:
    """Maker size = equity × weight × (1 − reserve) × leverage / price, within what the market accepts."""

    def __init__(self, config: LeveragedMakerConfig) -> None:
        self.config = config

    def __repr__(self) -> str:
        return f"LeveragedMaker({self.config!r})"

    def targets(self, portfolio: Portfolio) -> dict[str, Target]:
        cfg = self.config
        deployable = portfolio.equity * (B - cfg.reserve) // B
        out: dict[str, Target] = {}
        for key, state in portfolio.markets.items():
            weight = cfg.weights.get(state.name, 0)
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
