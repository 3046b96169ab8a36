"""Analytics for LPs, computed with the protocol's exact integer math (spec §9).

Every function takes a :class:`~perennial_sdk.math.views.MarketView` (and, where it concerns one
account, an :class:`~perennial_sdk.math.views.AccountView`) from ``SimMarket.view()`` or from a
chain snapshot, and returns a typed, frozen result of raw 6-decimal integers. Rates are annual
fractions (1_000_000 = 100 %/yr); amounts are collateral units; prices and sizes are raw.

Where a projection depends on the future (prices, other traders' flow, when the market settles),
the assumption is a parameter with a stated default, and the result is what the contracts would
compute under it: e.g. :func:`order_cost` equals what the simulator charges when the order's
version settles at ``price`` with ``settlement_fee``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from perennial_sdk.errors import InputError
from perennial_sdk.fixed import YEAR, B, trunc_div
from perennial_sdk.math.checkpoint import accumulate_checkpoint
from perennial_sdk.math.curves import funding_accumulate, normalized_skew, utilization_rate
from perennial_sdk.math.invariant import effective_collateral_of, worst_case_magnitude_of
from perennial_sdk.math.order import order_from
from perennial_sdk.math.position import (
    efficiency,
    long_socialized,
    maintenance_requirement,
    margin_requirement,
    short_socialized,
    socialized,
    taker_socialized,
)
from perennial_sdk.math.state import CheckpointState, OrderState, ParamSet, PositionState
from perennial_sdk.math.version import (
    accumulate_version,
    split_funding,
    split_interest,
    utilization_of,
)
from perennial_sdk.math.views import AccountView, MarketView

__all__ = [
    "Capacity",
    "FundingInterval",
    "FundingProjection",
    "LiquidationPrice",
    "MakerExposure",
    "MakerIncome",
    "OrderCost",
    "SideRates",
    "Socialization",
    "capacity",
    "funding_rate",
    "is_liquidatable",
    "liquidation_price",
    "maker_exposure",
    "maker_income",
    "max_withdrawable",
    "order_cost",
    "project_funding",
    "side_rates",
    "socialization",
    "time_to_cap",
    "utilization",
]


# ----------------------------------------------------------------------------- funding


def funding_rate(view: MarketView, at: int | None = None) -> int:
    """The annual funding rate at time ``at`` (default: the current oracle timestamp), longs pay if > 0.

    ``r(t) = clamp(pValue + (t − t_L)·pSkew/k, min, max)`` with ``t_L`` the latest settled timestamp
    (spec §9.2), using the controller's own truncation.
    """
    t = view.current_timestamp if at is None else at
    dt = t - view.position.timestamp
    if dt < 0:
        raise InputError("time is before the latest settlement", field="at", limit=view.position.timestamp, value=t)
    ps, g = view.ps, view.glob
    value = g.p_value + trunc_div(dt * g.p_skew * B, ps.k)
    return max(min(value, ps.p_max), ps.p_min)


def time_to_cap(view: MarketView) -> int | None:
    """Seconds after the latest settlement until the rate reaches its cap; None if it never moves.

    0 when the stored rate is already at (or beyond) the cap it drifts toward.
    """
    ps, g = view.ps, view.glob
    if g.p_skew == 0:
        return None
    cap = ps.p_max if g.p_skew > 0 else ps.p_min
    distance = cap - g.p_value
    if (distance <= 0 and g.p_skew > 0) or (distance >= 0 and g.p_skew < 0):
        return 0
    return -(-abs(distance) * ps.k // (abs(g.p_skew) * B))


@dataclass(frozen=True, slots=True)
class FundingInterval:
    """Funding over one settlement interval: ``funding`` (longs pay if > 0) and the rate at each end."""

    start: int
    end: int
    funding: int
    rate_start: int
    rate_end: int


@dataclass(frozen=True, slots=True)
class FundingProjection:
    """Funding over a horizon, exactly as the contracts accrue it for the given settlement times.

    ``funding`` is the controller total (longs pay if > 0); ``maker``/``long``/``short`` are what each
    side receives (negative = pays) and ``fee`` what the market keeps, summed over the intervals.
    """

    start: int
    end: int
    funding: int
    maker: int
    long: int
    short: int
    fee: int
    rate_start: int
    rate_end: int
    time_to_cap: int | None
    intervals: tuple[FundingInterval, ...]


def project_funding(
    view: MarketView,
    settlements: Sequence[int],
    *,
    positions: Sequence[PositionState] | None = None,
    prices: Sequence[int] | None = None,
) -> FundingProjection:
    """Funding from the latest settlement to ``settlements[-1]``, settled at each of ``settlements``.

    ``positions[i]`` is the global position in force from ``settlements[i]`` on (default: the
    current position, latest + pending, throughout); ``prices[i]`` the price committed at
    ``settlements[i]`` (default: the latest price). The first interval accrues on the settled
    position at the latest price. This is the contracts' piecewise integration (§4.6) interval by
    interval, so it equals what the market accrues when it settles at exactly those times.
    """
    if not settlements:
        raise InputError("at least one settlement time is required", field="settlements", limit=1, value=0)
    if positions is not None and len(positions) != len(settlements):
        raise InputError("one position per settlement", field="positions", limit=len(settlements), value=len(positions))
    if prices is not None and len(prices) != len(settlements):
        raise InputError("one price per settlement", field="prices", limit=len(settlements), value=len(prices))
    ps = view.ps
    value, skew = view.glob.p_value, view.glob.p_skew
    t0 = view.position.timestamp
    price0 = view.glob.latest_price
    frm = view.position
    default_next = view.current_position()
    total = maker = long = short = fee = 0
    intervals: list[FundingInterval] = []
    rate_start = value
    for i, t1 in enumerate(settlements):
        if t1 <= t0:
            raise InputError("settlement times must increase", field=f"settlements[{i}]", limit=t0 + 1, value=t1)
        notional = taker_socialized(frm) * abs(price0) // B
        start_value = value
        funding, value = funding_accumulate(value, skew, ps.k, ps.p_min, ps.p_max, t0, t1, notional)
        f_maker, f_long, f_short, f_fee = split_funding(funding, frm.maker, frm.long, frm.short, ps)
        total, maker, long, short, fee = total + funding, maker + f_maker, long + f_long, short + f_short, fee + f_fee
        intervals.append(FundingInterval(t0, t1, funding, start_value, value))
        frm = positions[i] if positions is not None else default_next
        skew = normalized_skew(frm.long - frm.short, ps.taker_scale)
        price0 = prices[i] if prices is not None else price0
        t0 = t1
    return FundingProjection(
        start=view.position.timestamp, end=settlements[-1], funding=total, maker=maker, long=long, short=short,
        fee=fee, rate_start=rate_start, rate_end=value, time_to_cap=time_to_cap(view), intervals=tuple(intervals),
    )


# ----------------------------------------------------------------------------- rates per side


def utilization(view: MarketView, *, current: bool = True) -> int:
    """Utilization of the current (default) or latest settled position (§3.1, §4.7)."""
    p = view.current_position() if current else view.position
    return utilization_of(p.maker, p.long, p.short, view.ps.efficiency_limit)


@dataclass(frozen=True, slots=True)
class SideRates:
    """Annualized per-unit rates (fraction of notional per year; positive = receive) for each side."""

    funding_rate: int
    interest_rate: int
    utilization: int
    maker_funding: int
    long_funding: int
    short_funding: int
    maker_interest: int
    long_interest: int
    short_interest: int

    @property
    def maker(self) -> int:
        """Maker funding + interest per unit per year."""
        return self.maker_funding + self.maker_interest

    @property
    def long(self) -> int:
        return self.long_funding + self.long_interest

    @property
    def short(self) -> int:
        return self.short_funding + self.short_interest


def _per_unit(total: int, size: int) -> int:
    return trunc_div(total * B, size) if size else 0


def side_rates(view: MarketView, *, at: int | None = None) -> SideRates:
    """Per-side funding and interest rates on the current position at the rate of time ``at`` (§9.3-9.4).

    Uses the contracts' own split (socialization, ``makerReceiveOnly``, fee halves) on one year of
    accrual at a constant rate, so the per-unit figures are what a unit of each side would book.
    """
    ps = view.ps
    p = view.current_position()
    r = funding_rate(view, at)
    yearly = r * taker_socialized(p) // B
    f_maker, f_long, f_short, _ = split_funding(yearly, p.maker, p.long, p.short, ps)
    u = utilization_of(p.maker, p.long, p.short, ps.efficiency_limit)
    rate = utilization_rate(ps.min_rate, ps.max_rate, ps.target_rate, ps.target_utilization, u)
    oi = p.long + p.short
    interest = rate * min(oi, p.maker) // B
    i_maker, i_long, i_short, _ = split_interest(interest, p.long, p.short, ps) if interest else (0, 0, 0, 0)
    return SideRates(
        funding_rate=r, interest_rate=rate, utilization=u,
        maker_funding=_per_unit(f_maker, p.maker), long_funding=_per_unit(f_long, p.long),
        short_funding=_per_unit(f_short, p.short), maker_interest=_per_unit(i_maker, p.maker),
        long_interest=_per_unit(i_long, p.long), short_interest=_per_unit(i_short, p.short),
    )


@dataclass(frozen=True, slots=True)
class Socialization:
    """Whether makers cover the skew, and the PnL share each taker side gets (1e6 = full)."""

    socialized: bool
    long_haircut: int
    short_haircut: int
    efficiency: int


def socialization(view: MarketView, *, current: bool = True) -> Socialization:
    """Socialization of the current (default) or settled position (§3.1, §9.12)."""
    p = view.current_position() if current else view.position
    return Socialization(
        socialized=socialized(p),
        long_haircut=long_socialized(p) * B // p.long if p.long else B,
        short_haircut=short_socialized(p) * B // p.short if p.short else B,
        efficiency=efficiency(p),
    )


@dataclass(frozen=True, slots=True)
class MakerExposure:
    """A maker's price exposure: ``delta`` per maker unit (Fixed6, +1e6 = like a long) and in units."""

    delta_per_unit: int
    exposure: int
    notional: int


def maker_exposure(view: MarketView, maker_size: int, *, current: bool = True) -> MakerExposure:
    """Makers take the other side of the socialized skew: δ = (shortSocialized − longSocialized)/M (§9.5)."""
    p = view.current_position() if current else view.position
    if p.maker == 0:
        return MakerExposure(0, 0, 0)
    delta = trunc_div((short_socialized(p) - long_socialized(p)) * B, p.maker)
    exposure = trunc_div(delta * maker_size, B)
    return MakerExposure(delta, exposure, trunc_div(exposure * abs(view.latest_price), B))


@dataclass(frozen=True, slots=True)
class MakerIncome:
    """What makers book over ``[start, end]`` if the market settles once at ``end`` at a fixed price.

    Per maker unit (``*_per_unit``) and for ``size`` units (floored like the checkpoint); ``apr`` is
    the annualized return of funding + interest on the size's notional.
    """

    start: int
    end: int
    size: int
    funding_per_unit: int
    interest_per_unit: int
    funding: int
    interest: int
    total: int
    apr: int


def maker_income(view: MarketView, end: int, *, size: int | None = None) -> MakerIncome:
    """Funding and interest makers earn until ``end`` on the current position (spec §9.6-9.7)."""
    ps = view.ps
    t0 = view.position.timestamp
    if end <= t0:
        raise InputError("end must be after the latest settlement", field="end", limit=t0 + 1, value=end)
    p = view.current_position()
    if p.maker == 0:
        return MakerIncome(t0, end, 0, 0, 0, 0, 0, 0, 0)
    n = p.maker if size is None else size
    notional = taker_socialized(p) * abs(view.glob.latest_price) // B
    skew = normalized_skew(p.long - p.short, ps.taker_scale)
    funding, _ = funding_accumulate(view.glob.p_value, skew, ps.k, ps.p_min, ps.p_max, t0, end, notional)
    f_maker = split_funding(funding, p.maker, p.long, p.short, ps)[0]
    from perennial_sdk.math.version import interest_accrued

    interest = interest_accrued(p.maker, p.long, p.short, abs(view.glob.latest_price), t0, end, ps)
    i_maker = split_interest(interest, p.long, p.short, ps)[0] if interest else 0
    f_unit, i_unit = f_maker * B // p.maker, i_maker * B // p.maker
    funding_n, interest_n = f_unit * n // B, i_unit * n // B
    total = funding_n + interest_n
    position_value = n * abs(view.glob.latest_price) // B
    apr = total * B * YEAR // (position_value * (end - t0)) if position_value else 0
    return MakerIncome(t0, end, n, f_unit, i_unit, funding_n, interest_n, total, apr)


# ----------------------------------------------------------------------------- orders


@dataclass(frozen=True, slots=True)
class OrderCost:
    """The exact fees an order pays when its version settles (all ≥ 0 except a negative adiabatic rebate).

    ``total = flat + impact + settlement``; ``impact`` is exact, and its split into ``linear``,
    ``proportional`` and ``adiabatic`` is each component's own rounded figure (they may differ from
    ``impact`` by a few 1e-6).
    """

    flat: int
    linear: int
    proportional: int
    adiabatic: int
    impact: int
    settlement: int
    total: int
    price: int


def order_cost(
    view: MarketView,
    *,
    maker_delta: int = 0,
    long_delta: int = 0,
    short_delta: int = 0,
    price: int | None = None,
    settlement_fee: int = 0,
    other_orders: int | None = None,
) -> OrderCost:
    """The fees of an order placed now, settled at ``price`` (default: latest) with the version's fee.

    Same-version flow of other traders (``view.current_order``) shares the proportional and
    adiabatic curves and the settlement fee, exactly as in ``VersionLib`` (§4.2-4.5, §9.8).
    ``other_orders`` overrides how many other orders share the settlement fee.
    """
    ps = view.ps
    p1 = view.latest_price if price is None else price
    # the deltas as an order from a position large enough to close from (only the deltas matter for fees)
    base = PositionState(maker=max(-maker_delta, 0), long=max(-long_delta, 0), short=max(-short_delta, 0))
    mine = order_from(
        view.current_timestamp, base, 0, base.maker + maker_delta, base.long + long_delta, base.short + short_delta
    )
    if mine.is_empty():
        return OrderCost(0, 0, 0, 0, 0, 0, 0, p1)
    cur = view.same_version_flow()
    agg = cur.copy()
    if other_orders is not None:
        agg.orders = other_orders
    agg.add(mine)
    frm = view.current_position()
    frm.maker -= cur.maker_pos - cur.maker_neg
    frm.long -= cur.long_pos - cur.long_neg
    frm.short -= cur.short_pos - cur.short_neg

    def charge(params: ParamSet) -> tuple[int, int, int]:
        g = view.glob.copy()
        v, _ = accumulate_version(
            view.version, g, frm, agg, view.glob.latest_price, view.position.timestamp, p1,
            max(view.current_timestamp, view.position.timestamp), True, settlement_fee, params,
        )
        _, r = accumulate_checkpoint(CheckpointState(), PositionState(), mine, v, v)
        return r.trade_fee, r.offset, r.settlement_fee

    flat, impact, settlement = charge(ps)
    none = dataclasses.replace(
        ps, taker_linear=0, taker_proportional=0, taker_adiabatic=0, maker_linear=0, maker_proportional=0
    )
    linear = charge(dataclasses.replace(none, taker_linear=ps.taker_linear, maker_linear=ps.maker_linear))[1]
    proportional = charge(
        dataclasses.replace(none, taker_proportional=ps.taker_proportional, maker_proportional=ps.maker_proportional)
    )[1]
    adiabatic = charge(dataclasses.replace(none, taker_adiabatic=ps.taker_adiabatic))[1]
    return OrderCost(flat, linear, proportional, adiabatic, impact, settlement, flat + impact + settlement, p1)


# ----------------------------------------------------------------------------- margin and capacity


def max_withdrawable(view: MarketView, account: AccountView) -> int:
    """The largest withdrawal ``update`` accepts now (margin #12, collateral #16, staleness #3, §9.9)."""
    ps = view.ps
    latest_mag = max(account.position.maker, account.position.long, account.position.short)
    has_position = not (latest_mag == 0 and account.pending.is_empty())
    if has_position:
        age = view.current_timestamp - view.latest_timestamp
        if not view.latest_valid or age >= ps.stale_after:
            return 0
    if account.pending.protection:
        return 0
    new_id = account.local.current_id + (1 if view.current_timestamp > account.current_order.timestamp else 0)
    if new_id > account.local.latest_id + ps.max_pending_local:
        return 0
    eff = effective_collateral_of(account.local.collateral, account.pending, view.latest_price, ps)
    mag = worst_case_magnitude_of(account.position, account.pending, account.current_position(),
                                  account.max_pending_magnitude)
    need = margin_requirement(mag, view.latest_price, ps.margin, ps.min_margin)
    return max(eff - need, 0)


@dataclass(frozen=True, slots=True)
class Capacity:
    """How much the market accepts now (sizes): taker opens per side, maker increase and decrease."""

    long: int
    short: int
    maker_increase: int
    maker_decrease: int


def _efficient(maker: int, major: int, limit: int) -> bool:
    return efficiency(PositionState(maker=maker, long=major)) >= limit


def capacity(view: MarketView, account: AccountView | None = None) -> Capacity:
    """Room left under the efficiency, socialization and maker-limit invariants (§6.4, §9.11).

    With ``account``, the maker decrease is also capped by its settled maker less its pending closes.
    """
    ps = view.ps
    p = view.current_position()
    limit = ps.efficiency_limit

    def taker_room(side: int, other: int) -> int:
        room = p.maker + other - side  # no socialization after the order
        if room <= 0:
            return 0
        if not _efficient(p.maker, max(side + room, other), limit):
            lo, hi = 0, room  # largest q with efficiency intact (monotone in q)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if _efficient(p.maker, max(side + mid, other), limit):
                    lo = mid
                else:
                    hi = mid - 1
            room = lo
            if room == 0 and not _efficient(p.maker, max(side, other), limit):
                return 0
        return room

    major = max(p.long, p.short)
    dec = max(p.maker - abs(p.long - p.short), 0)
    if major and not _efficient(p.maker - dec, major, limit):
        lo, hi = 0, dec
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _efficient(p.maker - mid, major, limit):
                lo = mid
            else:
                hi = mid - 1
        dec = lo
    if account is not None:
        dec = min(dec, max(account.position.maker - account.pending.maker_neg, 0))
    return Capacity(
        long=taker_room(p.long, p.short), short=taker_room(p.short, p.long),
        maker_increase=max(ps.maker_limit - p.maker, 0), maker_decrease=dec,
    )


# ----------------------------------------------------------------------------- liquidation


def is_liquidatable(view: MarketView, account: AccountView, price: int, *, at: int | None = None) -> bool:
    """Whether a liquidation of ``account`` is accepted once a version at ``price`` (time ``at``) settles.

    Runs the market's own accumulation for the interval (funding, interest, PnL, exposure) and the
    account's checkpoint, then the maintenance test of ``_validateProtection`` (§6.2).
    """
    ps = view.ps
    if account.position.timestamp != view.position.timestamp:
        raise InputError(
            "the account must be settled to the market's latest version first",
            field="account.position.timestamp", limit=view.position.timestamp, value=account.position.timestamp,
        )
    t = view.current_timestamp if at is None else at
    g = view.glob.copy()
    version, _ = accumulate_version(
        view.version, g, view.position, OrderState(timestamp=t), view.glob.latest_price, view.position.timestamp,
        price, t, True, 0, ps,
    )
    _, result = accumulate_checkpoint(account.checkpoint, account.position, OrderState(timestamp=t), view.version, version)
    collateral = account.local.collateral + result.net
    # the liquidation closes the whole settled position; its flat taker fee is reserved (§6.1)
    pending = account.pending.copy()
    pending.add(OrderState(
        maker_neg=account.position.maker, long_neg=account.position.long, short_neg=account.position.short
    ))
    eff = effective_collateral_of(collateral, pending, price, ps)
    mag = max(account.position.maker, account.position.long, account.position.short)
    return max(eff, 0) < maintenance_requirement(mag, price, ps.maintenance, ps.min_maintenance)


@dataclass(frozen=True, slots=True)
class LiquidationPrice:
    """The liquidation boundaries around the safe price range: ``below`` is the highest liquidatable
    price under it, ``above`` the lowest over it; None where the account stays safe within the search
    range. An account already liquidatable at the latest price has a boundary on the latest price's
    side (e.g. a long's ``below`` ≥ latest); one liquidatable everywhere gets (latest, latest)."""

    below: int | None
    above: int | None
    latest_price: int


def liquidation_price(view: MarketView, account: AccountView, *, at: int | None = None, max_factor: int = 1000) -> LiquidationPrice:
    """Exact liquidation prices of the settled position by bisection on :func:`is_liquidatable`.

    The maintained region is an interval of prices (collateral is linear in price, maintenance is
    convex), so each side has one boundary; the search covers ``[latest / max_factor, latest × max_factor]``.
    """
    p_latest = abs(view.latest_price)
    if max(account.position.maker, account.position.long, account.position.short) == 0 or p_latest == 0:
        return LiquidationPrice(None, None, view.latest_price)

    def liq(p: int) -> bool:
        return is_liquidatable(view, account, p, at=at)

    def edge(liquidatable: int, safe: int) -> int:
        """The liquidatable price next to the safe region, between a liquidatable and a safe price."""
        while abs(safe - liquidatable) > 1:
            mid = (liquidatable + safe) // 2
            if liq(mid):
                liquidatable = mid
            else:
                safe = mid
        return liquidatable

    floor = max(p_latest // max_factor, 1)  # near zero price the requirement itself rounds to zero
    top = p_latest * max_factor
    safe = p_latest
    if liq(p_latest):  # already liquidatable: look for the safe region on either side
        safe = next((p for p in _ladder(p_latest, top) if not liq(p)), 0) or next(
            (p for p in _ladder(p_latest, floor) if not liq(p)), 0
        )
        if not safe:
            return LiquidationPrice(p_latest, p_latest, view.latest_price)
    below = edge(floor, safe) if liq(floor) else None
    above = edge(top, safe) if liq(top) else None
    return LiquidationPrice(below, above, view.latest_price)


def _ladder(start: int, end: int) -> list[int]:
    """Prices from ``start`` toward ``end`` in geometric steps of ~1 %, then doubling (for searching)."""
    out, p, step = [], start, max(start // 100, 1)
    while (p < end) if end > start else (p > end):
        p = min(p + step, end) if end > start else max(p - step, end)
        out.append(p)
        step *= 2
    return out
