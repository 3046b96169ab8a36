"""Price update data for the keeper path (``KeeperFactory.commit`` / MultiInvoker ``COMMIT_PRICE``).

* :class:`HermesPriceSource` asks a Hermes-compatible HTTP endpoint (Pyth's price service) for the
  signed update whose publish time is a given second (live chains);
* :class:`MockPythPriceSource` builds ``MockPyth`` update data for prices you set (devnet, or a fork
  whose Pyth contract was replaced by MockPyth).

Prices are raw 6-decimal integers on the SDK side; Pyth's ``price × 10^expo`` is converted exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import requests
from eth_abi.abi import encode

from perennial_sdk.errors import InputError, RpcError

__all__ = ["HermesPriceSource", "MockPythPriceSource", "PriceSource", "PriceUpdate"]


@dataclass(frozen=True, slots=True)
class PriceUpdate:
    """Signed (or mock) update data for one feed at ``publish_time``, and its price in raw 6 decimals."""

    feed_id: str
    data: bytes
    publish_time: int
    price: int
    fee: int = 0


class PriceSource(Protocol):
    """Where update data comes from: ``update(feed_id, publish_time)``."""

    def update(self, feed_id: str, publish_time: int) -> PriceUpdate: ...


def _feed(feed_id: str) -> bytes:
    raw = bytes.fromhex(feed_id.removeprefix("0x"))
    if len(raw) != 32:
        raise InputError("a Pyth feed id is 32 bytes", field="feed_id", limit=32, value=len(raw))
    return raw


def _to_raw6(price: int, expo: int) -> int:
    """price × 10^expo in raw 6 decimals, truncated toward zero (as the keeper factory does)."""
    shift = expo + 6
    if shift >= 0:
        return price * int(10**shift)
    q = abs(price) // int(10 ** (-shift))
    return q if price >= 0 else -q


class MockPythPriceSource:
    """``MockPyth.createPriceFeedUpdateData`` in Python: set a price per feed, get update data."""

    def __init__(self, *, fee_per_update: int = 1) -> None:
        self.prices: dict[str, int] = {}
        self.fee_per_update = fee_per_update

    def set(self, feed_id: str, price: int) -> None:
        """The raw 6-decimal price the next updates of ``feed_id`` carry (expo −6, so it is exact)."""
        if not -(2**63) <= price < 2**63:
            raise InputError("price must fit int64", field="price", limit=2**63 - 1, value=price)
        self.prices[feed_id.lower()] = price

    def update(self, feed_id: str, publish_time: int) -> PriceUpdate:
        key = feed_id.lower()
        if key not in self.prices:
            raise InputError(f"no price set for feed {feed_id}", field="feed_id", value=feed_id)
        price = self.prices[key]
        ident = _feed(feed_id)
        body = (ident, (price, 0, -6, publish_time), (price, 0, -6, publish_time))
        data = encode(
            ["(bytes32,(int64,uint64,int32,uint256),(int64,uint64,int32,uint256))", "uint64"],
            [body, max(publish_time - 1, 0)],
        )
        return PriceUpdate(feed_id, data, publish_time, price, self.fee_per_update)


class HermesPriceSource:
    """Fetches ``/v2/updates/price/{publish_time}?ids[]=…&encoding=hex&parsed=true`` from ``endpoint``."""

    def __init__(self, endpoint: str, *, timeout: float = 5.0, session: requests.Session | None = None,
                 fee_per_update: int = 1) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        self.fee_per_update = fee_per_update

    def __repr__(self) -> str:
        return f"HermesPriceSource(endpoint={self.endpoint!r})"

    def update(self, feed_id: str, publish_time: int) -> PriceUpdate:
        ident = "0x" + _feed(feed_id).hex()
        url = f"{self.endpoint}/v2/updates/price/{publish_time}"
        try:
            resp = self.session.get(
                url, params={"ids[]": ident, "encoding": "hex", "parsed": "true"}, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise RpcError(f"Hermes request failed: {type(exc).__name__}") from exc
        if resp.status_code != 200:
            raise RpcError(f"Hermes answered HTTP {resp.status_code} for {ident} at {publish_time}")
        body = resp.json()
        try:
            data = bytes.fromhex(body["binary"]["data"][0].removeprefix("0x"))
            parsed = next(p for p in body["parsed"] if p["id"].removeprefix("0x") == ident[2:])
            price = _to_raw6(int(parsed["price"]["price"]), int(parsed["price"]["expo"]))
            published = int(parsed["price"]["publish_time"])
        except (KeyError, IndexError, StopIteration, ValueError) as exc:
            raise RpcError(f"malformed Hermes response for {ident}: {exc}") from exc
        return PriceUpdate(ident, data, published, price, self.fee_per_update)
