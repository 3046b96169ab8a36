"""Executing rebalance legs: live through the client (one transaction), or on the simulator.

Both take the same :class:`~perennial_sdk.client.PositionUpdate` legs, in the planner's order; the
strategy that produced them cannot tell which one runs them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from perennial_sdk import errors
from perennial_sdk.client import PerennialClient, PositionUpdate, PriceCommit
from perennial_sdk.sim import SimMarket

__all__ = ["ClientExecutor", "DryRunExecutor", "Execution", "Executor", "SimExecutor"]


@dataclass(frozen=True, slots=True)
class Execution:
    """What happened to a plan: legs applied, legs rejected (with the contract error), transactions sent."""

    applied: int
    rejected: tuple[str, ...] = ()
    transactions: int = 0


class Executor(Protocol):
    def execute(self, legs: Sequence[PositionUpdate]) -> Execution: ...


class SimExecutor:
    """Applies legs to simulator markets (keyed like the portfolio), moving collateral to and from a wallet."""

    def __init__(self, markets: Mapping[str, SimMarket], account: str, wallet: int) -> None:
        self.markets = markets
        self.account = account
        self.wallet = wallet

    def execute(self, legs: Sequence[PositionUpdate]) -> Execution:
        applied, rejected = 0, []
        for leg in legs:
            market = self.markets[leg.market]
            collateral = min(leg.collateral, self.wallet) if leg.collateral > 0 else leg.collateral
            try:
                market.update(self.account, leg.maker, leg.long, leg.short, collateral)
            except errors.ContractError as exc:
                rejected.append(exc.name)
                continue
            self.wallet -= collateral
            applied += 1
        return Execution(applied, tuple(rejected))


class ClientExecutor:
    """Sends all legs in ONE MultiInvoker transaction (with price commits when given)."""

    def __init__(self, client: PerennialClient, commits: Sequence[PriceCommit] = ()) -> None:
        self.client = client
        self.commits = list(commits)

    def execute(self, legs: Sequence[PositionUpdate]) -> Execution:
        if not legs:
            return Execution(0)
        try:
            self.client.rebalance(legs, commits=self.commits)
        except errors.ContractError as exc:
            return Execution(0, (exc.name,) * len(legs))
        return Execution(len(legs), (), 1)


class DryRunExecutor:
    """Prints the legs it would send and sends nothing (``perennial-vaults run`` default)."""

    def __init__(self, printer: object = print) -> None:
        self.printer = printer
        self.planned: list[PositionUpdate] = []

    def execute(self, legs: Sequence[PositionUpdate]) -> Execution:
        for leg in legs:
            self.planned.append(leg)
            self.printer(  # type: ignore[operator]
                f"would update {leg.market}: maker={leg.maker} long={leg.long} short={leg.short} "
                f"collateral{leg.collateral:+d}"
            )
        return Execution(0)
