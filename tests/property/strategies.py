"""Hypothesis strategies for random markets and random order flow on the simulator."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from perennial_sdk import presets
from perennial_sdk.models import RiskParameter
from perennial_sdk.sim import SimMarket, SimOracle

U = 10**6
ACCOUNTS = ("A", "B", "C", "D", "E")


@st.composite
def risk_parameters(draw: st.DrawFn, *, adiabatic: bool = True) -> RiskParameter:
    """A valid random risk parameter around the ETH preset."""
    maintenance = draw(st.integers(5_000, 100_000))
    margin = maintenance + draw(st.integers(0, 100_000))
    pmax = draw(st.integers(100_000, 5_000_000))
    target_util = draw(st.integers(100_000, 900_000))
    target_rate = draw(st.integers(0, 1_000_000))
    maker_limit = draw(st.integers(100, 2_000))
    min_scale = maker_limit * 2 * 40_000 // U + 1  # scale rule: ≥ makerLimit / efficiencyLimit × minScale
    return presets.risk_parameter(
        "ETH",
        margin=margin,
        maintenance=maintenance,
        taker_fee={
            "linear_fee": draw(st.integers(0, 3_000)),
            "proportional_fee": draw(st.integers(0, 3_000)),
            "adiabatic_fee": draw(st.integers(0, 3_000)) if adiabatic else 0,
            "scale": draw(st.integers(min_scale, 2_000)) * U,
        },
        maker_fee={"linear_fee": draw(st.integers(0, 2_000)), "proportional_fee": draw(st.integers(0, 2_000)),
                   "scale": draw(st.integers(min_scale, 2_000)) * U},
        maker_limit=maker_limit * U,
        utilization_curve={
            "min_rate": draw(st.integers(0, target_rate)), "target_rate": target_rate,
            "max_rate": target_rate + draw(st.integers(0, 2_000_000)), "target_utilization": target_util,
        },
        p_controller={"k": draw(st.integers(3_600, 200_000)) * U, "min": -pmax, "max": pmax},
        min_margin=draw(st.integers(1, 20)) * U,
        min_maintenance=draw(st.integers(0, 1)) * U,
        stale_after=3_600,
        maker_receive_only=draw(st.booleans()),
    )


@dataclass
class Op:
    kind: str  # "maker" | "long" | "short" | "close" | "deposit" | "withdraw" | "liquidate"
    account: str
    size: int
    dt: int
    price_move_bps: int
    valid: bool


ops = st.builds(
    Op,
    kind=st.sampled_from(("maker", "maker", "long", "short", "close", "deposit", "withdraw", "liquidate")),
    account=st.sampled_from(ACCOUNTS),
    size=st.integers(1, 200 * U),
    dt=st.integers(1, 40_000),
    price_move_bps=st.integers(-800, 800),
    valid=st.booleans().map(lambda b: b or True) | st.just(False),
)


def new_market(risk: RiskParameter, *, granularity: int = 10, price: int = 3_000 * U) -> tuple[SimMarket, SimOracle]:
    """A market at t = 1000 with the latest version committed at ``price``."""
    oracle = SimOracle(granularity=granularity)
    market = SimMarket(presets.PROTOCOL, presets.market_parameter(maker_fee=100, taker_fee=300), risk, oracle)
    oracle.advance(1_000, price, settlement_fee=100_000)
    return market, oracle


def run_ops(market: SimMarket, oracle: SimOracle, steps: list[Op]) -> tuple[int, int]:
    """Apply random operations; returns (accepted updates, rejected updates)."""
    from perennial_sdk import errors

    accepted = rejected = 0
    t = oracle.latest_timestamp
    price = oracle.record(t).price
    for op in steps:
        # the oracle moves on: a new version (sometimes invalid) and a new current slot
        t = oracle.current_timestamp + op.dt // oracle.granularity * oracle.granularity
        price = max(price + price * op.price_move_bps // 10_000, U)
        oracle.commit(oracle.current_timestamp, price, valid=op.valid, settlement_fee=123_457, oracle_fee=50_000)
        oracle.advance(t, price, settlement_fee=0)
        acct = op.account
        try:
            if op.kind == "maker":
                market.update(acct, op.size, 0, 0, op.size * price // U // 4)
            elif op.kind == "long":
                market.update(acct, 0, op.size, 0, op.size * price // U // 8)
            elif op.kind == "short":
                market.update(acct, 0, 0, op.size, op.size * price // U // 8)
            elif op.kind == "close":
                market.update(acct, 0, 0, 0, 0)
            elif op.kind == "deposit":
                market.update(acct, None, None, None, op.size * 10)
            elif op.kind == "withdraw":
                market.update(acct, None, None, None, -op.size * 10)
            else:
                victim = ACCOUNTS[(ACCOUNTS.index(acct) + 1) % len(ACCOUNTS)]
                market.update(victim, 0, 0, 0, 0, True, sender=acct)
            accepted += 1
        except errors.ContractError:
            rejected += 1
    return accepted, rejected
