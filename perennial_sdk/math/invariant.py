"""Pre-flight of a market update: ``InvariantLib.validate`` in its evaluation order (spec §6.3).

:func:`validate_update` raises the same typed error the contract would revert with
(:mod:`perennial_sdk.errors`), so the simulator, the client's pre-flight and decoded on-chain
reverts all surface one exception class per contract error.
"""

from __future__ import annotations

from dataclasses import dataclass

from perennial_sdk import errors
from perennial_sdk.fixed import B
from perennial_sdk.math.position import (
    efficiency,
    maintenance_requirement,
    margin_requirement,
    single_sided,
    socialized,
)
from perennial_sdk.math.state import OrderState, ParamSet, PositionState

__all__ = [
    "UpdateContext",
    "effective_collateral",
    "effective_collateral_of",
    "validate_update",
    "worst_case_magnitude",
    "worst_case_magnitude_of",
]


@dataclass(slots=True)
class UpdateContext:
    """Everything ``InvariantLib.validate`` reads, *after* the new order was applied.

    Positions and pending orders include the new order; ids are after any id advance; the local
    collateral includes the order's deposit or withdrawal.
    """

    ps: ParamSet
    latest_price: int
    latest_valid: bool
    latest_timestamp: int
    current_timestamp: int
    global_current_id: int
    global_latest_id: int
    local_current_id: int
    local_latest_id: int
    local_collateral: int
    latest_local: PositionState
    pending_local: OrderState
    current_global: PositionState
    current_local: PositionState
    max_pending_magnitude: int
    sender_allowed: bool = True


def effective_collateral_of(collateral: int, pending: OrderState, latest_price: int, ps: ParamSet) -> int:
    """Collateral less the worst-case flat taker fee of every pending order (spec §6.1)."""
    return collateral - pending.taker_total() * abs(latest_price) // B * ps.taker_fee // B


def worst_case_magnitude_of(
    latest: PositionState, pending: OrderState, current: PositionState, max_pending_magnitude: int
) -> int:
    """The position size margin is checked on (``_worstCasePendingLocal``)."""
    if pending.invalidation != 0:
        return max(latest.maker, latest.long, latest.short) + pending.pos()
    return max(current.maker, current.long, current.short, max_pending_magnitude)


def effective_collateral(ctx: UpdateContext) -> int:
    """:func:`effective_collateral_of` for an update context."""
    return effective_collateral_of(ctx.local_collateral, ctx.pending_local, ctx.latest_price, ctx.ps)


def worst_case_magnitude(ctx: UpdateContext) -> int:
    """:func:`worst_case_magnitude_of` for an update context."""
    return worst_case_magnitude_of(ctx.latest_local, ctx.pending_local, ctx.current_local, ctx.max_pending_magnitude)


def _fail(cls: type[errors.ContractError], source: str, detail: str) -> errors.ContractError:
    return cls(source=source, detail=detail)


def validate_update(ctx: UpdateContext, o: OrderState, *, source: str = "preflight") -> None:
    """Raise the contract's error for an update the market would reject; return if it would accept."""
    ps = ctx.ps
    latest, pending = ctx.latest_local, ctx.pending_local
    latest_mag = max(latest.maker, latest.long, latest.short)
    cur_g, cur_l = ctx.current_global, ctx.current_local
    deposit_only = o.is_empty() and o.collateral >= 0

    # 1. over-close: with market orders pending, closes cannot exceed the settled position
    if pending.invalidation != 0 and pending.neg() > latest_mag:
        raise _fail(errors.MarketOverCloseError, source, f"pending closes {pending.neg()} > settled {latest_mag}")
    # 2. liquidation validity
    if o.protection and not _valid_protection(ctx, o, latest_mag):
        raise _fail(errors.MarketInvalidProtectionError, source, "account is maintained or the close is not full")
    # 3. staleness
    has_position = not (latest_mag == 0 and pending.is_empty())
    if has_position and not deposit_only:
        age = ctx.current_timestamp - ctx.latest_timestamp
        if not ctx.latest_valid or age >= ps.stale_after:
            raise _fail(
                errors.MarketStalePriceError, source,
                f"latest version valid={ctx.latest_valid}, age {age}s ≥ staleAfter {ps.stale_after}s",
            )
    # 4. closed market: decreases only
    if ps.closed and o.increases_position():
        raise _fail(errors.MarketClosedError, source, "market is closed")
    # 5. maker limit
    if cur_g.maker > ps.maker_limit and o.maker_pos:
        raise _fail(errors.MarketMakerOverLimitError, source, f"global maker {cur_g.maker} > makerLimit {ps.maker_limit}")
    # 6-8. single-sidedness
    if not single_sided(cur_l):
        raise _fail(errors.MarketNotSingleSidedError, source, "more than one of maker / long / short")
    if (latest.maker and cur_l.long != cur_l.short) or (latest.long != latest.short and cur_l.maker):
        raise _fail(errors.MarketNotSingleSidedError, source, "switching maker ↔ taker needs a settled close first")
    if pending.invalidation != 0 and pending.crosses_zero():
        raise _fail(errors.MarketNotSingleSidedError, source, "long ↔ short flip within one pending window")
    # 9. intent price deviation: no intents in this SDK's market orders
    if o.protection:
        return
    # 10. operator
    if not ctx.sender_allowed and not deposit_only:
        raise _fail(errors.MarketOperatorNotAllowedError, source, "sender is not the account or its operator")
    # 11. pending id limits
    if (
        ctx.global_current_id > ctx.global_latest_id + ps.max_pending_global
        or ctx.local_current_id > ctx.local_latest_id + ps.max_pending_local
    ):
        raise _fail(errors.MarketExceedsPendingIdLimitError, source, "too many unsettled order ids")
    # 12. margin
    eff = effective_collateral(ctx)
    if o.increases_position() or o.collateral < 0:
        need = margin_requirement(worst_case_magnitude(ctx), ctx.latest_price, ps.margin, ps.min_margin)
        if max(eff, 0) < need:
            raise _fail(errors.MarketInsufficientMarginError, source, f"collateral {max(eff, 0)} < margin {need}")
    # 13. a pending liquidation blocks everything else
    if pending.protection and not o.protection:
        raise _fail(errors.MarketProtectedError, source, "a liquidation is pending")
    # 14-15. liquidity (not when closed; only for orders with no taker delta or that increase taker)
    applicable = not ps.closed and ((o.long() == 0 and o.short() == 0) or o.increases_taker())
    if applicable:
        cur_major = max(cur_g.long, cur_g.short)
        prev_major = max(cur_g.long - o.long(), cur_g.short - o.short())
        if o.maker_neg or cur_major > prev_major:
            current_efficiency = efficiency(cur_g)
            if current_efficiency < ps.efficiency_limit:
                raise _fail(
                    errors.MarketEfficiencyUnderLimitError, source,
                    f"efficiency {current_efficiency} < efficiencyLimit {ps.efficiency_limit}",
                )
        if socialized(cur_g):
            cur_skew = cur_g.long - cur_g.short
            prev_skew = cur_skew - o.long() + o.short()
            if o.maker_neg or abs(cur_skew) > abs(prev_skew):
                raise _fail(errors.MarketInsufficientLiquidityError, source, "makers could not cover the skew")
    # 16. collateral
    if eff < 0:
        raise _fail(errors.MarketInsufficientCollateralError, source, f"effective collateral {eff} < 0")


def _valid_protection(ctx: UpdateContext, o: OrderState, latest_mag: int) -> bool:
    pending = ctx.pending_local
    if pending.crosses_zero():
        if not o.is_empty():
            return False
    elif pending.neg() < latest_mag:
        return False
    need = maintenance_requirement(latest_mag, ctx.latest_price, ctx.ps.maintenance, ctx.ps.min_maintenance)
    if max(effective_collateral(ctx), 0) >= need:
        return False
    return o.collateral == 0 and o.pos() == 0
