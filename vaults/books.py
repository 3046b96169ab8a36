"""A vault's books, shared by live runs and backtests (raw 6-decimal integers)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["VaultBooks", "VaultSeries"]


@dataclass(slots=True, kw_only=True)
class VaultBooks:
    """What the vault earned and paid, split the way the market books it, and how often it acted."""

    funding: int = 0
    interest: int = 0
    fee_income: int = 0
    price_pnl: int = 0
    fees_paid: int = 0
    rebalances: int = 0
    trader_orders: int = 0
    rejected_orders: int = 0
    flows: int = 0
    """External money in (+) and out (−) after the start: deposits and paid redemptions."""


@dataclass(slots=True, kw_only=True)
class VaultSeries(VaultBooks):
    """The books plus what a run records after every step (raw 6 decimals; per market where keyed)."""

    times: list[int] = field(default_factory=list)
    equity: list[int] = field(default_factory=list)
    prices: dict[str, list[int]] = field(default_factory=dict)
    maker: dict[str, list[int]] = field(default_factory=dict)
    funding_rate: dict[str, list[int]] = field(default_factory=dict)
    leverage: list[int] = field(default_factory=list)
    delta: list[int] = field(default_factory=list)
