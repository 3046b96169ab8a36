"""The root library's curves, on raw ints: impact fees, the funding P-controller, the interest curve.

Spec §4.5 (``AdiabaticMath6``, ``LinearAdiabatic6``), §4.6 (``PController6``, ``PAccumulator6``),
§4.7 (``UJumpRateUtilizationCurve6``, ``CurveMath6``).
"""

from __future__ import annotations

from perennial_sdk.errors import FixedPointError
from perennial_sdk.fixed import YEAR, B, trunc_div

__all__ = [
    "adiabatic_compute",
    "adiabatic_exposure",
    "funding_accumulate",
    "interest_accumulate",
    "linear_fee",
    "normalized_skew",
    "pcontroller_compute",
    "proportional_fee",
    "utilization_rate",
]


def linear_fee(fee: int, change: int, price: int) -> int:
    """``linearFee``: |change|·price·fee, each product floored (UFixed6)."""
    return abs(change) * price // B * fee // B


def proportional_fee(scale: int, fee: int, change: int, price: int) -> int:
    """``proportionalFee``: |change|·price·(|change|/scale)·fee (scale = 0 reverts like the contract)."""
    if scale == 0:
        raise FixedPointError("division by zero (scale = 0)", operation="proportionalFee", left=change, right=0)
    q = abs(change)
    return (q * price // B) * q // scale * fee // B


def adiabatic_compute(scale: int, fee: int, latest: int, change: int, price: int) -> int:
    """``LinearAdiabatic6.compute``: change·price·fee·mean(latest/scale, (latest+change)/scale), Fixed6.

    Positive = the trader pays; negative = a rebate (the flow moves the skew toward zero).
    """
    if latest == 0 and change == 0:
        return 0
    if scale == 0:
        raise FixedPointError("Adiabatic6ZeroScaleError", operation="adiabatic", left=change, right=0)
    # Fixed6 truncations toward zero, inlined (hot path)
    x = latest * B
    ls = x // scale if x >= 0 else -(-x // scale)
    x = change * B
    cs = x // scale if x >= 0 else -(-x // scale)
    x = ls + ls + cs
    mean = x // 2 if x >= 0 else -(-x // 2)
    x = change * price
    x = x // B if x >= 0 else -(-x // B)
    x *= fee
    x = x // B if x >= 0 else -(-x // B)
    x *= mean
    return x // B if x >= 0 else -(-x // B)


def adiabatic_exposure(scale: int, fee: int, skew: int) -> int:
    """``LinearAdiabatic6.exposure``: the adiabatic backing per unit price at a skew (≈ fee·skew²/2scale)."""
    return adiabatic_compute(scale, fee, 0, skew, B)


def normalized_skew(skew: int, scale: int) -> int:
    """clamp(skew / takerFee.scale, −1, 1): the skew the funding controller sees (§4.6)."""
    if scale:
        norm = trunc_div(skew * B, scale)
    else:
        norm = B if skew >= 0 else -B
    return B if norm > B else (max(norm, -B))


def pcontroller_compute(value: int, skew: int, k: int, p_min: int, p_max: int, t0: int, t1: int) -> tuple[int, int]:
    """``PController6.compute``: (new rate, the time it hits the cap, in 1e6-scaled seconds)."""
    dt = t1 - t0
    if k == 0:
        raise FixedPointError("division by zero (pController.k = 0)", operation="PController6.compute")
    uncapped = value + trunc_div(dt * skew * B, k)
    new_value = p_min if uncapped < p_min else (min(uncapped, p_max))
    rng = uncapped - value
    if value > p_max or value < p_min:
        buffer = 0
    else:
        buffer = abs((p_max if rng > 0 else p_min) - value)
    if rng == 0:
        intercept = t1 * B
    else:
        intercept = min(t0 * B + dt * B * buffer // abs(rng), t1 * B)
    return new_value, intercept


def _segment(rate: int, a: int, b: int, notional: int) -> int:
    """rate·(b − a)·notional / year with the contract's three truncations (a, b 1e6-scaled seconds)."""
    x = rate * (b - a)
    x = x // B if x >= 0 else -(-x // B)
    x *= notional
    x = x // B if x >= 0 else -(-x // B)
    return x // YEAR if x >= 0 else -(-x // YEAR)


def funding_accumulate(
    value: int, skew: int, k: int, p_min: int, p_max: int, t0: int, t1: int, notional: int
) -> tuple[int, int]:
    """``PAccumulator6.accumulate``: (funding over [t0, t1] on ``notional``, new rate).

    The rate moves linearly at ``skew/k`` per second from ``value`` until it reaches ``min``/``max``
    and stays there; the integral is exact up to the contract's truncations.
    """
    # PController6.compute, inlined (this is the simulator's hot path)
    dt = t1 - t0
    drift = dt * skew * B
    rng = drift // k if drift >= 0 else -(-drift // k)
    uncapped = value + rng
    new_value = p_min if uncapped < p_min else (min(uncapped, p_max))
    if notional == 0:
        return 0, new_value
    if rng == 0:
        intercept = t1 * B
    else:
        buffer = 0 if (value > p_max or value < p_min) else abs((p_max if rng > 0 else p_min) - value)
        intercept = min(t0 * B + dt * B * buffer // abs(rng), t1 * B)
    first = _segment(value + new_value, t0 * B, intercept, notional)
    first = first // 2 if first >= 0 else -(-first // 2)
    return _segment(new_value, intercept, t1 * B, notional) + first, new_value


def _lerp(x0: int, y0: int, x1: int, y1: int, x: int) -> int:
    ratio = (x - x0) * B // (x1 - x0)
    return trunc_div((y1 - y0) * ratio, B) + y0


def utilization_rate(min_rate: int, max_rate: int, target_rate: int, target_util: int, u: int) -> int:
    """``UJumpRateUtilizationCurve6.compute``: the annual interest rate at utilization ``u``."""
    if u < target_util:
        return _lerp(0, min_rate, target_util, target_rate, u)
    if u < B:
        return _lerp(target_util, target_rate, B, max_rate, u)
    return max_rate


def interest_accumulate(rate: int, t0: int, t1: int, notional: int) -> int:
    """``UJumpRateUtilizationCurve6.accumulate``: rate·dt·notional / year, floored (UFixed6)."""
    return rate * (t1 - t0) * notional // B // YEAR
