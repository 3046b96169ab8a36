"""Read-only views of a market and an account: the inputs of analytics and pre-flight checks.

A :class:`MarketView` / :class:`AccountView` is what one exactly-settled snapshot holds (spec §9
"recommended data path"); the simulator builds them with ``SimMarket.view()`` and the client from
an on-chain snapshot, so every analytic works the same on both.
"""

from __future__ import annotations

from dataclasses import dataclass

from perennial_sdk.math.state import (
    CheckpointState,
    GlobalState,
    LocalState,
    OrderState,
    ParamSet,
    PositionState,
    VersionState,
)

__all__ = ["AccountView", "MarketView"]


@dataclass(frozen=True, slots=True)
class MarketView:
    """A settled market: parameters, global state, latest position, pending orders and the oracle."""

    ps: ParamSet
    glob: GlobalState
    position: PositionState
    """The latest settled global position (``position()``)."""
    pending: OrderState
    """All unsettled global orders, aggregated (``pending()``)."""
    current_order: OrderState
    """The global order at ``global.currentId`` (same-version flow when its timestamp is the current one)."""
    version: VersionState
    """The version at ``position.timestamp``."""
    latest_price: int
    latest_timestamp: int
    latest_valid: bool
    current_timestamp: int

    def same_version_flow(self) -> OrderState:
        """Other traders' orders that will settle in the same version as an order placed now."""
        if self.current_order.timestamp == self.current_timestamp:
            return self.current_order
        return OrderState(timestamp=self.current_timestamp)

    def current_position(self) -> PositionState:
        """latest + all pending orders: what the next interval will hold and what invariants see."""
        return self.position.plus(self.pending)


@dataclass(frozen=True, slots=True)
class AccountView:
    """One account in a market: settled collateral and position, pending orders."""

    account: str
    local: LocalState
    position: PositionState
    """The latest settled position (``positions(account)``)."""
    pending: OrderState
    """All unsettled orders, aggregated (``pendings(account)``)."""
    current_order: OrderState
    """The order at ``local.currentId`` (a new order joins it when its timestamp is the current one)."""
    checkpoint: CheckpointState
    max_pending_magnitude: int
    """The largest magnitude the position reaches along its unsettled orders."""

    def current_position(self) -> PositionState:
        """latest + pending orders."""
        return self.position.plus(self.pending)
