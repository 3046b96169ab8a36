"""Simulated taker flow for backtests: random traders, optionally leaning to the side funding pays."""

from __future__ import annotations

import random
from collections.abc import Sequence

from perennial_sdk import analytics, errors
from perennial_sdk.fixed import B
from perennial_sdk.sim import SimMarket

__all__ = ["random_takers"]


def random_takers(
    market: SimMarket,
    rng: random.Random,
    traders: Sequence[str],
    *,
    probability: float,
    capital: int,
    min_notional: int,
    max_notional: int,
    funding_lean: bool = True,
    close_probability: float = 0.4,
) -> tuple[int, int]:
    """Each trader trades with ``probability``: closes (``close_probability``) or targets a random
    notional in [min, max] (raw collateral units), on the side funding pays when ``funding_lean``.
    A long↔short flip waits for a settled close; sizes stay within the market's capacity.
    Returns (orders accepted, orders the market rejected)."""
    orders = rejected = 0
    for name in traders:
        if rng.random() > probability:
            continue
        market.settle(name)
        if not market.raw_local_pending(name).is_empty():
            continue
        view = market.view()
        pos = market.raw_local_position(name)
        current = pos.long - pos.short
        if current and rng.random() < close_probability:
            target = 0
        else:
            lean = 0.5 + max(min(analytics.funding_rate(view) / 2_000_000, 0.3), -0.3) if funding_lean else 0.5
            side = -1 if rng.random() < lean else 1  # P(short) = lean: longs pay when the rate is > 0
            target = side * rng.randint(min_notional, max_notional) * B // max(abs(view.latest_price), 1)
        if current * target < 0:
            target = 0
        room = analytics.capacity(view)
        target = min(target, current + room.long) if target > current else max(target, current - room.short)
        if target == current:
            continue
        deposit = capital if market.raw_local(name).collateral == 0 else 0
        try:
            market.update(name, 0, max(target, 0), max(-target, 0), deposit)
            orders += 1
        except errors.ContractError:
            rejected += 1
    return orders, rejected
