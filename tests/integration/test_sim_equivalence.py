"""The devnet contracts and the simulator book the same numbers to the last 1e-6.

Makers and takers open, the keeper commits prices through MockPyth → PythFactory (request → commit →
callbacks), time passes so funding and interest accrue, prices move, positions close and collateral
is withdrawn. Every call is mirrored into a SimMarket fed with the chain's own oracle versions and
receipts; after every step all balances, positions, fees and the funding controller must be equal.
"""

from __future__ import annotations

from typing import Any

import pytest

from perennial_sdk import presets
from perennial_sdk.devnet import Devnet
from perennial_sdk.sim import SimMarket, SimOracle

U = 10**6
pytestmark = pytest.mark.devnet


class Mirror:
    """One devnet market and its simulator twin, driven through the same calls."""

    def __init__(self, devnet: Devnet, name: str) -> None:
        self.devnet = devnet
        self.name = name
        self.market = devnet.market(name)
        self.oracle = devnet.oracle(name)
        granularity = devnet.deployment.oracle.granularity
        self.sim = SimMarket(
            presets.PROTOCOL, presets.market_parameter(), presets.risk_parameter(name), SimOracle(granularity=granularity)
        )
        self.accounts: list[str] = []
        self._sync_version(self._latest()[0])
        # the market was created before its first price: sync the simulator's market to that version
        self.sim.oracle.set_status(self._latest()[0], self._current())
        self.sim.settle_market()

    def _latest(self, block: Any = "latest") -> tuple[int, int, bool]:
        ts, price, valid = self.oracle.functions.latest().call(block_identifier=block)
        return int(ts), int(price), bool(valid)

    def _current(self, block: Any = "latest") -> int:
        return int(self.oracle.functions.current().call(block_identifier=block))

    def _sync_version(self, version: int, callbacks: int = 0) -> None:
        """The version as the market saw it when the commit settled it: the receipt's settlement fee
        counts the callbacks still pending then (``at()`` drops them as the callbacks run)."""
        (ts, price, valid), (settlement_fee, oracle_fee) = self.oracle.functions.at(version).call()
        response = self.oracle.functions.responses(version).call()
        sync_fee, async_fee = int(response[1]), int(response[2])  # PriceResponse(price, syncFee, asyncFee, oracleFee, valid)
        if sync_fee or async_fee:
            settlement_fee = sync_fee + async_fee * callbacks
        self.sim.oracle.commit(version, int(price), valid=bool(valid), settlement_fee=int(settlement_fee),
                               oracle_fee=int(oracle_fee))

    def update(self, account: str, **kwargs: Any) -> None:
        receipt = self.devnet.update(self.name, account, **kwargs)
        block = receipt["blockNumber"]
        self.sim.oracle.set_status(self._latest(block)[0], self._current(block))
        self.sim.update(account, kwargs.get("maker"), kwargs.get("long"), kwargs.get("short"),
                        kwargs.get("collateral", 0))
        if account not in self.accounts:
            self.accounts.append(account)

    def commit(self, price: int, *, fresh: bool = True) -> None:
        requested = self.devnet.requested(self.name)
        callbacks = {v: list(self.oracle.functions.localCallbacks(v).call()) for v in requested}
        commits = (self.devnet.commit_price if fresh else self.devnet.commit_requested)(self.name, price)
        for c in commits:
            self._sync_version(c.version, len(callbacks.get(c.version, [])))
            latest = max(c.version, self.sim.oracle.latest_timestamp)
            self.sim.oracle.set_status(latest, max(self._current(), latest))
            self.sim.settle_market()  # the commit settles the market (settle(address(0)))
            self.sim.claim_fee("oracle")  # and the oracle claims its fee (it pays the keepers)
            if c.settled:
                for account in callbacks.get(c.version, []):
                    self.sim.settle(account)

    def settle(self, account: str) -> None:
        receipt = self.devnet.settle(self.name, account)
        self.sim.oracle.set_status(self._latest(receipt["blockNumber"])[0], self._current(receipt["blockNumber"]))
        self.sim.settle(account)

    def assert_equal(self) -> None:
        g = self.market.functions["global"]().call()
        sg = self.sim.raw_global()
        assert [g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7][0], g[7][1]] == [
            sg.current_id, sg.latest_id, sg.protocol_fee, sg.oracle_fee, sg.risk_fee, sg.latest_price, sg.exposure,
            sg.p_value, sg.p_skew,
        ]
        p = self.market.functions.position().call()
        sp = self.sim.raw_position()
        assert list(p) == [sp.timestamp, sp.maker, sp.long, sp.short]
        for account in self.accounts:
            local = self.market.functions.locals(account).call()
            sl = self.sim.raw_local(account)
            assert list(local) == [sl.current_id, sl.latest_id, sl.collateral, sl.claimable], account
            pos = self.market.functions.positions(account).call()
            sp = self.sim.raw_local_position(account)
            assert list(pos) == [sp.timestamp, sp.maker, sp.long, sp.short], account


def test_devnet_and_simulator_agree_to_the_last_unit(devnet: Devnet) -> None:
    maker, long_a, long_b, short = devnet.accounts[1:5]
    eth = Mirror(devnet, "ETH")
    price = devnet.latest_price("ETH")
    eth.update(maker, maker=200 * U, collateral=400_000 * U)
    eth.commit(price)
    eth.assert_equal()
    eth.update(long_a, long=60 * U, collateral=60_000 * U)
    eth.update(short, short=25 * U, collateral=30_000 * U)
    eth.commit(price + 1_234_567)
    eth.assert_equal()
    for hours, move in ((1, 7), (3, -11), (8, 23), (24, -5)):  # funding drifts, interest accrues, PnL moves
        devnet.advance_time(hours * 3_600)
        price = price * (1_000 + move) // 1_000
        eth.commit(price)
        eth.settle(maker)
        eth.assert_equal()
    eth.update(long_b, long=10 * U, collateral=20_000 * U)
    eth.update(long_a, long=30 * U)  # partial close in the same version
    devnet.advance_time(40)
    eth.commit(price * 1_003 // 1_000, fresh=False)  # only the requested version, via the callbacks
    eth.assert_equal()
    devnet.advance_time(7_200)
    eth.commit(price)
    for account in (long_a, long_b, short):
        eth.update(account, maker=0, long=0, short=0)
    eth.commit(price)
    eth.update(maker, maker=0)
    eth.commit(price)
    for account in (maker, long_a, long_b, short):
        eth.settle(account)
        collateral = eth.market.functions.locals(account).call()[2]
        eth.update(account, collateral=-collateral)
    eth.assert_equal()
    for account in (maker, long_a, long_b, short):
        assert eth.market.functions.locals(account).call()[2] == 0
    # the makers earned funding and interest: the sim's books show it, and so does the chain
    paid = [e for e in eth.sim.events if e["event"] == "PositionProcessed"]
    assert sum(e["funding_maker"] for e in paid) != 0 and sum(e["interest_maker"] for e in paid) > 0
