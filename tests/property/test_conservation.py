"""Money in = money out + fees, with every rounding in the protocol's favour (spec §1.3, §4.9, §5)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from perennial_sdk import errors
from perennial_sdk.models import RiskParameter
from perennial_sdk.sim import SimMarket

from .strategies import ACCOUNTS, Op, new_market, ops, risk_parameters, run_ops


def liabilities(market: SimMarket) -> int:
    """What the market owes: collateral, claimables, fees, owner exposure and the adiabatic backing."""
    g = market.raw_global()
    owed = sum(market.raw_local(a).collateral + market.raw_local(a).claimable for a in market.accounts())
    backing = 0
    for ev in market.events:
        if ev["event"] == "PositionProcessed":
            backing += ev["trade_offset"] - ev["trade_offset_maker"] - ev["trade_offset_market"]
            backing += ev["adiabatic_exposure"]
    return owed + g.protocol_fee + g.oracle_fee + g.risk_fee + g.exposure + backing


@settings(max_examples=60, deadline=None)
@given(risk=risk_parameters(), steps=st.lists(ops, min_size=5, max_size=40))
def test_conservation_and_rounding_in_protocols_favour(risk: RiskParameter, steps: list[Op]) -> None:
    market, oracle = new_market(risk)
    accepted, _ = run_ops(market, oracle, steps)
    # settle everyone at the latest version, then every position is marked
    oracle.advance(oracle.current_timestamp, oracle.record(oracle.latest_timestamp).price)
    for account in ACCOUNTS:
        market.settle(account)
    dust = market.token_balance - liabilities(market)
    versions = sum(1 for ev in market.events if ev["event"] == "PositionProcessed")
    assert dust >= 0, f"the market owes {-dust} more than it holds"
    # each per-unit accumulator rounds by < 1e-6 per unit of size, once per version and account
    max_units = (int(risk.maker_limit) + 2 * 200 * 10**6) // 10**6 + len(ACCOUNTS)
    assert dust <= 12 * versions * max_units, f"dust {dust} over {versions} versions"
    # collateral that is withdrawn in full leaves the books balanced too
    for account in ACCOUNTS:
        local = market.raw_local(account)
        if market.raw_local_position(account).maker == market.raw_local_position(account).long == 0 and \
                market.raw_local_position(account).short == 0 and market.raw_local_pending(account).is_empty() and \
                local.collateral > 0:
            market.update(account, 0, 0, 0, -local.collateral)
    assert market.token_balance - liabilities(market) == dust
    for role in ("owner", "oracle", "coordinator", *ACCOUNTS):
        market.claim_fee(role)
    assert market.token_balance - liabilities(market) == dust


@settings(max_examples=40, deadline=None)
@given(risk=risk_parameters(), steps=st.lists(ops, min_size=3, max_size=25), data=st.data())
def test_a_rejected_update_changes_nothing(risk: RiskParameter, steps: list[Op], data: st.DataObject) -> None:
    market, oracle = new_market(risk)
    run_ops(market, oracle, steps)
    before = {a: (market.locals(a), market.positions(a), market.pendings(a)) for a in ACCOUNTS}
    state = (market.global_(), market.position(), market.pending(), len(market.events), market.token_balance)
    versions = dict(market._versions)
    account = data.draw(st.sampled_from(ACCOUNTS))
    try:  # an absurd order: always rejected
        market.update(account, None, 10**15, None, -(10**15))
    except errors.ContractError:
        pass
    else:
        raise AssertionError("an update withdrawing 1e9 units was accepted")
    assert {a: (market.locals(a), market.positions(a), market.pendings(a)) for a in ACCOUNTS} == before
    assert (market.global_(), market.position(), market.pending(), len(market.events), market.token_balance) == state
    assert market._versions == versions
