"""Pooled-deposit ledger of an LP vault: who owns which share of the vault's equity.

Depositors get shares at NAV. Deposits and redemptions are *requested* at any time and queued; they
are processed together, all at one price, at the next **checkpoint** (= a rebalance of the vault),
where the caller supplies the vault's equity read from chain (collateral in every market + PnL +
pending fees + the idle wallet, i.e. :attr:`vaults.strategy.Portfolio.equity` of a snapshot).

Every amount is a raw 6-decimal ``int`` (``1_000_000`` = 1.0); floats are refused. Storage is the
standard library's :mod:`sqlite3` (WAL journal, ``synchronous=FULL``); integers are stored as decimal
text so that no value is ever bounded by SQLite's 64-bit ``INTEGER``.

Pricing (after ``vault/types/Checkpoint.sol`` in docs/perennial-v2-math.md §8.3)
----------------------------------------------------------------------------------
At a checkpoint with equity ``E`` the assets backing the outstanding shares are
``N = E − pending deposits − unpaid claimables`` (queued deposits are already in the vault's wallet
or deployed, and claimables are owed to redeemers, so neither belongs to the shareholders). With
``S`` = total shares (free + locked for redemption) before the checkpoint:

* each queued deposit ``a`` mints ``floor(a · S / N)`` shares (``a`` when ``S = 0``: the first
  deposit is 1:1). A deposit too small to mint one share is refunded to the depositor's claimable;
* each queued redemption of ``s`` shares burns them and credits ``floor(s · N / S)`` to the
  depositor's claimable.

Both roundings are floors, so the dust always stays in the pool: the share price after a checkpoint
is never below the price before it (at the same equity). Claimables are then paid by :meth:`claim`.
Unlike the on-chain vault there is no settlement fee and no ``spread`` of the rebalance's trade fees
onto the checkpoint's depositors/redeemers: the fees are in ``E`` and borne by every shareholder.

Idempotency and crash safety
----------------------------
Every mutating call takes a caller-chosen unique ``key`` (``checkpoint_id`` for checkpoints; the two
are separate namespaces). Each call is ONE SQLite transaction (``BEGIN IMMEDIATE`` … ``COMMIT``) that
both applies the operation and records its key, arguments and result; a checkpoint processes the
whole queue in that one transaction. So after a crash either the whole operation happened or none of
it did, and replaying the same call with the same key is a no-op that returns the original result
(``replayed=True``, which does not take part in equality). Reusing a key with different arguments
raises :class:`DuplicateKeyError`.

The intended protocol for a rebalance:

1. record every intent with its key: :meth:`Ledger.request_deposit` once the depositor's funds are
   in the vault's wallet (key = e.g. the transfer's transaction hash), :meth:`Ledger.request_redeem`
   when a depositor asks to leave;
2. send the rebalance transaction (which deploys the deposits and frees the redemptions' assets);
3. on its receipt, read the vault's equity *after* it (a snapshot at the receipt's block) and call
   :meth:`Ledger.checkpoint` with that NAV and a checkpoint id derived from the transaction (its hash).

A failed or dropped transaction is modelled by not calling step 3: the queue stays and is processed
by the next successful rebalance. After a crash, replay steps 1 and 3 with the same keys and the same
NAV (read at the receipt's block, so it is reproducible): whatever was already recorded is skipped.
For a payout, call :meth:`Ledger.claim` (the ledger debits the claimable) and then send the transfer,
idempotently, under the same key; :meth:`Ledger.reconcile` shows a transfer that never went out as a
surplus of on-chain assets over the book.

``tests/integration/test_ledger_crash.py`` kills a process at every step boundary and at fault points
inside every transaction (``Ledger._fault_hook``, a test-only hook), reopens the file, replays the
script and checks the result equals a run that never crashed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar

from perennial_sdk.errors import InputError, PerennialError

__all__ = [
    "ONE",
    "Balance",
    "CheckpointResult",
    "ClaimResult",
    "DepositRequest",
    "DuplicateKeyError",
    "HistoryEntry",
    "InsufficientSharesError",
    "InvalidAmountError",
    "InvalidNavError",
    "Ledger",
    "LedgerError",
    "LedgerInputError",
    "Reconciliation",
    "ReconciliationError",
    "RedeemRequest",
    "Totals",
    "UnknownDepositorError",
]

ONE = 1_000_000
"""1.0 as a raw 6-decimal integer (the share price of an empty pool)."""

_SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pool (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    total_shares TEXT NOT NULL,
    share_nav TEXT NOT NULL,
    pending_deposits TEXT NOT NULL,
    claimable TEXT NOT NULL,
    checkpoints INTEGER NOT NULL,
    last_checkpoint TEXT
);
CREATE TABLE IF NOT EXISTS accounts (
    depositor TEXT PRIMARY KEY,
    shares TEXT NOT NULL,
    locked_shares TEXT NOT NULL,
    pending_deposit TEXT NOT NULL,
    claimable TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS queue (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('deposit', 'redeem')),
    depositor TEXT NOT NULL,
    amount TEXT NOT NULL,
    op_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'processed', 'refunded')),
    checkpoint_id TEXT
);
CREATE INDEX IF NOT EXISTS queue_pending ON queue (status, seq);
CREATE TABLE IF NOT EXISTS ops (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    namespace TEXT NOT NULL,
    op_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    args TEXT NOT NULL,
    result TEXT NOT NULL,
    UNIQUE (namespace, op_key)
);
"""


# --------------------------------------------------------------------------------------- errors


class LedgerError(PerennialError):
    """Base of the ledger's errors that are not bad input (e.g. a failed reconciliation)."""

    code: ClassVar[str] = "ledger_error"


class LedgerInputError(InputError):
    """Bad input to the ledger, rejected before any state change. ``field``/``limit``/``value`` set."""

    code: ClassVar[str] = "ledger_input"


class InvalidAmountError(LedgerInputError):
    """An amount / share count / NAV that is not an int, or is below its minimum."""

    code: ClassVar[str] = "ledger_invalid_amount"


class InsufficientSharesError(LedgerInputError):
    """A redemption of more shares than the depositor holds free (``limit`` = the free shares)."""

    code: ClassVar[str] = "ledger_insufficient_shares"


class UnknownDepositorError(LedgerInputError):
    """A claim (or other operation) for a depositor the ledger has never seen."""

    code: ClassVar[str] = "ledger_unknown_depositor"


class InvalidNavError(LedgerInputError):
    """A checkpoint NAV that cannot back the outstanding shares, deposits and claimables.

    ``limit`` is the smallest acceptable NAV.
    """

    code: ClassVar[str] = "ledger_invalid_nav"


class DuplicateKeyError(LedgerInputError):
    """A key (or checkpoint id) reused with different arguments. ``limit`` = the recorded arguments."""

    code: ClassVar[str] = "ledger_duplicate_key"


class ReconciliationError(LedgerError):
    """:meth:`Reconciliation.check` found the books inconsistent."""

    code: ClassVar[str] = "ledger_reconciliation"

    def __init__(self, reconciliation: Reconciliation) -> None:
        self.reconciliation = reconciliation
        super().__init__("ledger does not reconcile: " + "; ".join(reconciliation.problems))


# --------------------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class DepositRequest:
    """A queued deposit (:meth:`Ledger.request_deposit`)."""

    key: str
    depositor: str
    amount: int
    queue_seq: int
    replayed: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class RedeemRequest:
    """A queued redemption; ``shares`` are locked until the next checkpoint."""

    key: str
    depositor: str
    shares: int
    queue_seq: int
    replayed: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """A payout of the depositor's whole claimable balance (``amount`` may be 0)."""

    key: str
    depositor: str
    amount: int
    replayed: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class CheckpointResult:
    """What one checkpoint did. Prices are raw 6-decimal (assets per share, floored)."""

    checkpoint_id: str
    nav: int
    """The equity the caller supplied."""
    share_nav_before: int
    """``nav`` − pending deposits − unpaid claimables: what backs ``shares_before``."""
    shares_before: int
    deposits: int
    """Assets of the processed deposits that minted shares."""
    refunded: int
    """Assets of deposits too small to mint a share, credited back to claimable."""
    minted: int
    burned: int
    assets_out: int
    """Assets credited to the redeemers' claimables."""
    share_nav_after: int
    shares_after: int
    share_price_before: int
    share_price_after: int
    processed: int
    """Number of queue entries processed."""
    replayed: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class Balance:
    """One depositor. ``value`` = the shares (free + locked) at the last checkpoint's price, floored."""

    depositor: str
    shares: int
    locked_shares: int
    pending_deposit: int
    claimable: int
    value: int


@dataclass(frozen=True, slots=True)
class Totals:
    """The pool. ``book_assets`` = ``share_nav`` + ``pending_deposits`` + ``claimable``."""

    total_shares: int
    locked_shares: int
    share_nav: int
    pending_deposits: int
    claimable: int
    book_assets: int
    depositors: int
    checkpoints: int
    last_checkpoint: str | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One recorded operation, in the order they were applied."""

    seq: int
    kind: str
    """``deposit``, ``redeem``, ``claim`` or ``checkpoint``."""
    key: str
    args: Mapping[str, Any]
    result: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The books' invariants, to the last unit (:meth:`Ledger.reconcile`)."""

    expected_assets: int
    book_assets: int
    share_nav: int
    pending_deposits: int
    claimable: int
    total_shares: int
    sum_shares: int
    locked_shares: int
    queued_redeem_shares: int
    sum_pending_deposits: int
    queued_deposits: int
    sum_claimable: int

    @property
    def difference(self) -> int:
        """``expected_assets − book_assets``: PnL since the last checkpoint, or a payout not sent."""
        return self.expected_assets - self.book_assets

    @property
    def problems(self) -> tuple[str, ...]:
        out: list[str] = []
        if self.sum_shares != self.total_shares:
            out.append(
                f"sum of account shares {self.sum_shares} != total shares {self.total_shares}"
            )
        if self.locked_shares != self.queued_redeem_shares:
            out.append(
                f"locked shares {self.locked_shares} != queued redemptions {self.queued_redeem_shares}"
            )
        if not (self.sum_pending_deposits == self.queued_deposits == self.pending_deposits):
            out.append(
                f"pending deposits: accounts {self.sum_pending_deposits}, queue {self.queued_deposits},"
                f" pool {self.pending_deposits}"
            )
        if self.sum_claimable != self.claimable:
            out.append(f"sum of claimables {self.sum_claimable} != pool claimable {self.claimable}")
        if self.share_nav + self.pending_deposits + self.claimable != self.book_assets:
            out.append("book assets != share NAV + pending deposits + claimable")
        if self.share_nav < 0 or (self.total_shares > 0 and self.share_nav <= 0):
            out.append(f"share NAV {self.share_nav} does not back {self.total_shares} shares")
        if self.difference != 0:
            out.append(f"expected assets {self.expected_assets} != book assets {self.book_assets}")
        return tuple(out)

    @property
    def ok(self) -> bool:
        return not self.problems

    def check(self) -> Reconciliation:
        """Return ``self`` if everything reconciles, else raise :class:`ReconciliationError`."""
        if not self.ok:
            raise ReconciliationError(self)
        return self


# --------------------------------------------------------------------------------------- helpers

_R = TypeVar("_R")


def _int(name: str, value: object, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAmountError(
            f"{name} must be a raw 6-decimal int, got {type(value).__name__} {value!r}",
            field=name,
            limit=f"int >= {minimum}",
            value=value,
        )
    if value < minimum:
        raise InvalidAmountError(
            f"{name} = {value} is below {minimum}", field=name, limit=minimum, value=value
        )
    return value


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise LedgerInputError(
            f"{name} must be a non-empty str, got {value!r}",
            field=name,
            limit="non-empty str",
            value=value,
        )
    return value


def _price(nav: int, shares: int) -> int:
    return ONE if shares == 0 else nav * ONE // shares


class Ledger:
    """The pooled-deposit ledger, persisted in one SQLite file (or ``":memory:"``).

    One :class:`Ledger` object per thread; several processes may share a file (writes serialize on
    ``BEGIN IMMEDIATE``).
    """

    def __init__(self, path: str | Path = ":memory:", *, timeout: float = 30.0) -> None:
        self.path = str(path)
        self._fault_hook: Callable[[str], None] | None = None  # tests: crash at a named point
        self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        with self._tx() as db:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            row = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (_SCHEMA_VERSION,))
                db.execute("INSERT INTO pool VALUES (1, '0', '0', '0', '0', 0, NULL)")
            elif row[0] != _SCHEMA_VERSION:
                raise LedgerError(
                    f"{self.path}: ledger schema {row[0]}, this code reads {_SCHEMA_VERSION}"
                )

    # ----------------------------------------------------------------------------- plumbing

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fault(self, point: str) -> None:
        if self._fault_hook is not None:
            self._fault_hook(point)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
            self._fault("before-commit")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _idempotent(
        self,
        namespace: str,
        key: str,
        kind: str,
        args: dict[str, Any],
        apply: Callable[[sqlite3.Connection], dict[str, Any]],
    ) -> tuple[dict[str, Any], bool]:
        """Run ``apply`` and record its result under ``(namespace, key)`` in one transaction.

        Returns ``(result, replayed)``.
        """
        args_json = json.dumps({"kind": kind, **args}, sort_keys=True)
        with self._tx() as db:
            row = db.execute(
                "SELECT args, result FROM ops WHERE namespace = ? AND op_key = ?", (namespace, key)
            ).fetchone()
            if row is not None:
                if row[0] != args_json:
                    field_name = "checkpoint_id" if namespace == "checkpoint" else "key"
                    raise DuplicateKeyError(
                        f"{field_name} {key!r} was already used for {row[0]}, now {args_json}",
                        field=field_name,
                        limit=json.loads(row[0]),
                        value=json.loads(args_json),
                    )
                result: dict[str, Any] = json.loads(row[1])
                return result, True
            result = apply(db)
            self._fault("before-record")
            db.execute(
                "INSERT INTO ops (namespace, op_key, kind, args, result) VALUES (?, ?, ?, ?, ?)",
                (namespace, key, kind, args_json, json.dumps(result, sort_keys=True)),
            )
            return result, False

    @staticmethod
    def _pool(db: sqlite3.Connection) -> dict[str, int]:
        row = db.execute(
            "SELECT total_shares, share_nav, pending_deposits, claimable, checkpoints FROM pool WHERE id = 1"
        ).fetchone()
        names = ("total_shares", "share_nav", "pending_deposits", "claimable", "checkpoints")
        return {n: int(v) for n, v in zip(names, row, strict=True)}

    @staticmethod
    def _set_pool(db: sqlite3.Connection, **values: int) -> None:
        for name, value in values.items():
            db.execute(f"UPDATE pool SET {name} = ? WHERE id = 1", (str(value),))

    @staticmethod
    def _account(db: sqlite3.Connection, depositor: str) -> dict[str, int] | None:
        row = db.execute(
            "SELECT shares, locked_shares, pending_deposit, claimable FROM accounts WHERE depositor = ?",
            (depositor,),
        ).fetchone()
        if row is None:
            return None
        names = ("shares", "locked_shares", "pending_deposit", "claimable")
        return {n: int(v) for n, v in zip(names, row, strict=True)}

    @staticmethod
    def _set_account(db: sqlite3.Connection, depositor: str, **values: int) -> None:
        db.execute(
            "INSERT OR IGNORE INTO accounts VALUES (?, '0', '0', '0', '0')",
            (depositor,),
        )
        for name, value in values.items():
            db.execute(
                f"UPDATE accounts SET {name} = ? WHERE depositor = ?", (str(value), depositor)
            )

    # ----------------------------------------------------------------------------- mutations

    def request_deposit(self, depositor: str, amount: int, *, key: str) -> DepositRequest:
        """Queue a deposit whose funds the vault has received; shares are minted at the next checkpoint."""
        depositor = _text("depositor", depositor)
        key = _text("key", key)
        amount = _int("amount", amount, minimum=1)

        def apply(db: sqlite3.Connection) -> dict[str, Any]:
            account = self._account(db, depositor) or {"pending_deposit": 0}
            cur = db.execute(
                "INSERT INTO queue (kind, depositor, amount, op_key, status) VALUES ('deposit', ?, ?, ?, 'pending')",
                (depositor, str(amount), key),
            )
            self._fault("deposit:queued")
            self._set_account(db, depositor, pending_deposit=account["pending_deposit"] + amount)
            pool = self._pool(db)
            self._set_pool(db, pending_deposits=pool["pending_deposits"] + amount)
            assert cur.lastrowid is not None
            return {"queue_seq": cur.lastrowid}

        result, replayed = self._idempotent(
            "request", key, "deposit", {"depositor": depositor, "amount": amount}, apply
        )
        return DepositRequest(key, depositor, amount, int(result["queue_seq"]), replayed)

    def request_redeem(self, depositor: str, shares: int, *, key: str) -> RedeemRequest:
        """Lock ``shares`` of the depositor's free shares and queue their redemption."""
        depositor = _text("depositor", depositor)
        key = _text("key", key)
        shares = _int("shares", shares, minimum=1)

        def apply(db: sqlite3.Connection) -> dict[str, Any]:
            account = self._account(db, depositor)
            free = 0 if account is None else account["shares"]
            if account is None or shares > free:
                raise InsufficientSharesError(
                    f"{depositor} redeems {shares} shares but holds {free} free shares",
                    field="shares",
                    limit=free,
                    value=shares,
                )
            cur = db.execute(
                "INSERT INTO queue (kind, depositor, amount, op_key, status) VALUES ('redeem', ?, ?, ?, 'pending')",
                (depositor, str(shares), key),
            )
            self._fault("redeem:queued")
            self._set_account(
                db, depositor, shares=free - shares, locked_shares=account["locked_shares"] + shares
            )
            assert cur.lastrowid is not None
            return {"queue_seq": cur.lastrowid}

        result, replayed = self._idempotent(
            "request", key, "redeem", {"depositor": depositor, "shares": shares}, apply
        )
        return RedeemRequest(key, depositor, shares, int(result["queue_seq"]), replayed)

    def claim(self, depositor: str, *, key: str) -> ClaimResult:
        """Pay out (debit) the depositor's whole claimable balance. Send the transfer after this."""
        depositor = _text("depositor", depositor)
        key = _text("key", key)

        def apply(db: sqlite3.Connection) -> dict[str, Any]:
            account = self._account(db, depositor)
            if account is None:
                raise UnknownDepositorError(
                    f"no depositor {depositor!r} in the ledger",
                    field="depositor",
                    limit="a depositor with a recorded deposit",
                    value=depositor,
                )
            amount = account["claimable"]
            self._set_account(db, depositor, claimable=0)
            self._fault("claim:debited")
            pool = self._pool(db)
            self._set_pool(db, claimable=pool["claimable"] - amount)
            return {"amount": amount}

        result, replayed = self._idempotent(
            "request", key, "claim", {"depositor": depositor}, apply
        )
        return ClaimResult(key, depositor, int(result["amount"]), replayed)

    def checkpoint(self, nav: int, *, checkpoint_id: str) -> CheckpointResult:
        """Process the whole queue at ``nav`` (the vault's equity read after the rebalance), atomically.

        Raises :class:`InvalidNavError` if ``nav`` does not exceed the pending deposits plus the unpaid
        claimables while shares are outstanding (or is below them when none are).
        """
        checkpoint_id = _text("checkpoint_id", checkpoint_id)
        nav = _int("nav", nav, minimum=0)

        def apply(db: sqlite3.Connection) -> dict[str, Any]:
            pool = self._pool(db)
            s0 = pool["total_shares"]
            owed = pool["pending_deposits"] + pool["claimable"]
            n0 = nav - owed
            if s0 > 0 and n0 <= 0:
                raise InvalidNavError(
                    f"nav {nav} leaves {n0} to back {s0} outstanding shares"
                    f" (pending deposits + claimables = {owed})",
                    field="nav",
                    limit=owed + 1,
                    value=nav,
                )
            if n0 < 0:
                raise InvalidNavError(
                    f"nav {nav} is below the pending deposits + claimables {owed}",
                    field="nav",
                    limit=owed,
                    value=nav,
                )
            rows = db.execute(
                "SELECT seq, kind, depositor, amount FROM queue WHERE status = 'pending' ORDER BY seq"
            ).fetchall()
            deposits = refunded = minted = burned = assets_out = 0
            accounts: dict[str, dict[str, int]] = {}
            for seq, kind, depositor, raw in rows:
                amount = int(raw)
                account = accounts.get(depositor) or self._account(db, depositor)
                assert account is not None
                accounts[depositor] = account
                status = "processed"
                if kind == "deposit":
                    account["pending_deposit"] -= amount
                    shares = amount if s0 == 0 else amount * s0 // n0
                    if shares == 0:
                        account["claimable"] += amount
                        refunded += amount
                        status = "refunded"
                    else:
                        account["shares"] += shares
                        deposits += amount
                        minted += shares
                else:
                    assets = amount * n0 // s0
                    account["locked_shares"] -= amount
                    account["claimable"] += assets
                    burned += amount
                    assets_out += assets
                db.execute(
                    "UPDATE queue SET status = ?, checkpoint_id = ? WHERE seq = ?",
                    (status, checkpoint_id, seq),
                )
                self._fault(f"checkpoint:{kind}")
            for depositor, account in accounts.items():
                self._set_account(db, depositor, **account)
            self._fault("checkpoint:accounts")
            s1 = s0 + minted - burned
            n1 = n0 + deposits - assets_out
            self._set_pool(
                db,
                total_shares=s1,
                share_nav=n1,
                pending_deposits=0,
                claimable=pool["claimable"] + assets_out + refunded,
                checkpoints=pool["checkpoints"] + 1,
            )
            db.execute("UPDATE pool SET last_checkpoint = ? WHERE id = 1", (checkpoint_id,))
            return {
                "share_nav_before": n0,
                "shares_before": s0,
                "deposits": deposits,
                "refunded": refunded,
                "minted": minted,
                "burned": burned,
                "assets_out": assets_out,
                "share_nav_after": n1,
                "shares_after": s1,
                "share_price_before": _price(n0, s0),
                "share_price_after": _price(n1, s1),
                "processed": len(rows),
            }

        result, replayed = self._idempotent(
            "checkpoint", checkpoint_id, "checkpoint", {"nav": nav}, apply
        )
        return CheckpointResult(checkpoint_id=checkpoint_id, nav=nav, replayed=replayed, **result)

    # ----------------------------------------------------------------------------- reads

    def _read(self, fn: Callable[[sqlite3.Connection], _R]) -> _R:
        self._db.execute("BEGIN")  # one consistent snapshot for the whole read
        try:
            return fn(self._db)
        finally:
            self._db.execute("COMMIT")

    def balance(self, depositor: str) -> Balance:
        """The depositor's shares, locked shares, pending deposit and claimable (zeros if unknown)."""
        depositor = _text("depositor", depositor)

        def read(db: sqlite3.Connection) -> Balance:
            account = self._account(db, depositor) or dict.fromkeys(
                ("shares", "locked_shares", "pending_deposit", "claimable"), 0
            )
            pool = self._pool(db)
            held = account["shares"] + account["locked_shares"]
            value = (
                0 if pool["total_shares"] == 0 else held * pool["share_nav"] // pool["total_shares"]
            )
            return Balance(depositor, value=value, **account)

        return self._read(read)

    def totals(self) -> Totals:
        def read(db: sqlite3.Connection) -> Totals:
            pool = self._pool(db)
            locked = sum(int(r[0]) for r in db.execute("SELECT locked_shares FROM accounts"))
            depositors = db.execute("SELECT COUNT(*) FROM accounts").fetchone()[0]
            last = db.execute("SELECT last_checkpoint FROM pool WHERE id = 1").fetchone()[0]
            return Totals(
                total_shares=pool["total_shares"],
                locked_shares=locked,
                share_nav=pool["share_nav"],
                pending_deposits=pool["pending_deposits"],
                claimable=pool["claimable"],
                book_assets=pool["share_nav"] + pool["pending_deposits"] + pool["claimable"],
                depositors=int(depositors),
                checkpoints=pool["checkpoints"],
                last_checkpoint=last,
            )

        return self._read(read)

    def share_price(self) -> int:
        """Assets per share at the last checkpoint (raw 6-decimal, floored; ``ONE`` with no shares)."""
        pool = self._read(self._pool)
        return _price(pool["share_nav"], pool["total_shares"])

    def history(self, *, since: int = 0) -> list[HistoryEntry]:
        """Every recorded operation with ``seq > since``, oldest first."""
        rows = self._read(
            lambda db: db.execute(
                "SELECT seq, kind, op_key, args, result FROM ops WHERE seq > ? ORDER BY seq",
                (since,),
            ).fetchall()
        )
        out: list[HistoryEntry] = []
        for seq, kind, key, args, result in rows:
            parsed = json.loads(args)
            parsed.pop("kind", None)
            out.append(HistoryEntry(int(seq), str(kind), str(key), parsed, json.loads(result)))
        return out

    def reconcile(self, expected_assets: int) -> Reconciliation:
        """Check the books against the vault's equity ``expected_assets`` read from chain now.

        Between checkpoints a non-zero :attr:`Reconciliation.difference` is the PnL since the last one;
        right after a checkpoint at the same equity it must be 0.
        """
        expected_assets = _int("expected_assets", expected_assets, minimum=0)

        def read(db: sqlite3.Connection) -> Reconciliation:
            pool = self._pool(db)
            accounts = [
                tuple(int(v) for v in r)
                for r in db.execute(
                    "SELECT shares, locked_shares, pending_deposit, claimable FROM accounts"
                )
            ]
            queued = {"deposit": 0, "redeem": 0}
            for kind, amount in db.execute(
                "SELECT kind, amount FROM queue WHERE status = 'pending'"
            ):
                queued[kind] += int(amount)
            return Reconciliation(
                expected_assets=expected_assets,
                book_assets=pool["share_nav"] + pool["pending_deposits"] + pool["claimable"],
                share_nav=pool["share_nav"],
                pending_deposits=pool["pending_deposits"],
                claimable=pool["claimable"],
                total_shares=pool["total_shares"],
                sum_shares=sum(a[0] + a[1] for a in accounts),
                locked_shares=sum(a[1] for a in accounts),
                queued_redeem_shares=queued["redeem"],
                sum_pending_deposits=sum(a[2] for a in accounts),
                queued_deposits=queued["deposit"],
                sum_claimable=sum(a[3] for a in accounts),
            )

        return self._read(read)
