"""vaults.ledger: shares at NAV, queued requests, checkpoints, idempotent keys, typed errors, reconcile."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perennial_sdk.errors import InputError, PerennialError
from vaults.ledger import (
    ONE,
    DuplicateKeyError,
    InsufficientSharesError,
    InvalidAmountError,
    InvalidNavError,
    Ledger,
    LedgerInputError,
    ReconciliationError,
    UnknownDepositorError,
)


@pytest.fixture
def ledger() -> Ledger:
    return Ledger()


def test_first_deposit_is_one_to_one_then_shares_at_nav(ledger: Ledger) -> None:
    ledger.request_deposit("alice", 1_000_000, key="d1")
    ledger.request_deposit("bob", 3_000_000, key="d2")
    assert ledger.balance("alice").pending_deposit == 1_000_000
    first = ledger.checkpoint(4_000_000, checkpoint_id="c1")
    assert (first.minted, first.shares_after, first.share_nav_after) == (
        4_000_000,
        4_000_000,
        4_000_000,
    )
    assert first.share_price_before == first.share_price_after == ONE
    assert ledger.balance("alice").shares == 1_000_000
    assert ledger.balance("alice").pending_deposit == 0

    # equity grows 25 %; carol's deposit (already in the wallet) is not part of the share NAV
    ledger.request_redeem("alice", 500_000, key="r1")
    assert ledger.balance("alice").locked_shares == 500_000
    ledger.request_deposit("carol", 1_000_001, key="d3")
    second = ledger.checkpoint(5_000_000 + 1_000_001, checkpoint_id="c2")
    assert second.share_nav_before == 5_000_000
    assert second.share_price_before == 1_250_000
    assert second.minted == 1_000_001 * 4_000_000 // 5_000_000 == 800_000  # floor
    assert second.burned == 500_000
    assert second.assets_out == 625_000
    assert second.share_nav_after == 5_000_000 + 1_000_001 - 625_000
    assert second.shares_after == 4_300_000
    alice = ledger.balance("alice")
    assert (alice.shares, alice.locked_shares, alice.claimable) == (500_000, 0, 625_000)
    assert ledger.share_price() == 5_375_001 * ONE // 4_300_000

    paid = ledger.claim("alice", key="k1")
    assert paid.amount == 625_000
    assert ledger.balance("alice").claimable == 0
    ledger.reconcile(5_375_001).check()
    totals = ledger.totals()
    assert (totals.total_shares, totals.claimable, totals.pending_deposits) == (4_300_000, 0, 0)
    assert (totals.depositors, totals.checkpoints, totals.last_checkpoint) == (3, 2, "c2")


def test_rounding_favours_the_pool(ledger: Ledger) -> None:
    ledger.request_deposit("a", 3, key="d1")
    ledger.checkpoint(3, checkpoint_id="c1")
    # NAV 7 for 3 shares: a deposit of 5 buys floor(5*3/7) = 2 shares (worth 4.67 < 5)
    ledger.request_deposit("b", 5, key="d2")
    r = ledger.checkpoint(7 + 5, checkpoint_id="c2")
    assert r.minted == 2
    assert (
        r.share_nav_after * r.shares_before >= r.share_nav_before * r.shares_after
    )  # price not down
    # redeeming 1 of 5 shares backed by 12 pays floor(12/5) = 2
    ledger.request_redeem("b", 1, key="r1")
    r = ledger.checkpoint(12, checkpoint_id="c3")
    assert r.assets_out == 2
    assert ledger.balance("b").claimable == 2


def test_deposit_too_small_for_one_share_is_refunded(ledger: Ledger) -> None:
    ledger.request_deposit("whale", 1, key="d1")
    ledger.checkpoint(1, checkpoint_id="c1")
    ledger.request_deposit("minnow", 999, key="d2")
    r = ledger.checkpoint(1_000 + 999, checkpoint_id="c2")  # 1 share backed by 1000
    assert (r.minted, r.refunded, r.deposits) == (0, 999, 0)
    assert ledger.balance("minnow").claimable == 999
    ledger.reconcile(1_000 + 999).check()
    assert [e.kind for e in ledger.history()] == ["deposit", "checkpoint", "deposit", "checkpoint"]


def test_full_redemption_leaves_dust_in_the_pool_and_restarts_one_to_one(ledger: Ledger) -> None:
    ledger.request_deposit("a", 3, key="d1")
    ledger.checkpoint(3, checkpoint_id="c1")
    ledger.request_redeem("a", 3, key="r1")
    r = ledger.checkpoint(3, checkpoint_id="c2")
    assert (r.shares_after, r.share_nav_after, r.assets_out) == (0, 0, 3)
    assert ledger.share_price() == ONE
    # a NAV of 0 is fine with no shares outstanding (only claimables are owed)
    ledger.request_deposit("b", 10, key="d2")
    r = ledger.checkpoint(13, checkpoint_id="c3")
    assert r.minted == 10
    ledger.reconcile(13).check()


def test_failed_transaction_keeps_the_queue(ledger: Ledger) -> None:
    ledger.request_deposit("a", 100, key="d1")
    # the rebalance transaction reverted: no checkpoint; more requests arrive
    ledger.request_deposit("b", 50, key="d2")
    assert ledger.totals().pending_deposits == 150
    r = ledger.checkpoint(150, checkpoint_id="c1")
    assert (r.processed, r.minted) == (2, 150)
    r = ledger.checkpoint(150, checkpoint_id="c2")  # empty queue: a pure mark
    assert (r.processed, r.minted, r.burned) == (0, 0, 0)


def test_replaying_a_key_is_a_noop_returning_the_original_result(ledger: Ledger) -> None:
    d = ledger.request_deposit("a", 100, key="d1")
    again = ledger.request_deposit("a", 100, key="d1")
    assert again == d and again.replayed and not d.replayed
    c = ledger.checkpoint(100, checkpoint_id="c1")
    before = ledger.totals()
    assert ledger.checkpoint(100, checkpoint_id="c1") == c
    assert ledger.request_deposit("a", 100, key="d1") == d  # after processing, too
    r = ledger.request_redeem("a", 40, key="r1")
    assert ledger.request_redeem("a", 40, key="r1") == r
    assert ledger.balance("a").locked_shares == 40
    ledger.checkpoint(100, checkpoint_id="c2")
    k = ledger.claim("a", key="k1")
    assert k.amount == 40
    assert ledger.claim("a", key="k1") == k
    assert ledger.claim("a", key="k2").amount == 0
    assert before.total_shares == 100
    assert ledger.totals().total_shares == 60
    assert len(ledger.history()) == 6


def test_duplicate_key_with_different_arguments(ledger: Ledger) -> None:
    ledger.request_deposit("a", 100, key="d1")
    for call in (
        lambda: ledger.request_deposit("a", 101, key="d1"),
        lambda: ledger.request_deposit("b", 100, key="d1"),
        lambda: ledger.claim("a", key="d1"),
    ):
        with pytest.raises(DuplicateKeyError) as info:
            call()
        assert info.value.field == "key"
        assert info.value.limit == {"kind": "deposit", "depositor": "a", "amount": 100}
    ledger.checkpoint(100, checkpoint_id="d1")  # checkpoint ids are their own namespace
    with pytest.raises(DuplicateKeyError) as info:
        ledger.checkpoint(101, checkpoint_id="d1")
    assert info.value.field == "checkpoint_id"
    assert ledger.totals().total_shares == 100


@pytest.mark.parametrize("amount", [-1, 0, 1.5, True, "5", None])
def test_bad_amounts(ledger: Ledger, amount: object) -> None:
    with pytest.raises(InvalidAmountError) as info:
        ledger.request_deposit("a", amount, key="d1")  # type: ignore[arg-type]
    assert info.value.field == "amount"
    assert isinstance(info.value, InputError) and isinstance(info.value, ValueError)
    assert isinstance(info.value, PerennialError)
    assert info.value.value == amount
    assert ledger.history() == []


def test_bad_input_names_field_and_limit(ledger: Ledger) -> None:
    ledger.request_deposit("a", 100, key="d1")
    ledger.checkpoint(100, checkpoint_id="c1")
    with pytest.raises(InvalidAmountError) as e1:
        ledger.request_redeem("a", -5, key="r0")
    assert (e1.value.field, e1.value.limit) == ("shares", 1)
    with pytest.raises(InsufficientSharesError) as e2:
        ledger.request_redeem("a", 101, key="r1")
    assert (e2.value.field, e2.value.limit, e2.value.value) == ("shares", 100, 101)
    ledger.request_redeem("a", 60, key="r2")
    with pytest.raises(InsufficientSharesError) as e3:  # locked shares are not free
        ledger.request_redeem("a", 41, key="r3")
    assert e3.value.limit == 40
    with pytest.raises(InsufficientSharesError) as e4:
        ledger.request_redeem("nobody", 1, key="r4")
    assert e4.value.limit == 0
    with pytest.raises(UnknownDepositorError) as e5:
        ledger.claim("nobody", key="k1")
    assert e5.value.field == "depositor"
    with pytest.raises(LedgerInputError) as e6:
        ledger.request_deposit("", 1, key="d9")
    assert e6.value.field == "depositor"
    with pytest.raises(LedgerInputError) as e7:
        ledger.request_deposit("a", 1, key="")
    assert e7.value.field == "key"
    # the failed key was never recorded: it can be used for a valid request
    assert ledger.request_redeem("a", 40, key="r1").shares == 40


def test_nav_must_back_the_outstanding_shares(ledger: Ledger) -> None:
    ledger.request_deposit("a", 100, key="d1")
    with pytest.raises(InvalidNavError) as e0:
        ledger.checkpoint(99, checkpoint_id="c0")  # no shares yet, but the deposit is owed
    assert (e0.value.field, e0.value.limit, e0.value.value) == ("nav", 100, 99)
    ledger.checkpoint(100, checkpoint_id="c1")
    ledger.request_deposit("b", 50, key="d2")
    for nav in (0, 50):
        with pytest.raises(InvalidNavError) as info:
            ledger.checkpoint(nav, checkpoint_id="c2")
        assert (info.value.field, info.value.limit) == ("nav", 51)
    with pytest.raises(InvalidAmountError) as neg:
        ledger.checkpoint(-1, checkpoint_id="c2")
    assert neg.value.field == "nav"
    # nothing happened: the queue is intact and c2 is still free
    assert ledger.totals().pending_deposits == 50
    assert ledger.checkpoint(51, checkpoint_id="c2").minted == 5_000  # 50 * 100 / 1


def test_an_exception_inside_a_checkpoint_rolls_everything_back(ledger: Ledger) -> None:
    for i, who in enumerate(("a", "b", "c")):
        ledger.request_deposit(who, 100 * (i + 1), key=f"d{i}")
    ledger.checkpoint(600, checkpoint_id="c1")
    ledger.request_redeem("a", 100, key="r1")
    ledger.request_deposit("d", 77, key="d9")
    snapshot = (ledger.totals(), [ledger.balance(w) for w in "abcd"], ledger.history())

    class Boom(Exception):
        pass

    def hook(point: str) -> None:
        if point == "checkpoint:accounts":
            raise Boom

    ledger._fault_hook = hook
    with pytest.raises(Boom):
        ledger.checkpoint(900, checkpoint_id="c2")
    ledger._fault_hook = None
    assert (ledger.totals(), [ledger.balance(w) for w in "abcd"], ledger.history()) == snapshot
    assert ledger.checkpoint(900, checkpoint_id="c2").processed == 2


def test_file_ledger_persists_with_wal_and_full_sync(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger(path) as ledger:
        ledger.request_deposit("a", 100, key="d1")
        ledger.checkpoint(100, checkpoint_id="c1")
        assert ledger._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert ledger._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    with Ledger(str(path)) as again:
        assert again.balance("a").shares == 100
        assert again.request_deposit("a", 100, key="d1").replayed
        assert again.totals().pending_deposits == 0


def test_reconcile_reports_differences_and_tampering(ledger: Ledger) -> None:
    ledger.request_deposit("a", 100, key="d1")
    ledger.checkpoint(100, checkpoint_id="c1")
    ledger.request_deposit("b", 30, key="d2")
    rec = ledger.reconcile(130)
    assert rec.ok and rec.book_assets == 130 and rec.difference == 0
    assert rec.check() is rec
    pnl = ledger.reconcile(135)  # unrealized PnL since the last checkpoint
    assert pnl.difference == 5 and not pnl.ok
    with pytest.raises(ReconciliationError) as info:
        pnl.check()
    assert "expected assets 135" in str(info.value)
    ledger._db.execute("UPDATE accounts SET shares = '101' WHERE depositor = 'a'")
    problems = ledger.reconcile(130).problems
    assert problems == ("sum of account shares 101 != total shares 100",)


def test_history_records_arguments_and_results(ledger: Ledger) -> None:
    ledger.request_deposit("a", 100, key="d1")
    ledger.checkpoint(100, checkpoint_id="c1")
    h = ledger.history()
    assert [(e.seq, e.kind, e.key) for e in h] == [(1, "deposit", "d1"), (2, "checkpoint", "c1")]
    assert h[0].args == {"depositor": "a", "amount": 100}
    assert h[1].args == {"nav": 100} and h[1].result["minted"] == 100
    assert [e.key for e in ledger.history(since=1)] == ["c1"]


# ------------------------------------------------------------------------------ properties


@dataclass
class Model:
    """An independent restatement of the ledger's rules, to compare every unit."""

    shares: dict[str, int] = field(default_factory=dict)
    locked: dict[str, int] = field(default_factory=dict)
    claimable: dict[str, int] = field(default_factory=dict)
    queue: list[tuple[str, str, int]] = field(default_factory=list)
    share_nav: int = 0

    @property
    def total_shares(self) -> int:
        return sum(self.shares.values()) + sum(self.locked.values())

    @property
    def pending(self) -> int:
        return sum(a for kind, _, a in self.queue if kind == "deposit")

    @property
    def assets(self) -> int:
        return self.share_nav + self.pending + sum(self.claimable.values())


NAMES = ("a", "b", "c", "d")
ops = st.lists(
    st.one_of(
        st.tuples(st.just("deposit"), st.sampled_from(NAMES), st.integers(1, 10**13)),
        st.tuples(st.just("redeem"), st.sampled_from(NAMES), st.integers(1, 10**6)),
        st.tuples(st.just("claim"), st.sampled_from(NAMES), st.just(0)),
        # PnL on the share NAV in basis points (−90 % … +100 %), and a raw nudge for odd numbers
        st.tuples(st.just("checkpoint"), st.integers(-9_000, 10_000), st.integers(-3, 3)),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_random_sequences_reconcile_to_the_last_unit(
    sequence: list[tuple[str, object, int]],
) -> None:
    ledger = Ledger()
    model = Model()
    for i, (op, arg, amount) in enumerate(sequence):
        key = f"k{i}"
        if op == "deposit":
            assert isinstance(arg, str)
            ledger.request_deposit(arg, amount, key=key)
            model.queue.append(("deposit", arg, amount))
            model.shares.setdefault(arg, 0)
            model.locked.setdefault(arg, 0)
            model.claimable.setdefault(arg, 0)
        elif op == "redeem":
            assert isinstance(arg, str)
            free = model.shares.get(arg, 0)
            wanted = 1 + amount % max(free, 1) if free else amount
            if wanted > free:
                with pytest.raises(InsufficientSharesError):
                    ledger.request_redeem(arg, wanted, key=key)
                continue
            ledger.request_redeem(arg, wanted, key=key)
            model.shares[arg] -= wanted
            model.locked[arg] += wanted
            model.queue.append(("redeem", arg, wanted))
        elif op == "claim":
            assert isinstance(arg, str)
            if arg not in model.claimable:
                with pytest.raises(UnknownDepositorError):
                    ledger.claim(arg, key=key)
                continue
            assert ledger.claim(arg, key=key).amount == model.claimable[arg]
            model.claimable[arg] = 0
        else:
            assert isinstance(arg, int)
            s0 = model.total_shares
            n0 = model.share_nav + model.share_nav * arg // 10_000 + amount
            if s0 > 0:
                n0 = max(n0, 1)
            else:
                n0 = max(n0, 0)
            nav = n0 + model.pending + sum(model.claimable.values())
            bought = dict.fromkeys(NAMES, 0)
            paid_in = dict.fromkeys(NAMES, 0)
            burned = dict.fromkeys(NAMES, 0)
            paid_out = dict.fromkeys(NAMES, 0)
            result = ledger.checkpoint(nav, checkpoint_id=f"c{i}")
            assert result.share_nav_before == n0 and result.shares_before == s0
            n1 = n0
            for kind, who, a in model.queue:
                if kind == "deposit":
                    minted = a if s0 == 0 else a * s0 // n0
                    if minted == 0:
                        model.claimable[who] += a  # refund
                    else:
                        model.shares[who] += minted
                        n1 += a
                        bought[who] += minted
                        paid_in[who] += a
                else:
                    out = a * n0 // s0
                    model.locked[who] -= a
                    model.claimable[who] += out
                    n1 -= out
                    burned[who] += a
                    paid_out[who] += out
            model.queue.clear()
            model.share_nav = n1
            assert result.share_nav_after == n1
            # rounding never favours a depositor: value received <= value given, at the one price
            if s0 > 0:
                for n in NAMES:
                    assert bought[n] * n0 <= paid_in[n] * s0
                    assert paid_out[n] * s0 <= burned[n] * n0
                # the share price never goes down across a checkpoint
                s1 = result.shares_after
                if s1 > 0:
                    assert result.share_nav_after * s0 >= n0 * s1
                    assert result.share_price_after >= result.share_price_before
            for n in NAMES:
                b = ledger.balance(n)
                assert b.shares == model.shares.get(n, 0)
                assert b.locked_shares == model.locked.get(n, 0)
                assert b.claimable == model.claimable.get(n, 0)
            ledger.reconcile(nav).check()
        # after every step: the ledger equals the model to the last unit and reconciles
        rec = ledger.reconcile(model.assets)
        assert rec.problems == ()
        assert rec.total_shares == model.total_shares
    # replaying the whole sequence's keys changes nothing
    totals = ledger.totals()
    for entry in ledger.history():
        if entry.kind == "deposit":
            ledger.request_deposit(entry.args["depositor"], entry.args["amount"], key=entry.key)
        elif entry.kind == "redeem":
            ledger.request_redeem(entry.args["depositor"], entry.args["shares"], key=entry.key)
        elif entry.kind == "claim":
            ledger.claim(entry.args["depositor"], key=entry.key)
        else:
            ledger.checkpoint(entry.args["nav"], checkpoint_id=entry.key)
    assert ledger.totals() == totals


def test_sqlite_is_stdlib() -> None:
    assert sqlite3.sqlite_version_info >= (3, 7, 0)  # WAL
