"""Pre-flight of an update against a settled snapshot: would ``Market.update`` accept it? (spec §6.3)"""

from __future__ import annotations

from perennial_sdk import errors
from perennial_sdk.math.invariant import UpdateContext, validate_update
from perennial_sdk.math.order import order_from, resolve_magic
from perennial_sdk.math.state import OrderState
from perennial_sdk.math.views import AccountView, MarketView

__all__ = ["preflight_update"]


def preflight_update(
    view: MarketView,
    account: AccountView,
    *,
    new_maker: int,
    new_long: int,
    new_short: int,
    collateral: int,
    protect: bool = False,
    sender_allowed: bool = True,
    referral_fee: int = 0,
    source: str = "preflight",
) -> OrderState:
    """The order ``update(account, newMaker, newLong, newShort, collateral, protect)`` would create.

    Raises the contract's typed error (``MarketInsufficientMarginError``, ...) when the market would
    revert, evaluated on the snapshot's settled state at its oracle status (magic values allowed).
    """
    current_local = account.current_position()
    maker, long, short, collateral = resolve_magic(
        current_local, account.pending, account.local.collateral, new_maker, new_long, new_short, collateral
    )
    order = order_from(view.current_timestamp, current_local, collateral, maker, long, short, protect, referral_fee)
    if view.ps.settle:
        raise errors.MarketSettleOnlyError(source=source, detail="the market is settle-only")
    pending_local = account.pending.copy()
    pending_local.add(order)
    ctx = UpdateContext(
        ps=view.ps, latest_price=view.latest_price, latest_valid=view.latest_valid,
        latest_timestamp=view.latest_timestamp, current_timestamp=view.current_timestamp,
        global_current_id=view.glob.current_id + (view.current_timestamp > view.current_order.timestamp),
        global_latest_id=view.glob.latest_id,
        local_current_id=account.local.current_id + (view.current_timestamp > account.current_order.timestamp),
        local_latest_id=account.local.latest_id, local_collateral=account.local.collateral + order.collateral,
        latest_local=account.position, pending_local=pending_local,
        current_global=view.current_position().plus(order), current_local=current_local.plus(order),
        max_pending_magnitude=account.max_pending_magnitude, sender_allowed=sender_allowed,
    )
    validate_update(ctx, order, source=source)
    return order
