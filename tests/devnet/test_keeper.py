"""The keeper path on the devnet: request → commit → settle, timeouts, unrequested commits, the
MultiInvoker's COMMIT_PRICE + UPDATE_POSITION, typed reverts and the controls of the plugin."""

from __future__ import annotations

import pytest
from eth_abi.abi import encode
from web3 import Web3

from perennial_sdk import errors
from perennial_sdk.devnet import Clock, Devnet, PriceControl, PythPriceControl, update_data

U = 10**6
ETH = 3_000 * U


@pytest.fixture(scope="module")
def maker(devnet: Devnet) -> str:
    """accounts[1] makes 100 ETH of the ETH market (settled), for every test of this module."""
    account = devnet.accounts[1]
    devnet.update("ETH", account, maker=100 * U, collateral=100_000 * U)
    devnet.commit_requested("ETH", ETH)
    assert devnet.reader("ETH").positions(account).maker == 100 * U
    devnet.commit_price("ETH", ETH)
    return account


def test_request_commit_settle_moves_the_position(devnet: Devnet, maker: str) -> None:
    trader, keeper = devnet.accounts[2], devnet.keeper
    reader = devnet.reader("ETH")
    devnet.update("ETH", trader, long=2 * U, collateral=5_000 * U)
    [version] = devnet.requested("ETH")
    assert version % devnet.deployment.oracle.granularity == 0
    assert reader.positions(trader).long == 0  # only an order until its version is committed
    assert reader.pendings(trader).long_pos == 2 * U
    keeper_dsu = devnet.balance(keeper)

    [commit] = devnet.commit_requested("ETH", 3_010 * U)

    assert (commit.version, commit.price, commit.valid, commit.requested) == (version, 3_010 * U, True, True)
    assert commit.settled == 1  # the trader's settlement callback
    assert devnet.requested("ETH") == []
    position = reader.positions(trader)
    assert (position.timestamp, position.long) == (version, 2 * U)
    assert reader.position().long == 2 * U
    local = reader.locals(trader)
    assert local.latest_id == local.current_id == 1
    v = reader.versions(version)
    assert v.valid and v.price == 3_010 * U
    assert 0 < 5_000 * U - local.collateral < 20 * U  # fees only
    # the keeper got the sync fee and one async fee (paid from the settlement fee)
    config = devnet.deployment.oracle
    assert devnet.balance(keeper) - keeper_dsu == (config.sync_fee + config.async_fee) * 10**12


def test_requested_version_past_timeout_is_committed_invalid(devnet: Devnet, maker: str) -> None:
    trader = devnet.accounts[3]
    reader = devnet.reader("ETH")
    devnet.update("ETH", trader, long=1 * U, collateral=1_000 * U)
    [version] = devnet.requested("ETH")
    config = devnet.deployment.oracle

    # within the timeout an invalid commit is refused, by name
    devnet.chain.time_travel(to_timestamp=version + 1)
    with pytest.raises(errors.KeeperOracleInvalidPriceError):
        devnet.send(devnet.keeper_factory.functions.commit(
            [bytes.fromhex(devnet.deployment.markets["ETH"].oracle_id[2:])], version, b""), devnet.keeper)

    devnet.chain.time_travel(to_timestamp=version + config.timeout + 1)
    # past it, even a valid price update is recorded invalid, at the previous price
    data = update_data(devnet.deployment.markets["ETH"].feed_id, 3_500 * U, version + config.valid_from)
    devnet.send(devnet.keeper_factory.functions.commit(
        [bytes.fromhex(devnet.deployment.markets["ETH"].oracle_id[2:])], version, data), devnet.keeper,
        value=config.update_fee_wei)
    timestamp, price, valid = devnet.oracle("ETH").functions.latest().call()
    assert (timestamp, price, valid) == (version, ETH, False)
    devnet.settle("ETH", trader)

    assert reader.positions(trader).long == 0  # the order was invalidated
    assert not reader.versions(version).valid
    local = reader.locals(trader)
    assert local.latest_id == local.current_id
    # only the settlement fee was charged: sync fee + one callback's async fee, this order alone
    assert local.collateral == 1_000 * U - (config.sync_fee + config.async_fee)


def test_commit_requested_past_timeout_commits_invalid(devnet: Devnet, maker: str) -> None:
    trader = devnet.accounts[4]
    devnet.update("ETH", trader, short=1 * U, collateral=1_000 * U)
    [version] = devnet.requested("ETH")
    devnet.advance_time(devnet.deployment.oracle.timeout + 10)
    [commit] = devnet.commit_requested("ETH", 2_000 * U)
    assert (commit.version, commit.valid, commit.price, commit.settled) == (version, False, ETH, 1)
    assert devnet.reader("ETH").positions(trader).short == 0


def test_unrequested_commit_updates_the_market(devnet: Devnet, maker: str) -> None:
    before = devnet.now()
    [commit] = devnet.commit_price("ETH", 3_100 * U)
    assert commit.requested is False and commit.valid and commit.version >= before
    assert devnet.latest_price("ETH") == 3_100 * U
    assert devnet.reader("ETH").global_().latest_price == 3_100 * U  # the commit synced the market
    later = devnet.now() + 20
    [at] = devnet.commit_price("ETH", 3_200 * U, at=later)
    assert at.version == later and devnet.oracle("ETH").functions.latest().call()[0] == later
    with pytest.raises(Exception) as info:
        devnet.commit_price("ETH", 3_200 * U, at=later)
    assert getattr(info.value, "field", None) == "at"


def test_commit_price_commits_outstanding_requests_first(devnet: Devnet, maker: str) -> None:
    trader = devnet.accounts[5]
    devnet.update("ETH", trader, long=1 * U, collateral=1_000 * U)
    [version] = devnet.requested("ETH")
    requested, fresh = devnet.commit_price("ETH", 2_990 * U)
    assert requested.version == version and requested.requested and requested.valid
    assert fresh.version > version and not fresh.requested
    assert devnet.reader("ETH").positions(trader).long == 1 * U


def test_update_data_is_mockpyths(devnet: Devnet) -> None:
    feed = devnet.deployment.markets["BTC"].feed_id
    ours = update_data(feed, 61_234_567_891, 1_750_000_123)
    theirs = devnet.pyth.functions.createPriceFeedUpdateData(
        bytes.fromhex(feed[2:]), 6_123_456_789_100, 0, -8, 6_123_456_789_100, 0, 1_750_000_123, 1_750_000_122
    ).call()
    assert ours == bytes(theirs)


def test_multi_invoker_commits_a_fresh_price_and_updates_in_one_transaction(devnet: Devnet, maker: str) -> None:
    trader = devnet.accounts[6]
    info = devnet.deployment.markets["ETH"]
    devnet.advance_time(devnet.reader("ETH").risk_parameter().stale_after + 5)
    with pytest.raises(errors.MarketStalePriceError):
        devnet.update("ETH", trader, long=1 * U, collateral=1_000 * U)

    now = devnet.now() + 1
    devnet.chain.set_next_block_timestamp(now)
    oracle_id = bytes.fromhex(info.oracle_id[2:])
    fee = (0, "0x0000000000000000000000000000000000000000")
    commit = encode(
        ["address", "uint256", "bytes32[]", "uint256", "bytes", "bool"],
        [devnet.deployment.keeper_factory, 1, [oracle_id], now - 1,
         update_data(info.feed_id, 3_050 * U, now - 1 + devnet.deployment.oracle.valid_from), True],
    )
    position = encode(
        ["address", "uint256", "uint256", "uint256", "int256", "bool", "(uint256,address)", "(uint256,address)"],
        [info.market, 0, 1 * U, 0, 1_000 * U, True, fee, fee],  # wrap: USDC → DSU
    )
    usdc = devnet.balance(trader, "USDC")
    invoke = devnet.multi_invoker.get_function_by_signature("invoke(address,(uint8,bytes)[])")
    approve = encode(["address"], [info.market])  # the invoker deposits: it approves the market once
    devnet.send(invoke(trader, [(6, commit), (8, approve), (1, position)]), trader, value=1)
    assert devnet.latest_price("ETH") == 3_050 * U
    assert devnet.reader("ETH").locals(trader).collateral == 1_000 * U
    assert devnet.balance(trader, "USDC") == usdc - 1_000 * U


def test_mined_revert_is_decoded_by_name(devnet: Devnet, maker: str) -> None:
    trader = devnet.accounts[7]
    block = devnet.chain.block_number()
    fn = devnet.market("ETH").functions.update(trader, 0, 100 * U, 0, 10 * U, False)
    with pytest.raises(errors.MarketInsufficientMarginError) as info:
        devnet.send(fn, trader, preflight=False)
    assert "reverted" in " ".join(getattr(info.value, "__notes__", []))
    assert devnet.chain.block_number() == block + 1  # it was mined (and failed)
    block = devnet.chain.block_number()
    with pytest.raises(errors.MarketInsufficientMarginError):
        devnet.send(fn, trader)  # preflight: nothing is sent
    assert devnet.chain.block_number() == block


def test_plugin_price_and_clock_controls(prices: PriceControl, clock: Clock, devnet: Devnet) -> None:
    start = clock.now()
    assert clock.advance(7) == start + 7
    prices.set("SOL", 155 * U)
    assert prices.get("SOL") == 155 * U == devnet.reader("SOL").global_().latest_price
    assert prices.requested("SOL") == []
    at = start + 21
    clock.next_block_at(at)
    devnet.update("SOL", devnet.accounts[8], maker=10 * U, collateral=10_000 * U)
    granularity = devnet.deployment.oracle.granularity
    assert prices.requested("SOL") == [-(-at // granularity) * granularity]
    [commit] = prices.commit_requested("SOL", 156 * U)
    assert commit.valid and devnet.reader("SOL").positions(devnet.accounts[8]).maker == 10 * U


def test_pyth_price_control_plants_mockpyth(devnet: Devnet) -> None:
    """What ``fork_prices`` does to a fork's Pyth contract, here at an empty address."""
    address = Web3.to_checksum_address("0x00000000000000000000000000000000000c0de5")
    control = PythPriceControl(devnet.w3, address, update_fee_wei=3)
    control.install()
    feed = devnet.deployment.markets["ETH"].feed_id
    published = devnet.now()
    control.set(feed, 2_500 * U, publish_time=published)
    price, expo, publish = control.get(feed)
    assert (price * 10**6 // 10 ** (-expo), publish) == (2_500 * U, published)
    assert devnet.w3.eth.get_balance(address) == 3


def test_fork_prices_replace_the_forks_pyth(fork_prices: PythPriceControl, devnet: Devnet) -> None:
    """Needs --fork-url (skipped otherwise)."""
    feed = "0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace"
    fork_prices.set(feed, 3_333 * U)
    price, expo, _ = fork_prices.get(feed)
    assert price * 10**6 // 10 ** (-expo) == 3_333 * U
