"""Delta-hedged maker strategies: maker exposure like LeveragedMaker, its price delta offset.

Makers take the other side of the socialized skew (spec §9.5): a maker of ``m`` units carries
``δ × m`` units of price delta with ``δ = (shortSocialized − longSocialized) / maker`` on the CURRENT
global position (latest + pending). The delta moves with the skew, so a hedge is re-sized whenever
``|net delta × price|`` exceeds ``tolerance`` × NAV (the market's weight of it).

* :class:`DeltaNeutralMaker` hedges with a taker position in the SAME market from a second account
  (an account cannot be maker and taker in one market). The hedge is itself part of the skew the
  makers absorb, so with other makers ``M_o`` and other takers' skew ``s_o`` the offsetting size is
  ``h = s_o × m / M_o`` (then ``δ × m + h = 0`` exactly when nothing is socialized); a vault that is the
  only maker cannot hedge in its own market (``M_o = 0``).
* :class:`HedgedMaker` hedges with any :class:`~vaults.hedging.Hedger` (an external venue, or a
  Perennial taker in another market): the hedge target is simply ``−δ × m``.

Both are pure: targets come from :class:`~vaults.strategy.Portfolio` s (the maker account's and,
for the hedge account, its own), never from I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from perennial_sdk import analytics
from perennial_sdk.errors import InputError
from perennial_sdk.fixed import B, trunc_div
from perennial_sdk.math.position import long_socialized, short_socialized
from perennial_sdk.math.state import PositionState
from perennial_sdk.math.views import AccountView, MarketView
from vaults.hedging import plan_taker_hedge
from vaults.strategies import LeveragedMaker, LeveragedMakerConfig
from vaults.strategy import MarketState, Portfolio, Target

__all__ = [
    "DeltaNeutralMaker",
    "DeltaNeutralMakerConfig",
    "HedgedMaker",
    "HedgedMakerConfig",
    "maker_delta",
    "net_delta",
    "neutral_hedge_size",
    "taker_delta",
]

MAX_HEDGE_LEVERAGE = 20 * B


def maker_delta(view: MarketView, account: AccountView) -> int:
    """The account's maker price delta in units (current position incl. pending, §9.5)."""
    return analytics.maker_exposure(view, account.current_position().maker).exposure


def taker_delta(account: AccountView) -> int:
    """The account's taker delta in units: current long − short (incl. pending)."""
    p = account.current_position()
    return p.long - p.short


def net_delta(view: MarketView, maker: AccountView, hedge: AccountView | None = None) -> int:
    """Maker delta of ``maker`` plus the taker delta of ``hedge`` (both in the market of ``view``)."""
    return maker_delta(view, maker) + (taker_delta(hedge) if hedge is not None else 0)


def _exact_net(maker_total: int, long_others: int, short_others: int, m: int, h: int) -> int:
    p = PositionState(maker=maker_total, long=long_others + max(h, 0), short=short_others + max(-h, 0))
    if maker_total == 0:
        return h
    delta = trunc_div((short_socialized(p) - long_socialized(p)) * B, maker_total)
    return trunc_div(delta * m, B) + h


def neutral_hedge_size(view: MarketView, maker: AccountView, hedge: AccountView) -> int | None:
    """The signed taker size of ``hedge`` that makes the net delta 0 in this market, or None if none can.

    Uses the current global position with both accounts' pending orders; ``h = s_o × m / M_o`` then
    the rounding unit that minimizes ``|δ(h) × m + h|`` under the exact (socialized) formula.
    """
    m = maker.current_position().maker
    if m == 0:
        return 0
    p = view.current_position()
    h0 = taker_delta(hedge)
    long_o, short_o = p.long - max(h0, 0), p.short - max(-h0, 0)
    others = p.maker - m
    if others <= 0:
        return None
    h = trunc_div((long_o - short_o) * m, others)
    return min((h - 1, h, h + 1), key=lambda x: abs(_exact_net(p.maker, long_o, short_o, m, x)))


def _tolerance_band(nav: int, weight: int, tolerance: int) -> int:
    return nav * weight // B * tolerance // B


def _validate_common(maker: LeveragedMakerConfig, tolerance: int) -> None:
    if not isinstance(maker, LeveragedMakerConfig):
        raise InputError("maker must be a LeveragedMakerConfig", field="maker")
    if not 0 < tolerance < B:
        raise InputError("tolerance must be in (0, 1)", field="tolerance", limit=B, value=tolerance)


@dataclass(frozen=True, slots=True)
class DeltaNeutralMakerConfig:
    """``maker``: the maker leg (LeveragedMaker's config, on the maker account's equity);
    ``tolerance``: largest |net delta × price| / NAV left un-hedged per market, weighted (raw, 1e4 = 1 %);
    ``hedge_leverage``: largest |hedge notional| / hedge account's allocated equity (raw)."""

    maker: LeveragedMakerConfig = field(default_factory=lambda: LeveragedMakerConfig(weights={"ETH": B}))
    tolerance: int = 10_000
    hedge_leverage: int = 5 * B

    def __post_init__(self) -> None:
        _validate_common(self.maker, self.tolerance)
        if not 0 < self.hedge_leverage <= MAX_HEDGE_LEVERAGE:
            raise InputError(
                f"hedge_leverage must be in (0, {MAX_HEDGE_LEVERAGE}]", field="hedge_leverage",
                limit=MAX_HEDGE_LEVERAGE, value=self.hedge_leverage,
            )


class DeltaNeutralMaker:
    """LeveragedMaker on the maker account; a same-market taker on the hedge account offsets its delta.

    :meth:`targets` is the maker account's (the :class:`~vaults.strategy.Strategy` protocol);
    :meth:`hedge_targets` the hedge account's, computed AFTER the maker's legs are placed (they are
    pending then, and the delta includes them).
    """

    def __init__(self, config: DeltaNeutralMakerConfig) -> None:
        self.config = config
        self.maker = LeveragedMaker(config.maker)

    def __repr__(self) -> str:
        return f"DeltaNeutralMaker({self.config!r})"

    def targets(self, portfolio: Portfolio) -> dict[str, Target]:
        return self.maker.targets(portfolio)

    def maker_targets(self, portfolio: Portfolio, hedge: Portfolio) -> dict[str, Target]:
        """The maker account's targets knowing the hedge account: LeveragedMaker's, trimmed in a market
        where the hedge must flip side this step (a flip closes first: the hedge is 0 until the close
        settles) and the un-hedged maker delta would exceed the tolerance."""
        out = self.targets(portfolio)
        nav = portfolio.equity + hedge.equity
        for key, target in out.items():
            hstate, mstate = hedge.markets.get(key), portfolio.markets[key]
            if hstate is None:
                continue
            view = hstate.view
            p = view.current_position()
            h0 = taker_delta(hstate.account)
            settled = hstate.account.position.long - hstate.account.position.short
            long_o, short_o = p.long - max(h0, 0), p.short - max(-h0, 0)
            m_cur = mstate.account.current_position().maker
            others = p.maker - m_cur
            m = target.maker
            if others <= 0 or m == 0:
                continue
            want = trunc_div((long_o - short_o) * m, others)
            if not (h0 * want < 0 or settled * want < 0):
                continue
            price = abs(view.latest_price)
            band = _tolerance_band(nav, self.config.maker.weights.get(mstate.name, 0), self.config.tolerance)
            if abs(_exact_net(others + m, long_o, short_o, m, 0)) * price // B <= band:
                continue
            d = band * B // price if price else 0  # units of delta the tolerance allows
            skew = abs(long_o - short_o)
            trimmed = d * others // (skew - d) if skew > d else m
            room = analytics.capacity(view, mstate.account)
            trimmed = max(min(trimmed, m), m_cur - room.maker_decrease, 0)
            if trimmed < m:
                out[key] = replace(target, maker=trimmed, reasons=(*target.reasons, "trimmed: hedge flips this step"))
        return out

    def net_deltas(self, portfolio: Portfolio, hedge: Portfolio) -> dict[str, int]:
        """Net delta (units) per market key, from the newer of the two views (the hedge's)."""
        return {
            key: net_delta(hedge.markets[key].view, state.account, hedge.markets[key].account)
            for key, state in portfolio.markets.items() if key in hedge.markets
        }

    def hedge_targets(self, portfolio: Portfolio, hedge: Portfolio) -> dict[str, Target]:
        """Targets for the hedge account: keep sizes within tolerance, else the size that nets to 0,
        within the hedge leverage and what the market accepts (capacity, flips, over-close)."""
        cfg = self.config
        nav = portfolio.equity + hedge.equity
        out: dict[str, Target] = {}
        for key, hstate in hedge.markets.items():
            mstate = portfolio.markets.get(key)
            weight = cfg.maker.weights.get(hstate.name, 0)
            collateral = hstate.collateral + hedge.wallet * weight // B
            cur = hstate.account.current_position()
            keep = Target(market=hstate.market, long=cur.long, short=cur.short, collateral=collateral)
            if mstate is None:
                out[key] = keep
                continue
            view = hstate.view  # read after the maker's legs: includes them as pending
            price = abs(view.latest_price)
            now = net_delta(view, mstate.account, hstate.account)
            if abs(now) * price // B <= _tolerance_band(nav, weight, cfg.tolerance):
                out[key] = replace(keep, reasons=("within tolerance",))
                continue
            reasons: list[str] = []
            size = neutral_hedge_size(view, mstate.account, hstate.account)
            if size is None:
                reasons.append("sole maker: a same-market taker cannot offset")
                size = 0
            cap = collateral * cfg.hedge_leverage // B * B // price if price else 0
            if abs(size) > cap:
                size = cap if size > 0 else -cap
                reasons.append("capped by hedge_leverage")
            plan = plan_taker_hedge(view, hstate.account, size)
            reasons.extend(plan.reasons)
            out[key] = Target(
                market=hstate.market, long=max(plan.target, 0), short=max(-plan.target, 0), collateral=collateral,
                reasons=tuple(reasons),
            )
        return out


@dataclass(frozen=True, slots=True)
class HedgedMakerConfig:
    """``maker``: the maker leg (LeveragedMaker's config); ``tolerance``: largest |net delta × price| / NAV
    left un-hedged per market, weighted (raw, 1e4 = 1 %)."""

    maker: LeveragedMakerConfig = field(default_factory=lambda: LeveragedMakerConfig(weights={"ETH": B}))
    tolerance: int = 10_000

    def __post_init__(self) -> None:
        _validate_common(self.maker, self.tolerance)


class HedgedMaker:
    """LeveragedMaker plus one pluggable :class:`~vaults.hedging.Hedger` per market (external to the market).

    :meth:`hedge_deltas` maps the maker portfolio (after its legs), the hedgers' current exposures and
    the hedge books' equity to the delta each hedger should hold: ``−δ × m`` when off tolerance.
    """

    def __init__(self, config: HedgedMakerConfig) -> None:
        self.config = config
        self.maker = LeveragedMaker(config.maker)

    def __repr__(self) -> str:
        return f"HedgedMaker({self.config!r})"

    def targets(self, portfolio: Portfolio) -> dict[str, Target]:
        return self.maker.targets(portfolio)

    def hedge_deltas(
        self, portfolio: Portfolio, exposures: Mapping[str, int], *, hedge_equity: int = 0
    ) -> dict[str, int]:
        """Target hedge delta per market key (unchanged when the net is within tolerance)."""
        nav = portfolio.equity + hedge_equity
        out: dict[str, int] = {}
        for key, state in portfolio.markets.items():
            out[key] = self.hedge_delta(state, exposures.get(key, 0), nav)
        return out

    def hedge_delta(self, state: MarketState, exposure: int, nav: int) -> int:
        delta = maker_delta(state.view, state.account)
        weight = self.config.maker.weights.get(state.name, 0)
        if abs(delta + exposure) * abs(state.price) // B <= _tolerance_band(nav, weight, self.config.tolerance):
            return exposure
        return -delta
