"""Chain helpers against the plugin's session anvil (each test is isolated by the plugin)."""

from __future__ import annotations

from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.exceptions import Web3RPCError
from web3.types import Wei

from perennial_sdk.devnet import (
    Chain,
    DevnetRPCError,
    DevnetValueError,
    SnapshotError,
    launch_anvil,
)

ADDRESS = "0x00000000000000000000000000000000000000b2"
# runtime code: return the 32-byte word 0x2a (PUSH1 2a PUSH1 0 MSTORE PUSH1 20 PUSH1 0 RETURN)
RETURN_42 = bytes.fromhex("602a60005260206000f3")


def test_accounts_are_the_nodes_funded_accounts(w3: Web3, accounts: list[LocalAccount]) -> None:
    assert [a.address for a in accounts] == list(w3.eth.accounts)
    assert w3.eth.get_balance(accounts[0].address) == 10_000 * 10**18
    assert accounts[0].key.hex() not in repr(accounts[0])  # failure output shows no key


def test_accounts_can_sign(w3: Web3, accounts: list[LocalAccount]) -> None:
    sender = accounts[1]
    tx: dict[str, Any] = {
        "to": ADDRESS,
        "value": 1234,
        "gas": 21_000,
        "maxFeePerGas": 10**10,
        "maxPriorityFeePerGas": 1,
        "nonce": w3.eth.get_transaction_count(sender.address),
        "chainId": w3.eth.chain_id,
    }
    signed = sender.sign_transaction(tx)
    receipt = w3.eth.wait_for_transaction_receipt(
        w3.eth.send_raw_transaction(signed.raw_transaction)
    )
    assert receipt["status"] == 1
    assert chain_balance(w3, ADDRESS) == 1234


def test_time_travel_by_seconds(chain: Chain) -> None:
    before_ts, before_block = chain.timestamp(), chain.block_number()
    assert chain.time_travel(seconds=3600) == before_ts + 3600
    assert chain.timestamp() == before_ts + 3600
    assert chain.block_number() == before_block + 1


def test_time_travel_to_timestamp_and_later_blocks_follow(chain: Chain) -> None:
    target = chain.timestamp() + 86_400 * 30
    assert chain.time_travel(to_timestamp=target) == target
    chain.mine()
    assert target <= chain.timestamp() < target + 60


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"seconds": 10, "to_timestamp": 2_000_000_000}, {"seconds": 0}, {"to_timestamp": 1}],
)
def test_time_travel_refuses_ambiguous_or_backwards(chain: Chain, kwargs: dict[str, int]) -> None:
    block = chain.block_number()
    with pytest.raises(DevnetValueError):
        chain.time_travel(**kwargs)
    assert chain.block_number() == block  # nothing was mined


def test_set_next_block_timestamp(chain: Chain) -> None:
    target = chain.timestamp() + 777
    chain.set_next_block_timestamp(target)
    chain.mine()
    assert chain.timestamp() == target


def test_mine(chain: Chain) -> None:
    start = chain.block_number()
    assert chain.mine(5) == start + 5
    with pytest.raises(DevnetValueError):
        chain.mine(0)


def test_set_balance_code_and_storage(chain: Chain, w3: Web3) -> None:
    chain.set_balance(ADDRESS, 10**18 + 1)
    assert chain.balance(ADDRESS) == 10**18 + 1
    chain.set_code(ADDRESS, RETURN_42)
    assert bytes(w3.eth.get_code(Web3.to_checksum_address(ADDRESS))) == RETURN_42
    assert int.from_bytes(w3.eth.call({"to": Web3.to_checksum_address(ADDRESS)}), "big") == 42
    chain.set_storage_at(ADDRESS, 7, 99)
    assert int.from_bytes(w3.eth.get_storage_at(Web3.to_checksum_address(ADDRESS), 7), "big") == 99
    with pytest.raises(DevnetValueError):
        chain.set_balance("not-an-address", 1)
    with pytest.raises(DevnetValueError):
        chain.set_balance(ADDRESS, -1)


def test_impersonate_sends_unsigned_then_stops(chain: Chain, w3: Web3) -> None:
    whale = "0x00000000000000000000000000000000000000c3"
    chain.set_balance(whale, 10**18)
    to = Web3.to_checksum_address(ADDRESS)
    with chain.impersonate(whale) as sender:
        tx_hash = w3.eth.send_transaction(
            {"from": sender, "to": to, "value": Wei(5), "gas": 21_000}
        )
        assert w3.eth.wait_for_transaction_receipt(tx_hash)["status"] == 1
    assert chain.balance(ADDRESS) == 5
    with pytest.raises(Web3RPCError):
        w3.eth.send_transaction({"from": sender, "to": to, "value": Wei(5), "gas": 21_000})


def test_snapshot_revert_consumes_the_snapshot(chain: Chain) -> None:
    snapshot_id = chain.snapshot()
    chain.set_balance(ADDRESS, 1)
    chain.time_travel(seconds=100)
    block = chain.block_number()
    chain.revert(snapshot_id)
    assert chain.balance(ADDRESS) == 0
    assert chain.block_number() == block - 1
    with pytest.raises(SnapshotError) as info:
        chain.revert(snapshot_id)
    assert info.value.snapshot_id == snapshot_id


def test_isolate_reverts_on_exit(chain: Chain) -> None:
    with chain.isolate():
        chain.set_balance(ADDRESS, 3)
        assert chain.balance(ADDRESS) == 3
    assert chain.balance(ADDRESS) == 0


def test_rpc_errors_are_typed(chain: Chain) -> None:
    with pytest.raises(DevnetRPCError) as info:
        chain.rpc("anvil_noSuchMethod")
    assert info.value.method == "anvil_noSuchMethod"


def test_dump_state_loads_into_a_new_anvil(chain: Chain) -> None:
    chain.set_balance(ADDRESS, 424242)
    chain.set_code(ADDRESS, RETURN_42)
    chain.set_storage_at(ADDRESS, 1, 5)
    state = chain.dump_state()

    with launch_anvil(load_state=state) as started_from_state:
        other = Chain(started_from_state.web3())
        _assert_same_account(other)

    with launch_anvil() as fresh:
        other = Chain(fresh.web3())
        assert other.balance(ADDRESS) == 0
        other.load_state(state)
        _assert_same_account(other)


def chain_balance(w3: Web3, address: str) -> int:
    return w3.eth.get_balance(Web3.to_checksum_address(address))


def _assert_same_account(other: Chain) -> None:
    address = Web3.to_checksum_address(ADDRESS)
    assert other.balance(ADDRESS) == 424242
    assert bytes(other.w3.eth.get_code(address)) == RETURN_42
    assert int.from_bytes(other.w3.eth.get_storage_at(address, 1), "big") == 5
