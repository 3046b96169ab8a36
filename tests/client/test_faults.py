"""Fault injection: every intended transaction lands once or not at all, never twice.

The client talks to anvil through a loopback proxy that drops connections before and after the node
processed a request, answers 502, answers after the client's timeout, and (in a second test) races
the client for its nonce. The books are then checked on the node directly.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import pytest
from eth_account import Account
from eth_utils.crypto import keccak
from web3 import HTTPProvider, Web3

from perennial_sdk import abi, errors
from perennial_sdk.client import TransactionSender, signer_from_key
from perennial_sdk.client._client import _call

from .faulty_proxy import FaultyProxy

TRANSFER = "0x" + keccak(text="Transfer(address,address,uint256)").hex()


@pytest.fixture
def token(w3: Web3) -> str:
    deployer = w3.eth.accounts[0]
    contract = w3.eth.contract(abi=abi.abi("DSU"), bytecode=abi.bytecode("DSU"))
    receipt = w3.eth.wait_for_transaction_receipt(contract.constructor().transact({"from": deployer}))
    address = str(receipt["contractAddress"])
    dsu = w3.eth.contract(address=address, abi=abi.abi("DSU"))
    w3.eth.wait_for_transaction_receipt(dsu.functions.mint(deployer, 10**30).transact({"from": deployer}))
    return address


def _landed(w3: Web3, token: str, sender: str) -> Counter[int]:
    logs = w3.eth.get_logs({"address": token, "topics": [TRANSFER], "fromBlock": 0, "toBlock": "latest"})
    out: Counter[int] = Counter()
    for log in logs:
        if "0x" + bytes(log["topics"][1])[-20:].hex() == sender.lower():
            out[int.from_bytes(bytes(log["data"]), "big")] += 1
    return out


def _sender_for(w3: Web3, url: str, key: Any) -> TransactionSender:
    client_w3 = Web3(HTTPProvider(url, request_kwargs={"timeout": 0.5}, exception_retry_configuration=None))
    return TransactionSender(client_w3, key, stuck_after=5.0, confirm_timeout=60.0, poll_interval=0.02, attempts=8)


def test_no_intent_lands_twice_under_transport_faults(anvil: Any, w3: Web3, token: str) -> None:
    deployer = w3.eth.accounts[0]
    owner = Account.create()
    dsu = w3.eth.contract(address=token, abi=abi.abi("DSU"))
    w3.eth.send_transaction({"from": deployer, "to": owner.address, "value": 10**20})
    w3.eth.wait_for_transaction_receipt(dsu.functions.transfer(owner.address, 10**24).transact({"from": deployer}))
    proxy = FaultyProxy(anvil.url, rate=0.35, seed=11, slow_seconds=0.8)
    try:
        sender = _sender_for(w3, proxy.url, signer_from_key(owner.key))
        outcomes: dict[int, str] = {}
        amount = 1
        while proxy.total_faults < 200:
            amount += 1
            try:
                sender.send(token, _call("transfer(address,uint256)", deployer, amount), gas=100_000)
                outcomes[amount] = "ok"
            except errors.PerennialError as exc:  # gave up: allowed, as long as it did not land twice
                outcomes[amount] = type(exc).__name__
        proxy.enabled = False
    finally:
        proxy.close()
    landed = _landed(w3, token, owner.address)
    assert proxy.total_faults >= 200, proxy.faults
    assert set(proxy.faults) == {"http_502", "drop_before", "drop_after", "slow_after"}
    assert max(landed.values()) == 1, "an intent landed twice"
    for value, outcome in outcomes.items():
        if outcome == "ok":
            assert landed[value] == 1, f"transfer {value} reported sent but not on chain"
    assert set(landed) <= set(outcomes)
    # final state agrees with the landed intents
    balance = dsu.functions.balanceOf(owner.address).call()
    assert balance == 10**24 - sum(landed)
    ok = sum(1 for o in outcomes.values() if o == "ok")
    print(f"faults {dict(proxy.faults)} over {proxy.requests} requests; intents {len(outcomes)}, sent {ok}, landed {len(landed)}")
    assert ok >= len(outcomes) * 0.9, outcomes


def test_nonce_races_resync_and_still_land_once(anvil: Any, w3: Web3, token: str) -> None:
    """Another process spends the client's nonce right before its raw transaction reaches the node."""
    deployer = w3.eth.accounts[0]
    racer = w3.eth.accounts[1]
    dsu = w3.eth.contract(address=token, abi=abi.abi("DSU"))
    w3.eth.wait_for_transaction_receipt(dsu.functions.transfer(racer, 10**24).transact({"from": deployer}))
    proxy = FaultyProxy(anvil.url, rate=0.0, seed=5)
    races = {"n": 0}

    def race(_: dict[str, Any]) -> None:
        if races["n"] < 30 and races["n"] % 2 == 0:
            # the same account (unlocked in anvil) sends a transaction first: the client's nonce is taken
            w3.eth.send_transaction({"from": racer, "to": racer, "value": 1})
        races["n"] += 1

    proxy.on_send_raw = race
    key = Account.from_key(_dev_key(1))
    assert key.address == racer
    try:
        sender = _sender_for(w3, proxy.url, signer_from_key(key.key))
        for amount in range(1, 31):
            sender.send(token, _call("transfer(address,uint256)", deployer, 7_000 + amount), gas=100_000)
    finally:
        proxy.close()
    landed = _landed(w3, token, racer)
    assert [landed[7_000 + a] for a in range(1, 31)] == [1] * 30


def _dev_key(index: int) -> str:
    from perennial_sdk.devnet import dev_accounts

    return str(dev_accounts(index + 1)[index].key.hex())


def test_a_transaction_displaced_from_the_pool_is_signed_again_and_lands_once(
    anvil: Any, w3: Web3, token: str
) -> None:
    """The node accepts the client's transaction, then mines another one of the same account at that
    nonce (a higher-fee replacement from elsewhere): the client must notice that its nonce is gone, sign
    again at the next nonce, and land exactly once — not wait for a receipt that can never come."""
    deployer, racer = w3.eth.accounts[0], w3.eth.accounts[1]
    dsu = w3.eth.contract(address=token, abi=abi.abi("DSU"))
    w3.eth.wait_for_transaction_receipt(dsu.functions.transfer(racer, 10**24).transact({"from": deployer}))
    proxy = FaultyProxy(anvil.url, rate=0.0, seed=3)
    displaced: list[str] = []

    def displace() -> None:
        # wait until the client's transaction sits in the pool, outbid it at its nonce, mine that block
        for _ in range(500):
            pending = w3.provider.make_request("txpool_content", [])["result"]["pending"]  # type: ignore[arg-type]
            mine = next((txs for who, txs in pending.items() if who.lower() == racer.lower()), None)
            if mine:
                (tx,) = mine.values()
                fee = int(tx["maxFeePerGas"], 16) * 3
                w3.eth.send_transaction({"from": racer, "to": racer, "value": 1, "nonce": int(tx["nonce"], 16),
                                         "maxFeePerGas": fee, "maxPriorityFeePerGas": fee})
                displaced.append(tx["hash"])
                break
            threading.Event().wait(0.01)
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
        w3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]

    def race(_: dict[str, Any]) -> None:
        if not displaced and proxy.on_send_raw is race:
            proxy.on_send_raw = None
            w3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
            threading.Thread(target=displace, daemon=True).start()

    proxy.on_send_raw = race
    key = Account.from_key(_dev_key(1))
    try:
        sender = _sender_for(w3, proxy.url, signer_from_key(key.key))
        started = time.monotonic()
        result = sender.send(token, _call("transfer(address,uint256)", deployer, 9_001), gas=100_000)
        elapsed = time.monotonic() - started
    finally:
        w3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]
        proxy.close()
    gone = w3.provider.make_request("eth_getTransactionByHash", [displaced[0]])  # type: ignore[arg-type]
    assert gone["result"] is None  # ours really left the pool
    assert result.tx_hash != displaced[0] and result.status == 1
    assert _landed(w3, token, racer)[9_001] == 1
    assert elapsed < 30  # noticed the lost nonce, did not sit out the 60 s confirmation timeout
