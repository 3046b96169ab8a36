"""Hedgers: where a maker vault offsets its price delta.

A :class:`Hedger` holds a signed position in units of the market's asset (long > 0) and moves it to a
target on request. :class:`PaperHedger` stands in for an external venue (fills at the given price, a
fee in bps, its own integer books); :class:`PerennialTakerHedger` holds a taker position in a
Perennial market from a second account, on the simulator or live through a
:class:`~perennial_sdk.client.PerennialClient`, within what the market accepts
(:func:`perennial_sdk.analytics.capacity`, one side at a time, a flip needs a settled close first).

Every number is a raw integer (6 decimals): sizes in units, prices and cash in the quote token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from perennial_sdk import analytics, errors
from perennial_sdk.client import PerennialClient
from perennial_sdk.errors import InputError
from perennial_sdk.fixed import B
from perennial_sdk.math.views import AccountView, MarketView
from perennial_sdk.sim import SimMarket

__all__ = ["HedgeResult", "Hedger", "PaperHedger", "PerennialTakerHedger", "plan_taker_hedge"]

BPS = 10_000


@dataclass(frozen=True, slots=True)
class HedgeResult:
    """What a hedge request did: the delta before and after, the size traded, the fee and why."""

    before: int
    after: int
    traded: int
    price: int
    fee: int = 0
    reasons: tuple[str, ...] = ()
    rejected: str | None = None

    @property
    def filled(self) -> bool:
        return self.rejected is None and self.traded != 0


class Hedger(Protocol):
    """A signed hedge position (units, long > 0) that can be moved to a target delta."""

    def exposure(self) -> int: ...

    def hedge(self, target_delta: int, price: int) -> HedgeResult: ...


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


class PaperHedger:
    """An external venue stand-in: fills any size at ``price`` and charges ``fee_bps`` of the notional.

    Books (raw 6 decimals): ``cash`` starts at ``capital`` and moves by every fill's notional and fee
    (roundings favour the venue); ``equity(price) = cash + position × price``; ``fees`` accumulates.
    """

    def __init__(self, *, fee_bps: int = 5, capital: int = 0) -> None:
        if not 0 <= fee_bps < BPS:
            raise InputError("fee_bps must be in [0, 10_000)", field="fee_bps", limit=BPS, value=fee_bps)
        if capital < 0:
            raise InputError("capital must be ≥ 0", field="capital", limit=0, value=capital)
        self.fee_bps = fee_bps
        self.capital = capital
        self.position = 0
        self.cash = capital
        self.fees = 0
        self.volume = 0
        self.fills = 0

    def __repr__(self) -> str:
        return f"PaperHedger(fee_bps={self.fee_bps}, position={self.position}, cash={self.cash})"

    def exposure(self) -> int:
        return self.position

    def equity(self, price: int) -> int:
        """Cash plus the position marked at ``price`` (floored)."""
        return self.cash + self.position * price // B

    def pnl(self, price: int) -> int:
        return self.equity(price) - self.capital

    def hedge(self, target_delta: int, price: int) -> HedgeResult:
        if price <= 0:
            raise InputError("price must be > 0", field="price", limit=1, value=price)
        before = self.position
        q = target_delta - before
        if q == 0:
            return HedgeResult(before, before, 0, price)
        # buys pay the ceiling, sells receive the floor: the venue keeps the rounding
        notional = _ceil_div(q * price, B) if q > 0 else -(-q * price // B)
        fee = _ceil_div(abs(notional) * self.fee_bps, BPS)
        self.cash -= notional + fee
        self.fees += fee
        self.volume += abs(notional)
        self.fills += 1
        self.position = target_delta
        return HedgeResult(before, target_delta, q, price, fee)


# ------------------------------------------------------------------------------ Perennial taker


@dataclass(frozen=True, slots=True)
class TakerPlan:
    """A taker target (signed units) the market will accept now, and why it differs from the request."""

    target: int
    reasons: tuple[str, ...] = ()


def plan_taker_hedge(view: MarketView, account: AccountView, target: int) -> TakerPlan:
    """The signed taker size closest to ``target`` that the market accepts now.

    Rules (spec §6.3-6.4): a maker account cannot hedge; a long ↔ short flip closes first (the
    open follows once the close settled); increases stay within :func:`analytics.capacity`;
    with orders pending, closes stay within the settled position (over-close).
    """
    current = account.current_position()
    if current.maker or account.position.maker:
        return TakerPlan(current.long - current.short, ("account holds a maker position: cannot take",))
    cur = current.long - current.short
    reasons: list[str] = []
    if cur * target < 0:
        target = 0
        reasons.append("flip: close first")
    if target and (account.position.long - account.position.short) * target < 0:
        target = 0
        reasons.append("flip: waiting for the close to settle")
    room = analytics.capacity(view, account)
    if target > cur > -1 and target - cur > room.long:
        target = cur + room.long
        reasons.append("capped by long capacity")
    if target < cur < 1 and cur - target > room.short:
        target = cur - room.short
        reasons.append("capped by short capacity")
    if abs(target) < abs(cur) and account.pending.invalidation:
        settled = account.position.long + account.position.short
        closing = account.pending.long_neg + account.pending.short_neg
        can_close = max(settled - closing, 0)
        if abs(cur) - abs(target) > can_close:
            target = (abs(cur) - can_close) * (1 if cur > 0 else -1)
            reasons.append("capped by the settled position (over-close)")
    return TakerPlan(target, tuple(reasons))


class _Venue(Protocol):
    def state(self) -> tuple[MarketView, AccountView]: ...

    def update(self, long: int, short: int, collateral: int) -> None: ...


class _SimVenue:
    def __init__(self, market: SimMarket, account: str) -> None:
        self.market = market
        self.account = account

    def state(self) -> tuple[MarketView, AccountView]:
        self.market.settle(self.account)
        return self.market.view(), self.market.account_view(self.account)

    def update(self, long: int, short: int, collateral: int) -> None:
        self.market.update(self.account, None, long, short, collateral)


class _ClientVenue:
    def __init__(self, client: PerennialClient, market: str) -> None:
        self.client = client
        self.market = market

    def state(self) -> tuple[MarketView, AccountView]:
        snap = self.client.snapshot(markets=[self.market])
        return snap.market(self.market).view(snap.protocol_parameter), snap.account_in(self.market).view()

    def update(self, long: int, short: int, collateral: int) -> None:
        self.client.update(self.market, long=long, short=short, collateral=collateral)


class PerennialTakerHedger:
    """A taker position in a Perennial market held by a second account (never the maker's account).

    ``hedge(target, price)`` moves the account's long − short toward ``target`` within what the
    market accepts now (:func:`plan_taker_hedge`); ``price`` is informational (the market fills at
    its oracle price). Build it with :meth:`on_sim` (backtests) or :meth:`on_client` (live).
    """

    def __init__(self, venue: _Venue) -> None:
        self._venue = venue

    @classmethod
    def on_sim(cls, market: SimMarket, account: str) -> PerennialTakerHedger:
        return cls(_SimVenue(market, account))

    @classmethod
    def on_client(cls, client: PerennialClient, market: str) -> PerennialTakerHedger:
        return cls(_ClientVenue(client, market))

    def exposure(self) -> int:
        _, account = self._venue.state()
        pos = account.current_position()
        return pos.long - pos.short

    def hedge(self, target_delta: int, price: int) -> HedgeResult:
        view, account = self._venue.state()
        pos = account.current_position()
        before = pos.long - pos.short
        plan = plan_taker_hedge(view, account, target_delta)
        if plan.target == before:
            return HedgeResult(before, before, 0, price, reasons=plan.reasons)
        try:
            self._venue.update(max(plan.target, 0), max(-plan.target, 0), 0)
        except errors.ContractError as exc:
            return HedgeResult(before, before, 0, price, reasons=plan.reasons, rejected=exc.name)
        return HedgeResult(before, plan.target, plan.target - before, price, reasons=plan.reasons)
