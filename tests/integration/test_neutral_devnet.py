"""DeltaNeutralMaker live on the devnet: two accounts, two clients; net delta within 2 % of NAV."""

from __future__ import annotations

import time

import pytest

from perennial_sdk.devnet import Devnet
from vaults.neutral_devnet import NeutralDevnetConfig, run_neutral_devnet

pytestmark = pytest.mark.devnet
LIMIT = 20_000  # 2 % of NAV


def test_delta_neutral_maker_on_the_devnet_stays_within_2pct(devnet: Devnet) -> None:
    t0 = time.monotonic()
    result = run_neutral_devnet(devnet, NeutralDevnetConfig(steps=24))
    elapsed = time.monotonic() - t0
    start = result.prices[0]
    assert max(result.prices) >= start * 1_150_000 // 10**6 and min(result.prices) <= start * 850_000 // 10**6
    assert result.max_delta_ratio <= LIMIT, (result.delta_ratio, result.net_delta, result.hedge)
    assert not result.rejected
    assert result.maker_txs >= 1 and result.hedge_txs >= 2 and result.trader_orders > 0
    assert all(m > 0 for m in result.maker) and any(h != 0 for h in result.hedge)
    assert elapsed < 40, elapsed
