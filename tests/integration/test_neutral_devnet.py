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
    assert max(result.prices) >= start * 1_190_000 // 10**6 and min(result.prices) <= start * 810_000 // 10**6  # ±20 %
    assert result.max_delta_ratio <= LIMIT, (result.delta_ratio, result.net_delta, result.hedge)
    assert not result.rejected
    assert result.maker_txs >= 1 and result.hedge_txs >= 2 and result.trader_orders > 0
    assert all(m > 0 for m in result.maker) and any(h != 0 for h in result.hedge)
    assert elapsed < 40, elapsed


def test_taker_hedger_through_a_client_respects_flips(devnet: Devnet) -> None:
    from perennial_sdk.client import PerennialClient, signer_from_key
    from perennial_sdk.devnet import dev_accounts
    from vaults.hedging import PerennialTakerHedger

    key = dev_accounts(3)[2]
    devnet.fund(key.address, dsu=100_000 * 10**6)
    lp = dev_accounts(4)[3].address
    devnet.fund(lp, dsu=1_000_000 * 10**6)
    devnet.update("ETH", lp, maker=300 * 10**6, collateral=1_000_000 * 10**6)
    devnet.update("ETH", key.address, collateral=100_000 * 10**6)
    price = devnet.latest_price("ETH")
    devnet.commit_price("ETH", price)
    client = PerennialClient(devnet.w3, devnet.deployment.chain_deployment(), account=signer_from_key(key.key))
    hedger = PerennialTakerHedger.on_client(client, devnet.deployment.markets["ETH"].market)
    assert hedger.hedge(5 * 10**6, price).after == 5 * 10**6 and hedger.exposure() == 5 * 10**6
    devnet.commit_requested("ETH", price)  # the keeper commits the order's version (within the timeout)
    devnet.advance_time(60)
    devnet.commit_price("ETH", price)
    flip = hedger.hedge(-3 * 10**6, price)
    assert flip.after == 0 and "flip: close first" in flip.reasons and flip.rejected is None
    devnet.commit_requested("ETH", price)  # the keeper commits the order's version (within the timeout)
    devnet.advance_time(60)
    devnet.commit_price("ETH", price)
    assert hedger.hedge(-3 * 10**6, price).after == -3 * 10**6 and hedger.exposure() == -3 * 10**6
