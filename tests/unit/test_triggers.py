"""Triggers: the cost-aware trigger trades less (and pays less) than a tight fixed band on the same paths."""

from __future__ import annotations

import pytest

from perennial_sdk.errors import InputError
from vaults.backtest import BacktestConfig, compare_triggers
from vaults.cli import main
from vaults.rebalance import BandTrigger, CostAwareTrigger, MinIntervalTrigger


def test_cost_aware_pays_less_than_a_tight_band() -> None:
    results = compare_triggers(
        BacktestConfig(days=12, seed=4),
        {"band": BandTrigger(band=20_000), "cost": CostAwareTrigger(),
         "interval": MinIntervalTrigger(BandTrigger(band=20_000), interval=86_400)},
    )
    band, cost, interval = results["band"], results["cost"], results["interval"]
    assert cost.rebalances < band.rebalances and cost.fees_paid < band.fees_paid
    assert interval.rebalances <= 3 * 13  # at most daily per market
    for r in results.values():  # every run earned maker income on the same paths
        assert r.interest > 0 and r.fee_income > 0


def test_trigger_configs_name_the_bad_field() -> None:
    with pytest.raises(InputError) as info:
        BandTrigger(band=2_000_000)
    assert info.value.field == "band"
    with pytest.raises(InputError) as info:
        CostAwareTrigger(horizon=0)
    assert info.value.field == "horizon"


def test_compare_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backtest", "--compare", "--days", "3"]) == 0
    out = capsys.readouterr().out
    assert "cost-aware" in out and "band 2%" in out and "net APR" in out
