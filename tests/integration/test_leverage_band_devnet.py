"""On the devnet, LeveragedMaker keeps its leverage inside the band while prices move ±20 %."""

from __future__ import annotations

import pytest
from web3 import Web3

from perennial_sdk.client import PerennialClient, RecordingHTTPProvider, signer_from_key
from perennial_sdk.devnet import Devnet, dev_accounts
from perennial_sdk.fixed import B
from vaults.execution import ClientExecutor
from vaults.live import run_cycle
from vaults.rebalance import BandTrigger
from vaults.strategies import LeveragedMaker, LeveragedMakerConfig

pytestmark = pytest.mark.devnet
U = B


def test_leverage_stays_in_band_through_20_percent_moves(devnet: Devnet) -> None:
    key = dev_accounts(10)[9]
    url = devnet.w3.provider.endpoint_uri  # type: ignore[attr-defined]
    client = PerennialClient(Web3(RecordingHTTPProvider(str(url))), devnet.deployment.chain_deployment(),
                             account=signer_from_key(key.key))
    client.approve_collateral(devnet.deployment.multi_invoker)
    band = 100_000
    leverage = 3 * U
    strategy = LeveragedMaker(LeveragedMakerConfig(weights={"ETH": 600_000, "SOL": 400_000}, leverage=leverage))
    names = {devnet.deployment.markets[n].market: n for n in ("ETH", "SOL")}
    label = {m.lower(): n for m, n in names.items()}
    start = {n: devnet.latest_price(n) for n in ("ETH", "SOL")}
    path = [100, 105, 110, 115, 120, 112, 104, 96, 88, 80, 90, 100]  # percent of the start price
    checked = 0
    for step, pct in enumerate(path):
        devnet.advance_time(600)
        for name in ("ETH", "SOL"):
            devnet.commit_price(name, start[name] * pct // 100)
        cycle = run_cycle(client, strategy, ClientExecutor(client), names=names, trigger=BandTrigger(band=band))
        for name in ("ETH", "SOL"):
            if devnet.requested(name):
                devnet.commit_requested(name, start[name] * pct // 100)
        if step == 0:
            continue
        # after this cycle's rebalance settles, every market's maker leverage is within the band
        snap = client.snapshot(markets=list(names))
        for market in snap.markets:
            account = snap.account_in(market.market)
            size = account.view().current_position().maker
            collateral = int(account.local.collateral)
            if not size:
                continue
            notional = size * abs(int(market.latest_oracle_version.price)) // U
            actual = notional * U // max(collateral, 1)
            # BandTrigger's promise: |size − target| ≤ band × max(size, target), i.e. up to target / (1 − band)
            # above; 10 % slack for the fees the rebalance's own settlement books
            bound = band * max(actual, leverage) * 11 // 10
            assert abs(actual - leverage) * U <= bound, (label[market.market.lower()], pct, actual)
            checked += 1
        assert cycle.execution.rejected == ()
    assert checked >= 2 * (len(path) - 1)
