"""ABI tuples ↔ named dicts, so decoded structs load straight into the pydantic models."""

from __future__ import annotations

from typing import Any

from perennial_sdk.abi import abi_type

__all__ = ["abi_type", "name_values", "tuple_values"]




def name_values(param: dict[str, Any], value: Any) -> Any:
    """Decoded ``value`` with every tuple turned into a dict keyed by component name.

    One-field structs named ``_value`` (``Accumulator6``) collapse to their value; ``bytes`` become 0x-hex.
    """
    kind: str = param["type"]
    if kind.endswith("[]"):
        inner = {**param, "type": kind[:-2]}
        return [name_values(inner, v) for v in value]
    if kind == "tuple":
        comps = param["components"]
        if len(comps) == 1 and comps[0]["name"] == "_value":
            return name_values(comps[0], value[0])
        return {c["name"]: name_values(c, v) for c, v in zip(comps, value)}
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return value


def tuple_values(param: dict[str, Any], value: Any) -> Any:
    """The inverse of :func:`name_values`: a dict keyed by component name → the ABI tuple."""
    kind: str = param["type"]
    if kind.endswith("[]"):
        inner = {**param, "type": kind[:-2]}
        return [tuple_values(inner, v) for v in value]
    if kind == "tuple":
        comps = param["components"]
        if len(comps) == 1 and comps[0]["name"] == "_value" and not isinstance(value, dict):
            return (value,)
        return tuple(tuple_values(c, value[c["name"]]) for c in comps)
    return value
