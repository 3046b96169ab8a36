"""Struct reads from deployed contracts as plain dicts and the SDK's pydantic models."""

from __future__ import annotations

__all__ = ["MarketReader", "struct_dict"]

from functools import cache
from typing import Any

from eth_abi.abi import decode as abi_decode
from eth_abi.abi import encode as abi_encode
from eth_utils.crypto import keccak
from web3 import Web3
from web3.contract import Contract

from perennial_sdk import abi as abi_files
from perennial_sdk import models
from perennial_sdk.abi import abi_type

from ._tx import Transactor


def _output_components(contract: str, function: str) -> list[dict[str, Any]]:
    for item in abi_files.abi(contract):
        if item.get("type") == "function" and item.get("name") == function:
            outputs: list[dict[str, Any]] = item["outputs"]
            if len(outputs) == 1 and "components" in outputs[0]:
                components: list[dict[str, Any]] = outputs[0]["components"]
                return components
            return outputs
    raise KeyError(f"{contract}.{function}")




@cache
def _view(contract: str, function: str) -> tuple[bytes, list[str], list[str], list[dict[str, Any]]]:
    """(selector, input types, output types, struct components) of a non-overloaded function."""
    for item in abi_files.abi(contract):
        if item.get("type") == "function" and item.get("name") == function:
            inputs = [abi_type(i) for i in item["inputs"]]
            outputs = [abi_type(o) for o in item["outputs"]]
            selector = keccak(text=f"{function}({','.join(inputs)})")[:4]
            return selector, inputs, outputs, _output_components(contract, function)
    raise KeyError(f"{contract}.{function}")


def struct_dict(value: Any, components: list[dict[str, Any]]) -> dict[str, Any]:
    """A decoded ABI tuple as a dict keyed by the ABI's field names (camelCase).

    Single-field wrapper structs (``Accumulator6 {_value}``) are unwrapped to their value.
    """
    out: dict[str, Any] = {}
    for component, item in zip(components, value, strict=True):
        inner = component.get("components")
        if inner is not None and not component["type"].endswith("]"):
            if len(inner) == 1 and inner[0]["name"] == "_value":
                item = item[0]
            else:
                item = struct_dict(item, inner)
        out[component["name"]] = item
    return out


class MarketReader:
    """Typed views of one deployed market (each method is one ``eth_call``)."""

    def __init__(self, w3: Web3, address: str, *, tx: Transactor | None = None) -> None:
        self.address = Web3.to_checksum_address(address)
        self.contract: Contract = w3.eth.contract(address=self.address, abi=abi_files.abi("Market"))
        self.tx = tx or Transactor(w3)

    def __repr__(self) -> str:
        return f"MarketReader({self.address})"

    def _read(self, function: str, *args: Any) -> dict[str, Any]:
        selector, inputs, outputs, components = _view("Market", function)
        raw = self.tx.call(self.address, selector + abi_encode(inputs, list(args)), block="latest")
        (value,) = abi_decode(outputs, raw)
        return struct_dict(value, components)

    def global_(self) -> models.Global:
        """``global()``."""
        return models.Global.model_validate(self._read("global"))

    def position(self) -> models.Position:
        """``position()``: the global settled position."""
        return models.Position.model_validate(self._read("position"))

    def positions(self, account: str) -> models.Position:
        """``positions(account)``."""
        return models.Position.model_validate(self._read("positions", Web3.to_checksum_address(account)))

    def locals(self, account: str) -> models.Local:
        """``locals(account)``."""
        return models.Local.model_validate(self._read("locals", Web3.to_checksum_address(account)))

    def pending(self) -> models.Order:
        """``pending()``: the global pending order."""
        return models.Order.model_validate(self._read("pending"))

    def pendings(self, account: str) -> models.Order:
        """``pendings(account)``."""
        return models.Order.model_validate(self._read("pendings", Web3.to_checksum_address(account)))

    def versions(self, timestamp: int) -> models.Version:
        """``versions(timestamp)``."""
        return models.Version.model_validate(self._read("versions", timestamp))

    def checkpoints(self, account: str, timestamp: int) -> models.Checkpoint:
        """``checkpoints(account, timestamp)``."""
        return models.Checkpoint.model_validate(
            self._read("checkpoints", Web3.to_checksum_address(account), timestamp)
        )

    def parameter(self) -> models.MarketParameter:
        """``parameter()``."""
        return models.MarketParameter.model_validate(self._read("parameter"))

    def risk_parameter(self) -> models.RiskParameter:
        """``riskParameter()``."""
        return models.RiskParameter.model_validate(self._read("riskParameter"))
