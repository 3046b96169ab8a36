"""Delta-hedged makers on the simulator: net delta within 2 % of NAV after every rebalance."""

from __future__ import annotations

from typing import Any

import pytest

from perennial_sdk import analytics, presets
from perennial_sdk.errors import InputError
from perennial_sdk.fixed import B
from perennial_sdk.sim import SimMarket, SimOracle
from vaults.hedging import PaperHedger, PerennialTakerHedger, plan_taker_hedge
from vaults.neutral import (
    DeltaNeutralMaker,
    DeltaNeutralMakerConfig,
    HedgedMaker,
    HedgedMakerConfig,
    net_delta,
    neutral_hedge_size,
)
from vaults.neutral_runner import NeutralBacktestConfig, run_neutral_backtest, swing_path
from vaults.rebalance import BandTrigger
from vaults.strategies import LeveragedMaker, LeveragedMakerConfig

U = B
LIMIT = 20_000  # 2 % of NAV
MAKER = LeveragedMakerConfig(weights={"ETH": B}, leverage=3 * B)
T0 = 1_700_000_400


def _prices_swing(prices: list[int]) -> None:
    start = prices[0]
    assert max(prices) >= start * 1_195_000 // B and min(prices) <= start * 805_000 // B  # ±20 %


def test_delta_neutral_maker_20_days_within_2pct_of_nav() -> None:
    result = run_neutral_backtest(DeltaNeutralMaker(DeltaNeutralMakerConfig(maker=MAKER)), NeutralBacktestConfig())
    _prices_swing(result.prices)
    assert len(result.times) == 20 * 24 + 1
    assert result.max_delta_ratio <= LIMIT, result.report()
    assert all(r <= LIMIT for r in result.delta_ratio)
    assert result.hedge_trades > 20 and result.maker_rebalances >= 1 and not result.rejected
    assert any(h > 0 for h in result.hedge) and any(h < 0 for h in result.hedge)  # the hedge follows the skew
    assert all(m > 0 for m in result.maker[1:])
    assert abs(result.nav[-1] - result.nav[0]) < result.nav[0] // 50  # ±20 % price, NAV within 2 %


@pytest.mark.parametrize("seed", [3, 12, 29])
@pytest.mark.parametrize("max_trade", [30_000 * U, 60_000 * U])
def test_delta_neutral_maker_other_seeds(seed: int, max_trade: int) -> None:
    cfg = NeutralBacktestConfig(seed=seed, max_trade=max_trade)
    result = run_neutral_backtest(DeltaNeutralMaker(DeltaNeutralMakerConfig(maker=MAKER)), cfg)
    assert result.max_delta_ratio <= LIMIT, result.report()


def test_hedged_maker_with_paper_hedger_within_2pct_of_nav() -> None:
    result = run_neutral_backtest(HedgedMaker(HedgedMakerConfig(maker=MAKER)), NeutralBacktestConfig())
    _prices_swing(result.prices)
    assert result.max_delta_ratio <= LIMIT, result.report()
    assert result.hedge_trades > 20 and not result.rejected


def test_unhedged_maker_is_not_neutral_and_keeps_its_leverage_band() -> None:
    """The same path without a hedge shows the delta the hedges remove; LeveragedMaker stays in its band."""
    band = 100_000
    result = run_neutral_backtest(LeveragedMaker(MAKER), NeutralBacktestConfig(), BandTrigger(band=band))
    _prices_swing(result.prices)
    assert result.max_delta_ratio > 3 * LIMIT
    lo = MAKER.leverage * (B - band) // B
    hi = MAKER.leverage * B // (B - band)
    assert all(lo - 1_000 <= lev <= hi + 1_000 for lev in result.leverage), (min(result.leverage), max(result.leverage))
    assert result.maker_rebalances >= 2  # the band fired along the swing


# ------------------------------------------------------------------------------ pure pieces


def _market(lp: int = 1_000 * U) -> SimMarket:
    oracle = SimOracle(granularity=10)
    market = SimMarket(presets.PROTOCOL, presets.market_parameter(), presets.risk_parameter("ETH"), oracle)
    oracle.advance(T0, 3_000 * U)
    market.update("lp", lp, 0, 0, 5_000_000 * U)
    market.update("vault", 500 * U, 0, 0, 1_000_000 * U)
    market.update("taker", 0, 200 * U, 0, 200_000 * U)
    market.update("hedge", 0, 0, 0, 400_000 * U)
    oracle.commit_requested(3_000 * U)
    oracle.advance(T0 + 60, 3_000 * U)
    for who in ("lp", "vault", "taker", "hedge"):
        market.settle(who)
    return market


def test_neutral_hedge_size_nets_to_zero_with_its_own_skew() -> None:
    market = _market()
    view, vault, hedge = market.view(), market.account_view("vault"), market.account_view("hedge")
    per_unit = -(200 * U * B // (1_500 * U))  # δ = (short − long) / maker, truncated
    assert net_delta(view, vault, hedge) == -(-per_unit * 500 * U // B)  # makers short the long skew
    h = neutral_hedge_size(view, vault, hedge)
    assert h is not None and h == 200 * U * 500 // 1_000  # s_o × m / M_o
    market.update("hedge", None, h, 0)
    after = net_delta(market.view(), market.account_view("vault"), market.account_view("hedge"))
    assert abs(after) <= 1


def test_sole_maker_cannot_hedge_in_its_own_market() -> None:
    market = _market(lp=0)
    assert neutral_hedge_size(market.view(), market.account_view("vault"), market.account_view("hedge")) is None


def test_plan_taker_hedge_respects_capacity_and_flips_in_two_versions() -> None:
    market = _market()
    view, acct = market.view(), market.account_view("hedge")
    room = analytics.capacity(view, acct)
    assert plan_taker_hedge(view, acct, 10**9 * U).target == room.long
    hedger = PerennialTakerHedger.on_sim(market, "hedge")
    assert hedger.hedge(50 * U, 3_000 * U).after == 50 * U
    market.oracle.commit_requested(3_000 * U)
    market.oracle.advance(T0 + 120, 3_000 * U)
    flip = hedger.hedge(-30 * U, 3_000 * U)
    assert flip.after == 0 and "flip: close first" in flip.reasons and flip.rejected is None
    assert hedger.exposure() == 0
    again = hedger.hedge(-30 * U, 3_000 * U)  # the close has not settled: still 0
    assert again.after == 0 and again.traded == 0
    market.oracle.commit_requested(3_000 * U)
    market.oracle.advance(T0 + 180, 3_000 * U)
    assert hedger.hedge(-30 * U, 3_000 * U).after == -30 * U
    assert hedger.exposure() == -30 * U


def test_taker_hedger_refuses_a_maker_account() -> None:
    market = _market()
    plan = plan_taker_hedge(market.view(), market.account_view("vault"), 10 * U)
    assert plan.target == 0 and "maker" in plan.reasons[0]


def test_paper_hedger_books_are_integer_and_favour_the_venue() -> None:
    paper = PaperHedger(fee_bps=10, capital=1_000 * U)
    r = paper.hedge(2 * U, 100 * U + 1)  # buy 2 at 100.000001: pays the ceiling + 10 bps
    assert r.traded == 2 * U and r.fee == 200_001 and paper.cash == 1_000 * U - 200_000_002 - 200_001
    r = paper.hedge(-1 * U, 110 * U)  # sell 3 at 110
    assert r.traded == -3 * U and r.fee == 330_000
    assert paper.exposure() == -1 * U
    assert paper.equity(110 * U) == paper.cash - 110 * U
    assert paper.pnl(110 * U) == 2 * (110 - 100) * U - 2 - 200_001 - 330_000
    assert paper.hedge(-1 * U, 120 * U).traded == 0 and paper.fills == 2
    with pytest.raises(InputError) as exc:
        paper.hedge(1, 0)
    assert exc.value.field == "price"


def test_swing_path_is_integer_and_bounded() -> None:
    path = swing_path(3_000 * U, 480, seed=1)
    assert all(isinstance(p, int) for p in path) and path[0] == path[-1] == 3_000 * U
    _prices_swing(path)


@pytest.mark.parametrize(
    ("factory", "kwargs", "field"),
    [
        (DeltaNeutralMakerConfig, {"tolerance": 0}, "tolerance"),
        (DeltaNeutralMakerConfig, {"tolerance": B}, "tolerance"),
        (DeltaNeutralMakerConfig, {"hedge_leverage": 0}, "hedge_leverage"),
        (DeltaNeutralMakerConfig, {"hedge_leverage": 21 * B}, "hedge_leverage"),
        (DeltaNeutralMakerConfig, {"maker": {"weights": {"ETH": B}}}, "maker"),
        (HedgedMakerConfig, {"tolerance": -1}, "tolerance"),
        (HedgedMakerConfig, {"maker": None}, "maker"),
        (LeveragedMakerConfig, {"weights": {"ETH": B // 2}}, "weights"),
        (PaperHedger, {"fee_bps": 10_000}, "fee_bps"),
        (PaperHedger, {"capital": -1}, "capital"),
        (NeutralBacktestConfig, {"hedge_share": B}, "hedge_share"),
        (NeutralBacktestConfig, {"days": 0}, "days"),
    ],
)
def test_configs_reject_bad_input_by_field(factory: Any, kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as exc:
        factory(**kwargs)
    assert exc.value.field == field
    assert field in str(exc.value) or field == "weights"
