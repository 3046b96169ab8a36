"""Fixed-point rounding matches the protocol (spec §1.2-1.3), checked against exact rationals."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perennial_sdk import errors
from perennial_sdk.fixed import (
    B,
    Fixed6,
    UFixed6,
    acc_accumulated,
    acc_increment,
    fdiv,
    fdiv_out,
    fmul,
    fmul_out,
    format6,
    parse6,
    udiv,
    udiv_out,
    ufmul,
    ufmul_out,
    unsafe_fdiv,
    unsafe_udiv,
)

u = st.integers(0, 2**128)
i = st.integers(-(2**127), 2**127)
nz_u = st.integers(1, 2**128)
nz_i = i.filter(lambda x: x != 0)


def trunc(q: Fraction) -> int:
    return math.floor(q) if q >= 0 else math.ceil(q)


def away(q: Fraction) -> int:
    return math.ceil(q) if q >= 0 else math.floor(q)


@given(u, u)
def test_ufixed_mul_floors_and_mul_out_ceils(a: int, b: int) -> None:
    assert ufmul(a, b) == math.floor(Fraction(a * b, B))
    assert ufmul_out(a, b) == math.ceil(Fraction(a * b, B))


@given(u, nz_u)
def test_ufixed_div_floors_and_div_out_ceils(a: int, b: int) -> None:
    assert udiv(a, b) == math.floor(Fraction(a * B, b))
    assert udiv_out(a, b) == math.ceil(Fraction(a * B, b))


@given(i, i)
def test_fixed_mul_truncates_and_mul_out_rounds_away(a: int, b: int) -> None:
    assert fmul(a, b) == trunc(Fraction(a * b, B))
    assert fmul_out(a, b) == away(Fraction(a * b, B))


@given(i, nz_i)
def test_fixed_div_truncates_and_div_out_rounds_away(a: int, b: int) -> None:
    assert fdiv(a, b) == trunc(Fraction(a * B, b))
    assert fdiv_out(a, b) == away(Fraction(a * B, b))


@given(i, nz_u, i)
def test_accumulator_floors_increment_and_realization(amount: int, total: int, acc: int) -> None:
    assert acc_increment(acc, amount, total) == acc + math.floor(Fraction(amount * B, total))
    assert acc_accumulated(acc + amount, acc, total) == math.floor(Fraction(amount * total, B))


def test_unsafe_division_by_zero_matches_the_contract() -> None:
    assert unsafe_udiv(0, 0) == B
    assert unsafe_udiv(5, 0) == 2**256 - 1
    assert unsafe_fdiv(5, 0) == 2**255 - 1
    assert unsafe_fdiv(-5, 0) == -(2**255)
    assert unsafe_fdiv(0, 0) == B
    with pytest.raises(errors.FixedPointError, match="division by zero"):
        udiv(1, 0)


def test_value_types_render_decimals_and_keep_raw_ints() -> None:
    price = UFixed6.from_decimal("3000.123456")
    assert int(price) == 3_000_123_456 and str(price) == "3000.123456"
    assert repr(Fixed6(-100_000)) == "Fixed6('-0.100000')"
    assert UFixed6.from_decimal("1.5") * UFixed6.from_decimal("1.5") == UFixed6(2_250_000)
    assert Fixed6(-1) * Fixed6(500_000) == 0  # truncates toward zero
    assert Fixed6(-1).mul_out(500_000) == -1  # rounds away from zero
    assert abs(Fixed6(-7)) == UFixed6(7)
    assert UFixed6(1_500_000) * 2 == UFixed6(3_000_000) and Fixed6(-7) / 2 == Fixed6(-3)  # ints are scalars
    assert format6(-1) == "-0.000001"
    assert f"{UFixed6(1_234_567_890):,.2f}" == "1,234.57" and f"{Fixed6(-500_000)}" == "-0.500000"


def test_unsigned_underflow_names_both_operands() -> None:
    with pytest.raises(errors.UFixed6UnderflowError) as info:
        UFixed6(1_500_000) - UFixed6(2_000_000)
    assert "1500000 - 2000000" in str(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, errors.ContractError)


def test_floor_division_is_refused_as_ambiguous() -> None:
    with pytest.raises(TypeError, match="ambiguous"):
        UFixed6(99_500_000) // 10**6


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError, match="float"):
        UFixed6(1) * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        UFixed6(1.0)  # type: ignore[arg-type]
    with pytest.raises(errors.FixedPointError, match="float"):
        parse6(1.5)  # type: ignore[arg-type]


def test_parse_refuses_more_than_six_decimals() -> None:
    assert parse6("0.000001") == 1 and parse6(Decimal("-2.5")) == -2_500_000 and parse6(3) == 3 * B
    with pytest.raises(errors.FixedPointError, match="more than 6 decimal places"):
        parse6("0.0000001")
