"""Lean mutable state records for the hot path (plain ints in ``__slots__``).

These mirror the contract structs field for field (spec §3.1, §4.1, §5); the pydantic models in
:mod:`perennial_sdk.models` are the validated, frozen edge form. Convert with ``to_model()`` /
``from_model()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from perennial_sdk import models

__all__ = [
    "CheckpointState",
    "GlobalState",
    "LocalState",
    "OrderState",
    "ParamSet",
    "PositionState",
    "VersionState",
]


class _Convert:
    """``to_model`` / ``from_model`` by matching field names."""

    __slots__ = ()
    _model: Any = None

    def to_model(self) -> Any:
        return self._model.model_validate({f.name: getattr(self, f.name) for f in fields(self)})  # type: ignore[arg-type]



@dataclass(slots=True)
class PositionState(_Convert):
    """A position: ``timestamp`` and the maker / long / short sizes (raw UFixed6)."""

    timestamp: int = 0
    maker: int = 0
    long: int = 0
    short: int = 0

    def copy(self) -> PositionState:
        """A field-for-field copy (hot path)."""
        return PositionState(self.timestamp, self.maker, self.long, self.short)

    @classmethod
    def from_model(cls, m: models.Position) -> PositionState:
        return cls(m.timestamp, int(m.maker), int(m.long), int(m.short))

    def to_model(self) -> models.Position:
        return models.Position(timestamp=self.timestamp, maker=self.maker, long=self.long, short=self.short)

    def plus(self, o: OrderState) -> PositionState:
        """A new position: this one with the order's deltas added (timestamp kept)."""
        return PositionState(
            self.timestamp, self.maker + o.maker_pos - o.maker_neg, self.long + o.long_pos - o.long_neg,
            self.short + o.short_pos - o.short_neg,
        )

    def max_magnitude_along(self, orders: Iterable[OrderState]) -> int:
        """The largest magnitude this position reaches as ``orders`` apply in turn (``maxPendingMagnitude``)."""
        walk = self.copy()
        largest = max(walk.maker, walk.long, walk.short)
        for order in orders:
            walk.apply(order)
            largest = max(largest, walk.maker, walk.long, walk.short)
        return largest

    def apply(self, o: OrderState) -> None:
        """``PositionLib.update``: add the order's deltas and take its timestamp."""
        self.timestamp = o.timestamp
        self.maker += o.maker_pos - o.maker_neg
        self.long += o.long_pos - o.long_neg
        self.short += o.short_pos - o.short_neg
        if self.maker < 0 or self.long < 0 or self.short < 0:
            from perennial_sdk.errors import UFixed6UnderflowError

            raise UFixed6UnderflowError(left=0, right=-min(self.maker, self.long, self.short))


@dataclass(slots=True)
class OrderState(_Convert):
    """An order (raw ints): see :class:`perennial_sdk.models.Order`."""

    timestamp: int = 0
    orders: int = 0
    collateral: int = 0
    maker_pos: int = 0
    maker_neg: int = 0
    long_pos: int = 0
    long_neg: int = 0
    short_pos: int = 0
    short_neg: int = 0
    protection: int = 0
    invalidation: int = 0
    maker_referral: int = 0
    taker_referral: int = 0

    def copy(self) -> OrderState:
        """A field-for-field copy (hot path)."""
        return OrderState(
            self.timestamp, self.orders, self.collateral, self.maker_pos, self.maker_neg, self.long_pos,
            self.long_neg, self.short_pos, self.short_neg, self.protection, self.invalidation, self.maker_referral,
            self.taker_referral,
        )

    @classmethod
    def from_model(cls, m: models.Order) -> OrderState:
        return cls(*(int(getattr(m, f.name)) for f in fields(cls)))

    def to_model(self) -> models.Order:
        return models.Order.model_validate({f.name: getattr(self, f.name) for f in fields(self)})

    # derived quantities (OrderLib)
    def is_empty(self) -> bool:
        return not (self.maker_pos or self.maker_neg or self.long_pos or self.long_neg or self.short_pos or self.short_neg)

    def maker_total(self) -> int:
        return self.maker_pos + self.maker_neg

    def taker_pos(self) -> int:
        return self.long_pos + self.short_neg

    def taker_neg(self) -> int:
        return self.short_pos + self.long_neg

    def taker_total(self) -> int:
        return self.long_pos + self.short_neg + self.short_pos + self.long_neg

    def pos(self) -> int:
        return self.maker_pos + self.long_pos + self.short_pos

    def neg(self) -> int:
        return self.maker_neg + self.long_neg + self.short_neg

    def long(self) -> int:
        return self.long_pos - self.long_neg

    def short(self) -> int:
        return self.short_pos - self.short_neg

    def crosses_zero(self) -> bool:
        return bool((self.long_pos or self.long_neg) and (self.short_pos or self.short_neg))

    def increases_position(self) -> bool:
        return bool(self.maker_pos or self.long_pos or self.short_pos)

    def increases_taker(self) -> bool:
        return bool(self.long_pos or self.short_pos)

    def add(self, o: OrderState) -> None:
        """``OrderLib.add``."""
        self.orders += o.orders
        self.collateral += o.collateral
        self.protection += o.protection
        self.invalidation += o.invalidation
        self.maker_referral += o.maker_referral
        self.taker_referral += o.taker_referral
        self.maker_pos += o.maker_pos
        self.maker_neg += o.maker_neg
        self.long_pos += o.long_pos
        self.long_neg += o.long_neg
        self.short_pos += o.short_pos
        self.short_neg += o.short_neg

    def sub(self, o: OrderState) -> None:
        """``OrderLib.sub``."""
        self.orders -= o.orders
        self.collateral -= o.collateral
        self.protection -= o.protection
        self.invalidation -= o.invalidation
        self.maker_referral -= o.maker_referral
        self.taker_referral -= o.taker_referral
        self.maker_pos -= o.maker_pos
        self.maker_neg -= o.maker_neg
        self.long_pos -= o.long_pos
        self.long_neg -= o.long_neg
        self.short_pos -= o.short_pos
        self.short_neg -= o.short_neg

    def invalidate(self) -> None:
        """``OrderLib.invalidate`` with an empty guarantee: position deltas and referrals zeroed."""
        self.maker_referral = self.taker_referral = 0
        self.maker_pos = self.maker_neg = self.long_pos = self.long_neg = self.short_pos = self.short_neg = 0


@dataclass(slots=True)
class VersionState(_Convert):
    """A version (raw ints): see :class:`perennial_sdk.models.Version`."""

    valid: bool = False
    price: int = 0
    maker_value: int = 0
    long_value: int = 0
    short_value: int = 0
    maker_fee: int = 0
    taker_fee: int = 0
    maker_offset: int = 0
    taker_pos_offset: int = 0
    taker_neg_offset: int = 0
    settlement_fee: int = 0
    liquidation_fee: int = 0

    def copy(self) -> VersionState:
        """A field-for-field copy (hot path)."""
        return VersionState(
            self.valid, self.price, self.maker_value, self.long_value, self.short_value, self.maker_fee,
            self.taker_fee, self.maker_offset, self.taker_pos_offset, self.taker_neg_offset, self.settlement_fee,
            self.liquidation_fee,
        )

    @classmethod
    def from_model(cls, m: models.Version) -> VersionState:
        return cls(m.valid, *(int(getattr(m, f.name)) for f in fields(cls)[1:]))

    def to_model(self) -> models.Version:
        return models.Version.model_validate({f.name: getattr(self, f.name) for f in fields(self)})


@dataclass(slots=True)
class GlobalState(_Convert):
    """Global market state (raw ints); ``p_value``/``p_skew`` are ``pAccumulator._value/_skew``."""

    current_id: int = 0
    latest_id: int = 0
    protocol_fee: int = 0
    oracle_fee: int = 0
    risk_fee: int = 0
    latest_price: int = 0
    exposure: int = 0
    p_value: int = 0
    p_skew: int = 0

    def copy(self) -> GlobalState:
        """A field-for-field copy (hot path)."""
        return GlobalState(
            self.current_id, self.latest_id, self.protocol_fee, self.oracle_fee, self.risk_fee, self.latest_price,
            self.exposure, self.p_value, self.p_skew,
        )

    @classmethod
    def from_model(cls, m: models.Global) -> GlobalState:
        return cls(
            m.current_id, m.latest_id, int(m.protocol_fee), int(m.oracle_fee), int(m.risk_fee),
            int(m.latest_price), int(m.exposure), int(m.p_accumulator.value), int(m.p_accumulator.skew),
        )

    def to_model(self) -> models.Global:
        return models.Global(
            current_id=self.current_id, latest_id=self.latest_id, protocol_fee=self.protocol_fee,
            oracle_fee=self.oracle_fee, risk_fee=self.risk_fee, latest_price=self.latest_price,
            exposure=self.exposure, p_accumulator=models.PAccumulator(value=self.p_value, skew=self.p_skew),
        )


@dataclass(slots=True)
class LocalState(_Convert):
    """Per-account state (raw ints): see :class:`perennial_sdk.models.Local`."""

    current_id: int = 0
    latest_id: int = 0
    collateral: int = 0
    claimable: int = 0

    def copy(self) -> LocalState:
        """A field-for-field copy (hot path)."""
        return LocalState(self.current_id, self.latest_id, self.collateral, self.claimable)

    @classmethod
    def from_model(cls, m: models.Local) -> LocalState:
        return cls(m.current_id, m.latest_id, int(m.collateral), int(m.claimable))

    def to_model(self) -> models.Local:
        return models.Local(
            current_id=self.current_id, latest_id=self.latest_id, collateral=self.collateral, claimable=self.claimable
        )


@dataclass(slots=True)
class CheckpointState(_Convert):
    """Per-account checkpoint (raw ints): see :class:`perennial_sdk.models.Checkpoint`."""

    trade_fee: int = 0
    settlement_fee: int = 0
    transfer: int = 0
    collateral: int = 0

    def copy(self) -> CheckpointState:
        """A field-for-field copy (hot path)."""
        return CheckpointState(self.trade_fee, self.settlement_fee, self.transfer, self.collateral)

    @classmethod
    def from_model(cls, m: models.Checkpoint) -> CheckpointState:
        return cls(int(m.trade_fee), int(m.settlement_fee), int(m.transfer), int(m.collateral))

    def to_model(self) -> models.Checkpoint:
        return models.Checkpoint(
            trade_fee=self.trade_fee, settlement_fee=self.settlement_fee, transfer=self.transfer,
            collateral=self.collateral,
        )


@dataclass(slots=True, frozen=True)
class ParamSet:
    """Every parameter the math reads, flattened to raw ints (built once per parameter change)."""

    # market parameter
    funding_fee: int
    interest_fee: int
    maker_fee: int
    taker_fee: int
    risk_fee: int
    max_pending_global: int
    max_pending_local: int
    closed: bool
    settle: bool
    # risk parameter
    margin: int
    maintenance: int
    taker_linear: int
    taker_proportional: int
    taker_adiabatic: int
    taker_scale: int
    maker_linear: int
    maker_proportional: int
    maker_scale: int
    maker_limit: int
    efficiency_limit: int
    liquidation_fee: int
    min_rate: int
    max_rate: int
    target_rate: int
    target_utilization: int
    k: int
    p_min: int
    p_max: int
    min_margin: int
    min_maintenance: int
    stale_after: int
    maker_receive_only: bool
    # protocol parameter
    referral_fee: int

    @classmethod
    def build(
        cls, protocol: models.ProtocolParameter, market: models.MarketParameter, risk: models.RiskParameter
    ) -> ParamSet:
        """Flatten the three parameter models (``risk`` as stored: whole-unit scales and limit)."""
        r = risk.stored()
        return cls(
            funding_fee=int(market.funding_fee), interest_fee=int(market.interest_fee),
            maker_fee=int(market.maker_fee), taker_fee=int(market.taker_fee), risk_fee=int(market.risk_fee),
            max_pending_global=market.max_pending_global, max_pending_local=market.max_pending_local,
            closed=market.closed, settle=market.settle,
            margin=int(r.margin), maintenance=int(r.maintenance),
            taker_linear=int(r.taker_fee.linear_fee), taker_proportional=int(r.taker_fee.proportional_fee),
            taker_adiabatic=int(r.taker_fee.adiabatic_fee), taker_scale=int(r.taker_fee.scale),
            maker_linear=int(r.maker_fee.linear_fee), maker_proportional=int(r.maker_fee.proportional_fee),
            maker_scale=int(r.maker_fee.scale), maker_limit=int(r.maker_limit),
            efficiency_limit=int(r.efficiency_limit), liquidation_fee=int(r.liquidation_fee),
            min_rate=int(r.utilization_curve.min_rate), max_rate=int(r.utilization_curve.max_rate),
            target_rate=int(r.utilization_curve.target_rate),
            target_utilization=int(r.utilization_curve.target_utilization),
            k=int(r.p_controller.k), p_min=int(r.p_controller.min), p_max=int(r.p_controller.max),
            min_margin=int(r.min_margin), min_maintenance=int(r.min_maintenance), stale_after=r.stale_after,
            maker_receive_only=r.maker_receive_only, referral_fee=int(protocol.referral_fee),
        )


