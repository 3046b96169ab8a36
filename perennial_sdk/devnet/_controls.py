"""Price and time controls for tests: the devnet's keeper path, a chain clock, and a MockPyth
planted over a forked chain's Pyth contract."""

from __future__ import annotations

__all__ = ["PYTH_ADDRESSES", "Clock", "PriceControl", "PythPriceControl"]

from typing import TYPE_CHECKING

from hexbytes import HexBytes
from web3 import Web3

from perennial_sdk import abi as abi_files

from ._chain import Chain
from ._errors import DevnetValueError
from ._keeper import Commit, update_data
from ._tx import Transactor, function_data

if TYPE_CHECKING:
    from ._devnet import Devnet

PYTH_ADDRESSES: dict[int, str] = {
    42161: "0xff1a0f4744e8582DF1aE09D5611b887B6a12925C",
}
"""The Pyth contract by chain id (Arbitrum One), for ``PythPriceControl`` on a fork."""

_MOCK_PYTH_FEE_SLOT = 1
_MOCK_PYTH_VALID_PERIOD_SLOT = 2


class PriceControl:
    """Set a devnet market's price the way production does: a keeper commits a Pyth update.

    ``set(market, price)`` commits the outstanding requested versions and a fresh one;
    ``commit_requested`` only the requested ones (the orders' versions).
    """

    def __init__(self, devnet: Devnet) -> None:
        self.devnet = devnet

    def __repr__(self) -> str:
        return f"PriceControl(markets={list(self.devnet.deployment.markets)})"

    def set(self, market: str, price: int, *, at: int | None = None) -> list[Commit]:
        """Commit ``price`` (raw 6-decimal) for ``market``; see ``Devnet.commit_price``."""
        return self.devnet.commit_price(market, price, at=at)

    def commit_requested(self, market: str, price: int, *, settle: bool = True) -> list[Commit]:
        """Commit the outstanding requested versions of ``market``; see ``Devnet.commit_requested``."""
        return self.devnet.commit_requested(market, price, settle=settle)

    def get(self, market: str) -> int:
        """The latest committed price of ``market`` (raw 6-decimal)."""
        return self.devnet.latest_price(market)

    def requested(self, market: str) -> list[int]:
        """The outstanding requested versions of ``market``."""
        return self.devnet.requested(market)


class Clock:
    """The chain's clock: block timestamps, in seconds."""

    def __init__(self, chain: Chain) -> None:
        self.chain = chain

    def __repr__(self) -> str:
        return f"Clock(now={self.chain.timestamp()})"

    def now(self) -> int:
        """Timestamp of the latest block."""
        return self.chain.timestamp()

    def advance(self, seconds: int) -> int:
        """Mine a block ``seconds`` later; returns its timestamp."""
        return self.chain.time_travel(seconds=seconds)

    def travel_to(self, timestamp: int) -> int:
        """Mine a block at ``timestamp`` (after the latest block); returns it."""
        return self.chain.time_travel(to_timestamp=timestamp)

    def next_block_at(self, timestamp: int) -> None:
        """Give the next mined block (e.g. your next transaction) this timestamp."""
        self.chain.set_next_block_timestamp(timestamp)


class PythPriceControl:
    """Prices on a chain whose Pyth contract at ``address`` is replaced by MockPyth.

    ``install()`` swaps the code with ``anvil_setCode`` (MockPyth's runtime code) and sets its
    update fee and valid time period; the forked protocol then accepts MockPyth update data, so
    ``update_data(...)`` can be passed to a keeper factory's ``commit`` and ``set(...)`` stores a
    price readable with ``getPriceUnsafe``.
    """

    def __init__(self, w3: Web3, address: str, *, update_fee_wei: int = 0, valid_time_period: int = 60) -> None:
        if not Web3.is_address(address):
            raise DevnetValueError("address", address, "not an address")
        if update_fee_wei < 0 or valid_time_period < 0:
            raise DevnetValueError(
                "update_fee_wei/valid_time_period", (update_fee_wei, valid_time_period), "must be >= 0"
            )
        self.w3 = w3
        self.address = Web3.to_checksum_address(address)
        self.update_fee_wei = update_fee_wei
        self.valid_time_period = valid_time_period
        self.chain = Chain(w3)
        self.tx = Transactor(w3)
        self.contract = w3.eth.contract(address=self.address, abi=abi_files.abi("MockPyth"))

    def __repr__(self) -> str:
        return f"PythPriceControl({self.address})"

    def install(self) -> None:
        """Replace the code at ``address`` with MockPyth and configure its fee and valid period."""
        code = str(abi_files.artifact("MockPyth")["deployedBytecode"])
        self.chain.set_code(self.address, bytes(HexBytes(code)))
        self.chain.set_storage_at(self.address, _MOCK_PYTH_FEE_SLOT, self.update_fee_wei)
        self.chain.set_storage_at(self.address, _MOCK_PYTH_VALID_PERIOD_SLOT, self.valid_time_period)

    def update_data(self, feed: str, price: int, publish_time: int | None = None, *, expo: int = -8) -> bytes:
        """MockPyth update data for ``feed`` at ``price`` (raw 6-decimal), published at
        ``publish_time`` (default: the latest block's time)."""
        return update_data(feed, price, publish_time or self.chain.timestamp(), expo=expo)

    def set(
        self, feed: str, price: int, *, publish_time: int | None = None, expo: int = -8, sender: str | None = None
    ) -> None:
        """Store ``price`` for ``feed`` in the MockPyth (``updatePriceFeeds``, fee paid)."""
        data = self.update_data(feed, price, publish_time, expo=expo)
        who = sender or self.w3.eth.accounts[0]
        fn = self.contract.functions.updatePriceFeeds([data])
        self.tx.send_raw(self.address, function_data(fn), sender=who, value=self.update_fee_wei,
                         label="MockPyth.updatePriceFeeds")

    def get(self, feed: str) -> tuple[int, int, int]:
        """``getPriceUnsafe(feed)``: (price, expo, publish time) as Pyth stores them."""
        feed_id = bytes(HexBytes(feed))
        price, _conf, expo, publish_time = self.tx.read(self.contract.functions.getPriceUnsafe(feed_id))
        return int(price), int(expo), int(publish_time)
