"""Building orders from updates: ``OrderLib.from`` and ``MagicValueLib`` (spec §3.2)."""

from __future__ import annotations

from perennial_sdk.errors import InputError
from perennial_sdk.fixed import INT256_MIN, UINT256_MAX, B
from perennial_sdk.math.state import OrderState, PositionState

__all__ = ["MAGIC_CLOSE", "MAGIC_UNCHANGED", "MAGIC_WITHDRAW_ALL", "order_from", "resolve_magic"]

MAGIC_UNCHANGED = UINT256_MAX
"""Position magic value: keep the current size."""
MAGIC_CLOSE = UINT256_MAX - 1
"""Position magic value: close as much as possible."""
MAGIC_WITHDRAW_ALL = INT256_MIN
"""Collateral magic value: withdraw everything."""


def resolve_magic(
    current: PositionState, pending: OrderState, collateral_balance: int, new_maker: int, new_long: int,
    new_short: int, collateral: int,
) -> tuple[int, int, int, int]:
    """``MagicValueLib.process``: (maker, long, short, collateral) with the magic values resolved."""
    if collateral == MAGIC_WITHDRAW_ALL:
        collateral = -collateral_balance
    sizes = []
    for cur, new in ((current.maker, new_maker), (current.long, new_long), (current.short, new_short)):
        if new == MAGIC_UNCHANGED:
            new = cur
        elif new == MAGIC_CLOSE:
            new = cur if pending.crosses_zero() else min(pending.pos(), cur)
        elif new < 0:
            raise InputError("position sizes must be ≥ 0", field="size", limit=0, value=new)
        sizes.append(new)
    return sizes[0], sizes[1], sizes[2], collateral


def order_from(
    timestamp: int, current: PositionState, collateral: int, new_maker: int, new_long: int, new_short: int,
    protect: bool = False, referral_fee: int = 0,
) -> OrderState:
    """``OrderLib.from`` (absolute targets): the order taking ``current`` to the new sizes."""
    dm, dl, ds = new_maker - current.maker, new_long - current.long, new_short - current.short
    o = OrderState(
        timestamp=timestamp, collateral=collateral,
        maker_pos=max(dm, 0), maker_neg=max(-dm, 0), long_pos=max(dl, 0), long_neg=max(-dl, 0),
        short_pos=max(ds, 0), short_neg=max(-ds, 0),
        maker_referral=abs(dm) * referral_fee // B, taker_referral=(abs(dl) + abs(ds)) * referral_fee // B,
        protection=1 if protect else 0,
    )
    if not o.is_empty():
        o.orders = 1
        o.invalidation = 1
    return o
