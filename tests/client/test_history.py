"""The realized breakdown explains what each account booked, version by version (simulator events)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from perennial_sdk.client import realized_history
from perennial_sdk.client._events import DecodedEvent
from perennial_sdk.models import RiskParameter
from perennial_sdk.sim import SimMarket

from ..property.strategies import ACCOUNTS, Op, new_market, ops, risk_parameters, run_ops

_CAMEL = {
    "trade_fee": "tradeFee", "subtractive_fee": "subtractiveFee", "trade_offset": "tradeOffset",
    "trade_offset_maker": "tradeOffsetMaker", "trade_offset_market": "tradeOffsetMarket",
    "adiabatic_exposure": "adiabaticExposure", "adiabatic_exposure_maker": "adiabaticExposureMaker",
    "adiabatic_exposure_market": "adiabaticExposureMarket", "funding_maker": "fundingMaker",
    "funding_long": "fundingLong", "funding_short": "fundingShort", "funding_fee": "fundingFee",
    "interest_maker": "interestMaker", "interest_long": "interestLong", "interest_short": "interestShort",
    "interest_fee": "interestFee", "pnl_maker": "pnlMaker", "pnl_long": "pnlLong", "pnl_short": "pnlShort",
    "settlement_fee": "settlementFee", "liquidation_fee": "liquidationFee", "collateral": "collateral",
    "price_override": "priceOverride", "offset": "offset", "solver_fee": "solverFee",
}


def as_chain_events(market: SimMarket) -> list[DecodedEvent]:
    """The simulator's events shaped like decoded on-chain logs."""
    out = []
    for i, ev in enumerate(market.events):
        order = ev["order"].to_model().model_dump()
        result = {_CAMEL[k]: v for k, v in ev.items() if k in _CAMEL}
        args: dict[str, Any] = {"order": order, "accumulationResult": result}
        if ev["event"] != "PositionProcessed":
            args["account"] = ev["account"]
        out.append(DecodedEvent(ev["event"], "0xMARKET", args, 0, i))
    return out


@settings(max_examples=40, deadline=None)
@given(risk=risk_parameters(adiabatic=False), steps=st.lists(ops, min_size=5, max_size=40))
def test_breakdown_explains_the_accruals(risk: RiskParameter, steps: list[Op]) -> None:
    market, oracle = new_market(risk)
    run_ops(market, oracle, steps)
    oracle.advance(oracle.current_timestamp, oracle.record(oracle.latest_timestamp).price)
    for account in ACCOUNTS:
        market.settle(account)
    events = as_chain_events(market)
    versions = sum(1 for e in events if e.name == "PositionProcessed")
    for account in ACCOUNTS:
        h = realized_history("0xMARKET", account, events, global_position=(0, 0, 0), account_position=(0, 0, 0),
                             from_block=0, to_block=0)
        booked = sum(e.args["accumulationResult"]["collateral"] for e in events
                     if e.name == "AccountPositionProcessed" and e.args["account"] == account)
        assert h.accrued == booked
        # each per-unit increment floors (< 1e-6 per unit of the account's size, a few per version)
        units = 1 + max(abs(o["makerPos"]) + abs(o["longPos"]) + abs(o["shortPos"]) for o in h.orders or [
            {"makerPos": 0, "longPos": 0, "shortPos": 0}]) * len(h.orders or [0]) // 10**6
        assert abs(h.rounding) <= 8 * max(versions, 1) * units, (account, h)
        # the account's collateral is exactly its transfers plus what it booked
        assert market.raw_local(account).collateral == h.deposits - h.withdrawals + h.net
