"""Realistic parameter sets (spec §2: Arbitrum v2.3 migration values and repo defaults).

Used by the devnet deployment, the examples and the tests; all values are raw 6-decimal ints.
"""

from __future__ import annotations

from perennial_sdk.models import (
    LinearAdiabatic,
    MarketParameter,
    NoopAdiabatic,
    PController,
    ProtocolParameter,
    RiskParameter,
    UtilizationCurve,
)

__all__ = ["MARKETS", "PROTOCOL", "market_parameter", "risk_parameter"]

PROTOCOL = ProtocolParameter(
    max_fee=30_000,  # 3 %
    max_liquidation_fee=50_000_000,  # 50× the settlement fee
    max_cut=130_000,  # 13 %
    max_rate=15_000_000,  # 1500 %/yr
    min_maintenance=4_000,  # 0.4 %
    min_efficiency=250_000,  # 0.25
    referral_fee=400_000,  # 40 %
    min_scale=40_000,  # 0.04
    max_stale_after=3_600,
)
"""The protocol parameter of ``packages/deploy/util/constants.ts``."""


def market_parameter(**overrides: object) -> MarketParameter:
    """``NewMarketParameter``: 10 % funding and interest fee, 0.02 % taker fee, 25 % risk fee."""
    base: dict[str, object] = {
        "funding_fee": 100_000, "interest_fee": 100_000, "maker_fee": 0, "taker_fee": 200,
        "risk_fee": 250_000, "max_pending_global": 12, "max_pending_local": 6, "max_price_deviation": 150_000,
        "closed": False, "settle": False,
    }
    base.update(overrides)
    return MarketParameter.model_validate(base)


_RISK = {
    # margin, maintenance, taker lin/prop/adi, scale, makerLimit, k, pController max, curve target/max
    "ETH": (9_500, 8_000, 400, 200, 1_200, 600, 3_010, 18_432, 1_750_000, 300_000),
    "BTC": (9_500, 8_000, 400, 100, 1_000, 34, 99, 16_128, 1_530_000, 300_000),
    "SOL": (19_500, 16_000, 600, 400, 2_000, 7_900, 40_000, 13_824, 2_630_000, 450_000),
}
MARKETS = tuple(_RISK)
"""The preset market names: ETH, BTC, SOL."""


def risk_parameter(name: str, **overrides: object) -> RiskParameter:
    """The risk parameter of the ETH-, BTC- or SOL-like market (spec §2.1 typical values)."""
    if name not in _RISK:
        raise KeyError(f"unknown preset {name!r}; choose one of {', '.join(MARKETS)}")
    margin, maint, lin, prop, adi, scale, limit, k, pmax, rate = _RISK[name]
    base: dict[str, object] = {
        "margin": margin, "maintenance": maint,
        "taker_fee": LinearAdiabatic(linear_fee=lin, proportional_fee=prop, adiabatic_fee=adi, scale=scale * 10**6),
        "maker_fee": NoopAdiabatic(linear_fee=100, proportional_fee=0, scale=scale * 10**6),
        "maker_limit": limit * 10**6, "efficiency_limit": 500_000, "liquidation_fee": 5_000_000,
        "utilization_curve": UtilizationCurve(min_rate=0, max_rate=rate, target_rate=rate, target_utilization=670_000),
        "p_controller": PController(k=k * 10**6, min=-pmax, max=pmax),
        "min_margin": 15_000_000, "min_maintenance": 10_000_000, "stale_after": 40, "maker_receive_only": False,
    }
    base.update(overrides)
    return RiskParameter.model_validate(base)
