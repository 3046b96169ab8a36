"""Typed helpers over the anvil/evm RPC methods of a devnet reached through a ``Web3``."""

from __future__ import annotations

__all__ = ["Chain", "SnapshotId", "dev_accounts"]

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NewType

from eth_account import Account
from eth_account.hdaccount import key_from_seed, seed_from_mnemonic
from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from web3 import Web3
from web3.exceptions import Web3Exception
from web3.types import RPCEndpoint

from ._anvil import DEFAULT_MNEMONIC
from ._errors import DevnetRPCError, DevnetValueError, SnapshotError

SnapshotId = NewType("SnapshotId", str)
"""An ``evm_snapshot`` id, e.g. ``"0x3"``. Single use: reverting to it consumes it."""

_UINT256_MAX = 2**256 - 1


def dev_accounts(count: int = 10, *, mnemonic: str = DEFAULT_MNEMONIC) -> list[LocalAccount]:
    """The funded dev accounts anvil creates: ``m/44'/60'/0'/0/i`` of ``mnemonic``, i < count."""
    if count < 0:
        raise DevnetValueError("count", count, "must be >= 0")
    seed = seed_from_mnemonic(mnemonic, passphrase="")
    return [Account.from_key(key_from_seed(seed, f"m/44'/60'/0'/0/{i}")) for i in range(count)]


def _hex(value: int) -> str:
    return hex(value)


class Chain:
    """Devnet control (snapshots, time, balances, code, state) for one ``Web3``.

    Every method is one or two RPC calls; nothing is cached, so several ``Chain`` objects over
    the same node see the same state. RPC failures raise DevnetRPCError.
    """

    def __init__(self, w3: Web3) -> None:
        self.w3 = w3

    def __repr__(self) -> str:
        return f"Chain({self.w3.provider!s})"

    # -- plumbing -------------------------------------------------------------------------

    def rpc(self, method: str, *params: Any) -> Any:
        """Call a raw RPC method through web3's middleware; errors become DevnetRPCError."""
        try:
            return self.w3.manager.request_blocking(RPCEndpoint(method), list(params))
        except Web3Exception as exc:
            raise DevnetRPCError(method, str(exc)) from exc
        except OSError as exc:  # connection refused, timeouts (requests errors are OSErrors)
            raise DevnetRPCError(method, f"transport error: {exc}") from exc

    @staticmethod
    def _address(address: str) -> ChecksumAddress:
        if not Web3.is_address(address):
            raise DevnetValueError("address", address, "not an address")
        return Web3.to_checksum_address(address)

    # -- reading ----------------------------------------------------------------------------

    def block_number(self) -> int:
        """Number of the latest block."""
        return int(self.rpc("eth_blockNumber"), 16)

    def timestamp(self) -> int:
        """Timestamp of the latest block, in seconds."""
        block = self.rpc("eth_getBlockByNumber", "latest", False)
        return int(block["timestamp"], 16)

    def balance(self, address: str) -> int:
        """Balance of ``address`` in wei at the latest block."""
        return int(self.rpc("eth_getBalance", self._address(address), "latest"), 16)

    # -- snapshots --------------------------------------------------------------------------

    def snapshot(self) -> SnapshotId:
        """Record the current state; returns an id for ``revert``."""
        result = self.rpc("evm_snapshot")
        if not isinstance(result, str):
            raise DevnetRPCError("evm_snapshot", f"unexpected result {result!r}")
        return SnapshotId(result)

    def revert(self, snapshot_id: SnapshotId) -> None:
        """Go back to ``snapshot_id``. This consumes it and every later snapshot.

        Take a fresh snapshot after reverting to return to the same point again.
        Raises SnapshotError if the id is unknown or already consumed.
        """
        if self.rpc("evm_revert", snapshot_id) is not True:
            raise SnapshotError(snapshot_id)

    @contextmanager
    def isolate(self) -> Iterator[SnapshotId]:
        """Snapshot on entry, revert on exit (also when the block raises)."""
        snapshot_id = self.snapshot()
        try:
            yield snapshot_id
        finally:
            self.revert(snapshot_id)

    # -- blocks and time --------------------------------------------------------------------

    def mine(self, blocks: int = 1) -> int:
        """Mine ``blocks`` empty blocks; returns the new latest block number."""
        if blocks < 1:
            raise DevnetValueError("blocks", blocks, "must be >= 1")
        self.rpc("anvil_mine", _hex(blocks))
        return self.block_number()

    def set_next_block_timestamp(self, timestamp: int) -> None:
        """Give the next mined block this timestamp (not earlier than the latest block)."""
        if timestamp < 0:
            raise DevnetValueError("timestamp", timestamp, "must be >= 0")
        self.rpc("evm_setNextBlockTimestamp", timestamp)

    def set_time(self, timestamp: int) -> None:
        """Set the node's clock (``evm_setTime``); unlike the other time controls it may go back.

        Blocks mined after it continue from ``timestamp`` (plus the wall time that passes).
        """
        if timestamp < 0:
            raise DevnetValueError("timestamp", timestamp, "must be >= 0")
        self.rpc("evm_setTime", timestamp)

    def time_travel(self, *, seconds: int | None = None, to_timestamp: int | None = None) -> int:
        """Mine one block ``seconds`` after the latest one, or at ``to_timestamp``.

        Give exactly one of the two. Later blocks continue from the new time.
        Returns the timestamp of the mined block.
        """
        if (seconds is None) == (to_timestamp is None):
            raise DevnetValueError(
                "seconds/to_timestamp",
                {"seconds": seconds, "to_timestamp": to_timestamp},
                "give exactly one of seconds= or to_timestamp=",
            )
        latest = self.timestamp()
        if seconds is not None:
            if seconds < 1:
                raise DevnetValueError("seconds", seconds, "must be >= 1")
            target = latest + seconds
        else:
            assert to_timestamp is not None
            if to_timestamp <= latest:
                raise DevnetValueError(
                    "to_timestamp", to_timestamp, f"must be after the latest block's time {latest}"
                )
            target = to_timestamp
        self.rpc("evm_setNextBlockTimestamp", target)
        self.rpc("evm_mine")
        mined = self.timestamp()
        if mined != target:
            raise DevnetRPCError("evm_mine", f"mined a block at {mined}, wanted {target}")
        return mined

    # -- accounts and state -----------------------------------------------------------------

    def set_balance(self, address: str, wei: int) -> None:
        """Set the ether balance of ``address``, in wei."""
        if not 0 <= wei <= _UINT256_MAX:
            raise DevnetValueError("wei", wei, "must be a uint256")
        self.rpc("anvil_setBalance", self._address(address), _hex(wei))

    def set_code(self, address: str, code: bytes) -> None:
        """Replace the runtime bytecode at ``address``."""
        self.rpc("anvil_setCode", self._address(address), "0x" + bytes(code).hex())

    def set_storage_at(self, address: str, slot: int, value: int) -> None:
        """Write a raw 32-byte storage word."""
        if not 0 <= slot <= _UINT256_MAX:
            raise DevnetValueError("slot", slot, "must be a uint256")
        if not 0 <= value <= _UINT256_MAX:
            raise DevnetValueError("value", value, "must be a uint256")
        word = "0x" + value.to_bytes(32, "big").hex()
        self.rpc("anvil_setStorageAt", self._address(address), _hex(slot), word)

    @contextmanager
    def impersonate(self, address: str) -> Iterator[ChecksumAddress]:
        """Let transactions ``from`` this address be sent unsigned while inside the block."""
        checksum = self._address(address)
        self.rpc("anvil_impersonateAccount", checksum)
        try:
            yield checksum
        finally:
            self.rpc("anvil_stopImpersonatingAccount", checksum)

    def dump_state(self) -> bytes:
        """The whole chain state as anvil exports it (gzip-compressed JSON).

        Feed it to ``load_state`` or to ``launch_anvil(load_state=...)``.
        """
        result = self.rpc("anvil_dumpState")
        if not isinstance(result, str) or not result.startswith("0x"):
            raise DevnetRPCError("anvil_dumpState", "unexpected result")
        return bytes.fromhex(result[2:])

    def load_state(self, state: bytes) -> None:
        """Merge a state from ``dump_state`` (gzip or plain JSON) into this node."""
        if not state:
            raise DevnetValueError("state", b"", "empty state")
        if state[:2] != b"\x1f\x8b":  # anvil refuses large plain-JSON requests: send it gzipped
            state = gzip.compress(bytes(state), compresslevel=1)
        if self.rpc("anvil_loadState", "0x" + bytes(state).hex()) is not True:
            raise DevnetRPCError("anvil_loadState", "node refused the state")
