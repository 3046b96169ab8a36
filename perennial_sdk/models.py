"""Pydantic v2 models of the Perennial V2.4 structs (spec §2, §3, §4.1, §5).

Every fixed-point field holds a :class:`~perennial_sdk.fixed.UFixed6` or
:class:`~perennial_sdk.fixed.Fixed6` (an ``int`` holding the raw 6-decimal value). Models are frozen,
reject unknown fields, accept both the snake_case names and the contracts' camelCase names, and
serialize with the contracts' names (so a vector file or an ABI-decoded dict loads directly).

Validation on construction mirrors what the contracts enforce without outside context (storage
widths, ``maintenance ≤ margin ≤ 1``, ...). Checks that need the protocol parameter (fee caps, rate
caps, the scale rule) are :meth:`RiskParameter.validate_for` and :meth:`MarketParameter.validate_for`,
which raise :class:`~perennial_sdk.errors.InvalidParameterError` naming the field and the limit.
"""

from __future__ import annotations

from typing import Annotated, Any

from annotated_types import Ge, Le
from pydantic import BaseModel, ConfigDict, model_validator
from pydantic.alias_generators import to_camel

from perennial_sdk.errors import InvalidParameterError
from perennial_sdk.fixed import B, Fixed6, UFixed6, format6, udiv, ufmul

__all__ = [
    "Checkpoint",
    "Global",
    "LinearAdiabatic",
    "Local",
    "MarketParameter",
    "NoopAdiabatic",
    "OracleReceipt",
    "OracleVersion",
    "Order",
    "PAccumulator",
    "PController",
    "Position",
    "ProtocolParameter",
    "RiskParameter",
    "UtilizationCurve",
    "Version",
]


def _umax(bits: int) -> Le:
    return Le(2**bits - 1)


U24 = Annotated[UFixed6, _umax(24)]
U32 = Annotated[UFixed6, _umax(32)]
U48 = Annotated[UFixed6, _umax(48)]
U62 = Annotated[UFixed6, _umax(62)]
U64 = Annotated[UFixed6, _umax(64)]
I32 = Annotated[Fixed6, Ge(-(2**31)), Le(2**31 - 1)]
I48 = Annotated[Fixed6, Ge(-(2**47)), Le(2**47 - 1)]
I64 = Annotated[Fixed6, Ge(-(2**63)), Le(2**63 - 1)]
Seconds24 = Annotated[int, Ge(0), Le(2**24 - 1)]
Timestamp = Annotated[int, Ge(0), Le(2**64 - 1)]
Count = Annotated[int, Ge(0), Le(2**32 - 1)]
Id = Annotated[int, Ge(0), Le(2**64 - 1)]
WholeUnits48 = Annotated[UFixed6, Le((2**48 - 1) * B)]
"""A value stored as whole units in 48 bits (``truncate()``): makerLimit and fee scales."""


class _Struct(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )

    def describe(self) -> dict[str, Any]:
        """The model as a dict of human-readable values (decimal strings for fixed-point fields)."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, _Struct):
                out[name] = value.describe()
            elif isinstance(value, (UFixed6, Fixed6)):
                out[name] = format6(int(value))
            else:
                out[name] = value
        return out


def _fail(field: str, limit: Any, value: Any, rule: str, contract_error: str) -> InvalidParameterError:
    return InvalidParameterError(field=field, limit=limit, value=value, rule=rule, contract_error=contract_error)


# --------------------------------------------------------------------------- parameters


class ProtocolParameter(_Struct):
    """``MarketFactory.parameter()``: caps every market's parameters (spec §2.3)."""

    max_fee: U24
    max_liquidation_fee: U32
    max_cut: Annotated[UFixed6, Le(B)]
    max_rate: Annotated[UFixed6, Le((2**32 - 1) // 2)]
    min_maintenance: U24
    min_efficiency: U24
    referral_fee: Annotated[UFixed6, Le(B)]
    min_scale: Annotated[UFixed6, Le(B)]
    max_stale_after: Seconds24


class MarketParameter(_Struct):
    """``Market.parameter()``: fee cuts and modes, set by the factory owner (spec §2.2)."""

    funding_fee: U24
    interest_fee: U24
    maker_fee: U24
    taker_fee: U24
    risk_fee: Annotated[UFixed6, Le(B)]
    max_pending_global: Annotated[int, Ge(0), Le(2**16 - 1)]
    max_pending_local: Annotated[int, Ge(0), Le(2**16 - 1)]
    max_price_deviation: U24
    closed: bool = False
    settle: bool = False

    def validate_for(self, protocol: ProtocolParameter) -> None:
        """Raise :class:`InvalidParameterError` where ``MarketParameterStorageLib.validate`` reverts."""
        for name in ("funding_fee", "interest_fee", "maker_fee", "taker_fee"):
            value = getattr(self, name)
            if value > protocol.max_cut:
                raise _fail(name, protocol.max_cut, value, "≤ protocol.maxCut", "MarketParameterStorageInvalidError")


class LinearAdiabatic(_Struct):
    """Taker impact fee curve ``LinearAdiabatic6`` (spec §4.5). ``scale`` is stored in whole units."""

    linear_fee: U24
    proportional_fee: U24
    adiabatic_fee: U24
    scale: WholeUnits48


class NoopAdiabatic(_Struct):
    """Maker impact fee curve ``NoopAdiabatic6``: linear and proportional only."""

    linear_fee: U24
    proportional_fee: U24
    scale: WholeUnits48


class UtilizationCurve(_Struct):
    """Kinked interest curve ``UJumpRateUtilizationCurve6`` (spec §4.7); rates are annual fractions."""

    min_rate: U24
    max_rate: U24
    target_rate: U24
    target_utilization: Annotated[UFixed6, Le(B)]


class PController(_Struct):
    """Funding-rate controller ``PController6`` (spec §4.6): ``k`` seconds, ``min``/``max`` annual."""

    k: Annotated[UFixed6, Ge(1), Le(2**48 - 1)]
    min: I32
    max: I32

    @model_validator(mode="after")
    def _min_le_max(self) -> PController:
        if self.min > self.max:
            raise ValueError(f"pController.min ({self.min}) must be ≤ pController.max ({self.max})")
        return self


class RiskParameter(_Struct):
    """``Market.riskParameter()``: margins, fees, limits and rate curves (spec §2.1)."""

    margin: Annotated[UFixed6, Le(B)]
    maintenance: Annotated[UFixed6, Le(B)]
    taker_fee: LinearAdiabatic
    maker_fee: NoopAdiabatic
    maker_limit: WholeUnits48
    efficiency_limit: U24
    liquidation_fee: U32
    utilization_curve: UtilizationCurve
    p_controller: PController
    min_margin: U48
    min_maintenance: U48
    stale_after: Seconds24
    maker_receive_only: bool = False

    @model_validator(mode="after")
    def _cross_field(self) -> RiskParameter:
        if self.maintenance > self.margin:
            raise ValueError(
                f"maintenance ({self.maintenance}) must be ≤ margin ({self.margin}) "
                "(RiskParameterStorageInvalidError)"
            )
        if self.min_maintenance > self.min_margin:
            raise ValueError(
                f"min_maintenance ({self.min_maintenance}) must be ≤ min_margin ({self.min_margin}) "
                "(RiskParameterStorageInvalidError)"
            )
        return self

    def stored(self) -> RiskParameter:
        """The value the contract reads back: ``makerLimit`` and fee ``scale`` truncated to whole units."""

        def whole(x: int) -> UFixed6:
            return UFixed6(int(x) // B * B)

        return self.model_copy(
            update={
                "maker_limit": whole(self.maker_limit),
                "taker_fee": self.taker_fee.model_copy(update={"scale": whole(self.taker_fee.scale)}),
                "maker_fee": self.maker_fee.model_copy(update={"scale": whole(self.maker_fee.scale)}),
            }
        )

    def validate_for(self, protocol: ProtocolParameter) -> None:
        """Raise :class:`InvalidParameterError` where ``RiskParameterStorageLib.validate`` reverts."""
        err = "RiskParameterStorageInvalidError"
        fees = {
            "taker_fee.linear_fee": self.taker_fee.linear_fee,
            "taker_fee.proportional_fee": self.taker_fee.proportional_fee,
            "taker_fee.adiabatic_fee": self.taker_fee.adiabatic_fee,
            "maker_fee.linear_fee": self.maker_fee.linear_fee,
            "maker_fee.proportional_fee": self.maker_fee.proportional_fee,
        }
        for name, value in fees.items():
            if value > protocol.max_fee:
                raise _fail(name, protocol.max_fee, value, "≤ protocol.maxFee", err)
        if self.liquidation_fee > protocol.max_liquidation_fee:
            raise _fail(
                "liquidation_fee", protocol.max_liquidation_fee, self.liquidation_fee, "≤ protocol.maxLiquidationFee", err
            )
        rates = {
            "utilization_curve.min_rate": self.utilization_curve.min_rate,
            "utilization_curve.max_rate": self.utilization_curve.max_rate,
            "utilization_curve.target_rate": self.utilization_curve.target_rate,
            "p_controller.max": abs(self.p_controller.max),
            "p_controller.min": abs(self.p_controller.min),
        }
        for name, value in rates.items():
            if value > protocol.max_rate:
                raise _fail(name, protocol.max_rate, value, "abs ≤ protocol.maxRate", err)
        if self.stale_after > protocol.max_stale_after:
            raise _fail("stale_after", protocol.max_stale_after, self.stale_after, "≤ protocol.maxStaleAfter", err)
        if self.maintenance < protocol.min_maintenance:
            raise _fail("maintenance", protocol.min_maintenance, self.maintenance, "≥ protocol.minMaintenance", err)
        if self.efficiency_limit < protocol.min_efficiency:
            raise _fail(
                "efficiency_limit", protocol.min_efficiency, self.efficiency_limit, "≥ protocol.minEfficiency", err
            )
        if self.efficiency_limit == 0:
            raise _fail("efficiency_limit", 1, 0, "> 0", err)
        scale_limit = ufmul(udiv(int(self.maker_limit) // B * B, int(self.efficiency_limit)), int(protocol.min_scale))
        for name, scale in (("taker_fee.scale", self.taker_fee.scale), ("maker_fee.scale", self.maker_fee.scale)):
            if int(scale) // B * B < scale_limit:
                raise _fail(
                    name, UFixed6(scale_limit), scale, "≥ makerLimit / efficiencyLimit × protocol.minScale", err
                )


# --------------------------------------------------------------------------- state


class PAccumulator(_Struct):
    """``Global.pAccumulator``: the funding rate ``value`` and the normalized ``skew`` it drifts with."""

    value: Annotated[Fixed6, Ge(-(2**31)), Le(2**31 - 1)] = Fixed6(0)
    skew: Annotated[Fixed6, Ge(-(2**23)), Le(2**23 - 1)] = Fixed6(0)

    model_config = ConfigDict(alias_generator=lambda name: "_" + name)


class Global(_Struct):
    """``Market.global()``: ids, accrued protocol/oracle/risk fees, latest price, funding controller."""

    current_id: Id = 0
    latest_id: Id = 0
    protocol_fee: U48 = UFixed6(0)
    oracle_fee: U48 = UFixed6(0)
    risk_fee: U48 = UFixed6(0)
    latest_price: I64 = Fixed6(0)
    exposure: I64 = Fixed6(0)
    p_accumulator: PAccumulator = PAccumulator()


class Position(_Struct):
    """A settled position (``position()`` globally, ``positions(account)`` per account)."""

    timestamp: Timestamp = 0
    maker: U64 = UFixed6(0)
    long: U64 = UFixed6(0)
    short: U64 = UFixed6(0)

    @property
    def magnitude(self) -> UFixed6:
        """max(maker, long, short)."""
        return UFixed6(max(self.maker, self.long, self.short))

    @property
    def skew(self) -> Fixed6:
        """long − short."""
        return Fixed6(self.long - self.short)


class Order(_Struct):
    """A pending order: the delta of one or more updates at one oracle version (spec §3.1)."""

    timestamp: Timestamp = 0
    orders: Count = 0
    collateral: I64 = Fixed6(0)
    maker_pos: U64 = UFixed6(0)
    maker_neg: U64 = UFixed6(0)
    long_pos: U64 = UFixed6(0)
    long_neg: U64 = UFixed6(0)
    short_pos: U64 = UFixed6(0)
    short_neg: U64 = UFixed6(0)
    protection: Count = 0
    invalidation: Count = 0
    maker_referral: U64 = UFixed6(0)
    taker_referral: U64 = UFixed6(0)


class Local(_Struct):
    """``Market.locals(account)``: order ids, collateral and claimable fees."""

    current_id: Id = 0
    latest_id: Id = 0
    collateral: I64 = Fixed6(0)
    claimable: U64 = UFixed6(0)


class Version(_Struct):
    """``Market.versions(t)``: cumulative per-unit values and the per-version fee accumulators (§4.1)."""

    valid: bool = False
    price: I64 = Fixed6(0)
    maker_value: I64 = Fixed6(0)
    long_value: I64 = Fixed6(0)
    short_value: I64 = Fixed6(0)
    maker_fee: I48 = Fixed6(0)
    taker_fee: I48 = Fixed6(0)
    maker_offset: I48 = Fixed6(0)
    taker_pos_offset: I48 = Fixed6(0)
    taker_neg_offset: I48 = Fixed6(0)
    settlement_fee: I48 = Fixed6(0)
    liquidation_fee: I48 = Fixed6(0)


class Checkpoint(_Struct):
    """``Market.checkpoints(account, t)``: the account's books at version t (spec §5)."""

    trade_fee: I48 = Fixed6(0)
    settlement_fee: U48 = UFixed6(0)
    transfer: I64 = Fixed6(0)
    collateral: I64 = Fixed6(0)


class OracleVersion(_Struct):
    """An oracle version: ``price`` at ``timestamp``, ``valid`` if committed valid."""

    timestamp: Timestamp
    price: Fixed6
    valid: bool


class OracleReceipt(_Struct):
    """The fees a committed version charges the market: settlement fee and the oracle's share."""

    settlement_fee: UFixed6 = UFixed6(0)
    oracle_fee: Annotated[UFixed6, Le(B)] = UFixed6(0)
