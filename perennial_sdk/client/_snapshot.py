"""Snapshots: every market and one account, exactly settled, in ONE JSON-RPC request.

The Lens contract (``contracts/src/periphery/Lens.sol``) is never deployed: its runtime code is put
at :data:`LENS_ADDRESS` by an ``eth_call`` state override. Inside that single call it settles the
account in every market (spec §9 "recommended data path") and returns every struct, which are
decoded into :mod:`perennial_sdk.models` and wrapped with the math layer's metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from perennial_sdk import abi as abi_files
from perennial_sdk import analytics
from perennial_sdk.client._abi_codec import abi_type, name_values
from perennial_sdk.math.position import maintenance_requirement, margin_requirement
from perennial_sdk.math.state import (
    CheckpointState,
    GlobalState,
    LocalState,
    OrderState,
    ParamSet,
    PositionState,
    VersionState,
)
from perennial_sdk.math.views import AccountView, MarketView
from perennial_sdk.models import (
    Checkpoint,
    Global,
    Local,
    MarketParameter,
    OracleVersion,
    Order,
    Position,
    ProtocolParameter,
    RiskParameter,
    Version,
)

__all__ = [
    "LENS_ADDRESS",
    "AccountMetrics",
    "AccountSnapshot",
    "MarketMetrics",
    "MarketSnapshot",
    "Snapshot",
    "decode_snapshot",
    "lens_call",
]

LENS_ADDRESS = "0x0000000000000000000000000000000000001e25"
"""Where the Lens code is placed by the state override (no contract lives there)."""


class _Model(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", alias_generator=to_camel, validate_by_name=True, validate_by_alias=True,
        serialize_by_alias=True, arbitrary_types_allowed=True,
    )


@dataclass(frozen=True, slots=True)
class MarketMetrics:
    """Rates and room of a market from the math layer (annual fractions and raw sizes)."""

    funding_rate: int
    interest_rate: int
    utilization: int
    maker_rate: int
    long_rate: int
    short_rate: int
    capacity: analytics.Capacity
    socialized: bool


@dataclass(frozen=True, slots=True)
class AccountMetrics:
    """An account's risk in one market: requirements at the latest price, headroom and limits."""

    collateral: int
    margin_required: int
    maintenance_required: int
    margin_headroom: int
    maintenance_headroom: int
    max_withdrawable: int
    liquidation_price: analytics.LiquidationPrice | None


class MarketSnapshot(_Model):
    """One market: parameters, global state, positions, pending orders and the oracle's status."""

    market: str
    oracle: str
    settled: bool
    parameter: MarketParameter
    risk_parameter: RiskParameter
    global_: Global = Field(alias="global")
    position: Position
    pending: Order
    current_order: Order
    latest_version: Version
    latest_oracle_version: OracleVersion
    current_timestamp: int
    metrics: MarketMetrics | None = None

    def view(self, protocol: ProtocolParameter) -> MarketView:
        """The math layer's view of this market (for :mod:`perennial_sdk.analytics`)."""
        ps = ParamSet.build(protocol, self.parameter, self.risk_parameter)
        price = int(self.latest_oracle_version.price) or int(self.global_.latest_price)
        return MarketView(
            ps=ps, glob=GlobalState.from_model(self.global_), position=PositionState.from_model(self.position),
            pending=OrderState.from_model(self.pending), current_order=OrderState.from_model(self.current_order),
            version=VersionState.from_model(self.latest_version), latest_price=price,
            latest_timestamp=self.latest_oracle_version.timestamp, latest_valid=self.latest_oracle_version.valid,
            current_timestamp=self.current_timestamp,
        )


class AccountSnapshot(_Model):
    """One account in one market: collateral, settled position, pending orders, latest checkpoint."""

    market: str
    account: str
    local: Local
    position: Position
    pending: Order
    pending_orders: list[Order]
    checkpoint: Checkpoint
    operator_approved: bool
    metrics: AccountMetrics | None = None

    def view(self) -> AccountView:
        """The math layer's view of this account."""
        position = PositionState.from_model(self.position)
        max_pending = position.max_magnitude_along(OrderState.from_model(o) for o in self.pending_orders[1:])
        return AccountView(
            account=self.account, local=LocalState.from_model(self.local), position=position,
            pending=OrderState.from_model(self.pending), current_order=OrderState.from_model(self.pending_orders[-1]),
            checkpoint=CheckpointState.from_model(self.checkpoint), max_pending_magnitude=max_pending,
        )


class Snapshot(_Model):
    """Every requested market and (optionally) one account, read in one request at one block."""

    block_number: int
    block_timestamp: int
    protocol_parameter: ProtocolParameter
    markets: list[MarketSnapshot]
    accounts: list[AccountSnapshot]
    token_balance: int
    usdc_balance: int

    def market(self, address: str) -> MarketSnapshot:
        """The snapshot of ``address`` (case-insensitive)."""
        for m in self.markets:
            if m.market.lower() == address.lower():
                return m
        raise KeyError(address)

    def account_in(self, market: str) -> AccountSnapshot:
        """The account's snapshot in ``market``."""
        for a in self.accounts:
            if a.market.lower() == market.lower():
                return a
        raise KeyError(market)


def lens_call(
    factory: str, markets: list[str], account: str | None, operator: str | None, usdc: str | None, settle: bool
) -> tuple[dict[str, Any], list[str]]:
    """The ``eth_call`` transaction and the state override that runs the Lens (plus its output types)."""
    from eth_abi.abi import encode
    from eth_utils.crypto import keccak

    fn = next(i for i in abi_files.abi("Lens") if i.get("name") == "snapshot")
    types = [abi_type(i) for i in fn["inputs"]]
    selector = keccak(text=f"snapshot({','.join(types)})")[:4]
    zero = "0x" + "00" * 20
    data = selector + encode(types, [factory, markets, account or zero, operator or zero, usdc or zero, settle])
    return {"to": LENS_ADDRESS, "data": "0x" + data.hex()}, [abi_type(o) for o in fn["outputs"]]


def decode_snapshot(raw: bytes, account: str | None) -> Snapshot:
    """Decode the Lens output into a :class:`Snapshot` (metrics filled in)."""
    from eth_abi.abi import decode

    fn = next(i for i in abi_files.abi("Lens") if i.get("name") == "snapshot")
    out = fn["outputs"][0]
    (value,) = decode([abi_type(out)], raw)
    data = name_values(out, value)
    snap = Snapshot.model_validate(
        {
            "blockNumber": data["blockNumber"], "blockTimestamp": data["blockTimestamp"],
            "protocolParameter": data["protocolParameter"],
            "markets": data["markets"],
            "accounts": [{**a, "account": account} for a in data["accounts"]],
            "tokenBalance": data["tokenBalance"] // 10**12, "usdcBalance": data["usdcBalance"],
        }
    )
    return with_metrics(snap)


def with_metrics(snap: Snapshot) -> Snapshot:
    """Attach the math layer's market and account metrics."""
    markets = []
    views: dict[str, MarketView] = {}
    for m in snap.markets:
        view = m.view(snap.protocol_parameter)
        views[m.market.lower()] = view
        rates = analytics.side_rates(view)
        social = analytics.socialization(view)
        markets.append(m.model_copy(update={"metrics": MarketMetrics(
            funding_rate=rates.funding_rate, interest_rate=rates.interest_rate, utilization=rates.utilization,
            maker_rate=rates.maker, long_rate=rates.long, short_rate=rates.short,
            capacity=analytics.capacity(view), socialized=social.socialized,
        )}))
    accounts = []
    for a in snap.accounts:
        view = views[a.market.lower()]
        acct = a.view()
        ps = view.ps
        mag = max(acct.position.maker, acct.position.long, acct.position.short)
        margin = margin_requirement(mag, view.latest_price, ps.margin, ps.min_margin)
        maint = maintenance_requirement(mag, view.latest_price, ps.maintenance, ps.min_maintenance)
        liq = None
        if mag and acct.position.timestamp == view.position.timestamp:
            liq = analytics.liquidation_price(view, acct)
        accounts.append(a.model_copy(update={"metrics": AccountMetrics(
            collateral=acct.local.collateral, margin_required=margin, maintenance_required=maint,
            margin_headroom=acct.local.collateral - margin, maintenance_headroom=acct.local.collateral - maint,
            max_withdrawable=analytics.max_withdrawable(view, acct), liquidation_price=liq,
        )}))
    return snap.model_copy(update={"markets": markets, "accounts": accounts})


