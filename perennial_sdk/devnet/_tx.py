"""Transactions on a devnet from unlocked accounts, with reverts raised as typed contract errors.

Requests go straight to the provider (``make_request``): one JSON-RPC round trip each, no web3
middleware. A send is preflighted with ``eth_call`` on the pending block, so a rejected call raises
its :class:`~perennial_sdk.errors.ContractError` (e.g. ``MarketInsufficientMarginError``) and the
chain is left exactly as it was (no block, no nonce, no gas spent).
"""

from __future__ import annotations

__all__ = ["DEFAULT_GAS", "Transactor", "function_data", "struct_arg"]

import time
from typing import Any

from eth_abi.abi import decode as abi_decode
from eth_abi.abi import encode as abi_encode
from eth_typing import ChecksumAddress
from hexbytes import HexBytes
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.types import RPCEndpoint, TxReceipt

from perennial_sdk import abi as abi_files
from perennial_sdk import errors
from perennial_sdk.abi import abi_type
from perennial_sdk.revert import decode_revert

from ._errors import DevnetRPCError, DevnetValueError

DEFAULT_GAS = 25_000_000
"""Gas limit of every devnet transaction (anvil's default block gas limit is 30M)."""


def _hex(data: bytes | str) -> str:
    if isinstance(data, (bytes, bytearray)):
        return "0x" + bytes(data).hex()
    return data if data.startswith("0x") else "0x" + data


def _revert_data(error: Any) -> str | None:
    data = error.get("data") if isinstance(error, dict) else None
    if isinstance(data, dict):
        data = data.get("data")
    if isinstance(data, str) and data.startswith("0x"):
        return data
    return None


def function_data(fn: ContractFunction) -> str:
    """The calldata (0x-hex) of a bound web3 contract function call."""
    return str(fn._encode_transaction_data())




class Transactor:
    """Sends calls and transactions for a ``Web3`` whose node holds the senders unlocked (anvil).

    ``gas_price=None`` lets the node price transactions; ``0`` sends them for free (needs a node
    with base fee 0).
    """

    def __init__(self, w3: Web3, *, gas: int = DEFAULT_GAS, gas_price: int | None = None) -> None:
        if gas <= 0:
            raise DevnetValueError("gas", gas, "must be > 0")
        if gas_price is not None and gas_price < 0:
            raise DevnetValueError("gas_price", gas_price, "must be >= 0")
        self.w3 = w3
        self.gas = gas
        self.gas_price = gas_price
        self.receipt_timeout = 60.0
        self._sync = True

    def __repr__(self) -> str:
        return f"Transactor({self.w3.provider!s}, gas={self.gas})"

    # -- plumbing ---------------------------------------------------------------------------

    def rpc(self, method: str, *params: Any) -> Any:
        """One raw JSON-RPC request; an error response raises DevnetRPCError."""
        try:
            response = self.w3.provider.make_request(RPCEndpoint(method), list(params))
        except OSError as exc:
            raise DevnetRPCError(method, f"transport error: {exc}") from exc
        if "error" in response:
            error = response["error"]
            message = error.get("message", str(error)) if isinstance(error, dict) else str(error)
            raise DevnetRPCError(method, str(message))
        return response.get("result")

    def _tx(self, to: str | None, data: bytes | str, sender: str, value: int) -> dict[str, Any]:
        if value < 0:
            raise DevnetValueError("value", value, "must be >= 0 wei")
        tx: dict[str, Any] = {
            "from": Web3.to_checksum_address(sender),
            "data": _hex(data),
            "value": hex(value),
            "gas": hex(self.gas),
        }
        if to is not None:
            tx["to"] = Web3.to_checksum_address(to)
        if self.gas_price is not None:
            tx["gasPrice"] = hex(self.gas_price)
        return tx

    # -- calls ------------------------------------------------------------------------------

    def call(
        self,
        to: str,
        data: bytes | str,
        *,
        sender: str | None = None,
        value: int = 0,
        block: str = "pending",
    ) -> bytes:
        """``eth_call``; a revert raises its typed ContractError (``source="revert"``).

        ``block="pending"`` runs the call in the next block's environment (the timestamp a sent
        transaction would see).
        """
        tx = self._tx(to, data, sender or "0x" + "00" * 20, value)
        tx.pop("gasPrice", None)
        if sender is None:
            tx.pop("from")
        response = self.w3.provider.make_request(RPCEndpoint("eth_call"), [tx, block])
        if "error" in response:
            revert = _revert_data(response["error"])
            if revert is not None:
                raise decode_revert(revert)
            raise DevnetRPCError("eth_call", str(response["error"]))
        return bytes(HexBytes(response["result"]))

    def read(self, fn: ContractFunction, *, block: str = "latest") -> Any:
        """Call a bound view function and ABI-decode its outputs (one value, or a tuple of them).

        One raw ``eth_call``: none of web3's per-request middleware round trips.
        """
        raw = self.call(fn.address, function_data(fn), block=block)
        outputs = fn.abi.get("outputs", [])
        values = abi_decode([abi_type(dict(o)) for o in outputs], raw)
        return values[0] if len(values) == 1 else values

    # -- transactions -----------------------------------------------------------------------

    def send(
        self,
        to: str | None,
        data: bytes | str,
        *,
        sender: str,
        value: int = 0,
        preflight: bool = True,
        label: str = "",
    ) -> TxReceipt:
        """Send a transaction from an unlocked ``sender`` and wait for its (web3-formatted) receipt.

        With ``preflight`` (default) a reverting call raises its typed ContractError before
        anything is sent. A mined transaction that reverted raises the same typed error, decoded
        from a ``callTracer`` trace; the error gets a note naming the sender, target and ``label``.
        """
        raw = self.send_raw(to, data, sender=sender, value=value, preflight=preflight, label=label)
        return self.w3.eth.get_transaction_receipt(HexBytes(raw["transactionHash"]))

    def send_raw(
        self,
        to: str | None,
        data: bytes | str,
        *,
        sender: str,
        value: int = 0,
        preflight: bool = True,
        label: str = "",
    ) -> dict[str, Any]:
        """``send`` returning the receipt as the node's JSON (hex strings): no formatting round trip."""
        tx = self._tx(to, data, sender, value)
        if preflight and to is not None:
            try:
                self.call(to, data, sender=sender, value=value)
            except errors.ContractError as exc:
                exc.add_note(f"preflight of {label or 'call'} from {tx['from']} to {tx.get('to')}")
                raise
        receipt = self._send_and_wait(tx)
        tx_hash = str(receipt["transactionHash"])
        if int(receipt["status"], 16) != 1:
            error = self._mined_revert(str(tx_hash))
            error.add_note(f"transaction {tx_hash} ({label or 'call'}) from {tx['from']} reverted")
            raise error
        return receipt

    def _send_and_wait(self, tx: dict[str, Any]) -> dict[str, Any]:
        """``eth_sendTransactionSync`` (the receipt in one round trip) where the node has it, else
        ``eth_sendTransaction`` and polling for the receipt."""
        if self._sync:
            response = self.w3.provider.make_request(RPCEndpoint("eth_sendTransactionSync"), [tx])
            result = response.get("result")
            if isinstance(result, dict) and "status" in result:
                return result
            error = response.get("error")
            code = error.get("code") if isinstance(error, dict) else None
            if code not in (-32601, -32602, -32600):  # a real failure, not "no such method"
                message = error.get("message", str(error)) if isinstance(error, dict) else str(response)
                raise DevnetRPCError("eth_sendTransactionSync", str(message))
            self._sync = False
        return self._receipt(str(self.rpc("eth_sendTransaction", tx)))

    def _receipt(self, tx_hash: str) -> dict[str, Any]:
        """Wait for the receipt (anvil answers eth_sendTransaction before the block is mined)."""
        deadline = time.monotonic() + self.receipt_timeout
        delay = 0.0005
        while True:
            raw = self.rpc("eth_getTransactionReceipt", tx_hash)
            if isinstance(raw, dict):
                return raw
            if time.monotonic() >= deadline:
                raise DevnetRPCError(
                    "eth_getTransactionReceipt", f"{tx_hash} not mined within {self.receipt_timeout:g}s"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def _mined_revert(self, tx_hash: str) -> errors.ContractError:
        try:
            trace = self.rpc("debug_traceTransaction", tx_hash, {"tracer": "callTracer"})
        except DevnetRPCError:
            trace = None
        output = trace.get("output") if isinstance(trace, dict) else None
        return decode_revert(output if isinstance(output, str) else None)

    def deploy(self, name: str, *args: Any, sender: str) -> ChecksumAddress:
        """Deploy contract ``name`` from perennial_sdk/artifacts with constructor ``args``."""
        code = abi_files.bytecode(name)
        constructor = next((i for i in abi_files.abi(name) if i.get("type") == "constructor"), None)
        types = [abi_type(p) for p in constructor["inputs"]] if constructor else []
        if len(types) != len(args):
            raise DevnetValueError(f"{name}.constructor", args, f"expects {len(types)} arguments")
        data = code + (abi_encode(types, list(args)).hex() if types else "")
        receipt = self.send_raw(None, data, sender=sender, label=f"deploy {name}")
        address = receipt["contractAddress"]
        if address is None:
            raise DevnetRPCError("eth_sendTransaction", f"deploying {name} created no contract")
        return Web3.to_checksum_address(address)


def _as_tuple(value: Any, components: list[dict[str, Any]]) -> tuple[Any, ...]:
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    if not isinstance(value, dict):
        return tuple(value)
    out: list[Any] = []
    for component in components:
        name = component["name"]
        if name not in value:
            raise DevnetValueError(name, value, f"missing struct field {name!r}")
        item = value[name]
        if "components" in component and not component["type"].endswith("]"):
            item = _as_tuple(item, component["components"])
        out.append(int(item) if isinstance(item, int) and not isinstance(item, bool) else item)
    return tuple(out)


def struct_arg(contract: str, function: str, value: Any, index: int = 0) -> tuple[Any, ...]:
    """A struct argument (pydantic model or camelCase dict) as the ABI tuple of ``contract.function``.

    Fields are taken by name in the ABI's component order (``models.*.model_dump()`` gives them).
    """
    for item in abi_files.abi(contract):
        if item.get("type") == "function" and item.get("name") == function:
            param = item["inputs"][index]
            if "components" in param:
                return _as_tuple(value, param["components"])
    raise DevnetValueError("function", f"{contract}.{function}", "has no struct argument there")
