"""6-decimal fixed point exactly as Perennial's `@equilibria/root` computes it (spec §1).

Two layers:

* plain functions on raw Python ints (``ufmul``, ``fmul``, ``acc_increment``, ...): the hot path of
  the simulator uses these; ``B = 10**6`` is one unit;
* value types :class:`UFixed6` and :class:`Fixed6`: ``int`` subclasses holding the raw integer. Between
  two fixed-point values ``*`` and ``/`` are the protocol's ``mul``/``div`` with its rounding; with a
  plain ``int`` they scale (``collateral * 2``, ``price / 4``); ``mul_out``/``div_out``/``muldiv`` take
  raw operands like the library functions. ``str`` is the decimal value; floats are refused.

Rounding (spec §1.2-1.4): UFixed6 ``mul``/``div``/``muldiv`` floor, the ``*_out`` variants ceil; Fixed6
``mul``/``div``/``muldiv`` truncate toward zero, the ``*_out`` variants round away from zero;
``Accumulator6`` increments and realizations floor toward -inf.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Self, SupportsIndex

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from perennial_sdk.errors import FixedPointError, UFixed6UnderflowError

__all__ = [
    "INT256_MAX",
    "INT256_MIN",
    "UINT256_MAX",
    "YEAR",
    "B",
    "Fixed6",
    "UFixed6",
    "acc_accumulated",
    "acc_increment",
    "fdiv",
    "fdiv_out",
    "fmul",
    "fmul_out",
    "fmuldiv",
    "format6",
    "parse6",
    "trunc_div",
    "udiv",
    "udiv_out",
    "ufmul",
    "ufmul_out",
    "umuldiv",
    "umuldiv_out",
    "unsafe_fdiv",
    "unsafe_udiv",
    "usub",
]

B = 10**6
"""One unit in raw 6-decimal fixed point."""
YEAR = 31_536_000
"""`365 days` in seconds: the year of every annualized rate."""
UINT256_MAX = 2**256 - 1
INT256_MAX = 2**255 - 1
INT256_MIN = -(2**255)


# --------------------------------------------------------------------------- raw-int primitives


def trunc_div(a: int, b: int) -> int:
    """Solidity signed division: the quotient truncated toward zero."""
    q = a // b
    if q < 0 and q * b != a:
        q += 1
    return q


def _away_div(a: int, b: int) -> int:
    """Division rounded away from zero (Fixed6 ``*Out``)."""
    q = -(-abs(a) // abs(b))
    return q if (a >= 0) == (b > 0) else -q


def ufmul(a: int, b: int) -> int:
    """UFixed6 ``mul``: floor(a·b / 1e6)."""
    return a * b // B


def ufmul_out(a: int, b: int) -> int:
    """UFixed6 ``mulOut``: ceil(a·b / 1e6)."""
    return -(-(a * b) // B)


def udiv(a: int, b: int) -> int:
    """UFixed6 ``div``: floor(a·1e6 / b); b = 0 raises like the contract's panic."""
    if b == 0:
        raise FixedPointError("division by zero", operation="UFixed6.div", left=a, right=b)
    return a * B // b


def udiv_out(a: int, b: int) -> int:
    """UFixed6 ``divOut``: ceil(a·1e6 / b)."""
    if b == 0:
        raise FixedPointError("division by zero", operation="UFixed6.divOut", left=a, right=b)
    return -(-(a * B) // b)


def unsafe_udiv(a: int, b: int) -> int:
    """UFixed6 ``unsafeDiv``: b = 0 gives ONE when a = 0, else MAX."""
    if b == 0:
        return B if a == 0 else UINT256_MAX
    return a * B // b


def umuldiv(a: int, b: int, c: int) -> int:
    """UFixed6 ``muldiv``: floor(a·b / c) with no intermediate rescaling."""
    if c == 0:
        raise FixedPointError("division by zero", operation="UFixed6.muldiv", left=a, right=c)
    return a * b // c


def umuldiv_out(a: int, b: int, c: int) -> int:
    """UFixed6 ``muldivOut``: ceil(a·b / c)."""
    if c == 0:
        raise FixedPointError("division by zero", operation="UFixed6.muldivOut", left=a, right=c)
    return -(-(a * b) // c)


def usub(a: int, b: int) -> int:
    """UFixed6 ``sub``: raises :class:`UFixed6UnderflowError` naming both operands below zero."""
    if b > a:
        raise UFixed6UnderflowError(left=a, right=b)
    return a - b


def fmul(a: int, b: int) -> int:
    """Fixed6 ``mul``: a·b / 1e6 truncated toward zero."""
    return trunc_div(a * b, B)


def fmul_out(a: int, b: int) -> int:
    """Fixed6 ``mulOut``: a·b / 1e6 rounded away from zero."""
    return _away_div(a * b, B)


def fdiv(a: int, b: int) -> int:
    """Fixed6 ``div``: a·1e6 / b truncated toward zero."""
    if b == 0:
        raise FixedPointError("division by zero", operation="Fixed6.div", left=a, right=b)
    return trunc_div(a * B, b)


def fdiv_out(a: int, b: int) -> int:
    """Fixed6 ``divOut``: a·1e6 / b rounded away from zero."""
    if b == 0:
        raise FixedPointError("division by zero", operation="Fixed6.divOut", left=a, right=b)
    return _away_div(a * B, b)


def unsafe_fdiv(a: int, b: int) -> int:
    """Fixed6 ``unsafeDiv``: b = 0 gives MAX (a > 0), MIN (a < 0) or ONE (a = 0)."""
    if b == 0:
        return INT256_MAX if a > 0 else (INT256_MIN if a < 0 else B)
    return trunc_div(a * B, b)


def fmuldiv(a: int, b: int, c: int) -> int:
    """Fixed6 ``muldiv``: a·b / c truncated toward zero."""
    if c == 0:
        raise FixedPointError("division by zero", operation="Fixed6.muldiv", left=a, right=c)
    return trunc_div(a * b, c)


def acc_increment(acc: int, amount: int, total: int) -> int:
    """``Accumulator6.increment``: acc + floor(amount·1e6 / total); amount ≠ 0 with total = 0 reverts."""
    if amount == 0:
        return acc
    if total == 0:
        raise FixedPointError("division by zero", operation="Accumulator6.increment", left=amount, right=0)
    return acc + amount * B // total


def acc_accumulated(to: int, frm: int, total: int) -> int:
    """``Accumulator6.accumulated``: floor((to − from)·total / 1e6), rounded against the holder."""
    return (to - frm) * total // B


# --------------------------------------------------------------------------- decimal I/O


def format6(raw: int) -> str:
    """Render a raw 6-decimal integer as a decimal string with 6 places ("-0.100000")."""
    sign = "-" if raw < 0 else ""
    q, r = divmod(abs(raw), B)
    return f"{sign}{q}.{r:06d}"


def parse6(value: str | Decimal | int, *, field: str = "value") -> int:
    """Parse a human decimal ("1.5", Decimal("0.0095")) or whole units (int) into a raw integer.

    Raises :class:`FixedPointError` when the value has more than 6 decimal places or is not finite.
    """
    if isinstance(value, (bool, float)):
        raise FixedPointError(
            f"{field}: floats are not accepted; pass a str or Decimal", operation="parse6", left=None, right=None
        )
    if isinstance(value, int):
        return value * B
    try:
        dec = Decimal(value) if isinstance(value, str) else value
    except Exception as exc:  # decimal.InvalidOperation
        raise FixedPointError(f"{field}: {value!r} is not a decimal number", operation="parse6") from exc
    if not dec.is_finite():
        raise FixedPointError(f"{field}: {value!r} is not finite", operation="parse6")
    scaled = dec * B
    if scaled != scaled.to_integral_value():
        raise FixedPointError(f"{field}: {value!r} has more than 6 decimal places", operation="parse6")
    return int(scaled)


# --------------------------------------------------------------------------- value types


def _operand(value: object, op: str) -> int:
    if isinstance(value, float):
        raise TypeError(f"cannot {op} a fixed-point value with a float ({value!r}); use Decimal or str")
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"cannot {op} a fixed-point value with {type(value).__name__}")
    return int(value)


class _Fixed(int):
    """Shared behaviour of the value types: raw int storage, decimal rendering, no floats."""

    __slots__ = ()
    _signed: bool = False

    def __new__(cls, raw: SupportsIndex = 0) -> Self:
        if isinstance(raw, float):
            raise TypeError(f"{cls.__name__} takes a raw int; use {cls.__name__}.from_decimal for decimals")
        value = int.__new__(cls, raw)
        cls._check(int(value))
        return value

    @classmethod
    def _check(cls, raw: int) -> None:
        raise NotImplementedError

    @classmethod
    def from_decimal(cls, value: str | Decimal | int) -> Self:
        """Build from a human value: ``UFixed6.from_decimal("0.0095")``, ``Fixed6.from_decimal(-2)``."""
        return cls(parse6(value))

    @property
    def raw(self) -> int:
        """The raw integer (value × 1e6)."""
        return int(self)

    def to_decimal(self) -> Decimal:
        """The exact decimal value."""
        return Decimal(int(self)) / B

    def __str__(self) -> str:
        return format6(int(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}('{format6(int(self))}')"

    def __format__(self, spec: str) -> str:
        """Format specs apply to the exact decimal value (``f"{price:,.2f}"``)."""
        return format(self.to_decimal(), spec) if spec else str(self)

    def __float__(self) -> float:  # floats are for plots and reports only
        return int(self) / B

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        lo = INT256_MIN if cls._signed else 0
        hi = INT256_MAX if cls._signed else UINT256_MAX
        return core_schema.no_info_after_validator_function(
            cls,
            core_schema.int_schema(ge=lo, le=hi, strict=False),
            serialization=core_schema.plain_serializer_function_ser_schema(int, when_used="always"),
        )


class UFixed6(_Fixed):
    """Unsigned 6-decimal fixed point (``UFixed6``): raw int ≥ 0.

    ``a * b`` and ``a / b`` floor; ``a - b`` below zero raises :class:`UFixed6UnderflowError`.
    """

    __slots__ = ()

    @classmethod
    def _check(cls, raw: int) -> None:
        if raw < 0:
            raise UFixed6UnderflowError(left=0, right=-raw)
        if raw > UINT256_MAX:
            raise FixedPointError("UFixed6 overflow", operation="UFixed6", left=raw)

    def __add__(self, other: object) -> UFixed6:
        return UFixed6(int(self) + _operand(other, "add"))

    __radd__ = __add__

    def __sub__(self, other: object) -> UFixed6:
        return UFixed6(usub(int(self), _operand(other, "subtract")))

    def __rsub__(self, other: object) -> UFixed6:
        return UFixed6(usub(_operand(other, "subtract"), int(self)))

    def __mul__(self, other: object) -> UFixed6:
        value = _operand(other, "multiply")
        if isinstance(other, _Fixed):
            return UFixed6(ufmul(int(self), value))
        return UFixed6(int(self) * value)  # a plain int is a scalar

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> UFixed6:
        value = _operand(other, "divide")
        if isinstance(other, _Fixed):
            return UFixed6(udiv(int(self), value))
        if value == 0:
            raise FixedPointError("division by zero", operation="UFixed6 / int", left=int(self), right=0)
        return UFixed6(int(self) // value)  # a plain int is a scalar (floored)

    def __floordiv__(self, other: object) -> UFixed6:
        raise TypeError(
            "`//` is ambiguous on a fixed-point value: use `/` for the protocol's fixed-point division, "
            "or int(value) // n on the raw integer"
        )

    def mul_out(self, other: int) -> UFixed6:
        """``mulOut``: rounded up."""
        return UFixed6(ufmul_out(int(self), _operand(other, "multiply")))

    def div_out(self, other: int) -> UFixed6:
        """``divOut``: rounded up."""
        return UFixed6(udiv_out(int(self), _operand(other, "divide")))

    def muldiv(self, b: int, c: int) -> UFixed6:
        """``muldiv``: floor(self·b / c)."""
        return UFixed6(umuldiv(int(self), _operand(b, "multiply"), _operand(c, "divide")))

    def muldiv_out(self, b: int, c: int) -> UFixed6:
        """``muldivOut``: ceil(self·b / c)."""
        return UFixed6(umuldiv_out(int(self), _operand(b, "multiply"), _operand(c, "divide")))

    def unsafe_sub(self, other: int) -> UFixed6:
        """``unsafeSub``: floors at zero."""
        return UFixed6(max(int(self) - _operand(other, "subtract"), 0))

    def unsafe_div(self, other: int) -> UFixed6:
        """``unsafeDiv``: division by zero gives ONE (0/0) or MAX."""
        return UFixed6(unsafe_udiv(int(self), _operand(other, "divide")))


class Fixed6(_Fixed):
    """Signed 6-decimal fixed point (``Fixed6``): ``*`` and ``/`` truncate toward zero."""

    __slots__ = ()
    _signed = True

    @classmethod
    def _check(cls, raw: int) -> None:
        if raw < INT256_MIN or raw > INT256_MAX:
            raise FixedPointError("Fixed6 overflow", operation="Fixed6", left=raw)

    def __add__(self, other: object) -> Fixed6:
        return Fixed6(int(self) + _operand(other, "add"))

    __radd__ = __add__

    def __sub__(self, other: object) -> Fixed6:
        return Fixed6(int(self) - _operand(other, "subtract"))

    def __rsub__(self, other: object) -> Fixed6:
        return Fixed6(_operand(other, "subtract") - int(self))

    def __neg__(self) -> Fixed6:
        return Fixed6(-int(self))

    def __abs__(self) -> UFixed6:
        return UFixed6(abs(int(self)))

    def __mul__(self, other: object) -> Fixed6:
        value = _operand(other, "multiply")
        if isinstance(other, _Fixed):
            return Fixed6(fmul(int(self), value))
        return Fixed6(int(self) * value)  # a plain int is a scalar

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> Fixed6:
        value = _operand(other, "divide")
        if isinstance(other, _Fixed):
            return Fixed6(fdiv(int(self), value))
        if value == 0:
            raise FixedPointError("division by zero", operation="Fixed6 / int", left=int(self), right=0)
        return Fixed6(trunc_div(int(self), value))  # a plain int is a scalar (truncated toward zero)

    def __floordiv__(self, other: object) -> Fixed6:
        raise TypeError(
            "`//` is ambiguous on a fixed-point value: use `/` for the protocol's fixed-point division, "
            "or int(value) // n on the raw integer"
        )

    def mul_out(self, other: int) -> Fixed6:
        """``mulOut``: rounded away from zero."""
        return Fixed6(fmul_out(int(self), _operand(other, "multiply")))

    def div_out(self, other: int) -> Fixed6:
        """``divOut``: rounded away from zero."""
        return Fixed6(fdiv_out(int(self), _operand(other, "divide")))

    def muldiv(self, b: int, c: int) -> Fixed6:
        """``muldiv``: self·b / c truncated toward zero."""
        return Fixed6(fmuldiv(int(self), _operand(b, "multiply"), _operand(c, "divide")))

    def unsafe_div(self, other: int) -> Fixed6:
        """``unsafeDiv``: division by zero gives MAX, MIN or ONE."""
        return Fixed6(unsafe_fdiv(int(self), _operand(other, "divide")))
