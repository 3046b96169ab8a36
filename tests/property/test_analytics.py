"""Analytics agree with the simulator: the prediction is what the market then books."""

from __future__ import annotations

import copy

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from perennial_sdk import analytics, errors
from perennial_sdk.models import RiskParameter
from perennial_sdk.sim import SimMarket, SimOracle

from .strategies import U, new_market, risk_parameters


def opened_market(
    risk: RiskParameter, maker: int, long: int, short: int, price: int
) -> tuple[SimMarket, SimOracle]:
    """A market with maker A, long B, short C, all settled; sizes are clipped to what it accepts."""
    market, oracle = new_market(risk, price=price)
    market.update("A", min(maker, int(risk.maker_limit)), 0, 0, 10**15)
    oracle.advance(oracle.current_timestamp, price, settlement_fee=200_000)
    cap = analytics.capacity(market.view())
    if long:
        market.update("B", 0, min(long, cap.long), 0, 10**14)
    if short:
        market.update("C", 0, 0, min(short, analytics.capacity(market.view()).short), 10**14)
    oracle.advance(oracle.current_timestamp, price, settlement_fee=300_000)
    for account in "ABC":
        market.settle(account)
    return market, oracle


sizes = st.integers(1 * U, 500 * U)
prices = st.integers(10 * U, 50_000 * U)


@settings(max_examples=60, deadline=None)
@given(
    risk=risk_parameters(), maker=sizes, long=st.integers(0, 500 * U), short=st.integers(0, 500 * U), price=prices,
    gaps=st.lists(st.integers(1, 200_000), min_size=1, max_size=6),
)
def test_projected_funding_equals_the_simulated_accrual(
    risk: RiskParameter, maker: int, long: int, short: int, price: int, gaps: list[int]
) -> None:
    market, oracle = opened_market(risk, maker, long, short, price)
    view = market.view()
    times, t = [], view.position.timestamp
    for gap in gaps:
        t += gap
        times.append(t)
    projection = analytics.project_funding(view, times)
    first = len(market.events)
    for t in times:
        oracle.advance(t, price)
        market.settle("A")
    processed = [ev for ev in market.events[first:] if ev["event"] == "PositionProcessed"]
    assert len(processed) == len(times)
    assert projection.maker == sum(ev["funding_maker"] for ev in processed)
    assert projection.long == sum(ev["funding_long"] for ev in processed)
    assert projection.short == sum(ev["funding_short"] for ev in processed)
    assert projection.fee == sum(ev["funding_fee"] for ev in processed)
    assert projection.rate_end == market.raw_global().p_value
    if projection.time_to_cap is not None and projection.time_to_cap <= times[-1] - view.position.timestamp:
        assert market.raw_global().p_value in (risk.p_controller.max, risk.p_controller.min)


@settings(max_examples=60, deadline=None)
@given(
    risk=risk_parameters(), maker=sizes, long=st.integers(0, 300 * U), short=st.integers(0, 300 * U), price=prices,
    other=st.integers(-50 * U, 50 * U), mine=st.integers(-80 * U, 80 * U), maker_order=st.booleans(),
    settle_price_bps=st.integers(-500, 500), settlement_fee=st.integers(0, 5 * U),
)
def test_predicted_order_cost_is_what_the_simulator_charges(
    risk: RiskParameter, maker: int, long: int, short: int, price: int, other: int, mine: int,
    maker_order: bool, settle_price_bps: int, settlement_fee: int,
) -> None:
    market, oracle = opened_market(risk, maker, long, short, price)
    assume(mine != 0)
    # another trader's order in the same version shares the curves and the settlement fee
    if other:
        try:
            market.update("D", 0, max(other, 0), max(-other, 0), 10**14)
        except errors.ContractError:
            pass
    view = market.view()
    settle_price = price + price * settle_price_bps // 10_000
    if maker_order:
        cost = analytics.order_cost(view, maker_delta=abs(mine), price=settle_price, settlement_fee=settlement_fee)
    else:
        cost = analytics.order_cost(
            view, long_delta=max(mine, 0), short_delta=max(-mine, 0), price=settle_price, settlement_fee=settlement_fee
        )
    try:
        if maker_order:
            market.update("E", abs(mine), 0, 0, 10**14)
        else:
            market.update("E", 0, max(mine, 0), max(-mine, 0), 10**14)
    except errors.ContractError:
        assume(False)
    first = len(market.events)
    oracle.advance(oracle.current_timestamp, settle_price, settlement_fee=settlement_fee)
    market.settle("E")
    mine_event = [
        ev for ev in market.events[first:]
        if ev["event"] == "AccountPositionProcessed" and ev["order"].orders == 1
    ][0]
    assert (mine_event["trade_fee"], mine_event["offset"], mine_event["settlement_fee"]) == (
        cost.flat, cost.impact, cost.settlement
    )
    assert cost.total == cost.flat + cost.impact + cost.settlement
    assert abs(cost.linear + cost.proportional + cost.adiabatic - cost.impact) <= 3


@settings(max_examples=40, deadline=None)
@given(
    risk=risk_parameters(), maker=sizes, long=st.integers(1 * U, 300 * U), short=st.integers(0, 300 * U),
    price=prices, leverage=st.integers(3, 60), taker_long=st.booleans(),
)
def test_liquidation_price_is_where_maintenance_fails(
    risk: RiskParameter, maker: int, long: int, short: int, price: int, leverage: int, taker_long: bool
) -> None:
    market, oracle = new_market(risk, price=price)
    market.update("A", min(maker, int(risk.maker_limit)), 0, 0, 10**15)
    oracle.advance(oracle.current_timestamp, price)
    size = min(long, analytics.capacity(market.view()).long if taker_long else analytics.capacity(market.view()).short)
    assume(size > 0)
    collateral = max(size * price // U // leverage, 2 * int(risk.min_margin))
    try:
        market.update("B", 0, size if taker_long else 0, 0 if taker_long else size, collateral)
    except errors.ContractError:
        assume(False)
    oracle.advance(oracle.current_timestamp, price)
    market.settle("A")
    market.settle("B")
    view, account = market.view(), market.account_view("B")
    result = analytics.liquidation_price(view, account)
    boundary = result.below if taker_long else result.above
    step = -1 if taker_long else 1  # one raw unit toward safety

    def liquidate(at_price: int) -> bool:
        m = copy.deepcopy(market)
        m.oracle.advance(m.oracle.current_timestamp, at_price)
        try:
            m.update("B", 0, 0, 0, 0, True, sender="D")
        except errors.MarketInvalidProtectionError:
            return False
        return True

    if boundary is None:  # e.g. a fully collateralized long: not liquidatable anywhere in range
        assert not liquidate(max(price // 1000, 1) if taker_long else price * 1000)
        return
    assert liquidate(boundary)
    assert not liquidate(boundary - step)


@settings(max_examples=50, deadline=None)
@given(
    risk=risk_parameters(), maker=sizes, long=st.integers(0, 300 * U), price=prices, extra=st.integers(0, 10**10),
)
def test_max_withdrawable_is_the_exact_limit(
    risk: RiskParameter, maker: int, long: int, price: int, extra: int
) -> None:
    market, oracle = opened_market(risk, maker, long, 0, price)
    market.update("B", None, None, None, extra)
    w = analytics.max_withdrawable(market.view(), market.account_view("B"))
    over = copy.deepcopy(market)
    if w > 0:
        market.update("B", None, None, None, -w)
    with pytest.raises((errors.MarketInsufficientMarginError, errors.MarketInsufficientCollateralError)):
        over.update("B", None, None, None, -(w + 1))
