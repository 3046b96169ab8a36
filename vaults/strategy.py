"""What a strategy sees and what it returns. Pure data: no I/O, no clock reads.

A :class:`Portfolio` is built from a live snapshot (:func:`portfolio_from_snapshot`) or from the
simulator (:func:`portfolio_from_sim`); a strategy maps it to :class:`Target` s, one per market.
The same strategy object runs live and in backtests: it cannot tell which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from perennial_sdk.client import Snapshot
from perennial_sdk.fixed import B
from perennial_sdk.math.views import AccountView, MarketView
from perennial_sdk.sim import SimMarket

__all__ = ["MarketState", "Portfolio", "Strategy", "Target", "portfolio_from_sim", "portfolio_from_snapshot"]


@dataclass(frozen=True, slots=True)
class MarketState:
    """One market as the strategy sees it: the market and the vault's account in it (exactly settled)."""

    market: str
    name: str
    view: MarketView
    account: AccountView

    @property
    def collateral(self) -> int:
        return self.account.local.collateral

    @property
    def price(self) -> int:
        return self.view.latest_price


@dataclass(frozen=True, slots=True)
class Portfolio:
    """Every market the vault trades, its idle wallet balance, and the time (injected, never read)."""

    markets: Mapping[str, MarketState]
    wallet: int
    time: int

    @property
    def equity(self) -> int:
        """Collateral in every market plus the idle wallet (raw 6 decimals)."""
        return sum(m.collateral for m in self.markets.values()) + self.wallet

    def leverage(self) -> int:
        """Position notional (every market, current sizes) over equity (raw, 1e6 = 1×)."""
        notional = sum(
            max(p.maker, p.long, p.short) * abs(m.price) // B
            for m in self.markets.values()
            for p in (m.account.current_position(),)
        )
        return notional * B // self.equity if self.equity > 0 else 0

    def delta(self) -> int:
        """Net price exposure (makers' share of the skew, plus any taker side) over equity (raw fraction)."""
        from perennial_sdk import analytics

        total = 0
        for m in self.markets.values():
            p = m.account.current_position()
            units = analytics.maker_exposure(m.view, p.maker).exposure + p.long - p.short
            total += units * m.price // B
        return total * B // self.equity if self.equity > 0 else 0


@dataclass(frozen=True, slots=True)
class Target:
    """Where a market should be: absolute sizes and the collateral to hold there (raw 6 decimals)."""

    market: str
    maker: int = 0
    long: int = 0
    short: int = 0
    collateral: int = 0
    reasons: tuple[str, ...] = field(default=())


class Strategy(Protocol):
    """Maps a portfolio to a target per market. Never sends; never reads the clock."""

    def targets(self, portfolio: Portfolio) -> dict[str, Target]: ...


def portfolio_from_snapshot(snapshot: Snapshot, names: Mapping[str, str] | None = None, *, time: int) -> Portfolio:
    """A portfolio from a client snapshot taken for the vault's account."""
    markets = {}
    for m in snapshot.markets:
        key = m.market.lower()
        markets[key] = MarketState(
            market=m.market, name=(names or {}).get(key, m.market), view=m.view(snapshot.protocol_parameter),
            account=snapshot.account_in(m.market).view(),
        )
    return Portfolio(markets=markets, wallet=snapshot.token_balance, time=time)


def portfolio_from_sim(markets: Mapping[str, SimMarket], account: str, *, wallet: int, time: int) -> Portfolio:
    """A portfolio from simulator markets (the account settled in each first)."""
    states = {}
    for name, market in markets.items():
        market.settle(account)
        states[name] = MarketState(market=name, name=name, view=market.view(), account=market.account_view(account))
    return Portfolio(markets=states, wallet=wallet, time=time)
