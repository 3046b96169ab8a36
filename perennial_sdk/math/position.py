"""Derived position quantities (``PositionLib``, spec §3.1) and margin requirements (§6.1), raw ints."""

from __future__ import annotations

from perennial_sdk.fixed import B
from perennial_sdk.math.state import PositionState
from perennial_sdk.math.version import utilization_of

__all__ = [
    "efficiency",
    "long_socialized",
    "magnitude",
    "maintenance_requirement",
    "margin_requirement",
    "short_socialized",
    "single_sided",
    "socialized",
    "socialized_maker_portion",
    "taker_socialized",
    "utilization",
]


def magnitude(p: PositionState) -> int:
    """max(maker, long, short)."""
    return max(p.maker, p.long, p.short)


def taker_socialized(p: PositionState) -> int:
    """min(major, minor + maker): the taker size that makers and the minor side can back."""
    return min(max(p.long, p.short), min(p.long, p.short) + p.maker)


def long_socialized(p: PositionState) -> int:
    """min(maker + short, long)."""
    return min(p.maker + p.short, p.long)


def short_socialized(p: PositionState) -> int:
    """min(maker + long, short)."""
    return min(p.maker + p.long, p.short)


def socialized_maker_portion(p: PositionState) -> int:
    """(takerSocialized − minor) / takerSocialized: the makers' share of the major side's funding."""
    ts = taker_socialized(p)
    return 0 if ts == 0 else (ts - min(p.long, p.short)) * B // ts


def socialized(p: PositionState) -> bool:
    """True when makers cannot cover the skew (the major side is scaled down)."""
    return p.maker + p.short < p.long or p.maker + p.long < p.short


def efficiency(p: PositionState) -> int:
    """min(maker / major, 1) (major = 0 ⇒ 1)."""
    major = max(p.long, p.short)
    if major == 0:
        return B
    return min(p.maker * B // major, B)


def utilization(p: PositionState, efficiency_limit: int) -> int:
    """min(max(major / (maker + minor), major·efficiencyLimit / maker), 1) with ``unsafeDiv``."""
    return utilization_of(p.maker, p.long, p.short, efficiency_limit)


def single_sided(p: PositionState) -> bool:
    """magnitude == maker + long + short: at most one side is non-zero."""
    return max(p.maker, p.long, p.short) == p.maker + p.long + p.short


def _requirement(size: int, price: int, ratio: int, floor: int) -> int:
    if size == 0:
        return 0
    return max(size * abs(price) // B * ratio // B, floor)


def margin_requirement(size: int, price: int, margin: int, min_margin: int, collateralization: int = 0) -> int:
    """``PositionLib.margin``: max(size·|price|·max(margin, collateralization), minMargin); 0 if size = 0."""
    return _requirement(size, price, max(margin, collateralization), min_margin)


def maintenance_requirement(size: int, price: int, maintenance: int, min_maintenance: int) -> int:
    """``PositionLib.maintenance``: max(size·|price|·maintenance, minMaintenance); 0 if size = 0."""
    return _requirement(size, price, maintenance, min_maintenance)
