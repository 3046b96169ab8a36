"""Risk limits applied to targets before planning, and a breaker that stops a failing loop."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from perennial_sdk.errors import InputError, PerennialError
from perennial_sdk.fixed import B
from perennial_sdk.math.position import margin_requirement
from vaults.strategy import Portfolio, Target

__all__ = ["Breaker", "BreakerTrippedError", "RiskLimits", "apply_limits"]


@dataclass(frozen=True, slots=True)
class RiskLimits:
    """``max_leverage``: total position notional / equity (raw); ``margin_buffer``: keep collateral at
    least this multiple of the margin requirement in each market (raw, 1.5e6 = 150 %);
    ``market_caps``: max position notional per market name (collateral units)."""

    max_leverage: int = 5 * B
    margin_buffer: int = 1_500_000
    market_caps: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.max_leverage <= 0:
            raise InputError("max_leverage must be > 0", field="max_leverage", limit=1, value=self.max_leverage)
        if self.margin_buffer < B:
            raise InputError("margin_buffer must be ≥ 1.0", field="margin_buffer", limit=B, value=self.margin_buffer)


def apply_limits(portfolio: Portfolio, targets: dict[str, Target], limits: RiskLimits) -> dict[str, Target]:
    """Targets scaled down so no cap, no leverage limit and no margin buffer is exceeded."""
    out: dict[str, Target] = {}
    notional = {k: max(t.maker, t.long, t.short) * abs(portfolio.markets[k].price) // B for k, t in targets.items()}
    total = sum(notional.values())
    max_total = portfolio.equity * limits.max_leverage // B
    scale = B if total <= max_total or total == 0 else max_total * B // total
    for key, target in targets.items():
        state = portfolio.markets[key]
        factor = scale
        cap = limits.market_caps.get(state.name)
        if cap is not None and notional[key] * scale // B > cap:
            factor = min(factor, cap * B // max(notional[key], 1))
        sizes = {f: getattr(target, f) * factor // B for f in ("maker", "long", "short")}
        ps = state.view.ps
        need = margin_requirement(max(sizes.values()), state.price, ps.margin, ps.min_margin) * limits.margin_buffer // B
        while max(sizes.values()) and need > target.collateral:
            sizes = {f: v * 9 // 10 for f, v in sizes.items()}
            need = margin_requirement(max(sizes.values()), state.price, ps.margin, ps.min_margin) * limits.margin_buffer // B
        reasons = target.reasons + (("risk limits",) if sizes["maker"] != target.maker else ())
        out[key] = replace(target, **sizes, reasons=reasons)
    return out


class BreakerTrippedError(PerennialError):
    """The loop failed too many times in a row and stopped."""


@dataclass(slots=True)
class Breaker:
    """Counts consecutive failures; after ``max_failures`` it trips and ``check()`` raises."""

    max_failures: int = 3
    failures: int = 0
    last_error: str | None = None

    def success(self) -> None:
        self.failures = 0

    def failure(self, error: str) -> None:
        self.failures += 1
        self.last_error = error

    @property
    def tripped(self) -> bool:
        return self.failures >= self.max_failures

    def check(self) -> None:
        if self.tripped:
            raise BreakerTrippedError(
                f"stopped after {self.failures} consecutive failures (last: {self.last_error})"
            )
