"""Exogenous market data for backtests: price paths (generated or CSV) as raw 6-decimal integers.

Paths are inputs, not decisions: they may be generated with floats, and are rounded to raw ints
before anything touches the market.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from pathlib import Path

from perennial_sdk.errors import InputError

__all__ = ["GbmJumps", "load_price_csv"]

U = 10**6


@dataclass(frozen=True, slots=True)
class GbmJumps:
    """Geometric Brownian motion with Poisson jumps.

    ``volatility`` and ``drift`` are annual; ``jump_rate`` is jumps per year, each of log-size
    N(0, ``jump_size``).
    """

    start_price: int = 3_000 * U
    volatility: float = 0.7
    drift: float = 0.0
    jump_rate: float = 6.0
    jump_size: float = 0.06

    def generate(self, steps: int, step_seconds: int, seed: int = 0) -> list[int]:
        """``steps + 1`` raw prices, one per step (the first is ``start_price``)."""
        if steps < 1 or step_seconds < 1:
            raise InputError("steps and step_seconds must be ≥ 1", field="steps", limit=1, value=min(steps, step_seconds))
        rng = random.Random(seed)
        dt = step_seconds / 31_536_000
        log_price = math.log(self.start_price / U)
        out = [self.start_price]
        for _ in range(steps):
            shock = rng.gauss(0.0, 1.0) * self.volatility * math.sqrt(dt)
            log_price += (self.drift - 0.5 * self.volatility**2) * dt + shock
            if rng.random() < self.jump_rate * dt:
                log_price += rng.gauss(0.0, self.jump_size)
            out.append(max(round(math.exp(log_price) * U), 1))
        return out


def load_price_csv(path: str | Path, *, column: str = "price") -> list[int]:
    """Prices from a CSV file with a header; values are decimal strings (e.g. ``3012.45``)."""
    from perennial_sdk.fixed import parse6

    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or column not in reader.fieldnames:
            raise InputError(f"CSV {path} has no column {column!r}", field="column", value=reader.fieldnames)
        prices = [parse6(row[column].strip(), field=f"{path}:{column}") for row in reader]
    if not prices:
        raise InputError(f"CSV {path} has no rows", field=str(path), limit=1, value=0)
    return prices
