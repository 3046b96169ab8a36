"""Signing keys: from an environment variable or an encrypted keystore; never printed.

No key is needed to import the SDK or to read; a key is loaded only when you ask for one here.
:class:`Signer` wraps an eth-account ``LocalAccount`` so that its ``repr``/``str`` show the address only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from eth_account import Account

from perennial_sdk.errors import InputError

__all__ = ["Signer", "signer_from_env", "signer_from_key", "signer_from_keystore"]


class Signer:
    """A signing account whose key never appears in a repr, a log line or an exception."""

    __slots__ = ("_account",)

    def __init__(self, account: Any) -> None:
        self._account = account

    @property
    def address(self) -> str:
        return str(self._account.address)

    def sign_transaction(self, tx: dict[str, Any]) -> Any:
        """Sign an EIP-1559 transaction dict."""
        return self._account.sign_transaction(tx)

    def __repr__(self) -> str:
        return f"Signer(address={self.address!r})"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("a Signer holds a private key and cannot be pickled")


def signer_from_key(key: str | bytes) -> Signer:
    """A signer from a raw private key (hex string or 32 bytes); errors never echo the key."""
    try:
        return Signer(Account.from_key(key))
    except Exception:  # noqa: BLE001 - eth-account's messages can include the key itself
        raise InputError("not a valid private key", field="private_key", value="<redacted>") from None


def signer_from_env(variable: str = "PERENNIAL_PRIVATE_KEY") -> Signer:
    """A signer from the private key in environment ``variable``."""
    value = os.environ.get(variable)
    if not value:
        raise InputError(f"environment variable {variable} is not set", field=variable, value=None)
    return signer_from_key(value.strip())


def signer_from_keystore(path: str | Path, password: str) -> Signer:
    """A signer from an encrypted JSON keystore (geth / eth-account format)."""
    try:
        encrypted = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read keystore {path}: {type(exc).__name__}", field="keystore", value=str(path)) from None
    try:
        key = Account.decrypt(encrypted, password)
    except ValueError:
        raise InputError("wrong keystore password or corrupt keystore", field="password", value="<redacted>") from None
    return Signer(Account.from_key(key))
