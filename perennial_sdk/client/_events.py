"""Event decoding for every event in the SDK's ABIs (keyed by topic 0)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from eth_abi.abi import decode
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from perennial_sdk import abi as abi_files
from perennial_sdk.client._abi_codec import abi_type, name_values

__all__ = ["DecodedEvent", "decode_log", "decode_logs", "event_topics"]


@dataclass(frozen=True, slots=True)
class DecodedEvent:
    """A decoded log: event ``name``, emitting ``address``, named ``args`` (structs as dicts)."""

    name: str
    address: str
    args: dict[str, Any]
    block_number: int
    log_index: int


@cache
def event_topics() -> dict[tuple[bytes, int], dict[str, Any]]:
    """(topic 0, number of indexed args) → event ABI, for every event in the SDK's ABIs."""
    table: dict[tuple[bytes, int], dict[str, Any]] = {}
    for name in abi_files.contract_names():
        for item in abi_files.abi(name):
            if item.get("type") == "event" and not item.get("anonymous"):
                sig = f"{item['name']}({','.join(abi_type(i) for i in item['inputs'])})"
                indexed = sum(1 for i in item["inputs"] if i.get("indexed"))
                table[(keccak(text=sig), indexed)] = item
    return table


def _hex(value: Any) -> bytes:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return bytes.fromhex(str(value)[2:])


def _int(value: Any) -> int:
    return value if isinstance(value, int) else int(str(value), 16)


def decode_log(log: dict[str, Any]) -> DecodedEvent | None:
    """Decode one log (RPC JSON or web3 form); None if no ABI of the SDK knows it."""
    topics = [_hex(t) for t in log["topics"]]
    if not topics:
        return None
    item = event_topics().get((topics[0], len(topics) - 1))
    if item is None:
        return None
    indexed = [i for i in item["inputs"] if i.get("indexed")]
    plain = [i for i in item["inputs"] if not i.get("indexed")]
    args: dict[str, Any] = {}
    for param, topic in zip(indexed, topics[1:]):
        (value,) = decode([abi_type(param)], topic) if param["type"] in ("address", "uint256", "int256", "bool", "bytes32") or param["type"].startswith(("uint", "int")) else (topic,)
        args[param["name"]] = to_checksum_address(value) if param["type"] == "address" else name_values(param, value)
    values = decode([abi_type(p) for p in plain], _hex(log["data"])) if plain else ()
    for param, value in zip(plain, values):
        args[param["name"]] = to_checksum_address(value) if param["type"] == "address" else name_values(param, value)
    return DecodedEvent(
        name=item["name"], address=to_checksum_address(log["address"]), args=args,
        block_number=_int(log.get("blockNumber", 0) or 0), log_index=_int(log.get("logIndex", 0) or 0),
    )


def decode_logs(logs: list[dict[str, Any]]) -> list[DecodedEvent]:
    """Decode every log the SDK's ABIs know, in order."""
    out = []
    for log in logs:
        event = decode_log(log)
        if event is not None:
            out.append(event)
    return out
