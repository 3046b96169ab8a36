"""The client against the devnet contracts: one-request snapshots, every write, one-tx rebalances."""

from __future__ import annotations

import random
from typing import Any

import pytest
from web3 import Web3

from perennial_sdk import errors, presets
from perennial_sdk.client import (
    DevStorkPriceSource,
    MockPythPriceSource,
    PerennialClient,
    PositionUpdate,
    PriceCommit,
    RecordingHTTPProvider,
    signer_from_key,
)
from perennial_sdk.client._client import _call
from perennial_sdk.devnet import Devnet, dev_accounts
from perennial_sdk.devnet._markets import add_markets
from perennial_sdk.math.preflight import preflight_update

U = 10**6
pytestmark = pytest.mark.devnet


def _client(devnet: Devnet, index: int) -> tuple[PerennialClient, RecordingHTTPProvider]:
    url = devnet.w3.provider.endpoint_uri  # type: ignore[attr-defined]
    provider = RecordingHTTPProvider(str(url), request_kwargs={"timeout": 30})
    key = dev_accounts(index + 1)[index]
    client = PerennialClient(
        Web3(provider), devnet.deployment.chain_deployment(), account=signer_from_key(key.key)
    )
    return client, provider


def _mock_source(devnet: Devnet) -> MockPythPriceSource | DevStorkPriceSource:
    return devnet.price_source()


def test_snapshot_is_one_request_for_1_3_and_10_markets(devnet: Devnet) -> None:
    client, provider = _client(devnet, 1)
    markets = client.markets()
    assert len(markets) >= 3
    extra = add_markets(devnet, 10 - len(markets))
    all_markets = client.markets(refresh=True)
    assert set(extra) <= set(all_markets) and len(all_markets) == 10
    for n in (1, 3, 10):
        provider.reset()
        snap = client.snapshot(markets=all_markets[:n])
        assert provider.http_requests == 1 and dict(provider.methods) == {"eth_call": 1}
        assert len(snap.markets) == n and len(snap.accounts) == n
        eth = snap.market(devnet.deployment.markets["ETH"].market)
        assert eth.risk_parameter == presets.risk_parameter("ETH").stored()
        assert eth.parameter == presets.market_parameter()


def test_every_write_operation(devnet: Devnet) -> None:
    dep = devnet.deployment
    eth = dep.markets["ETH"].market
    maker, _ = _client(devnet, 1)
    taker, _ = _client(devnet, 2)
    keeper, _ = _client(devnet, 3)
    source = _mock_source(devnet)
    # set-up: operator approval and collateral approval (already unlimited on the devnet: approve again)
    result = maker.approve_operator()
    assert result.events_named("OperatorUpdated")
    maker.approve_collateral(eth)
    # maker opens with a deposit; the keeper commits the requested version through the factory
    result = maker.update(eth, maker=20 * U, collateral=200_000 * U)
    assert result.events_named("OrderCreated")
    devnet.commit_requested("ETH", devnet.latest_price("ETH"))
    taker.update(eth, long=5 * U, collateral=50_000 * U)
    devnet.commit_requested("ETH", devnet.latest_price("ETH"))
    snap = maker.snapshot(markets=[eth])
    assert snap.account_in(eth).position.maker == 20 * U
    assert taker.snapshot(markets=[eth]).account_in(eth).position.long == 5 * U
    # time passes, a keeper commits a fresh price through the client: funding and interest accrue
    devnet.advance_time(3_600)
    source.set(dep.markets["ETH"].feed_id, devnet.latest_price("ETH") + 10 * U)
    keeper.commit_price(eth, source)
    before = snap.account_in(eth).local.collateral
    after = maker.snapshot(markets=[eth]).account_in(eth)
    assert after.local.collateral != before
    # a rejected update raises by name before anything is sent
    with pytest.raises(errors.MarketInsufficientMarginError):
        taker.update(eth, long=5 * U, collateral=-49_999 * U)
    # deposit, withdraw, close
    taker.deposit(eth, 1_000 * U)
    taker.withdraw(eth, 500 * U)
    taker.close(eth)
    devnet.commit_requested("ETH", devnet.latest_price("ETH"))
    taker.settle(eth)
    closed = taker.snapshot(markets=[eth]).account_in(eth)
    assert closed.position.long == 0
    balance = devnet.dsu.functions.balanceOf(taker.sender.address).call()
    taker.withdraw(eth)  # everything
    assert taker.snapshot(markets=[eth]).account_in(eth).local.collateral == 0
    assert devnet.dsu.functions.balanceOf(taker.sender.address).call() - balance == int(closed.local.collateral) * 10**12
    # liquidation: a leveraged long, a price crash, the keeper liquidates and claims the fee
    taker.deposit(eth, 2_000 * U)
    taker.update(eth, long=20 * U)
    devnet.commit_requested("ETH", devnet.latest_price("ETH"))
    source.set(dep.markets["ETH"].feed_id, devnet.latest_price("ETH") * 93 // 100)
    keeper.commit_price(eth, source)
    result = keeper.liquidate(eth, taker.sender.address)
    assert result.events_named("OrderCreated")[0].args["order"]["protection"] == 1
    (liquidated,) = devnet.commit_requested("ETH", devnet.latest_price("ETH"))
    keeper.settle(eth, taker.sender.address)
    claimable = keeper.snapshot(markets=[eth]).account_in(eth).local.claimable
    # the liquidator is credited the version's liquidation fee: the oracle's settlement fee × the risk
    # parameter's multiple (spec §4.3); the records' gas oracles price keeper work at 0, so 0 there
    fee = -int(devnet.reader("ETH").versions(liquidated.version).liquidation_fee)
    assert claimable == fee
    assert (fee > 0) == (dep.oracle.sync_fee > 0)
    claimed = keeper.claim_fee(eth)
    assert [e.args["amount"] for e in claimed.events_named("FeeClaimed")] == ([claimable] if claimable else [])


def test_rebalance_across_three_markets_with_price_commits_is_one_transaction(devnet: Devnet) -> None:
    dep = devnet.deployment
    client, provider = _client(devnet, 4)
    source = _mock_source(devnet)
    markets = [dep.markets[n].market for n in ("ETH", "BTC", "SOL")]
    client.approve_collateral(dep.multi_invoker)  # the invoker pulls the deposits
    devnet.advance_time(120)  # every price is now stale: the commits in the same transaction fix that
    updates = [
        PositionUpdate(markets[0], maker=10 * U, collateral=100_000 * U),
        PositionUpdate(markets[1], maker=1 * U, collateral=100_000 * U),
        PositionUpdate(markets[2], maker=100 * U, collateral=100_000 * U),
    ]
    commits = [PriceCommit(m, source) for m in markets]
    provider.reset()
    result = client.rebalance(updates, commits=commits)
    assert provider.methods["eth_sendRawTransaction"] == 1
    assert len(result.events_named("OrderCreated")) == 3
    assert result.status == 1
    snap = client.snapshot(markets=markets)
    assert [snap.account_in(m).pending.maker_pos for m in markets] == [10 * U, 1 * U, 100 * U]


def test_preflight_agrees_with_the_chain_on_2000_random_updates(devnet: Devnet) -> None:
    dep = devnet.deployment
    rng = random.Random(2024)
    clients = [_client(devnet, i)[0] for i in range(1, 7)]
    names = list(dep.markets)
    checks = agree = 0
    outcomes: dict[str, int] = {}
    while checks < 2_000:
        name = rng.choice(names)
        market = dep.markets[name].market
        price = devnet.latest_price(name)
        block = int(devnet.w3.eth.block_number)
        snap_by_client = {id(c): c.snapshot(markets=[market], block=block) for c in clients}
        for _ in range(20):
            client = rng.choice(clients)
            snap = snap_by_client[id(client)]
            view = snap.market(market).view(snap.protocol_parameter)
            acct = snap.account_in(market)
            unit = max(U * 3_000 * U // max(price, 1), 1)
            side = rng.randrange(4)
            sizes = [None, None, None] if side == 3 else [0, 0, 0]
            if side < 3:
                sizes[side] = rng.randrange(0, 30) * unit
            collateral = rng.choice([0, 0, rng.randrange(-20_000, 60_000) * U])
            protect = rng.random() < 0.05
            target = rng.choice(clients).sender.address if protect else client.sender.address
            if target != client.sender.address:  # a liquidation of another account: its snapshot decides
                acct = snap_by_client[next(id(c) for c in clients if c.sender.address == target)].account_in(market)
            magic = [2**256 - 1 if s is None else s for s in sizes]
            try:
                preflight_update(view, acct.view(), new_maker=magic[0], new_long=magic[1], new_short=magic[2],
                                 collateral=collateral, protect=protect, sender_allowed=target == client.sender.address)
                predicted = None
            except errors.ContractError as exc:
                predicted = exc.name
            data = _call("update(address,uint256,uint256,uint256,int256,bool)", target, *magic, collateral, protect)
            try:
                client.sender.simulate(market, data, block=block)
                actual = None
            except errors.ContractError as exc:
                actual = exc.name
            checks += 1
            agree += predicted == actual
            outcomes[actual or "accepted"] = outcomes.get(actual or "accepted", 0) + 1
            assert predicted == actual, (name, sizes, collateral, protect, predicted, actual)
        # move the market: send one accepted update and commit prices
        client = rng.choice(clients)
        try:
            client.update(market, **{rng.choice(["maker", "long", "short"]): rng.randrange(0, 10) * unit},
                          collateral=rng.randrange(0, 20_000) * U)
        except errors.ContractError:
            pass
        devnet.advance_time(rng.randrange(1, 30))
        new_price = price * rng.randrange(97, 104) // 100
        devnet.commit_requested(name, new_price)
        if rng.random() < 0.85:  # usually a keeper also commits a fresh version (else prices go stale)
            for other in names:
                devnet.commit_price(other, new_price if other == name else devnet.latest_price(other))
    print(f"pre-flight agreed with the chain on {agree}/{checks} updates: {outcomes}")
    assert agree == checks >= 2_000
    assert outcomes.get("accepted", 0) > 100 and len(outcomes) >= 4


def test_build_without_a_key_then_send(devnet: Devnet) -> None:
    """A key-less client builds and pre-flights; another process (here: a signer client) sends it."""
    eth = devnet.deployment.markets["ETH"].market
    signer, _ = _client(devnet, 5)
    reader = PerennialClient(signer.w3, devnet.deployment.chain_deployment())
    with pytest.raises(errors.MarketInsufficientMarginError):
        reader.build_update(eth, maker=50 * U, collateral=1 * U, account=signer.sender.address)
    request = reader.build_update(eth, maker=5 * U, collateral=50_000 * U, account=signer.sender.address)
    assert request.to == eth and request.data.startswith("0x") and request.value == 0
    result = signer.send(request)
    assert result.events_named("OrderCreated")[0].args["account"] == signer.sender.address
