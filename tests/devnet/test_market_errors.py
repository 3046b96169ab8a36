"""Every custom Market error reachable on the devnet, raised by name, and a rejected call changes
nothing (market state and balances equal before/after). The devnet twin of
tests/unit/test_invariants.py: same scenarios, on the contracts through the keeper path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from web3 import Web3

from perennial_sdk import abi as abi_files
from perennial_sdk import errors, presets
from perennial_sdk.devnet import Devnet, SnapshotId
from perennial_sdk.devnet._tx import struct_arg

U = 10**6
P = 100 * U
NAMES = ("maker", "a", "b", "c", "keeper", "stranger", "r1", "r2")


def _risk(**overrides: Any) -> Any:
    return presets.risk_parameter("ETH", stale_after=100, maker_limit=1_000 * U, taker_fee={
        "linear_fee": 0, "proportional_fee": 0, "adiabatic_fee": 0, "scale": 100 * U}, **overrides)


class M:
    """The ETH market of the devnet driven like the simulator test's SimMarket: named accounts,
    every transaction of a step pinned to the same block time (one oracle version)."""

    def __init__(self, devnet: Devnet) -> None:
        self.dn = devnet
        self.who = dict(zip(NAMES, devnet.accounts[1:], strict=False))
        self.reader = devnet.reader("ETH")
        self.before: SnapshotId | None = None
        self.t = devnet.now() + 1  # the plugin restarted the clock one second after the latest block

    def state(self) -> dict[str, Any]:
        r, dn = self.reader, self.dn
        accounts = list(self.who.values())
        return {
            "global": r.global_(), "position": r.position(), "pending": r.pending(),
            "locals": {a: (r.locals(a), r.positions(a), r.pendings(a)) for a in accounts},
            "dsu": {a: dn.balance(a) for a in [*accounts, dn.deployment.markets["ETH"].market]},
            "block": dn.chain.block_number(),
        }

    def _pin(self) -> None:
        self.t = max(self.t, self.dn.now())  # the same second as the step's previous transaction
        self.dn.chain.set_next_block_timestamp(self.t)

    def update(self, name: str, maker: int | None, long: int | None, short: int | None, collateral: int,
               protect: bool = False, *, sender: str | None = None, referrer: str | None = None) -> None:
        self.before = self.dn.snapshot()  # the state right before this call, to compare with
        self._pin()
        self.dn.update(
            "ETH", self.who[name], maker=maker, long=long, short=short, collateral=collateral, protect=protect,
            sender=self.who[sender] if sender else None, referrer=self.who[referrer] if referrer else None,
        )

    def call(self, fn: Any, sender: str) -> None:
        self.before = self.dn.snapshot()
        self.dn.send(fn, sender)

    def settled(self, price: int = P) -> None:
        """Commit the requested versions (callbacks settle their accounts), then settle the rest."""
        self.dn.commit_requested("ETH", price)
        for account in self.who.values():
            self.dn.settle("ETH", account)

    def advance(self, seconds: int) -> None:
        self.dn.advance_time(seconds)


@pytest.fixture(scope="module")
def setup(devnet: Devnet) -> None:
    """The simulator test's market on the devnet's ETH market: price 100, maker 100, 2 pending ids."""
    owner, market = devnet.deployment.owner, devnet.market("ETH")
    devnet.send(market.functions.updateParameter(
        struct_arg("Market", "updateParameter", presets.market_parameter(max_pending_local=2))), owner)
    devnet.send(market.functions.updateRiskParameter(struct_arg("Market", "updateRiskParameter", _risk())), owner)
    devnet.commit_price("ETH", P)
    devnet.update("ETH", devnet.accounts[1], maker=100 * U, collateral=100_000 * U)
    devnet.commit_requested("ETH", P)
    devnet.commit_price("ETH", P)
    assert devnet.reader("ETH").position().maker == 100 * U


def over_close(m: M) -> None:
    m.update("a", 0, 10 * U, 0, 1_000 * U)
    m.update("a", 0, 0, 0, 0)  # closing a still-pending open


def invalid_protection(m: M) -> None:
    m.update("a", 0, 10 * U, 0, 1_000 * U)
    m.settled()
    m.update("a", 0, 0, 0, 0, True, sender="keeper")  # healthy account


def stale(m: M) -> None:
    latest = m.dn.oracle("ETH").functions.latest().call()[0]
    m.dn.chain.time_travel(to_timestamp=latest + 100)
    m.update("maker", 101 * U, 0, 0, 0)


def closed(m: M) -> None:
    m.call(m.dn.market("ETH").functions.updateParameter(
        struct_arg("Market", "updateParameter", presets.market_parameter(closed=True))), m.dn.deployment.owner)
    m.update("a", 0, 1 * U, 0, 1_000 * U)


def maker_limit(m: M) -> None:
    m.update("b", 901 * U, 0, 0, 100_000 * U)


def two_sides(m: M) -> None:
    m.update("a", 0, 1 * U, 1 * U, 1_000 * U)


def maker_to_taker(m: M) -> None:
    m.update("maker", 0, 1 * U, 0, 0)


def cross_zero(m: M) -> None:
    m.update("a", 0, 5 * U, 0, 1_000 * U)
    m.settled()
    m.update("a", 0, 0, 0, 0)
    m.update("a", 0, 0, 2 * U, 0)


def operator(m: M) -> None:
    m.update("maker", 90 * U, 0, 0, 0, sender="stranger")


def pending_ids(m: M) -> None:
    for size in (1, 2, 3):
        m.update("a", 0, size * U, 0, 1_000 * U)
        m.advance(m.dn.deployment.oracle.granularity)  # the next order lands in a new version


def margin(m: M) -> None:
    m.update("a", 0, 10 * U, 0, 10 * U)  # 1000 notional needs 15 (minMargin)


def protected(m: M) -> None:
    m.update("a", 0, 50 * U, 0, 50 * U)
    m.settled()
    m.dn.commit_price("ETH", 99 * U)
    m.update("a", 0, 0, 0, 0, True, sender="keeper")
    m.update("a", None, None, None, 1 * U)  # even a deposit waits for the liquidation


def efficiency(m: M) -> None:
    m.update("a", 0, 0, 100 * U, 100_000 * U)
    m.update("b", 0, 200 * U, 0, 100_000 * U)  # maker 100 / major 200 = 0.5: at the limit
    m.update("c", 0, 10 * U, 0, 100_000 * U)  # 100 / 210 < 0.5


def liquidity(m: M) -> None:
    m.update("a", 0, 150 * U, 0, 100_000 * U)  # efficiency 100/150 ok, makers can't cover 150


def collateral(m: M) -> None:
    m.update("a", None, None, None, 10 * U)
    m.update("a", None, None, None, -11 * U)


def settle_only(m: M) -> None:
    m.call(m.dn.market("ETH").functions.updateParameter(
        struct_arg("Market", "updateParameter", presets.market_parameter(settle=True))), m.dn.deployment.owner)
    m.update("a", None, None, None, 10 * U)


def referrer(m: M) -> None:
    m.update("a", 0, 1 * U, 0, 1_000 * U, referrer="r1")
    m.update("a", 0, 2 * U, 0, 0, referrer="r2")


# beyond InvariantLib: access control and parameter validation of Market.sol


def not_operator(m: M) -> None:
    m.call(m.dn.market("ETH").functions.claimFee(m.who["maker"]), m.who["stranger"])


def not_coordinator(m: M) -> None:
    m.call(m.dn.market("ETH").functions.updateRiskParameter(
        struct_arg("Market", "updateRiskParameter", _risk())), m.who["stranger"])


def not_owner(m: M) -> None:
    m.call(m.dn.market("ETH").functions.updateParameter(
        struct_arg("Market", "updateParameter", presets.market_parameter())), m.who["stranger"])


def reinitialize(m: M) -> None:
    m.call(m.dn.market("ETH").functions.initialize((m.dn.deployment.dsu, m.dn.deployment.factory)),
           m.dn.deployment.owner)


def market_parameter_storage(m: M) -> None:
    too_high = presets.PROTOCOL.max_cut + 1  # fundingFee > protocol.maxCut
    bad = presets.market_parameter().model_dump() | {"fundingFee": too_high}
    m.call(m.dn.market("ETH").functions.updateParameter(struct_arg("Market", "updateParameter", bad)),
           m.dn.deployment.owner)


def risk_parameter_storage(m: M) -> None:
    bad = _risk().model_dump() | {"maintenance": presets.PROTOCOL.min_maintenance - 1, "margin": 9_500}
    m.call(m.dn.market("ETH").functions.updateRiskParameter(struct_arg("Market", "updateRiskParameter", bad)),
           m.dn.deployment.owner)


def order_storage(m: M) -> None:
    huge = 2**63  # a collateral wider than the pending order's int64 slot
    m.dn.mint(m.who["a"], huge)
    m.update("a", None, None, None, huge)


CASES: list[tuple[str, Callable[[M], None]]] = [
    ("MarketOverCloseError", over_close),
    ("MarketInvalidProtectionError", invalid_protection),
    ("MarketStalePriceError", stale),
    ("MarketClosedError", closed),
    ("MarketMakerOverLimitError", maker_limit),
    ("MarketNotSingleSidedError", two_sides),
    ("MarketNotSingleSidedError", maker_to_taker),
    ("MarketNotSingleSidedError", cross_zero),
    ("MarketOperatorNotAllowedError", operator),
    ("MarketExceedsPendingIdLimitError", pending_ids),
    ("MarketInsufficientMarginError", margin),
    ("MarketProtectedError", protected),
    ("MarketEfficiencyUnderLimitError", efficiency),
    ("MarketInsufficientLiquidityError", liquidity),
    ("MarketInsufficientCollateralError", collateral),
    ("MarketSettleOnlyError", settle_only),
    ("MarketInvalidReferrerError", referrer),
    ("MarketNotOperatorError", not_operator),
    ("MarketNotCoordinatorError", not_coordinator),
    ("InstanceNotOwnerError", not_owner),
    ("InitializableAlreadyInitializedError", reinitialize),
    ("MarketParameterStorageInvalidError", market_parameter_storage),
    ("RiskParameterStorageInvalidError", risk_parameter_storage),
    ("OrderStorageInvalidError", order_storage),
]

UNREACHABLE = {
    # intents / signed fills are not implemented by the devnet contracts (contracts/README.md)
    "MarketIntentPriceDeviationError": "intents",
    "MarketInvalidIntentFeeError": "intents",
    # declared by the V2.4 interface, never raised by V2.4 (validation raises *StorageInvalidError)
    "MarketCollateralBelowLimitError": "not raised in V2.4",
    "MarketInvalidMarketParameterError": "not raised in V2.4",
    "MarketInvalidRiskParameterError": "not raised in V2.4",
}


@pytest.mark.parametrize(("name", "scenario"), CASES, ids=[f"{n}-{f.__name__}" for n, f in CASES])
def test_each_error_reverts_by_name_and_changes_nothing(
    devnet: Devnet, setup: None, name: str, scenario: Callable[[M], None]
) -> None:
    m = M(devnet)
    with pytest.raises(errors.ContractError) as info:
        scenario(m)
    assert info.value.name == name, f"{info.value.name}: {info.value}"
    assert type(info.value).__name__ == name  # shown by name, e.g. in a traceback
    assert info.value.source == "revert"
    after = m.state()
    assert m.before is not None
    m.dn.revert(m.before)  # back to right before the rejected call
    assert after == m.state()  # market, positions, orders, DSU balances, block: untouched


def test_every_market_error_is_covered_or_documented() -> None:
    declared = {i["name"] for i in abi_files.abi("Market") if i["type"] == "error" and i["name"].startswith("Market")}
    covered = {name for name, _ in CASES}
    assert declared - covered == set(UNREACHABLE), sorted(declared - covered - set(UNREACHABLE))


def test_a_rejected_update_keeps_eth_and_nonce(devnet: Devnet, setup: None) -> None:
    m = M(devnet)
    a = m.who["a"]
    eth, nonce = devnet.chain.balance(a), devnet.w3.eth.get_transaction_count(Web3.to_checksum_address(a))
    with pytest.raises(errors.MarketInsufficientMarginError):
        margin(m)
    assert devnet.chain.balance(a) == eth
    assert devnet.w3.eth.get_transaction_count(Web3.to_checksum_address(a)) == nonce
