"""Global settlement of one oracle version: ``VersionLib.accumulate`` and ``GlobalLib.update`` (spec §4).

:func:`accumulate_version` is the simulator's hot path: plain ints, one pass, in source order.
Guarantees (intents) are not modelled: every order is a market order.
"""

from __future__ import annotations

from dataclasses import dataclass

from perennial_sdk.fixed import YEAR, B, trunc_div
from perennial_sdk.math.curves import (
    adiabatic_compute,
    funding_accumulate,
    normalized_skew,
    utilization_rate,
)
from perennial_sdk.math.state import GlobalState, OrderState, ParamSet, PositionState, VersionState

__all__ = [
    "VersionResult",
    "accumulate_version",
    "apply_global_fees",
    "interest_accrued",
    "split_funding",
    "split_interest",
    "utilization_of",
]


@dataclass(slots=True)
class VersionResult:
    """``VersionAccumulationResult``: what one version moved (the ``PositionProcessed`` event body)."""

    trade_fee: int = 0
    subtractive_fee: int = 0
    trade_offset: int = 0
    trade_offset_maker: int = 0
    trade_offset_market: int = 0
    adiabatic_exposure: int = 0
    adiabatic_exposure_maker: int = 0
    adiabatic_exposure_market: int = 0
    funding_maker: int = 0
    funding_long: int = 0
    funding_short: int = 0
    funding_fee: int = 0
    interest_maker: int = 0
    interest_long: int = 0
    interest_short: int = 0
    interest_fee: int = 0
    pnl_maker: int = 0
    pnl_long: int = 0
    pnl_short: int = 0
    settlement_fee: int = 0
    liquidation_fee: int = 0


def accumulate_version(
    prev: VersionState,
    g: GlobalState,
    frm: PositionState,
    o: OrderState,
    p0: int,
    t0: int,
    p1: int,
    t1: int,
    valid: bool,
    settlement_fee: int,
    ps: ParamSet,
) -> tuple[VersionState, VersionResult]:
    """Accumulate the version at ``t1`` (spec §4.1-4.8).

    ``prev`` is the version at the latest settled timestamp ``t0`` (price ``p0``), ``frm`` the global
    position before the orders at ``t1``, ``o`` the (already invalidated if needed) global order at
    ``t1``, ``p1`` its price (after ``overrideIfZero``), ``settlement_fee`` the oracle receipt's.
    Updates ``g.latest_price`` and the funding controller in ``g``; returns the new version and the
    accumulation result. Fee totals go to ``g`` through :func:`apply_global_fees`.
    """
    r = VersionResult()
    mv, lv, sv = prev.maker_value, prev.long_value, prev.short_value
    g.latest_price = p1
    pa = -p1 if p1 < 0 else p1
    maker, long, short = frm.maker, frm.long, frm.short

    # settlement fee, shared by the version's orders (§4.2)
    n = o.orders
    v_settle = 0
    if n and settlement_fee:
        v_settle = -settlement_fee * B // (n * B)
    r.settlement_fee = settlement_fee if n else 0
    # liquidation fee (§4.3)
    liq = settlement_fee * ps.liquidation_fee // B if valid else 0
    r.liquidation_fee = liq

    # flat trade fees (§4.4)
    m_total = o.maker_pos + o.maker_neg
    tp = o.long_pos + o.short_neg
    tn = o.short_pos + o.long_neg
    t_total = tp + tn
    v_maker_fee = v_taker_fee = v_maker_off = v_pos_off = v_neg_off = 0
    if m_total or t_total:
        maker_fee = m_total * pa // B * ps.maker_fee // B
        taker_fee = t_total * pa // B * ps.taker_fee // B
        if maker_fee:
            v_maker_fee = -maker_fee * B // m_total
        if taker_fee:
            v_taker_fee = -taker_fee * B // t_total
        maker_sub = maker_fee * o.maker_referral // m_total if m_total else 0
        taker_sub = taker_fee * o.taker_referral // t_total if t_total else 0
        r.trade_fee = maker_fee + taker_fee - maker_sub - taker_sub
        r.subtractive_fee = maker_sub + taker_sub

        # linear and proportional impact fees (§4.5): to makers, or to the market without makers
        m_lin = m_total * pa // B * ps.maker_linear // B
        p_lin = tp * pa // B * ps.taker_linear // B
        n_lin = tn * pa // B * ps.taker_linear // B
        v_maker_off = (-m_lin) * B // m_total if m_lin else 0
        v_pos_off = (-p_lin) * B // tp if p_lin else 0
        v_neg_off = (-n_lin) * B // tn if n_lin else 0
        lin = m_lin + p_lin + n_lin
        m_prop = (m_total * pa // B) * m_total // ps.maker_scale * ps.maker_proportional // B
        p_prop = (tp * pa // B) * tp // ps.taker_scale * ps.taker_proportional // B
        n_prop = (tn * pa // B) * tn // ps.taker_scale * ps.taker_proportional // B
        if m_prop:
            v_maker_off += (-m_prop) * B // m_total
        if p_prop:
            v_pos_off += (-p_prop) * B // tp
        if n_prop:
            v_neg_off += (-n_prop) * B // tn
        prop = m_prop + p_prop + n_prop
        if maker == 0:
            r.trade_offset_market = lin + prop
        else:
            if lin:
                mv += (lin) * B // maker
            if prop:
                mv += (prop) * B // maker
            r.trade_offset_maker = lin + prop
        r.trade_offset = lin + prop

    # adiabatic exposure: makers carry the price risk of the adiabatic backing (§4.5)
    skew0 = long - short
    if skew0 and ps.taker_adiabatic:
        exposure = adiabatic_compute(ps.taker_scale, ps.taker_adiabatic, 0, skew0, B)
        x = (p1 - p0) * exposure
        adi = x // B if x >= 0 else -(-x // B)
        if adi:
            r.adiabatic_exposure = adi
            if maker == 0:
                r.adiabatic_exposure_market = -adi
            else:
                r.adiabatic_exposure_maker = -adi
                if adi:
                    mv += (-adi) * B // maker

    # adiabatic fee: all positive flow first from the settled skew, then negative flow
    if t_total:
        a_pos = adiabatic_compute(ps.taker_scale, ps.taker_adiabatic, skew0, tp, pa)
        if a_pos:
            v_pos_off += (-a_pos) * B // tp
        a_neg = adiabatic_compute(ps.taker_scale, ps.taker_adiabatic, skew0 + tp, -tn, pa)
        if a_neg:
            v_neg_off += (-a_neg) * B // tn
        r.trade_offset += a_pos + a_neg

    if not ps.closed:
        major, minor = (long, short) if long >= short else (short, long)
        p0a = -p0 if p0 < 0 else p0

        # funding through the P-controller (§4.6)
        to_skew = skew0 + (o.long_pos - o.long_neg) - (o.short_pos - o.short_neg) if valid else skew0
        norm = normalized_skew(to_skew, ps.taker_scale)
        ts = min(minor + maker, major)
        funding, g.p_value = funding_accumulate(
            g.p_value, g.p_skew, ps.k, ps.p_min, ps.p_max, t0, t1, ts * p0a // B
        )
        g.p_skew = norm
        f_maker, f_long, f_short, fee = split_funding(funding, maker, long, short, ps)
        if f_maker:
            mv += (f_maker) * B // maker
        if f_long:
            lv += (f_long) * B // long
        if f_short:
            sv += (f_short) * B // short
        r.funding_maker, r.funding_long, r.funding_short, r.funding_fee = f_maker, f_long, f_short, fee

        # interest on the utilization curve (§4.7)
        interest = interest_accrued(maker, long, short, p0a, t0, t1, ps)
        if interest:
            i_maker, i_long, i_short, i_fee = split_interest(interest, long, short, ps)
            if i_maker:
                mv += (i_maker) * B // maker
            if i_long:
                lv += (i_long) * B // long
            if i_short:
                sv += (i_short) * B // short
            r.interest_maker, r.interest_long, r.interest_short, r.interest_fee = i_maker, i_long, i_short, i_fee

        # price PnL (§4.8)
        dp = p1 - p0
        if dp:
            ls = min(long, maker + short)
            ss = min(short, maker + long)
            x = dp * ls
            pnl_long = x // B if x >= 0 else -(-x // B)
            x = -dp * ss
            pnl_short = x // B if x >= 0 else -(-x // B)
            pnl_maker = -(pnl_long + pnl_short)
            if pnl_long:
                lv += (pnl_long) * B // long
            if pnl_short:
                sv += (pnl_short) * B // short
            if pnl_maker:
                mv += (pnl_maker) * B // maker
            r.pnl_maker, r.pnl_long, r.pnl_short = pnl_maker, pnl_long, pnl_short

    nv = VersionState(
        valid, p1, mv, lv, sv, v_maker_fee, v_taker_fee, v_maker_off, v_pos_off, v_neg_off, v_settle, -liq
    )
    return nv, r


def split_funding(funding: int, maker: int, long: int, short: int, ps: ParamSet) -> tuple[int, int, int, int]:
    """Split the controller's funding between makers, longs and shorts (§4.6).

    Returns ``(maker, long, short, fee)`` totals (positive = received); applies ``makerReceiveOnly``.
    """
    skew = long - short
    if ps.maker_receive_only and (funding > 0) - (funding < 0) != (skew > 0) - (skew < 0):
        funding = -funding
    fee = (funding if funding >= 0 else -funding) * ps.funding_fee // B
    spread = fee // 2
    f_long = -funding - fee + spread
    f_short = funding - spread
    f_maker = 0
    if long != short:
        major, minor = (long, short) if long > short else (short, long)
        ts = min(minor + maker, major)
        portion = 0 if ts == 0 else (ts - minor) * B // ts
        if long > short:
            f_maker = trunc_div(f_short * portion, B)
            f_short -= f_maker
        else:
            f_maker = trunc_div(f_long * portion, B)
            f_long -= f_maker
    return f_maker, f_long, f_short, fee


def utilization_of(maker: int, long: int, short: int, efficiency_limit: int) -> int:
    """``PositionLib.utilization`` (§3.1) on raw sizes."""
    major, minor = (long, short) if long >= short else (short, long)
    den = maker + minor
    net = major * B // den if den else (B if major == 0 else 1 << 256)
    eff_num = major * efficiency_limit // B
    eff = eff_num * B // maker if maker else (B if eff_num == 0 else 1 << 256)
    u = max(eff, net)
    return min(u, B)


def interest_accrued(maker: int, long: int, short: int, price_abs: int, t0: int, t1: int, ps: ParamSet) -> int:
    """Interest takers pay over [t0, t1] on the maker-backed open interest (§4.7), UFixed6."""
    oi = long + short
    notional = (min(maker, oi)) * price_abs // B
    if not notional:
        return 0
    u = utilization_of(maker, long, short, ps.efficiency_limit)
    rate = utilization_rate(ps.min_rate, ps.max_rate, ps.target_rate, ps.target_utilization, u)
    return rate * (t1 - t0) * notional // B // YEAR


def split_interest(interest: int, long: int, short: int, ps: ParamSet) -> tuple[int, int, int, int]:
    """Split interest: makers receive it net of ``interestFee``; longs and shorts pay pro rata.

    Returns ``(maker, long, short, fee)`` (long and short negative = paid).
    """
    fee = interest * ps.interest_fee // B
    i_long = interest if max(long, short) == 0 else interest * long // (long + short)
    return interest - fee, -i_long, -(interest - i_long), fee


def apply_global_fees(g: GlobalState, order_id: int, r: VersionResult, risk_fee: int, oracle_fee_share: int) -> None:
    """``GlobalLib.update``: split the version's market fee between oracle, risk and protocol (§4.9)."""
    market_fee = r.trade_fee + r.trade_offset_market + r.funding_fee + r.interest_fee
    oracle_cut = market_fee * oracle_fee_share // B
    rest = market_fee - oracle_cut
    risk_cut = rest * risk_fee // B
    g.latest_id = order_id
    g.protocol_fee += rest - risk_cut
    g.oracle_fee += r.settlement_fee + oracle_cut
    g.risk_fee += risk_cut
    g.exposure += r.adiabatic_exposure_market
