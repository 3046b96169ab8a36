"""A settable oracle timeline for the simulator (the ``IOracleProvider`` view the market uses, spec §7)."""

from __future__ import annotations

from dataclasses import dataclass

from perennial_sdk.errors import InputError
from perennial_sdk.models import OracleReceipt, OracleVersion

__all__ = ["SimOracle", "VersionRecord"]


@dataclass(slots=True, frozen=True)
class VersionRecord:
    """A committed version: price (raw Fixed6), validity and the receipt's fees (raw UFixed6)."""

    price: int
    valid: bool
    settlement_fee: int = 0
    oracle_fee: int = 0


_UNCOMMITTED = VersionRecord(0, False, 0, 0)


class SimOracle:
    """Committed versions by timestamp plus the ``status()`` pair (latest committed, current).

    ``commit`` records a version; ``set_status`` moves the clock. ``advance`` does both the way a
    keeper that commits every version would: commit at ``t``, latest = ``t``, current = ``t + granularity``.
    """

    __slots__ = ("_versions", "current_timestamp", "granularity", "latest_timestamp", "requests")

    def __init__(self, *, granularity: int = 1) -> None:
        if granularity <= 0:
            raise InputError("granularity must be > 0", field="granularity", limit=1, value=granularity)
        self._versions: dict[int, VersionRecord] = {}
        self.granularity = granularity
        self.latest_timestamp = 0
        self.current_timestamp = granularity
        self.requests: list[int] = []

    def commit(
        self, timestamp: int, price: int, *, valid: bool = True, settlement_fee: int = 0, oracle_fee: int = 0
    ) -> None:
        """Record the version at ``timestamp`` (raw 6-decimal ``price`` and fees)."""
        if timestamp < 0:
            raise InputError("timestamp must be ≥ 0", field="timestamp", limit=0, value=timestamp)
        self._versions[timestamp] = VersionRecord(price, valid, settlement_fee, oracle_fee)

    def set_status(self, latest_timestamp: int, current_timestamp: int) -> None:
        """Set the latest committed timestamp and the timestamp new orders are placed at."""
        if current_timestamp < latest_timestamp:
            raise InputError(
                "current timestamp must be ≥ latest timestamp",
                field="current_timestamp", limit=latest_timestamp, value=current_timestamp,
            )
        self.latest_timestamp = latest_timestamp
        self.current_timestamp = current_timestamp

    def advance(self, timestamp: int, price: int, *, settlement_fee: int = 0, oracle_fee: int = 0) -> None:
        """Commit a valid version at ``timestamp`` and make it the latest; orders go to the next slot."""
        self.commit(timestamp, price, settlement_fee=settlement_fee, oracle_fee=oracle_fee)
        self.latest_timestamp = timestamp
        self.current_timestamp = timestamp + self.granularity

    def commit_requested(self, price: int, *, settlement_fee: int = 0, oracle_fee: int = 0, valid: bool = True) -> list[int]:
        """Commit every requested, not yet committed version at ``price`` (what keepers do).

        Returns the committed timestamps; the latest timestamp moves to the last of them.
        """
        done = [t for t in self.requests if t not in self._versions and t <= self.current_timestamp]
        for t in done:
            self.commit(t, price, valid=valid, settlement_fee=settlement_fee, oracle_fee=oracle_fee)
        if done and done[-1] > self.latest_timestamp:
            self.latest_timestamp = done[-1]
        self.requests = [t for t in self.requests if t not in self._versions]
        return done

    def record(self, timestamp: int) -> VersionRecord:
        """The raw record at ``timestamp`` (an uncommitted timestamp reads as price 0, invalid)."""
        return self._versions.get(timestamp, _UNCOMMITTED)

    def request(self, timestamp: int) -> None:
        """Called by the market for a non-empty order (keeps the request queue, like KeeperOracle)."""
        if not self.requests or self.requests[-1] != timestamp:
            self.requests.append(timestamp)

    # IOracleProvider-style reads -------------------------------------------------------------
    def at(self, timestamp: int) -> tuple[OracleVersion, OracleReceipt]:
        """The version and receipt at ``timestamp``."""
        rec = self.record(timestamp)
        return (
            OracleVersion(timestamp=timestamp, price=rec.price, valid=rec.valid),
            OracleReceipt(settlement_fee=rec.settlement_fee, oracle_fee=rec.oracle_fee),
        )

    def latest(self) -> OracleVersion:
        """The latest committed version."""
        return self.at(self.latest_timestamp)[0]

    def current(self) -> int:
        """The timestamp a new order is placed at."""
        return self.current_timestamp

    def status(self) -> tuple[OracleVersion, int]:
        """(latest version, current timestamp)."""
        return self.latest(), self.current_timestamp
