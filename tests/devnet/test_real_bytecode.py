"""Perennial's own bytecode from its deployment records (skipped unless $PERENNIAL_DEPLOYMENTS_DIR is set).

    PERENNIAL_DEPLOYMENTS_DIR=/path/to/perennial-v2/packages/deploy/deployments/perennial ./run test
runs this module and makes the session's ``devnet`` fixture (so every client and integration test)
use the real Market / MarketFactory / libraries at their real addresses.
"""

from __future__ import annotations

import os

import pytest
from web3 import Web3

from perennial_sdk.client import PerennialClient, signer_from_key
from perennial_sdk.devnet import Devnet, dev_accounts
from perennial_sdk.devnet._real import RECORDS_ENV, create_address, load_records

pytestmark = pytest.mark.skipif(not os.environ.get(RECORDS_ENV), reason=f"set ${RECORDS_ENV} to a deployments/<network> folder")


def test_every_record_lands_at_its_real_address(devnet: Devnet) -> None:
    records = load_records(os.environ[RECORDS_ENV])
    for record in records.values():
        assert create_address(record.deployer, record.nonce) == record.address
    for name in ("MarketFactory", "MarketImpl", "OracleFactory"):
        assert len(devnet.w3.eth.get_code(records[name].address)) > 0, name
    assert devnet.deployment.factory == records["MarketFactory"].address
    assert devnet.deployment.market_implementation == records["MarketImpl"].address


def test_client_trades_on_the_real_market(devnet: Devnet) -> None:
    key = dev_accounts(3)[2]
    url = devnet.w3.provider.endpoint_uri  # type: ignore[attr-defined]
    client = PerennialClient(Web3(Web3.HTTPProvider(str(url))), devnet.deployment.chain_deployment(),
                             account=signer_from_key(key.key))
    eth = devnet.deployment.markets["ETH"].market
    client.update(eth, maker=10 * 10**6, collateral=100_000 * 10**6)
    devnet.commit_requested("ETH", devnet.latest_price("ETH"))
    snapshot = client.snapshot()
    assert snapshot.account_in(eth).position.maker == 10 * 10**6
    assert len(snapshot.markets) == 3
