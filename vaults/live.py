"""One live cycle: snapshot → strategy targets → risk limits → plan → execute (or print)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from perennial_sdk.client import PerennialClient
from vaults.execution import Execution, Executor
from vaults.rebalance import Plan, Trigger, plan_rebalance
from vaults.risk import Breaker, RiskLimits, apply_limits
from vaults.strategy import Portfolio, Strategy, portfolio_from_snapshot

__all__ = ["Cycle", "run_cycle"]


@dataclass(frozen=True, slots=True)
class Cycle:
    """What one cycle saw, planned and did."""

    portfolio: Portfolio
    plan: Plan
    execution: Execution


def run_cycle(
    client: PerennialClient,
    strategy: Strategy,
    executor: Executor,
    *,
    names: Mapping[str, str],
    trigger: Trigger | None = None,
    limits: RiskLimits | None = None,
    breaker: Breaker | None = None,
    account: str | None = None,
) -> Cycle:
    """Read ONE snapshot, plan, execute; a breaker (if given) counts rejected cycles and stops the loop."""
    if breaker is not None:
        breaker.check()
    snapshot = client.snapshot(account, markets=list(names))
    portfolio = portfolio_from_snapshot(snapshot, {k.lower(): v for k, v in names.items()}, time=snapshot.block_timestamp)
    targets = strategy.targets(portfolio)
    if limits is not None:
        targets = apply_limits(portfolio, targets, limits)
    plan = plan_rebalance(portfolio, targets, trigger)
    execution = executor.execute(plan.legs)
    if breaker is not None:
        if execution.rejected:
            breaker.failure(", ".join(execution.rejected))
        else:
            breaker.success()
    return Cycle(portfolio, plan, execution)
