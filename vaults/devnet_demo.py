"""The main demo: a LeveragedMaker vault on the local devnet, live through the client.

Anvil starts with the Perennial-compatible contracts (warm, from the cached deployment). Every
simulated hour the keeper commits prices (and, within the oracle's timeout, every version an order
requested) through MockPyth → PythFactory (a GBM-with-jumps path per
market), random traders open and close positions leaning toward the side funding pays, and the
vault reads one snapshot, asks its strategy for targets and, when a trigger fires, rebalances in
ONE MultiInvoker transaction (committing a fresh price first when the latest one is stale).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from web3 import HTTPProvider, Web3

from perennial_sdk import analytics, errors
from perennial_sdk.client import PerennialClient, PriceCommit, signer_from_key
from perennial_sdk.devnet import Devnet, dev_accounts
from perennial_sdk.fixed import B
from vaults.books import VaultSeries
from vaults.execution import ClientExecutor
from vaults.ledger import Ledger
from vaults.paths import GbmJumps
from vaults.rebalance import BandTrigger, plan_rebalance
from vaults.strategies import LeveragedMaker, LeveragedMakerConfig
from vaults.strategy import portfolio_from_snapshot

__all__ = ["DevnetDemoConfig", "DevnetDemoResult", "run_devnet_demo"]

U = B


@dataclass(frozen=True, slots=True)
class DevnetDemoConfig:
    """Days of hourly steps, the vault's deposit and strategy, and the simulated trader flow."""

    days: int = 14
    step_seconds: int = 3_600
    deposit: int = 1_000_000 * U
    weights: dict[str, int] = field(default_factory=lambda: {"ETH": 500_000, "BTC": 300_000, "SOL": 200_000})
    leverage: int = 3 * U
    band: int = 100_000
    traders: int = 5
    trader_capital: int = 300_000 * U
    trade_probability: float = 0.3
    volatility: float = 0.8
    seed: int = 7
    depositors: tuple[int, ...] = (500_000, 300_000, 200_000)
    """Shares of the deposit brought by each depositor (raw fractions); one redeems half mid-run."""
    ledger_path: str = ":memory:"


@dataclass(slots=True, kw_only=True)
class DevnetDemoResult(VaultSeries):
    """Series and books of the vault (raw 6 decimals), plus what the chain did."""

    config: DevnetDemoConfig
    rebalance_txs: int = 0
    transactions: int = 0
    depositors: dict[str, dict[str, int]] = field(default_factory=dict)
    share_price: list[int] = field(default_factory=list)
    reconciled: bool = False


def _trade(
    dn: Devnet, rng: random.Random, cfg: DevnetDemoConfig, traders: Sequence[str], snapshot: object
) -> tuple[int, int]:
    from perennial_sdk.client import Snapshot

    assert isinstance(snapshot, Snapshot)
    orders = rejected = 0
    for name, info in dn.deployment.markets.items():
        view = snapshot.market(info.market).view(snapshot.protocol_parameter)
        rate = analytics.funding_rate(view)
        room = analytics.capacity(view)
        for trader in traders:
            if rng.random() > cfg.trade_probability / len(dn.deployment.markets):
                continue
            position = dn.reader(name).positions(trader)
            current = int(position.long) - int(position.short)
            lean = 0.5 + max(min(rate / 2_000_000, 0.3), -0.3)  # P(short): longs pay when rate > 0
            if current and rng.random() < 0.4:
                target = 0
            else:
                side = -1 if rng.random() < lean else 1
                notional = rng.randint(5_000, 60_000) * U
                target = side * notional * U // abs(view.latest_price)
            if current * target < 0:
                target = 0
            target = min(target, current + room.long) if target > current else max(target, current - room.short)
            if target == current:
                continue
            try:
                dn.update(name, trader, maker=0, long=max(target, 0), short=max(-target, 0))
                orders += 1
            except errors.ContractError:
                rejected += 1
    return orders, rejected


def run_devnet_demo(
    config: DevnetDemoConfig | None = None, *, progress: Callable[[int, int], None] | None = None
) -> DevnetDemoResult:
    """Run the demo; ``progress(step, steps)`` is called after every step."""
    cfg = config or DevnetDemoConfig()
    strategy = LeveragedMaker(LeveragedMakerConfig(weights=cfg.weights, leverage=cfg.leverage))
    trigger = BandTrigger(band=cfg.band)
    rng = random.Random(cfg.seed)
    result = DevnetDemoResult(config=cfg)
    steps = cfg.days * 86_400 // cfg.step_seconds
    with Devnet.start() as dn:
        keys = dev_accounts(2 + cfg.traders)
        vault = dn.accounts[1]
        traders = list(dn.accounts[2 : 2 + cfg.traders])
        wallet = dn.balance(vault) // 10**12  # the dev account arrives funded: park that elsewhere
        dn.send(dn.dsu.functions.transfer(dn.accounts[0], wallet * 10**12), vault)
        ledger = Ledger(cfg.ledger_path)
        depositors = list(dn.accounts[7 : 7 + len(cfg.depositors)])
        for i, (depositor, share) in enumerate(zip(depositors, cfg.depositors)):
            amount = cfg.deposit * share // B
            ledger.request_deposit(depositor, amount, key=f"deposit-{i}")
            dn.send(dn.dsu.functions.transfer(vault, amount * 10**12), depositor)
        for trader in traders:
            dn.fund(trader, dsu=cfg.trader_capital * 3)
            for name in dn.deployment.markets:
                dn.update(name, trader, collateral=cfg.trader_capital // len(dn.deployment.markets))
        client = PerennialClient(
            Web3(HTTPProvider(str(dn.url), request_kwargs={"timeout": 60})), dn.deployment.chain_deployment(),
            account=signer_from_key(keys[1].key),
        )
        names = {info.market.lower(): name for name, info in dn.deployment.markets.items()}
        source = dn.price_source()
        paths = {
            name: GbmJumps(start_price=dn.latest_price(name), volatility=cfg.volatility).generate(
                steps, cfg.step_seconds, seed=cfg.seed + i)
            for i, name in enumerate(dn.deployment.markets)
        }
        start_block = int(dn.w3.eth.block_number)
        for name in dn.deployment.markets:
            result.prices[name], result.maker[name], result.funding_rate[name] = [], [], []
        for step in range(steps + 1):
            if step:
                dn.advance_time(cfg.step_seconds)
                for name in dn.deployment.markets:  # keepers: requested versions, then a fresh one
                    dn.commit_price(name, paths[name][step])
            snapshot = client.snapshot()
            orders, rejected = _trade(dn, rng, cfg, traders, snapshot)
            result.trader_orders += orders
            result.rejected_orders += rejected
            snapshot = client.snapshot()
            portfolio = portfolio_from_snapshot(snapshot, names, time=snapshot.block_timestamp)
            totals = ledger.totals()
            if totals.pending_deposits or totals.locked_shares:  # the vault's checkpoint: price the queue
                ledger.checkpoint(portfolio.equity, checkpoint_id=f"step-{step}")
            if step == steps // 2:  # a depositor redeems half, paid at the next checkpoint
                redeemer = depositors[-1]
                ledger.request_redeem(redeemer, ledger.balance(redeemer).shares // 2, key="redeem-0")
            owed = ledger.totals().claimable
            for depositor in depositors:  # pay claims from the idle wallet
                claim = ledger.balance(depositor).claimable
                if claim and claim <= portfolio.wallet:
                    ledger.claim(depositor, key=f"claim-{depositor}-{step}")
                    dn.send(dn.dsu.functions.transfer(depositor, claim * 10**12), vault)
                    owed -= claim
                    result.flows -= claim
            # the strategy deploys what belongs to shareholders: not what is owed to redeemers
            investable = dataclasses.replace(portfolio, wallet=portfolio.wallet - owed)
            plan = plan_rebalance(investable, strategy.targets(investable), trigger)
            if plan.legs:
                commits = []
                for leg in plan.legs:  # a fresh price in the same transaction when the latest is stale
                    state = portfolio.markets[leg.market.lower()]
                    if snapshot.block_timestamp + 12 - state.view.latest_timestamp >= state.view.ps.stale_after:
                        info = dn.deployment.markets[state.name]
                        source.set(info.feed_id, state.price)
                        commits.append(PriceCommit(leg.market, source))
                done = ClientExecutor(client, commits).execute(plan.legs)
                result.rebalances += done.transactions
                result.rebalance_txs += done.transactions
                result.rejected_orders += len(done.rejected)
            for name in dn.deployment.markets:  # keepers commit the versions the orders requested
                if dn.requested(name):
                    dn.commit_requested(name, paths[name][step])
            for m in snapshot.markets:
                name = names[m.market.lower()]
                result.prices[name].append(int(m.latest_oracle_version.price))
                result.maker[name].append(int(snapshot.account_in(m.market).position.maker))
                result.funding_rate[name].append(m.metrics.funding_rate if m.metrics else 0)
            result.times.append(snapshot.block_timestamp)
            result.equity.append(portfolio.equity)
            result.leverage.append(portfolio.leverage())
            result.delta.append(portfolio.delta())
            result.share_price.append(ledger.share_price())
            if progress:
                progress(step, steps)
        for info in dn.deployment.markets.values():  # realize everything on chain, then read the books
            client.settle(info.market)
        for name, info in dn.deployment.markets.items():
            history = client.history(info.market, vault, from_block=start_block)
            result.funding += history.funding
            result.interest += history.interest
            result.fee_income += history.fee_income
            result.price_pnl += history.price_pnl + history.rounding
            result.fees_paid += history.trade_fees + history.impact_fees + history.settlement_fees
        result.transactions = int(dn.w3.eth.get_transaction_count(vault))
        final = portfolio_from_snapshot(client.snapshot(), names, time=0).equity
        ledger.checkpoint(final, checkpoint_id="final")
        result.reconciled = ledger.reconcile(final).ok
        for depositor in depositors:
            b = ledger.balance(depositor)
            result.depositors[depositor] = {"shares": b.shares, "value": b.value, "claimable": b.claimable}
    return result
