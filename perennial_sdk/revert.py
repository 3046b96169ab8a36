"""Revert data → typed :class:`~perennial_sdk.errors.ContractError` (one boundary, one table).

Every custom error in the SDK's ABIs has a class in :mod:`perennial_sdk.errors`; the 4-byte
selector table is built from those ABIs. ``Error(string)`` and ``Panic(uint256)`` decode to
:class:`RevertStringError` and :class:`PanicError`; unknown selectors to :class:`UnknownRevertError`
with the raw data.
"""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar

from eth_abi.abi import decode as abi_decode
from eth_utils.crypto import keccak

from perennial_sdk import abi as abi_files
from perennial_sdk import errors
from perennial_sdk.abi import abi_type

__all__ = ["PanicError", "RevertStringError", "UnknownRevertError", "decode_revert", "error_selectors", "from_exception"]


class RevertStringError(errors.ContractError):
    """``require(..., "message")`` / ``revert("message")``: ``Error(string)``."""

    name: ClassVar[str] = "Error"
    signature: ClassVar[str] = "Error(string)"


class PanicError(errors.ContractError):
    """A Solidity panic (``Panic(uint256)``): 0x11 overflow, 0x12 division by zero, ..."""

    name: ClassVar[str] = "Panic"
    signature: ClassVar[str] = "Panic(uint256)"


class UnknownRevertError(errors.ContractError):
    """Revert data whose selector is in none of the SDK's ABIs."""

    name: ClassVar[str] = "UnknownRevert"
    signature: ClassVar[str] = "UnknownRevert(bytes)"


def _selector(signature: str) -> bytes:
    return keccak(text=signature)[:4]


@cache
def error_selectors() -> dict[bytes, tuple[str, tuple[str, ...]]]:
    """Selector → (error name, argument types) for every custom error in the SDK's ABIs."""
    table: dict[bytes, tuple[str, tuple[str, ...]]] = {}
    for name in abi_files.contract_names():
        for item in abi_files.abi(name):
            if item.get("type") == "error":
                types = tuple(abi_type(i) for i in item["inputs"])
                table[_selector(f"{item['name']}({','.join(types)})")] = (item["name"], types)
    for cls in errors.CONTRACT_ERRORS.values():
        sig = cls.signature
        types = tuple(t for t in sig[sig.index("(") + 1 : -1].split(",") if t)
        table.setdefault(_selector(sig), (cls.name, types))
    return table




def decode_revert(data: bytes | str | None, *, source: str = "revert") -> errors.ContractError:
    """The typed exception for revert ``data`` (bytes or 0x-hex)."""
    raw = bytes.fromhex(data.removeprefix("0x")) if isinstance(data, str) else (data or b"")
    if len(raw) < 4:
        return UnknownRevertError(raw.hex(), source=source, detail="empty revert data")
    selector, body = raw[:4], raw[4:]
    if selector == _selector("Error(string)"):
        (message,) = abi_decode(["string"], body)
        return RevertStringError(message, source=source)
    if selector == _selector("Panic(uint256)"):
        (code,) = abi_decode(["uint256"], body)
        return PanicError(hex(code), source=source)
    known = error_selectors().get(selector)
    if known is None:
        return UnknownRevertError("0x" + raw.hex(), source=source)
    name, types = known
    args = abi_decode(list(types), body) if types else ()
    return errors.contract_error(name, *args, source=source)


def from_exception(exc: BaseException) -> errors.ContractError | None:
    """The typed error inside a web3 exception (``ContractCustomError``, ``ContractLogicError``, RPC error)."""
    data: Any = getattr(exc, "data", None)
    if isinstance(data, dict):
        data = data.get("data")
    if data is None and exc.args:
        first = exc.args[0]
        if isinstance(first, dict):
            data = first.get("data")
        elif isinstance(first, tuple) and len(first) > 1:
            data = first[1]
    if isinstance(data, (bytes, str)) and data:
        try:
            return decode_revert(data)
        except ValueError:
            return None
    return None
