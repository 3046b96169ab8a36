"""A vault's books, shared by live runs and backtests (raw 6-decimal integers)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["VaultBooks"]


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
