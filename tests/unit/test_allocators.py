"""Allocators: static weights, and yield-aware weights that lean toward the markets paying makers more."""

from __future__ import annotations

import pytest

from perennial_sdk import presets
from perennial_sdk.errors import InputError
from perennial_sdk.fixed import B
from perennial_sdk.sim import SimMarket, SimOracle
from vaults.backtest import BacktestConfig, run_backtest
from vaults.strategies import LeveragedMaker, LeveragedMakerConfig, StaticWeights, YieldWeights
from vaults.strategy import portfolio_from_sim

U = B


def _market(name: str, price: int, long: int) -> SimMarket:
    oracle = SimOracle(granularity=10)
    market = SimMarket(presets.PROTOCOL, presets.market_parameter(), presets.risk_parameter(name), oracle)
    oracle.advance(1_000, price)
    market.update("lp", 100 * U * 3_000 * U // price, 0, 0, 10**12)
    if long:
        market.update("taker", 0, long * 3_000 * U // price, 0, 10**12)
    for t in (1_010, 5_000, 20_000):
        oracle.advance(t, price)
        market.settle("lp")
        market.settle("taker")
    return market


def test_yield_weights_lean_toward_the_skewed_market() -> None:
    markets = {"ETH": _market("ETH", 3_000 * U, 60 * U), "BTC": _market("BTC", 60_000 * U, 0)}
    portfolio = portfolio_from_sim(markets, "vault", wallet=1_000_000 * U, time=20_000)
    static = StaticWeights({"ETH": B // 2, "BTC": B // 2}).weights(portfolio)
    tilted = YieldWeights({"ETH": B // 2, "BTC": B // 2}).weights(portfolio)
    assert static == {"ETH": B // 2, "BTC": B // 2}
    assert sum(tilted.values()) == B and tilted["ETH"] > tilted["BTC"] > 0


def test_a_backtest_runs_with_the_yield_allocator() -> None:
    cfg = BacktestConfig(days=3, seed=5)
    base = {"ETH": 400_000, "BTC": 300_000, "SOL": 300_000}
    result = run_backtest(cfg, LeveragedMaker(LeveragedMakerConfig(weights=base), YieldWeights(base)))
    assert result.rebalances >= 1 and all(sizes[-1] > 0 for sizes in result.maker.values())


def test_zero_scores_are_refused_by_name() -> None:
    with pytest.raises(InputError) as info:
        YieldWeights({"ETH": B}, floor=0).weights(portfolio_from_sim({}, "v", wallet=0, time=0))
    assert info.value.field == "weights"
