"""Every InvariantLib revert is reachable in the simulator, by name, and leaves the market untouched."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from perennial_sdk import errors, presets
from perennial_sdk.sim import SimMarket, SimOracle

U = 10**6
P = 100 * U


def market(**risk: object) -> tuple[SimMarket, SimOracle]:
    oracle = SimOracle(granularity=10)
    m = SimMarket(
        presets.PROTOCOL,
        presets.market_parameter(max_pending_local=2),
        presets.risk_parameter("ETH", stale_after=100, maker_limit=1_000 * U, taker_fee={
            "linear_fee": 0, "proportional_fee": 0, "adiabatic_fee": 0, "scale": 100 * U}, **risk),
        oracle,
    )
    oracle.advance(1_000, P)
    m.update("maker", 100 * U, 0, 0, 100_000 * U)
    oracle.advance(1_010, P)
    m.settle("maker")
    return m, oracle


def settled(m: SimMarket, o: SimOracle) -> None:
    o.advance(o.current_timestamp, P)
    for a in m.accounts():
        m.settle(a)


def over_close(m: SimMarket, o: SimOracle) -> None:
    m.update("a", 0, 10 * U, 0, 1_000 * U)
    m.update("a", 0, 0, 0, 0)  # closing a still-pending open


def invalid_protection(m: SimMarket, o: SimOracle) -> None:
    m.update("a", 0, 10 * U, 0, 1_000 * U)
    settled(m, o)
    m.update("a", 0, 0, 0, 0, True, sender="keeper")  # healthy account


def stale(m: SimMarket, o: SimOracle) -> None:
    o.set_status(o.latest_timestamp, o.latest_timestamp + 100)
    m.update("maker", 101 * U, 0, 0, 0)


def closed(m: SimMarket, o: SimOracle) -> None:
    m.update_parameter(presets.market_parameter(closed=True))
    m.update("a", 0, 1 * U, 0, 1_000 * U)


def maker_limit(m: SimMarket, o: SimOracle) -> None:
    m.update("b", 901 * U, 0, 0, 100_000 * U)


def two_sides(m: SimMarket, o: SimOracle) -> None:
    m.update("a", 0, 1 * U, 1 * U, 1_000 * U)


def maker_to_taker(m: SimMarket, o: SimOracle) -> None:
    m.update("maker", 0, 1 * U, 0, 0)


def cross_zero(m: SimMarket, o: SimOracle) -> None:
    m.update("a", 0, 5 * U, 0, 1_000 * U)
    settled(m, o)
    m.update("a", 0, 0, 0, 0)
    m.update("a", 0, 0, 2 * U, 0)


def operator(m: SimMarket, o: SimOracle) -> None:
    m.update("maker", 90 * U, 0, 0, 0, sender="stranger")


def pending_ids(m: SimMarket, o: SimOracle) -> None:
    for size in (1, 2, 3):
        m.update("a", 0, size * U, 0, 1_000 * U)
        o.set_status(o.latest_timestamp, o.current_timestamp + 10)


def margin(m: SimMarket, o: SimOracle) -> None:
    m.update("a", 0, 10 * U, 0, 10 * U)  # 1000 notional needs 15 (minMargin)


def protected(m: SimMarket, o: SimOracle) -> None:
    m.update("a", 0, 50 * U, 0, 50 * U)
    settled(m, o)
    o.advance(o.current_timestamp, 99 * U)
    m.update("a", 0, 0, 0, 0, True, sender="keeper")
    m.update("a", None, None, None, 1 * U)  # even a deposit waits for the liquidation


def efficiency(m: SimMarket, o: SimOracle) -> None:
    m.update("a", 0, 0, 100 * U, 100_000 * U)
    m.update("b", 0, 200 * U, 0, 100_000 * U)  # maker 100 / major 200 = 0.5: at the limit
    m.update("c", 0, 10 * U, 0, 100_000 * U)  # 100 / 210 < 0.5


def liquidity(m: SimMarket, o: SimOracle) -> None:
    m.update("a", 0, 150 * U, 0, 100_000 * U)  # efficiency 100/150 ok, makers can't cover 150


def collateral(m: SimMarket, o: SimOracle) -> None:
    m.update("a", None, None, None, 10 * U)
    m.update("a", None, None, None, -11 * U)


def settle_only(m: SimMarket, o: SimOracle) -> None:
    m.update_parameter(presets.market_parameter(settle=True))
    m.update("a", None, None, None, 10 * U)


def referrer(m: SimMarket, o: SimOracle) -> None:
    m.update("a", 0, 1 * U, 0, 1_000 * U, referrer="r1")
    m.update("a", 0, 2 * U, 0, 0, referrer="r2")


CASES: list[tuple[str, Callable[[SimMarket, SimOracle], None]]] = [
    ("MarketOverCloseError", over_close),
    ("MarketInvalidProtectionError", invalid_protection),
    ("MarketStalePriceError", stale),
    ("MarketClosedError", closed),
    ("MarketMakerOverLimitError", maker_limit),
    ("MarketNotSingleSidedError", two_sides),
    ("MarketNotSingleSidedError", maker_to_taker),
    ("MarketNotSingleSidedError", cross_zero),
    ("MarketOperatorNotAllowedError", operator),
    ("MarketExceedsPendingIdLimitError", pending_ids),
    ("MarketInsufficientMarginError", margin),
    ("MarketProtectedError", protected),
    ("MarketEfficiencyUnderLimitError", efficiency),
    ("MarketInsufficientLiquidityError", liquidity),
    ("MarketInsufficientCollateralError", collateral),
    ("MarketSettleOnlyError", settle_only),
    ("MarketInvalidReferrerError", referrer),
]


@pytest.mark.parametrize(("name", "scenario"), CASES, ids=[f"{n}-{f.__name__}" for n, f in CASES])
def test_each_invariant_reverts_by_name(name: str, scenario: Callable[[SimMarket, SimOracle], None]) -> None:
    m, o = market()
    snapshot: dict[str, object] = {}

    def record() -> None:
        snapshot.update(
            g=m.global_(), p=m.position(), pending=m.pending(), events=len(m.events), balance=m.token_balance,
            locals={a: (m.locals(a), m.positions(a), m.pendings(a)) for a in m.accounts()},
        )

    original = m._run

    def run_and_record(fn: object, *args: object) -> None:
        record()
        original(fn, *args)  # type: ignore[arg-type]

    m._run = run_and_record  # type: ignore[method-assign]
    with pytest.raises(errors.ContractError) as info:
        scenario(m, o)
    assert info.value.name == name, f"{info.value.name}: {info.value}"
    assert info.value.source == "sim"
    assert isinstance(info.value, errors.CONTRACT_ERRORS[name])
    # the failed call changed nothing
    assert m.global_() == snapshot["g"] and m.position() == snapshot["p"] and m.pending() == snapshot["pending"]
    assert len(m.events) == snapshot["events"] and m.token_balance == snapshot["balance"]
    assert {a: (m.locals(a), m.positions(a), m.pendings(a)) for a in m.accounts()} == snapshot["locals"]
