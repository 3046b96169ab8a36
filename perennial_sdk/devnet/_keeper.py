"""The keeper path of a devnet: signed price data → ``KeeperFactory.commit`` → settlement callbacks.

The data is MockPyth update data for the SDK's ``PythFactory``, or Stork-signed values (signed with
the devnet's Stork publisher key) for Perennial's own ``StorkFactory`` on a records deployment.

Times are pinned with ``evm_setNextBlockTimestamp``, so each commit lands at a known block time:
requested versions ``T`` are committed ``valid_from`` seconds after ``T`` (or right away when that
is already past), with a price published at ``T + valid_from``; a version past ``T + timeout`` is
committed invalid (empty update data), as the contract then requires. A fresh unrequested version
is committed at the next block's time minus one second.
"""

from __future__ import annotations

__all__ = ["Commit", "Keeper", "update_data"]

from dataclasses import dataclass
from typing import Any

from eth_abi.abi import encode as abi_encode
from web3 import Web3

from perennial_sdk import abi as abi_files
from perennial_sdk.client._stork import DEVNET_STORK_KEY, encode_stork_update, sign_stork_value

from ._chain import Chain
from ._deploy import Deployment
from ._errors import DevnetValueError
from ._tx import Transactor, function_data

_FEED_TYPES = ["(bytes32,(int64,uint64,int32,uint256),(int64,uint64,int32,uint256))", "uint64"]
_INT64 = 2**63


def update_data(feed: str | bytes, price: int, publish_time: int, *, expo: int = -8) -> bytes:
    """MockPyth update data (``createPriceFeedUpdateData``) for a raw 6-decimal ``price``.

    The Pyth price is ``price × 10^(-expo-6)`` (expo ≤ -6), so ``PythFactory`` reads ``price`` back
    exactly.
    """
    feed_id = bytes.fromhex(feed.removeprefix("0x")) if isinstance(feed, str) else feed
    if len(feed_id) != 32:
        raise DevnetValueError("feed", feed, "must be a 32-byte id")
    if expo > -6:
        raise DevnetValueError("expo", expo, "must be <= -6 (prices carry 6 decimals)")
    if publish_time < 1:
        raise DevnetValueError("publish_time", publish_time, "must be >= 1")
    value = price * 10 ** (-expo - 6)
    if not -_INT64 <= value < _INT64:
        raise DevnetValueError("price", price, f"does not fit Pyth's int64 at expo {expo}")
    quote = (value, 0, expo, publish_time)
    return abi_encode(_FEED_TYPES, [(feed_id, quote, quote), publish_time - 1])


@dataclass(frozen=True)
class Commit:
    """One committed oracle version: ``price`` (raw 6-decimal) is what the oracle recorded (for an
    invalid version, the previous latest price); ``settled`` counts the accounts settled by the
    version's callbacks."""

    market: str
    version: int
    price: int
    valid: bool
    requested: bool
    settled: int = 0


class Keeper:
    """Commits prices to a deployment's keeper oracles from an unlocked ``keeper`` account."""

    def __init__(
        self, w3: Web3, deployment: Deployment, *, keeper: str, tx: Transactor | None = None
    ) -> None:
        self.w3 = w3
        self.deployment = deployment
        self.keeper = Web3.to_checksum_address(keeper)
        self.tx = tx or Transactor(w3)
        self.chain = Chain(w3)
        self._oracles: dict[str, Any] = {}
        self._factory = w3.eth.contract(address=Web3.to_checksum_address(deployment.keeper_factory),
                                        abi=abi_files.abi("PythFactory"))  # the keeper surface of any KeeperFactory

    def __repr__(self) -> str:
        return f"Keeper(keeper={self.keeper}, markets={list(self.deployment.markets)})"

    def _oracle(self, market: str) -> Any:
        """The market's KeeperOracle contract (built once: web3 contract objects are slow to make)."""
        cached = self._oracles.get(market)
        if cached is None:
            info = self.deployment.market(market)
            cached = self._oracles[market] = self.w3.eth.contract(
                address=Web3.to_checksum_address(info.provider), abi=abi_files.abi("KeeperOracle")
            )
        return cached

    def update_data(self, market: str, price: int, publish_time: int) -> bytes:
        """Update data carrying ``price`` (raw 6-decimal) for ``market``'s feed, published at ``publish_time``:
        MockPyth data, or a Stork value signed with the devnet publisher key."""
        info = self.deployment.market(market)
        if self.deployment.price_feed == "stork":
            value = sign_stork_value(DEVNET_STORK_KEY, info.feed_id, publish_time * 10**9, price * 10**12)
            return encode_stork_update([value])
        return update_data(info.feed_id, price, publish_time, expo=self.deployment.oracle.expo)

    def outstanding(self, market: str) -> list[int]:
        """The requested versions of ``market`` not committed yet, oldest first."""
        oracle = self._oracle(market)
        _latest, current_index, latest_index = self.tx.read(oracle.functions["global"]())
        return [int(self.tx.read(oracle.functions.requests(i))) for i in range(latest_index + 1, current_index + 1)]

    def latest(self, market: str) -> tuple[int, int, bool]:
        """The oracle's latest committed version: (timestamp, price, valid)."""
        timestamp, price, valid = self.tx.read(self._oracle(market).functions.latest())
        return int(timestamp), int(price), bool(valid)

    def _commit(self, market: str, version: int, block_time: int, data: bytes) -> None:
        info = self.deployment.market(market)
        fn = self._factory.functions.commit([bytes.fromhex(info.oracle_id[2:])], version, data)
        self.chain.set_next_block_timestamp(block_time)
        value = self.deployment.oracle.update_fee_wei if data and self.deployment.price_feed == "pyth" else 0
        self.tx.send_raw(fn.address, function_data(fn), sender=self.keeper, value=value,
                         label=f"KeeperFactory.commit({market}@{version})")

    def commit_requested(self, market: str, price: int, *, settle: bool = True) -> list[Commit]:
        """Commit every outstanding requested version of ``market`` at ``price``, oldest first.

        Each is committed ``valid_from`` seconds after its timestamp (time moves forward to it), or
        at the next second when that is past; past its timeout it is committed invalid. With
        ``settle`` the version's settlement callbacks run (``PythFactory.settle``), settling every
        account that requested it.
        """
        _check_price(price)
        config = self.deployment.oracle
        info = self.deployment.market(market)
        oracle = self._oracle(market)
        commits: list[Commit] = []
        for version in self.outstanding(market):
            latest_block = self.chain.timestamp()
            block_time = max(latest_block + 1, version + max(1, config.valid_from))
            fresh = block_time <= version + config.timeout
            data = self.update_data(market, price, version + config.valid_from) if fresh else b""
            self._commit(market, version, block_time, data)
            _, recorded, valid = self.tx.read(oracle.functions.at(version))[0]
            settled = 0
            if settle:
                callbacks = self.tx.read(oracle.functions.localCallbacks(version))
                if callbacks:
                    fn = self._factory.functions.settle(
                        [bytes.fromhex(info.oracle_id[2:])], [version], [len(callbacks)]
                    )
                    self.tx.send_raw(fn.address, function_data(fn), sender=self.keeper,
                                 label=f"KeeperFactory.settle({market}@{version})")
                    settled = len(callbacks)
            commits.append(Commit(market, version, int(recorded), bool(valid), True, settled))
        return commits

    def commit_price(self, market: str, price: int, *, at: int | None = None) -> list[Commit]:
        """Commit ``price`` for ``market``: first the outstanding requested versions, then a fresh
        unrequested version (at the next block's time − 1, or at version ``at``).

        Returns the commits, the unrequested one last.
        """
        _check_price(price)
        config = self.deployment.oracle
        commits = self.commit_requested(market, price)
        latest_version, _, _ = self.latest(market)
        latest_block = self.chain.timestamp()
        if at is None:
            block_time = latest_block + 1
            version = block_time - 1
        else:
            if at <= latest_version:
                raise DevnetValueError("at", at, f"must be after the latest committed version {latest_version}")
            block_time = max(latest_block + 1, at + 1)
            version = at
        pending = self.outstanding(market)
        if pending and version >= pending[0]:
            raise DevnetValueError(
                "at", version, f"must be before the outstanding requested version {pending[0]}"
            )
        data = self.update_data(market, price, version + config.valid_from)
        self._commit(market, version, block_time, data)
        commits.append(Commit(market, version, price, True, False))
        return commits


def _check_price(price: int) -> None:
    if isinstance(price, bool) or not isinstance(price, int):
        raise DevnetValueError("price", price, "must be a raw 6-decimal int (1_000_000 = 1.0)")
