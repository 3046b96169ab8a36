"""Pre-flight on a snapshot view predicts exactly what the simulator's Market.update does."""

from __future__ import annotations

import copy

from hypothesis import event, given, settings
from hypothesis import strategies as st

from perennial_sdk import errors
from perennial_sdk.math.preflight import preflight_update
from perennial_sdk.models import RiskParameter

from .strategies import ACCOUNTS, U, Op, new_market, ops, risk_parameters, run_ops

updates = st.tuples(
    st.sampled_from(ACCOUNTS), st.integers(0, 300), st.integers(0, 300), st.integers(0, 300),
    st.integers(-50_000, 2_000_000), st.integers(0, 4).map(lambda x: x == 0), st.sampled_from(ACCOUNTS),
)


@settings(max_examples=150, deadline=None)
@given(risk=risk_parameters(), steps=st.lists(ops, min_size=3, max_size=25), probes=st.lists(updates, min_size=1, max_size=8))
def test_preflight_agrees_with_the_market(risk: RiskParameter, steps: list[Op], probes: list[tuple[int, ...]]) -> None:
    market, oracle = new_market(risk)
    run_ops(market, oracle, steps)
    for account, maker, long, short, collateral, protect, sender in probes:  # type: ignore[misc]
        sizes = [maker * U // 2, long * U // 2, short * U // 2]
        zero = [i for i in range(3) if i != (maker % 3)]  # usually one side only
        for i in zero:
            sizes[i] = sizes[i] if maker % 7 == 0 else 0
        for name in ACCOUNTS:  # the snapshot is settled, like the Lens
            market.settle(name)
        view, acct = market.view(), market.account_view(account)
        try:
            preflight_update(
                view, acct, new_maker=sizes[0], new_long=sizes[1], new_short=sizes[2], collateral=collateral * U // 10,
                protect=protect and sender != account, sender_allowed=True,
            )
            predicted = None
        except errors.ContractError as exc:
            predicted = exc.name
        trial = copy.deepcopy(market)
        try:
            trial.update(account, sizes[0], sizes[1], sizes[2], collateral * U // 10, protect and sender != account,
                         sender=sender if protect and sender != account else account)
            actual = None
        except errors.ContractError as exc:
            actual = exc.name
        event(f"outcome: {actual or 'accepted'}")
        assert predicted == actual
