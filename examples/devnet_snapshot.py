"""Start the local devnet, open a maker position through the client, and read everything in one request.

    .venv/bin/python examples/devnet_snapshot.py
"""

from __future__ import annotations

from web3 import Web3

from perennial_sdk.client import PerennialClient, RecordingHTTPProvider, signer_from_key
from perennial_sdk.devnet import Devnet, dev_accounts

U = 10**6

with Devnet.start() as devnet:
    key = dev_accounts(2)[1]
    provider = RecordingHTTPProvider(str(devnet.url))
    client = PerennialClient(Web3(provider), devnet.deployment.chain_deployment(), account=signer_from_key(key.key))
    eth = devnet.deployment.markets["ETH"].market
    client.update(eth, maker=50 * U, collateral=200_000 * U)  # pre-flight → simulate → one transaction
    devnet.commit_requested("ETH", devnet.latest_price("ETH"))  # the keeper commits the order's version
    client.markets()  # discovered once from the factory's MarketCreated events, then cached
    provider.reset()
    snapshot = client.snapshot()
    print(f"snapshot of {len(snapshot.markets)} markets in {provider.http_requests} JSON-RPC request(s)")
    for market in snapshot.markets:
        metrics = market.metrics
        assert metrics is not None
        print(f"  {market.market}: funding {metrics.funding_rate / 1e4:+.2f} %/yr, "
              f"maker rate {metrics.maker_rate / 1e4:+.2f} %/yr, utilization {metrics.utilization / 1e4:.1f} %")
    account = snapshot.account_in(eth)
    assert account.metrics is not None
    print(f"ETH maker {account.position.maker / U:g}, collateral {account.metrics.collateral / U:,.2f}, "
          f"max withdrawable {account.metrics.max_withdrawable / U:,.2f}")
