// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Fx
/// @notice 6-decimal fixed-point arithmetic on raw integers with the protocol's rounding rules.
///         Unsigned ("u*") functions model UFixed6 (floor), signed ("s*") functions model Fixed6
///         (truncation toward zero), "*Out" variants round away from zero.
library Fx {
    error UFixed6UnderflowError(int256 value);
    error Fixed6OverflowError(uint256 value);
    error DivisionByZero();

    uint256 internal constant ONE = 1e6;
    int256 internal constant SONE = 1e6;
    uint256 internal constant YEAR = 365 days;

    // ---------- unsigned ----------

    function mul(uint256 a, uint256 b) internal pure returns (uint256) {
        return a * b / ONE;
    }

    function div(uint256 a, uint256 b) internal pure returns (uint256) {
        return a * ONE / b;
    }

    function ceilDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        if (b == 0) revert DivisionByZero();
        return a == 0 ? 0 : (a - 1) / b + 1;
    }

    function divOut(uint256 a, uint256 b) internal pure returns (uint256) {
        return ceilDiv(a * ONE, b);
    }

    function unsafeDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        if (b == 0) return a == 0 ? ONE : type(uint256).max;
        return div(a, b);
    }

    function muldiv(uint256 a, uint256 b, uint256 c) internal pure returns (uint256) {
        return a * b / c;
    }

    function min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    function max(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a : b;
    }

    /// @dev UFixed6Lib.from(Fixed6): reverts on negative values
    function u(int256 a) internal pure returns (uint256) {
        if (a < 0) revert UFixed6UnderflowError(a);
        return uint256(a);
    }

    /// @dev UFixed6Lib.unsafeFrom(Fixed6): clamps negative values to zero
    function uClamp(int256 a) internal pure returns (uint256) {
        return a < 0 ? 0 : uint256(a);
    }

    // ---------- signed ----------

    /// @dev Fixed6Lib.from(UFixed6)
    function s(uint256 a) internal pure returns (int256) {
        if (a > uint256(type(int256).max)) revert Fixed6OverflowError(a);
        return int256(a);
    }

    function smul(int256 a, int256 b) internal pure returns (int256) {
        return a * b / SONE;
    }

    function sdiv(int256 a, int256 b) internal pure returns (int256) {
        return a * SONE / b;
    }

    function sunsafeDiv(int256 a, int256 b) internal pure returns (int256) {
        if (b == 0) {
            if (a > 0) return type(int256).max;
            if (a < 0) return type(int256).min;
            return SONE;
        }
        return sdiv(a, b);
    }

    function sign(int256 a) internal pure returns (int256) {
        return a > 0 ? int256(1) : (a < 0 ? int256(-1) : int256(0));
    }

    function abs(int256 a) internal pure returns (uint256) {
        return a >= 0 ? uint256(a) : uint256(-a);
    }

    function smin(int256 a, int256 b) internal pure returns (int256) {
        return a < b ? a : b;
    }

    function smax(int256 a, int256 b) internal pure returns (int256) {
        return a > b ? a : b;
    }

    /// @dev signed division rounding away from zero (NumberMath.divOut)
    function sceilDiv(int256 a, int256 b) internal pure returns (int256) {
        return sign(a) * sign(b) * s(ceilDiv(abs(a), abs(b)));
    }

    // ---------- Accumulator6 ----------

    /// @dev per-unit increment: amount / total, floored toward -inf
    function perUnit(int256 amount, uint256 total) internal pure returns (int256) {
        int256 t = s(total);
        if (amount < 0) return -s(divOut(abs(amount), abs(t)));
        return amount * SONE / t;
    }

    /// @dev Accumulator6.increment
    function inc(int256 acc, int256 amount, uint256 total) internal pure returns (int256) {
        if (amount == 0) return acc;
        return acc + perUnit(amount, total);
    }

    /// @dev Accumulator6.decrement
    function dec(int256 acc, int256 amount, uint256 total) internal pure returns (int256) {
        if (amount == 0) return acc;
        return acc + perUnit(-amount, total);
    }

    /// @dev Accumulator6.accumulated: (to - from) * total, floored toward -inf
    function accumulated(int256 to, int256 from, uint256 total) internal pure returns (int256) {
        int256 d = to - from;
        int256 t = s(total);
        if (d < 0) return sceilDiv(d * t, SONE);
        return d * t / SONE;
    }
}
