"""Models validate like the contracts and name the field and the bound on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from perennial_sdk import errors, presets
from perennial_sdk.models import Global, Order, Position, ProtocolParameter, RiskParameter

VECTORS = Path(__file__).resolve().parents[1] / "vectors"


def risk_dict() -> dict[str, object]:
    return dict(json.loads((VECTORS / "scenario2_rounding.json").read_text())["risk"])


def test_vector_parameters_load_and_round_trip_with_contract_names() -> None:
    risk = RiskParameter.model_validate(risk_dict())
    assert risk.model_dump() == risk_dict()
    assert str(risk.margin) == "0.077700"
    assert risk.taker_fee.scale == 9_000_000


def test_a_negative_size_names_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        Position(maker=-1)
    assert info.value.errors()[0]["loc"] == ("maker",)


def test_maintenance_above_margin_names_both_fields() -> None:
    with pytest.raises(ValidationError, match="maintenance .* must be ≤ margin"):
        RiskParameter.model_validate({**risk_dict(), "maintenance": 900_000})


def test_storage_width_is_enforced() -> None:
    with pytest.raises(ValidationError) as info:
        Order(maker_pos=2**64)
    assert info.value.errors()[0]["loc"] == ("makerPos",) or info.value.errors()[0]["loc"] == ("maker_pos",)


def test_fee_above_the_protocol_max_names_field_and_limit() -> None:
    risk = presets.risk_parameter("ETH", taker_fee={"linear_fee": 40_000, "proportional_fee": 0,
                                                    "adiabatic_fee": 0, "scale": 600_000_000})
    with pytest.raises(errors.InvalidParameterError) as info:
        risk.validate_for(presets.PROTOCOL)
    err = info.value
    assert (err.field, err.limit, err.value) == ("taker_fee.linear_fee", 30_000, 40_000)
    assert err.contract_error == "RiskParameterStorageInvalidError"
    assert isinstance(err, ValueError)


def test_scale_rule() -> None:
    risk = presets.risk_parameter("ETH", maker_limit=100_000 * 10**6)
    with pytest.raises(errors.InvalidParameterError, match="taker_fee.scale"):
        risk.validate_for(presets.PROTOCOL)


def test_market_parameter_cut_is_capped() -> None:
    with pytest.raises(errors.InvalidParameterError, match="funding_fee"):
        presets.market_parameter(funding_fee=200_000).validate_for(presets.PROTOCOL)


def test_stored_risk_parameter_truncates_whole_units() -> None:
    risk = presets.risk_parameter("BTC", maker_limit=99_500_000)
    assert risk.stored().maker_limit == 99_000_000


def test_models_are_frozen_and_reject_unknown_fields() -> None:
    g = Global()
    with pytest.raises(ValidationError):
        g.latest_id = 3  # type: ignore[misc]
    with pytest.raises(ValidationError):
        ProtocolParameter.model_validate({**presets.PROTOCOL.model_dump(), "surprise": 1})


def test_every_preset_is_valid_for_the_protocol() -> None:
    for name in presets.MARKETS:
        presets.risk_parameter(name).validate_for(presets.PROTOCOL)
