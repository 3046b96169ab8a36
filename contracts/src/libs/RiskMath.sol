// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { Fx } from "./Fx.sol";
import { LinearAdiabatic6, PController6, PAccumulator6, UJumpRateUtilizationCurve6 } from "../types/Types.sol";

/// @title RiskMath
/// @notice Impact-fee curves, the funding p-controller and the interest utilization curve
library RiskMath {
    using Fx for uint256;
    using Fx for int256;

    error Adiabatic6ZeroScaleError();
    error CurveMath6OutOfBoundsError();

    // ---------- impact fees ----------

    /// @dev |q| * price * fee
    function linearFee(uint256 fee, uint256 q, uint256 price) internal pure returns (uint256) {
        return q.mul(price).mul(fee);
    }

    /// @dev |q| * price * (|q| / scale) * fee
    function proportionalFee(uint256 scale, uint256 fee, uint256 q, uint256 price) internal pure returns (uint256) {
        return q.mul(price).muldiv(q, scale).mul(fee);
    }

    /// @dev fee integrated along f(x) = adiabaticFee * x / scale from `latest` to `latest + change`
    function adiabatic(LinearAdiabatic6 memory cfg, int256 latest, int256 change, uint256 price)
        internal pure returns (int256)
    {
        if (latest == 0 && change == 0) return 0;
        if (cfg.scale == 0) revert Adiabatic6ZeroScaleError();
        int256 scale = Fx.s(cfg.scale);
        int256 latestScaled = latest.sdiv(scale);
        int256 changeScaled = change.sdiv(scale);
        int256 mean = (latestScaled + latestScaled + changeScaled).sdiv(2e6);
        return change.smul(Fx.s(price)).smul(Fx.s(cfg.adiabaticFee)).smul(mean);
    }

    /// @dev adiabatic exposure of a skew at unit price
    function exposure(LinearAdiabatic6 memory cfg, int256 skew) internal pure returns (int256) {
        return adiabatic(cfg, 0, skew, Fx.ONE);
    }

    // ---------- funding ----------

    /// @dev PController6.compute
    function pCompute(PController6 memory c, int256 value, int256 skew, uint256 fromTs, uint256 toTs)
        internal pure returns (int256 newValue, uint256 intercept)
    {
        int256 uncapped = value + Fx.s((toTs - fromTs) * Fx.ONE).smul(skew).sdiv(Fx.s(c.k));
        newValue = Fx.smax(Fx.smin(uncapped, c.max), c.min);
        uint256 distance = (toTs - fromTs) * Fx.ONE;
        int256 range = uncapped - value;
        uint256 buffer = (value > c.max || value < c.min) ? 0 : Fx.abs((range > 0 ? c.max : c.min) - value);
        intercept = range == 0
            ? toTs * Fx.ONE
            : Fx.min(fromTs * Fx.ONE + distance.muldiv(buffer, Fx.abs(range)), toTs * Fx.ONE);
    }

    function _segment(int256 rate, uint256 fromTs6, uint256 toTs6, uint256 notional) private pure returns (int256) {
        return rate.smul(Fx.s(toTs6 - fromTs6)).smul(Fx.s(notional)).sdiv(Fx.s(Fx.YEAR * Fx.ONE));
    }

    /// @dev PAccumulator6.accumulate; returns the funding amount and the new accumulator state
    function pAccumulate(
        PAccumulator6 memory self,
        PController6 memory c,
        int256 skew,
        uint256 fromTs,
        uint256 toTs,
        uint256 notional
    ) internal pure returns (int256 accumulated) {
        (int256 newValue, uint256 intercept) = pCompute(c, self._value, self._skew, fromTs, toTs);
        accumulated = _segment(self._value + newValue, fromTs * Fx.ONE, intercept, notional).sdiv(2e6);
        accumulated = _segment(newValue, intercept, toTs * Fx.ONE, notional) + accumulated;
        self._value = newValue;
        self._skew = skew;
    }

    // ---------- interest ----------

    function _lerp(uint256 x0, uint256 y0, uint256 x1, uint256 y1, uint256 x) private pure returns (uint256) {
        if (x < x0 || x > x1) revert CurveMath6OutOfBoundsError();
        uint256 ratio = (x - x0).div(x1 - x0);
        return Fx.u((Fx.s(y1) - Fx.s(y0)).smul(Fx.s(ratio)) + Fx.s(y0));
    }

    function rate(UJumpRateUtilizationCurve6 memory c, uint256 utilization) internal pure returns (uint256) {
        if (utilization < c.targetUtilization) return _lerp(0, c.minRate, c.targetUtilization, c.targetRate, utilization);
        if (utilization < Fx.ONE) return _lerp(c.targetUtilization, c.targetRate, Fx.ONE, c.maxRate, utilization);
        return c.maxRate;
    }

    function interest(
        UJumpRateUtilizationCurve6 memory c,
        uint256 utilization,
        uint256 fromTs,
        uint256 toTs,
        uint256 notional
    ) internal pure returns (uint256) {
        return rate(c, utilization).mul((toTs - fromTs) * Fx.ONE).mul(notional).div(Fx.YEAR * Fx.ONE);
    }
}
