"""Stork price updates for a ``StorkFactory`` keeper path (Perennial's own chain, id 1424).

``StorkFactory.commit(ids, version, data)`` takes ``data = abi.encode(TemporalNumericValueInput[])``:
for each underlying id, a Stork-signed ``(timestampNs, quantizedValue)`` with the publisher merkle
root, the value-compute algorithm hash and the signature ``(r, s, v)``. The factory asks the Stork
contract ``verifyStorkSignatureV1(storkPublicKey(), ...)``, then books the price as
``quantizedValue / 1e12`` (an 18-decimal value truncated to 6 decimals) at ``timestampNs / 1e9``.

* :class:`StorkPriceSource` fetches signed prices from Stork's REST API (live chains);
* :class:`DevStorkPriceSource` signs prices you set with a devnet publisher key (the devnet places
  the SDK's ``MockStork`` at Stork's address with that key as ``storkPublicKey``).

An underlying id is Stork's encoded asset id, ``keccak256(asset)`` (e.g. ``keccak256("ETHUSD")``):
:func:`stork_asset_id`.
"""

from __future__ import annotations

__all__ = [
    "DEVNET_STORK_KEY",
    "DevStorkPriceSource",
    "StorkPriceSource",
    "StorkSignedValue",
    "encode_stork_update",
    "sign_stork_value",
    "stork_asset_id",
]

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import requests
from eth_abi.abi import encode
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils.crypto import keccak

from perennial_sdk.client._prices import PriceUpdate
from perennial_sdk.errors import InputError, RpcError

DEVNET_STORK_KEY = "0x" + keccak(text="perennial-sdk devnet stork publisher").hex()
"""The devnet's Stork publisher key. Public by design, like anvil's dev mnemonic: it signs only
devnet prices, for the ``MockStork`` the devnet installs. Never fund it or use it elsewhere."""

_INPUT_ARRAY = "((uint64,int192),bytes32,bytes32,bytes32,bytes32,bytes32,uint8)[]"
_SCALE = 10**12
"""quantized (18 decimals) → raw 6 decimals."""
_INT192 = 2**191
_DEFAULT_ALG = keccak(text="perennial-sdk devnet median v1")


def stork_asset_id(asset: str) -> str:
    """Stork's encoded asset id of ``asset`` (``keccak256(asset)``, e.g. ``"ETHUSD"``) as 0x-hex."""
    if not asset or not asset.isascii():
        raise InputError("a Stork asset is an ASCII name like 'ETHUSD'", field="asset", value=asset)
    return "0x" + keccak(text=asset).hex()


def _bytes32(value: str | bytes, field: str) -> bytes:
    raw = bytes.fromhex(value.removeprefix("0x")) if isinstance(value, str) else value
    if len(raw) != 32:
        raise InputError(f"{field} must be 32 bytes", field=field, limit=32, value=len(raw))
    return raw


@dataclass(frozen=True, slots=True)
class StorkSignedValue:
    """One ``TemporalNumericValueInput``: a Stork-signed value of ``asset_id`` at ``timestamp_ns``."""

    asset_id: bytes
    timestamp_ns: int
    quantized_value: int
    publisher_merkle_root: bytes
    value_compute_alg_hash: bytes
    r: bytes
    s: bytes
    v: int

    @property
    def price(self) -> int:
        """The raw 6-decimal price the factory books (``quantized / 1e12``, truncated toward zero)."""
        q = abs(self.quantized_value) // _SCALE
        return q if self.quantized_value >= 0 else -q

    @property
    def publish_time(self) -> int:
        """The second the factory books it at (``timestamp_ns / 1e9``, floored)."""
        return self.timestamp_ns // 10**9


def encode_stork_update(values: Sequence[StorkSignedValue]) -> bytes:
    """``abi.encode(TemporalNumericValueInput[])``: the ``data`` of ``StorkFactory.commit``."""
    rows = [((v.timestamp_ns, v.quantized_value), v.asset_id, v.publisher_merkle_root, v.value_compute_alg_hash,
             v.r, v.s, v.v) for v in values]
    return encode([_INPUT_ARRAY], [rows])


def _stork_message(public_key: str, asset_id: bytes, timestamp_ns: int, quantized_value: int, merkle_root: bytes,
                   alg_hash: bytes) -> bytes:
    """keccak256(abi.encodePacked(pubKey, id, recvTime, quantizedValue, merkleRoot, algHash)) (Stork's V1 scheme)."""
    packed = (bytes.fromhex(public_key.removeprefix("0x")) + asset_id + timestamp_ns.to_bytes(32, "big")
              + quantized_value.to_bytes(32, "big", signed=True) + merkle_root + alg_hash)
    return keccak(packed)


def sign_stork_value(key: str | bytes, asset_id: str | bytes, timestamp_ns: int, quantized_value: int, *,
                     publisher_merkle_root: bytes = b"\x00" * 32,
                     value_compute_alg_hash: bytes = _DEFAULT_ALG) -> StorkSignedValue:
    """Sign a value the way Stork's aggregator does (EIP-191 over the V1 message hash) with ``key``."""
    ident = _bytes32(asset_id, "asset_id")
    if not 0 <= timestamp_ns < 2**64:
        raise InputError("timestamp_ns must fit uint64", field="timestamp_ns", limit=2**64 - 1, value=timestamp_ns)
    if not -_INT192 <= quantized_value < _INT192:
        raise InputError("quantized_value must fit int192", field="quantized_value", limit=_INT192 - 1,
                         value=quantized_value)
    try:
        account = Account.from_key(key)
    except Exception:  # noqa: BLE001 - eth-account's messages can include the key itself
        raise InputError("not a valid private key", field="key", value="<redacted>") from None
    message = _stork_message(account.address, ident, timestamp_ns, quantized_value, publisher_merkle_root,
                             value_compute_alg_hash)
    signed = account.sign_message(encode_defunct(primitive=message))
    return StorkSignedValue(ident, timestamp_ns, quantized_value, publisher_merkle_root, value_compute_alg_hash,
                            signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big"), signed.v)


class DevStorkPriceSource:
    """Set a raw 6-decimal price per Stork asset id; ``update`` signs it at the asked second.

    The signer defaults to :data:`DEVNET_STORK_KEY`, which the devnet's ``MockStork`` trusts.
    """

    def __init__(self, *, key: str | bytes = DEVNET_STORK_KEY) -> None:
        try:
            self._key = Account.from_key(key).key
        except Exception:  # noqa: BLE001
            raise InputError("not a valid private key", field="key", value="<redacted>") from None
        self.public_key = str(Account.from_key(self._key).address)
        self.prices: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"DevStorkPriceSource(public_key={self.public_key!r})"

    def set(self, feed_id: str, price: int) -> None:
        """The raw 6-decimal price the next updates of ``feed_id`` carry (exact: ×1e12 on the wire)."""
        if isinstance(price, bool) or not isinstance(price, int):
            raise InputError("price must be a raw 6-decimal int", field="price", value=price)
        if not -_INT192 <= price * _SCALE < _INT192:
            raise InputError("price must fit int192 at 18 decimals", field="price", value=price)
        self.prices["0x" + _bytes32(feed_id, "feed_id").hex()] = price

    def update(self, feed_id: str, publish_time: int) -> PriceUpdate:
        """Signed update data for ``feed_id`` published at ``publish_time`` (seconds)."""
        key = "0x" + _bytes32(feed_id, "feed_id").hex()
        if key not in self.prices:
            raise InputError(f"no price set for feed {feed_id}", field="feed_id", value=feed_id)
        if publish_time < 0:
            raise InputError("publish_time must be >= 0", field="publish_time", limit=0, value=publish_time)
        value = sign_stork_value(self._key, key, publish_time * 10**9, self.prices[key] * _SCALE)
        return PriceUpdate(key, encode_stork_update([value]), publish_time, value.price, 0)


class StorkPriceSource:
    """Fetches ``GET {endpoint}/v1/prices/latest?assets=NAME`` (``Authorization: Basic <token>``).

    ``assets`` maps underlying ids to Stork asset names; by default each name in ``names`` is
    keyed by its :func:`stork_asset_id`. Stork serves the latest signed value only, so the update's
    ``publish_time`` is Stork's, not the one asked for: the client commits it at the version that
    time allows (``publish_time - validFrom``).
    """

    def __init__(self, token: str, *, names: Sequence[str] = ("ETHUSD", "BTCUSD", "SOLUSD"),
                 assets: Mapping[str, str] | None = None, endpoint: str = "https://rest.jp.stork-oracle.network",
                 timeout: float = 5.0, session: requests.Session | None = None) -> None:
        if not token:
            raise InputError("a Stork API token is required", field="token", value="<empty>")
        self._token = token
        self.endpoint = endpoint.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        chosen = dict(assets) if assets is not None else {stork_asset_id(n): n for n in names}
        self.assets = {"0x" + _bytes32(k, "assets").hex(): v for k, v in chosen.items()}

    def __repr__(self) -> str:
        return f"StorkPriceSource(endpoint={self.endpoint!r}, assets={sorted(self.assets.values())})"

    def update(self, feed_id: str, publish_time: int) -> PriceUpdate:
        """The latest signed value of ``feed_id``'s asset (``publish_time`` is not used: see the class)."""
        ident = "0x" + _bytes32(feed_id, "feed_id").hex()
        name = self.assets.get(ident)
        if name is None:
            raise InputError(f"no Stork asset name for feed {ident}", field="feed_id", value=ident)
        try:
            resp = self.session.get(f"{self.endpoint}/v1/prices/latest", params={"assets": name},
                                    headers={"Authorization": f"Basic {self._token}"}, timeout=self.timeout)
        except requests.RequestException as exc:
            raise RpcError(f"Stork request failed: {type(exc).__name__}") from exc
        if resp.status_code != 200:
            raise RpcError(f"Stork answered HTTP {resp.status_code} for {name}")
        try:
            signed = resp.json()["data"][name]["stork_signed_price"]
            stamp = signed["timestamped_signature"]
            sig = stamp["signature"]
            value = StorkSignedValue(
                asset_id=_bytes32(signed["encoded_asset_id"], "encoded_asset_id"),
                timestamp_ns=int(stamp["timestamp"]),
                quantized_value=int(signed["price"]),
                publisher_merkle_root=_bytes32(signed["publisher_merkle_root"], "publisher_merkle_root"),
                value_compute_alg_hash=_bytes32(signed["calculation_alg"]["checksum"], "checksum"),
                r=_bytes32(sig["r"], "r"),
                s=_bytes32(sig["s"], "s"),
                v=int(str(sig["v"]), 16) if str(sig["v"]).startswith("0x") else int(sig["v"]),
            )
        except (KeyError, TypeError, ValueError, InputError) as exc:
            raise RpcError(f"malformed Stork response for {name}: {type(exc).__name__}: {exc}") from exc
        if "0x" + value.asset_id.hex() != ident:
            raise RpcError(f"Stork answered for {value.asset_id.hex()}, not {ident}")
        return PriceUpdate(ident, encode_stork_update([value]), value.publish_time, value.price, 0)
