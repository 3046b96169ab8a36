"""Client figures on the devnet: requests per snapshot, snapshot latency, transactions per rebalance.

Prints ``rpc_requests_per_snapshot``, ``snapshot_ms_3_markets``, ``snapshot_ms_10_markets``,
``tx_per_rebalance``, and side by side the requests a per-call reader needs for the same data
(``rpc_requests_naive_10_markets``: what SDKs that read each view separately spend).
Run: ``.venv/bin/python bench/client_bench.py`` (``--records DIR``: the same figures on Perennial's own
bytecode deployed from its hardhat-deploy records, see docs/real-bytecode.md).
"""

from __future__ import annotations

import argparse
import statistics
import time

from web3 import Web3

from perennial_sdk.abi import abi
from perennial_sdk.client import (
    PerennialClient,
    PositionUpdate,
    PriceCommit,
    RecordingHTTPProvider,
    signer_from_key,
)
from perennial_sdk.devnet import Devnet, add_markets, dev_accounts
from perennial_sdk.devnet._real import start_records_devnet

U = 10**6
NAIVE_VIEWS = ("global", "position", "pending", "parameter", "riskParameter", "oracle")
NAIVE_ACCOUNT_VIEWS = ("locals", "positions", "pendings")


def naive_snapshot(w3: Web3, markets: list[str], account: str) -> None:
    """Read the same structs one view per request (plus the oracle status and the version)."""
    for address in markets:
        market = w3.eth.contract(address=Web3.to_checksum_address(address), abi=abi("Market"))
        for name in NAIVE_VIEWS:
            market.functions[name]().call()
        oracle = w3.eth.contract(address=market.functions.oracle().call(), abi=abi("KeeperOracle"))
        oracle.functions.status().call()
        ts = market.functions.position().call()[0]
        market.functions.versions(ts).call()
        for name in NAIVE_ACCOUNT_VIEWS:
            market.functions[name](account).call()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--records", default=None, help="a deployments/<network> folder of perennial-v2")
    args = parser.parse_args()
    started: Devnet = start_records_devnet(args.records) if args.records else Devnet.start()
    with started as devnet:
        add_markets(devnet, 7)
        provider = RecordingHTTPProvider(str(devnet.url), request_kwargs={"timeout": 30})
        key = dev_accounts(2)[1]
        client = PerennialClient(Web3(provider), devnet.deployment.chain_deployment(), account=signer_from_key(key.key))
        markets = client.markets()
        for n in (3, 10):
            client.snapshot(markets=markets[:n])  # warm-up
            samples = []
            provider.reset()
            for _ in range(args.samples):
                t0 = time.perf_counter()
                client.snapshot(markets=markets[:n])
                samples.append((time.perf_counter() - t0) * 1000)
            if n == 3:
                print(f"rpc_requests_per_snapshot {provider.http_requests / args.samples:.0f}")
            print(f"snapshot_ms_{n}_markets {statistics.median(samples):.1f}")
        naive_provider = RecordingHTTPProvider(str(devnet.url))
        naive_w3 = Web3(naive_provider)
        naive_snapshot(naive_w3, markets, client.sender.address)
        naive_provider.reset()
        naive_snapshot(naive_w3, markets, client.sender.address)
        print(f"rpc_requests_naive_10_markets {naive_provider.http_requests}")
        # one rebalance across three markets, committing a fresh price in the same transaction
        client.approve_collateral(devnet.deployment.multi_invoker)
        source = devnet.price_source()
        three = [devnet.deployment.markets[n].market for n in ("ETH", "BTC", "SOL")]
        legs = [PositionUpdate(three[0], maker=10 * U, collateral=50_000 * U),
                PositionUpdate(three[1], maker=1 * U, collateral=50_000 * U),
                PositionUpdate(three[2], maker=100 * U, collateral=50_000 * U)]
        provider.reset()
        client.rebalance(legs, commits=[PriceCommit(m, source) for m in three])
        print(f"tx_per_rebalance {provider.methods['eth_sendRawTransaction']}")
        print(f"rpc_requests_per_rebalance {provider.http_requests}")


if __name__ == "__main__":
    main()
