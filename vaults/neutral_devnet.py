"""DeltaNeutralMaker live on the devnet: two dev accounts, two clients, one transaction each per step.

The maker account and the hedge account each hold a :class:`~perennial_sdk.client.PerennialClient`
(their own signer) and a :class:`~vaults.execution.ClientExecutor`; one step is
:func:`~vaults.neutral_runner.step_delta_neutral` over their snapshots. Another dev account makes
the same market as an LP (so the vault is not the only maker), random traders move the skew, and
the keeper commits a ±``amplitude`` price swing through MockPyth.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from web3 import HTTPProvider, Web3

from perennial_sdk import analytics, errors
from perennial_sdk.client import (
    DevStorkPriceSource,
    MockPythPriceSource,
    PerennialClient,
    PositionUpdate,
    PriceCommit,
    signer_from_key,
)
from perennial_sdk.devnet import Devnet, dev_accounts
from perennial_sdk.fixed import B
from vaults.execution import ClientExecutor, Execution
from vaults.neutral import DeltaNeutralMaker, DeltaNeutralMakerConfig
from vaults.neutral_runner import NeutralSeries, NeutralStep, step_delta_neutral, swing_path
from vaults.strategies import LeveragedMakerConfig
from vaults.strategy import Portfolio, portfolio_from_snapshot

__all__ = ["NeutralDevnetConfig", "NeutralDevnetResult", "run_neutral_devnet"]

U = B


@dataclass(frozen=True, slots=True)
class NeutralDevnetConfig:
    """``steps`` keeper steps of ``step_seconds`` on ``market``; dev account indexes of the maker, the
    hedge, the LP and the first trader; each account's deposit; the strategy's tolerance."""

    market: str = "ETH"
    steps: int = 16
    step_seconds: int = 3_600
    amplitude: int = 200_000
    maker_index: int = 1
    hedge_index: int = 2
    lp_index: int = 3
    trader_index: int = 4
    traders: int = 3
    maker_deposit: int = 600_000 * U
    hedge_deposit: int = 400_000 * U
    lp_maker: int = 1_000 * U
    lp_capital: int = 1_500_000 * U
    trader_capital: int = 200_000 * U
    max_trade: int = 60_000 * U
    trade_probability: float = 0.5
    leverage: int = 3 * U
    tolerance: int = 10_000
    seed: int = 5


@dataclass(slots=True, kw_only=True)
class NeutralDevnetResult(NeutralSeries):
    """A devnet run's series (see :class:`NeutralSeries`) and the transactions each account sent."""

    config: NeutralDevnetConfig
    maker_txs: int = 0
    hedge_txs: int = 0


class _FreshPriceExecutor:
    """A ClientExecutor that commits a fresh price in the same transaction when the latest is stale."""

    def __init__(self, client: PerennialClient, source: MockPythPriceSource | DevStorkPriceSource, feed_id: str,
                 read: Callable[[], Portfolio]) -> None:
        self.client, self.source, self.feed_id, self.read = client, source, feed_id, read
        self.transactions = 0

    def execute(self, legs: Sequence[PositionUpdate]) -> Execution:
        portfolio = self.read()
        commits = []
        for leg in legs:
            state = portfolio.markets[leg.market.lower()]
            if portfolio.time + 12 - state.view.latest_timestamp >= state.view.ps.stale_after:
                self.source.set(self.feed_id, state.price)
                commits.append(PriceCommit(leg.market, self.source))
        done = ClientExecutor(self.client, commits).execute(legs)
        self.transactions += done.transactions
        return done


def _set_wallet(dn: Devnet, account: str, amount: int, sink: str) -> None:
    wallet = dn.balance(account) // 10**12
    if wallet < amount:
        dn.fund(account, dsu=amount - wallet)
    elif wallet > amount:
        dn.send(dn.dsu.functions.transfer(sink, (wallet - amount) * 10**12), account)


def _trade(dn: Devnet, rng: random.Random, cfg: NeutralDevnetConfig, traders: Sequence[str],
           client: PerennialClient, market: str) -> int:
    orders = 0
    for trader in traders:
        if rng.random() > cfg.trade_probability:
            continue
        snap = client.snapshot(trader, markets=[market])
        view, acct = snap.market(market).view(snap.protocol_parameter), snap.account_in(market).view()
        if not acct.pending.is_empty():
            continue
        current = acct.position.long - acct.position.short
        if current and rng.random() < 0.4:
            target = 0
        else:
            target = rng.choice((-1, 1)) * rng.randint(1, cfg.max_trade) * U // abs(view.latest_price)
        if current * target < 0:
            target = 0
        room = analytics.capacity(view)
        target = min(target, current + room.long) if target > current else max(target, current - room.short)
        if target == current:
            continue
        try:
            dn.update(cfg.market, trader, maker=0, long=max(target, 0), short=max(-target, 0))
            orders += 1
        except errors.ContractError:
            pass
    return orders


def run_neutral_devnet(
    dn: Devnet, config: NeutralDevnetConfig | None = None, *, progress: Callable[[int, NeutralStep], None] | None = None
) -> NeutralDevnetResult:
    """Run DeltaNeutralMaker on ``dn`` (an attached or started Devnet) for ``config.steps`` steps."""
    cfg = config or NeutralDevnetConfig()
    strategy = DeltaNeutralMaker(DeltaNeutralMakerConfig(
        maker=LeveragedMakerConfig(weights={cfg.market: B}, leverage=cfg.leverage), tolerance=cfg.tolerance,
    ))
    rng = random.Random(cfg.seed)
    info = dn.deployment.markets[cfg.market]
    market = info.market
    keys = dev_accounts(cfg.trader_index + cfg.traders)
    maker, hedge, lp = (str(keys[i].address) for i in (cfg.maker_index, cfg.hedge_index, cfg.lp_index))
    traders = [k.address for k in keys[cfg.trader_index: cfg.trader_index + cfg.traders]]
    sink = keys[0].address
    _set_wallet(dn, maker, cfg.maker_deposit, sink)
    _set_wallet(dn, hedge, cfg.hedge_deposit, sink)
    dn.fund(lp, dsu=cfg.lp_capital)
    dn.update(cfg.market, lp, maker=cfg.lp_maker, collateral=cfg.lp_capital)
    for trader in traders:
        dn.fund(trader, dsu=cfg.trader_capital)
        dn.update(cfg.market, trader, collateral=cfg.trader_capital)
    url = str(dn.url or dn.w3.provider.endpoint_uri)  # type: ignore[attr-defined]
    w3 = Web3(HTTPProvider(url, request_kwargs={"timeout": 60}))
    chain = dn.deployment.chain_deployment()
    clients: dict[str, PerennialClient] = {who: PerennialClient(w3, chain, account=signer_from_key(keys[i].key))
               for who, i in ((maker, cfg.maker_index), (hedge, cfg.hedge_index))}
    names = {market.lower(): cfg.market}

    def reader(who: str) -> Callable[[], Portfolio]:
        def read() -> Portfolio:
            snap = clients[who].snapshot(markets=[market])
            return portfolio_from_snapshot(snap, names, time=snap.block_timestamp)
        return read

    read_maker, read_hedge = reader(maker), reader(hedge)
    source = dn.price_source()
    maker_exec = _FreshPriceExecutor(clients[maker], source, info.feed_id, read_maker)
    hedge_exec = _FreshPriceExecutor(clients[hedge], source, info.feed_id, read_hedge)
    path = swing_path(dn.latest_price(cfg.market), cfg.steps, amplitude=cfg.amplitude, seed=cfg.seed)
    dn.commit_requested(cfg.market, path[0])
    result = NeutralDevnetResult(config=cfg)
    for step in range(cfg.steps + 1):
        if step:
            dn.advance_time(cfg.step_seconds)
            dn.commit_price(cfg.market, path[step])  # keeper: requested versions, then a fresh one
        result.trader_orders += _trade(dn, rng, cfg, traders, clients[maker], market)
        done = step_delta_neutral(strategy, read_maker, read_hedge, maker_exec, hedge_exec)
        result.rejected.extend(done.maker.rejected + done.hedge.rejected)
        key = market.lower()
        m_state, h_state = read_maker().markets[key], read_hedge().markets[key]
        result.prices.append(abs(h_state.price))
        result.nav.append(done.nav)
        result.maker.append(m_state.account.current_position().maker)
        hp = h_state.account.current_position()
        result.hedge.append(hp.long - hp.short)
        result.net_delta.append(done.net_delta[key])
        result.delta_ratio.append(done.delta_ratio())
        if progress:
            progress(step, done)
        if dn.requested(cfg.market):  # keepers commit the versions the orders requested
            dn.commit_requested(cfg.market, path[step])
    result.maker_txs, result.hedge_txs = maker_exec.transactions, hedge_exec.transactions
    return result
