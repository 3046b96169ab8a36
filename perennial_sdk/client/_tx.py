"""Sending transactions safely: simulate → sign → send → wait → decode, with no duplicates.

Rules (each one a guard against a lost or doubled transaction):

* nothing is signed until an ``eth_call`` of the exact transaction succeeds (a revert raises its
  typed :class:`~perennial_sdk.errors.ContractError` and no nonce is consumed);
* one intent is signed once per nonce; a retry re-broadcasts the *same* signed bytes (same hash), so
  the node can only accept it once; "already known" counts as accepted;
* after a transport error we look for the hash and the nonce before doing anything else; a nonce
  consumed by someone else re-syncs the nonce manager and re-signs the intent at a new nonce;
* a transaction still pending after ``stuck_after`` seconds is replaced at the same nonce with bumped
  EIP-1559 fees; whichever of the hashes is mined is the result;
* transient transport failures (timeouts, connection errors, HTTP 5xx) are retried with back-off;
  everything else surfaces immediately.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from eth_utils.address import to_checksum_address
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from perennial_sdk import errors
from perennial_sdk.client._events import DecodedEvent, decode_logs
from perennial_sdk.revert import decode_revert

__all__ = ["FeePolicy", "NonceManager", "TransactionSender", "TransientRpcError", "TxResult"]


class TransientRpcError(errors.RpcError):
    """A failure worth retrying: timeout, dropped connection, HTTP 5xx, node busy."""


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, (TransientRpcError, requests.ConnectionError, requests.Timeout))


@dataclass(frozen=True, slots=True)
class FeePolicy:
    """EIP-1559 fees: ``max_fee = base_fee × base_multiplier + priority``; replacements bump both by ``bump_percent``."""

    priority_fee: int | None = None
    base_multiplier: int = 2
    bump_percent: int = 25
    gas_multiplier_percent: int = 130


@dataclass(frozen=True, slots=True)
class TxResult:
    """A mined transaction: its hash, receipt fields and the decoded events."""

    tx_hash: str
    block_number: int
    status: int
    gas_used: int
    nonce: int
    events: tuple[DecodedEvent, ...]
    replacements: int = 0
    broadcasts: int = 1

    def events_named(self, name: str) -> list[DecodedEvent]:
        """The decoded events called ``name``."""
        return [e for e in self.events if e.name == name]


class NonceManager:
    """Hands out nonces for one address; safe across threads; re-syncs from the node on demand."""

    def __init__(self, rpc: Callable[[str, list[Any]], Any], address: str) -> None:
        self._rpc = rpc
        self.address = to_checksum_address(address)
        self._lock = threading.Lock()
        self._next: int | None = None

    def reserve(self) -> int:
        """The next nonce (the node's pending count the first time and after a resync)."""
        with self._lock:
            if self._next is None:
                self._next = int(self._rpc("eth_getTransactionCount", [self.address, "pending"]), 16)
            nonce = self._next
            self._next += 1
            return nonce

    def resync(self) -> None:
        """Forget the local counter; the next :meth:`reserve` asks the node."""
        with self._lock:
            self._next = None

    def onchain(self) -> int:
        """The number of mined transactions of the address."""
        return int(self._rpc("eth_getTransactionCount", [self.address, "latest"]), 16)


@dataclass
class _Intent:
    to: str
    data: str
    value: int
    gas: int
    hashes: list[str] = field(default_factory=list)
    raw: dict[str, bytes] = field(default_factory=dict)


class TransactionSender:
    """Sends transactions for one ``LocalAccount`` through a ``Web3``'s provider (see the module rules)."""

    def __init__(
        self,
        w3: Any,
        account: Any,
        *,
        fees: FeePolicy | None = None,
        nonces: NonceManager | None = None,
        confirm_timeout: float = 120.0,
        stuck_after: float = 30.0,
        poll_interval: float = 0.05,
        attempts: int = 6,
    ) -> None:
        self.w3 = w3
        self._account = account
        self.address = to_checksum_address(account.address)
        self.fees = fees or FeePolicy()
        self.nonces = nonces or NonceManager(self.rpc, self.address)
        self.confirm_timeout = confirm_timeout
        self.stuck_after = stuck_after
        self.poll_interval = poll_interval
        self.attempts = attempts
        self._chain_id: int | None = None

    def __repr__(self) -> str:
        return f"TransactionSender(address={self.address!r})"

    # ------------------------------------------------------------------------------ RPC
    def _raw(self, method: str, params: list[Any]) -> Any:
        try:
            response = self.w3.provider.make_request(method, params)
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            if status >= 500 or status == 429:
                raise TransientRpcError(f"{method}: HTTP {status}") from exc
            raise errors.RpcError(f"{method}: HTTP {status}") from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise TransientRpcError(f"{method}: {type(exc).__name__}") from exc
        if not isinstance(response, dict):
            raise TransientRpcError(f"{method}: malformed response")
        if "error" in response:
            error = response["error"]
            message = str(error.get("message", error)) if isinstance(error, dict) else str(error)
            data = error.get("data") if isinstance(error, dict) else None
            if isinstance(data, dict):
                data = data.get("data")
            if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
                raise decode_revert(data)
            if "execution reverted" in message.lower():
                raise decode_revert(None)
            raise errors.RpcError(f"{method}: {message}")
        return response.get("result")

    def rpc(self, method: str, params: list[Any]) -> Any:
        """One JSON-RPC call, retried with back-off on transient failures only."""
        for attempt in Retrying(
            stop=stop_after_attempt(self.attempts), wait=wait_exponential(multiplier=0.02, max=0.5),
            retry=retry_if_exception(_transient), reraise=True,
        ):
            with attempt:
                return self._raw(method, params)
        raise AssertionError("unreachable")

    def chain_id(self) -> int:
        if self._chain_id is None:
            self._chain_id = int(self.rpc("eth_chainId", []), 16)
        return self._chain_id

    # ------------------------------------------------------------------------------ sending
    def simulate(self, to: str, data: str, value: int = 0, *, gas: int | None = None,
                 block: int | str = "latest") -> None:
        """``eth_call`` the transaction from this account; raises the typed contract error if it reverts."""
        tx: dict[str, Any] = {"from": self.address, "to": to_checksum_address(to), "data": data, "value": hex(value)}
        if gas is not None:
            tx["gas"] = hex(gas)
        self.rpc("eth_call", [tx, hex(block) if isinstance(block, int) else block])

    def send(self, to: str, data: str, *, value: int = 0, gas: int | None = None) -> TxResult:
        """Simulate, then sign and send once, wait for the receipt and decode the events.

        Raises the typed :class:`ContractError` if the simulation reverts (nothing is sent), and also if
        the mined transaction reverted (decoded by replaying it).
        """
        self.simulate(to, data, value)
        if gas is None:
            estimate = int(self.rpc("eth_estimateGas", [{
                "from": self.address, "to": to_checksum_address(to), "data": data, "value": hex(value)}]), 16)
            gas = estimate * self.fees.gas_multiplier_percent // 100
        intent = _Intent(to_checksum_address(to), data, value, gas)
        return self._deliver(intent)

    def _fees(self, bump: int) -> tuple[int, int]:
        block = self.rpc("eth_getBlockByNumber", ["latest", False])
        base = int(block.get("baseFeePerGas", "0x0"), 16)
        priority = self.fees.priority_fee
        if priority is None:
            try:
                priority = int(self.rpc("eth_maxPriorityFeePerGas", []), 16)
            except errors.RpcError:
                priority = 10**8
        max_fee = base * self.fees.base_multiplier + priority
        for _ in range(bump):
            priority = priority * (100 + self.fees.bump_percent) // 100 + 1
            max_fee = max_fee * (100 + self.fees.bump_percent) // 100 + 1
        return max_fee, priority

    def _sign(self, intent: _Intent, nonce: int, bump: int) -> str:
        max_fee, priority = self._fees(bump)
        tx = {
            "chainId": self.chain_id(), "nonce": nonce, "to": intent.to, "data": intent.data, "value": intent.value,
            "gas": intent.gas, "maxFeePerGas": max_fee, "maxPriorityFeePerGas": priority, "type": 2,
        }
        signed = self._account.sign_transaction(tx)
        tx_hash = "0x" + bytes(signed.hash).hex()
        intent.hashes.append(tx_hash)
        intent.raw[tx_hash] = bytes(signed.raw_transaction)
        return tx_hash

    def _broadcast(self, tx_hash: str, raw: bytes) -> str:
        """Send signed bytes; returns "sent", "known" (already in the node) or "nonce-taken"."""
        for attempt in range(self.attempts):
            try:
                self._raw("eth_sendRawTransaction", ["0x" + raw.hex()])
                return "sent"
            except TransientRpcError:
                # the node may have accepted it before the connection failed: look before resending
                if self._seen(tx_hash):
                    return "known"
                time.sleep(min(0.02 * 2**attempt, 0.5))
            except errors.RpcError as exc:
                text = str(exc).lower()
                if "already known" in text or "known transaction" in text:
                    return "known"
                if "nonce too low" in text or "nonce has already been used" in text or "replacement" in text:
                    return "known" if self._seen(tx_hash) else "nonce-taken"
                raise
        if self._seen(tx_hash):
            return "known"
        raise TransientRpcError(f"could not broadcast {tx_hash} after {self.attempts} attempts")

    def _seen(self, tx_hash: str) -> bool:
        try:
            return self.rpc("eth_getTransactionByHash", [tx_hash]) is not None
        except errors.RpcError:
            return False

    def _receipt(self, hashes: list[str]) -> dict[str, Any] | None:
        for h in hashes:
            receipt = self.rpc("eth_getTransactionReceipt", [h])
            if receipt is not None:
                return dict(receipt)
        return None

    def _deliver(self, intent: _Intent) -> TxResult:
        broadcasts = replacements = 0
        while True:
            nonce, sent = self._broadcast_new(intent)
            broadcasts += sent
            receipt, bumped = self._await_receipt(intent, nonce)
            broadcasts += bumped
            replacements += bumped
            if receipt is not None:
                break
            # our nonce was consumed by another transaction of this account while ours sat in the
            # pool (the node accepted it, then mined the other one): nothing of ours landed; sign anew
            intent.hashes.clear()
            intent.raw.clear()
            self.nonces.resync()
            self.simulate(intent.to, intent.data, intent.value)
        status = int(receipt["status"], 16)
        result = TxResult(
            tx_hash=str(receipt["transactionHash"]), block_number=int(receipt["blockNumber"], 16), status=status,
            gas_used=int(receipt["gasUsed"], 16), nonce=nonce, events=tuple(decode_logs(receipt["logs"])),
            replacements=replacements, broadcasts=broadcasts,
        )
        if status != 1:
            raise self._mined_revert(intent, receipt)
        return result

    def _broadcast_new(self, intent: _Intent) -> tuple[int, int]:
        """Sign at the next nonce and broadcast until the node holds it; (nonce, broadcasts)."""
        broadcasts = 0
        while True:
            nonce = self.nonces.reserve()
            tx_hash = self._sign(intent, nonce, bump=0)
            outcome = self._broadcast(tx_hash, intent.raw[tx_hash])
            broadcasts += 1
            if outcome != "nonce-taken":
                return nonce, broadcasts
            # someone else used this nonce: our intent did not land; re-sync and sign anew
            intent.hashes.remove(tx_hash)
            self.nonces.resync()
            self.simulate(intent.to, intent.data, intent.value)

    def _await_receipt(self, intent: _Intent, nonce: int) -> tuple[dict[str, Any] | None, int]:
        """Wait for a receipt of any of the intent's hashes, replacing a stuck one with bumped fees.

        Returns (receipt, replacements); the receipt is None when ``nonce`` was mined under a hash
        that is none of ours (checked twice, a poll apart, so a receipt being indexed is not
        mistaken for a foreign transaction). Raises RpcError after ``confirm_timeout``.
        """
        replacements = 0
        deadline = time.monotonic() + self.confirm_timeout
        last_send = time.monotonic()
        foreign_seen = False
        while True:
            receipt = self._receipt(intent.hashes)
            if receipt is not None:
                return receipt, replacements
            now = time.monotonic()
            if now > deadline:
                raise errors.RpcError(f"no receipt for {intent.hashes} within {self.confirm_timeout}s (nonce {nonce})")
            if self.nonces.onchain() > nonce:
                # a failed lookup raises rather than reading as "unknown": a guess here could send twice
                if foreign_seen and all(self.rpc("eth_getTransactionByHash", [h]) is None for h in intent.hashes):
                    return None, replacements
                foreign_seen = True  # mined: ours (receipt on the next look) or another one
            elif now - last_send > self.stuck_after:
                replacements += 1
                new_hash = self._sign(intent, nonce, bump=replacements)
                if self._broadcast(new_hash, intent.raw[new_hash]) == "nonce-taken":
                    pass  # the original (or an earlier replacement) was mined meanwhile
                last_send = now
            time.sleep(self.poll_interval)

    def _mined_revert(self, intent: _Intent, receipt: dict[str, Any]) -> errors.ContractError:
        block = hex(int(receipt["blockNumber"], 16) - 1)
        try:
            self.rpc("eth_call", [{"from": self.address, "to": intent.to, "data": intent.data,
                                   "value": hex(intent.value), "gas": hex(intent.gas)}, block])
        except errors.ContractError as exc:
            exc.detail = f"mined in {receipt['transactionHash']} and reverted"
            return exc
        return errors.contract_error("TransactionReverted", detail=f"{receipt['transactionHash']} reverted")
