"""Every custom error in the SDK's ABIs decodes to its own typed class."""

from __future__ import annotations

from eth_abi import encode
from eth_utils.crypto import keccak

from perennial_sdk import abi, errors
from perennial_sdk.revert import PanicError, RevertStringError, UnknownRevertError, decode_revert, error_selectors


def test_every_abi_error_maps_to_a_class() -> None:
    missing = []
    for name in abi.contract_names():
        for item in abi.abi(name):
            if item["type"] == "error" and item["name"] not in errors.CONTRACT_ERRORS:
                missing.append(f"{name}.{item['name']}")
    assert missing == []


def test_decoding_round_trips_name_and_arguments() -> None:
    for selector, (name, types) in error_selectors().items():
        values = [0 if t.startswith(("uint", "int")) else b"" if t == "bytes" else "0x" + "11" * 20 for t in types]
        data = selector + (encode(list(types), values) if types else b"")
        err = decode_revert(data)
        assert err.name == name and isinstance(err, errors.CONTRACT_ERRORS[name]), name
        assert err.source == "revert"


def test_error_string_panic_and_unknown() -> None:
    sel = keccak(text="Error(string)")[:4]
    assert isinstance(decode_revert(sel + encode(["string"], ["nope"])), RevertStringError)
    panic = decode_revert(keccak(text="Panic(uint256)")[:4] + encode(["uint256"], [0x11]))
    assert isinstance(panic, PanicError) and "0x11" in str(panic)
    assert isinstance(decode_revert("0xdeadbeef"), UnknownRevertError)


def test_underflow_carries_its_value() -> None:
    data = keccak(text="UFixed6UnderflowError(int256)")[:4] + encode(["int256"], [-5])
    err = decode_revert(data)
    assert isinstance(err, errors.UFixed6UnderflowError) and err.value == -5
