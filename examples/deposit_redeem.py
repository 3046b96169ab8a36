"""Pooled deposits walk-through: shares at NAV, a queued redemption paid at the next checkpoint.

The vault's equity path comes from a short LeveragedMaker backtest on the exact simulator; every
checkpoint prices the queue at the equity of that moment. Run: ``.venv/bin/python examples/deposit_redeem.py``.
"""

from __future__ import annotations

from vaults.backtest import BacktestConfig, run_backtest
from vaults.ledger import Ledger

U = 10**6

equity = run_backtest(BacktestConfig(days=4, deposit=300_000 * U)).equity
ledger = Ledger()  # ":memory:"; pass a file path to keep the books across restarts
ledger.request_deposit("alice", 200_000 * U, key="alice-1")
ledger.request_deposit("bob", 100_000 * U, key="bob-1")
first = ledger.checkpoint(equity[0], checkpoint_id="day-0")
print(f"day 0: equity {equity[0] / U:,.2f}, minted {first.minted / U:,.6f} shares at 1.000000")

mid = len(equity) // 2
ledger.request_redeem("bob", ledger.balance("bob").shares, key="bob-out")  # queued, priced at the next checkpoint
ledger.request_deposit("carol", 50_000 * U, key="carol-1")  # carol's funds arrive: equity grows by her deposit
checkpoint = ledger.checkpoint(equity[mid] + 50_000 * U, checkpoint_id="day-2")
print(f"day 2: share price {checkpoint.share_price_after / U:.6f}; bob redeemed for {checkpoint.assets_out / U:,.2f}, "
      f"carol minted {checkpoint.minted / U:,.6f} shares")
paid = ledger.claim("bob", key="bob-claim")
print(f"bob claims {paid.amount / U:,.2f}")

final = equity[-1] + 50_000 * U - paid.amount
ledger.checkpoint(final, checkpoint_id="day-4")
for who in ("alice", "bob", "carol"):
    b = ledger.balance(who)
    print(f"{who:6} shares {b.shares / U:>14,.6f}  value {b.value / U:>12,.2f}")
print("books reconcile to the unit:", ledger.reconcile(final).ok)
