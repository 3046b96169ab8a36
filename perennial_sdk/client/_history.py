"""Realized P&L of an account over a block range, from the market's own events (spec §4, §5).

``AccountPositionProcessed`` gives what the account booked at each settlement exactly (PnL and
accruals as one ``collateral`` figure, then trade fee, impact offset, settlement and liquidation
fees). ``PositionProcessed`` gives, per version, what each side received from funding, interest,
price PnL, impact-fee income and adiabatic exposure. The breakdown attributes each version's side
totals to the account by its share of that side; components are floored per version, so they can
differ from the exact ``accrued`` total by a few 1e-6 per version (reported as ``rounding``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from perennial_sdk.client._events import DecodedEvent

__all__ = ["AccountHistory", "realized_history"]


@dataclass(slots=True)
class AccountHistory:
    """An account's realized books in one market over a block range (raw 6-decimal integers)."""

    market: str
    account: str
    from_block: int
    to_block: int
    settlements: int = 0
    accrued: int = 0
    funding: int = 0
    interest: int = 0
    price_pnl: int = 0
    fee_income: int = 0
    trade_fees: int = 0
    impact_fees: int = 0
    settlement_fees: int = 0
    liquidation_fees: int = 0
    deposits: int = 0
    withdrawals: int = 0
    orders: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rounding(self) -> int:
        """accrued − (funding + interest + price PnL + fee income): the per-version flooring."""
        return self.accrued - (self.funding + self.interest + self.price_pnl + self.fee_income)

    @property
    def net(self) -> int:
        """Everything the account booked: accruals minus every fee."""
        return self.accrued - self.trade_fees - self.impact_fees - self.settlement_fees - self.liquidation_fees


def _delta(order: dict[str, Any]) -> tuple[int, int, int]:
    return (
        int(order["makerPos"]) - int(order["makerNeg"]), int(order["longPos"]) - int(order["longNeg"]),
        int(order["shortPos"]) - int(order["shortNeg"]),
    )


_COMPONENTS: dict[str, dict[str, tuple[str, ...]]] = {
    # component: per side, the accumulation result fields it sums
    "funding": {"maker": ("fundingMaker",), "long": ("fundingLong",), "short": ("fundingShort",)},
    "interest": {"maker": ("interestMaker",), "long": ("interestLong",), "short": ("interestShort",)},
    "price_pnl": {"maker": ("pnlMaker", "adiabaticExposureMaker"), "long": ("pnlLong",), "short": ("pnlShort",)},
    "fee_income": {"maker": ("tradeOffsetMaker",), "long": (), "short": ()},
}
_B = 10**6


def realized_history(
    market: str,
    account: str,
    events: list[DecodedEvent],
    *,
    global_position: tuple[int, int, int],
    account_position: tuple[int, int, int],
    from_block: int,
    to_block: int,
) -> AccountHistory:
    """Walk a market's events in order from the positions (maker, long, short) at ``from_block − 1``.

    Per version, each component is accumulated per unit of each side exactly like ``Version``
    (``floor(amount·1e6 / size)``); at each of the account's settlements the component is realized as
    ``floor(Δper-unit · size / 1e6)`` over the interval, like ``CheckpointLib``.
    """
    h = AccountHistory(market=market, account=account, from_block=from_block, to_block=to_block)
    g = dict(zip(("maker", "long", "short"), global_position))
    a = dict(zip(("maker", "long", "short"), account_position))
    cum = {(c, side): 0 for c in _COMPONENTS for side in ("maker", "long", "short")}
    at_version: dict[int, dict[tuple[str, str], int]] = {}
    last: dict[tuple[str, str], int] | None = None
    for ev in events:
        if ev.address.lower() != market.lower():
            continue
        args = ev.args
        if ev.name == "PositionProcessed":
            r = args["accumulationResult"]
            for component, sides in _COMPONENTS.items():
                for side, fields in sides.items():
                    amount = sum(int(r[f]) for f in fields)
                    if amount and g[side]:
                        cum[(component, side)] += amount * _B // g[side]
            at_version[int(args["order"]["timestamp"])] = dict(cum)
            dm, dl, ds = _delta(args["order"])
            g["maker"], g["long"], g["short"] = g["maker"] + dm, g["long"] + dl, g["short"] + ds
        elif ev.name == "AccountPositionProcessed" and args["account"].lower() == account.lower():
            r = args["accumulationResult"]
            now = at_version.get(int(args["order"]["timestamp"]), cum)
            before = last if last is not None else {k: 0 for k in cum}
            for (component, side), value in now.items():
                realized = (value - before[(component, side)]) * a[side] // _B
                setattr(h, component, getattr(h, component) + realized)
            last = dict(now)
            h.settlements += 1
            h.accrued += int(r["collateral"]) + int(r["priceOverride"])
            h.trade_fees += int(r["tradeFee"])
            h.impact_fees += int(r["offset"])
            h.settlement_fees += int(r["settlementFee"])
            h.liquidation_fees += int(r["liquidationFee"])
            dm, dl, ds = _delta(args["order"])
            a["maker"], a["long"], a["short"] = a["maker"] + dm, a["long"] + dl, a["short"] + ds
        elif ev.name == "OrderCreated" and args["account"].lower() == account.lower():
            order = args["order"]
            collateral = int(order["collateral"])
            h.deposits += max(collateral, 0)
            h.withdrawals += max(-collateral, 0)
            h.orders.append({"block": ev.block_number, **{k: int(v) for k, v in order.items()}})
    return h
