// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { Fx } from "./libs/Fx.sol";
import { VersionLib } from "./libs/VersionLib.sol";
import { CheckpointLib } from "./libs/CheckpointLib.sol";
import { InvariantLib } from "./libs/InvariantLib.sol";
import { RiskMath } from "./libs/RiskMath.sol";
import { IMarketErrors } from "./interfaces/IMarket.sol";
import {
    Version, Global, Position, Order, Guarantee, Checkpoint, Context, UpdateContext, RiskParameter,
    ProtocolParameter, MarketParameter, LinearAdiabatic6, VersionAccumulationContext, VersionAccumulationResult, CheckpointAccumulationResult
} from "./types/Types.sol";

interface IMarketEngine {
    function accumulateVersion(Version memory from, VersionAccumulationContext memory context)
        external pure returns (Version memory next, Global memory nextGlobal, VersionAccumulationResult memory result);

    function accumulateCheckpoint(
        Checkpoint memory latest,
        Position memory fromPosition,
        Order memory order,
        Guarantee memory guarantee,
        Version memory fromVersion,
        Version memory toVersion
    ) external pure returns (Checkpoint memory next, CheckpointAccumulationResult memory result);

    function validate(
        Context memory context,
        UpdateContext memory updateContext,
        Order memory newOrder,
        Guarantee memory newGuarantee
    ) external pure;

    function prepareRiskParameter(RiskParameter memory risk, ProtocolParameter memory protocol)
        external pure returns (RiskParameter memory);

    function prepareMarketParameter(MarketParameter memory market, ProtocolParameter memory protocol)
        external pure returns (MarketParameter memory);

    function exposureChange(LinearAdiabatic6 memory latest, LinearAdiabatic6 memory next, int256 skew, uint256 price)
        external pure returns (int256);
}

/// @title MarketEngine
/// @notice Stateless, pure math of the market (version accumulation, checkpoint accumulation, invariants,
///         risk parameter validation). Deployed once and shared by every market clone; it never holds funds or state.
contract MarketEngine is IMarketEngine, IMarketErrors {
    function accumulateVersion(Version memory from, VersionAccumulationContext memory context)
        external pure returns (Version memory, Global memory, VersionAccumulationResult memory)
    {
        return VersionLib.accumulate(from, context);
    }

    function accumulateCheckpoint(
        Checkpoint memory latest,
        Position memory fromPosition,
        Order memory order,
        Guarantee memory guarantee,
        Version memory fromVersion,
        Version memory toVersion
    ) external pure returns (Checkpoint memory, CheckpointAccumulationResult memory) {
        return CheckpointLib.accumulate(latest, fromPosition, order, guarantee, fromVersion, toVersion);
    }

    function validate(
        Context memory context,
        UpdateContext memory updateContext,
        Order memory newOrder,
        Guarantee memory newGuarantee
    ) external pure {
        InvariantLib.validate(context, updateContext, newOrder, newGuarantee);
    }

    /// @notice validates a risk parameter and returns it as the reference packed storage would read it back
    function prepareRiskParameter(RiskParameter memory r, ProtocolParameter memory p)
        external pure returns (RiskParameter memory)
    {
        if (
            Fx.max(
                Fx.max(Fx.max(r.takerFee.linearFee, r.takerFee.proportionalFee), r.takerFee.adiabaticFee),
                Fx.max(r.makerFee.linearFee, r.makerFee.proportionalFee)
            ) > p.maxFee
        ) revert RiskParameterStorageInvalidError();
        if (r.liquidationFee > p.maxLiquidationFee) revert RiskParameterStorageInvalidError();
        if (
            Fx.max(
                Fx.max(Fx.max(r.utilizationCurve.minRate, r.utilizationCurve.maxRate), r.utilizationCurve.targetRate),
                Fx.max(Fx.abs(r.pController.max), Fx.abs(r.pController.min))
            ) > p.maxRate
        ) revert RiskParameterStorageInvalidError();
        if (r.staleAfter > p.maxStaleAfter) revert RiskParameterStorageInvalidError();
        if (r.maintenance < p.minMaintenance || r.maintenance > Fx.ONE) revert RiskParameterStorageInvalidError();
        if (r.margin < r.maintenance || r.margin > Fx.ONE) revert RiskParameterStorageInvalidError();
        if (r.efficiencyLimit < p.minEfficiency) revert RiskParameterStorageInvalidError();
        if (r.utilizationCurve.targetUtilization > Fx.ONE) revert RiskParameterStorageInvalidError();
        if (r.minMargin < r.minMaintenance) revert RiskParameterStorageInvalidError();

        uint256 scaleLimit = Fx.mul(Fx.div(r.makerLimit / Fx.ONE * Fx.ONE, r.efficiencyLimit), p.minScale);
        if (r.takerFee.scale / Fx.ONE * Fx.ONE < scaleLimit || r.makerFee.scale / Fx.ONE * Fx.ONE < scaleLimit)
            revert RiskParameterStorageInvalidError();

        if (
            r.margin > type(uint24).max || r.minMargin > type(uint48).max || r.efficiencyLimit > type(uint24).max ||
            r.makerLimit > uint256(type(uint48).max) * Fx.ONE || r.pController.k > type(uint48).max ||
            r.takerFee.scale > uint256(type(uint48).max) * Fx.ONE ||
            r.makerFee.scale > uint256(type(uint48).max) * Fx.ONE || r.staleAfter > type(uint24).max
        ) revert RiskParameterStorageInvalidError();

        r.maintenance = _mask(r.maintenance, 24);
        r.takerFee.linearFee = _mask(r.takerFee.linearFee, 24);
        r.takerFee.proportionalFee = _mask(r.takerFee.proportionalFee, 24);
        r.takerFee.adiabaticFee = _mask(r.takerFee.adiabaticFee, 24);
        r.takerFee.scale = r.takerFee.scale / Fx.ONE * Fx.ONE;
        r.makerFee.linearFee = _mask(r.makerFee.linearFee, 24);
        r.makerFee.proportionalFee = _mask(r.makerFee.proportionalFee, 24);
        r.makerFee.scale = r.makerFee.scale / Fx.ONE * Fx.ONE;
        r.makerLimit = r.makerLimit / Fx.ONE * Fx.ONE;
        r.liquidationFee = _mask(r.liquidationFee, 32);
        r.utilizationCurve.minRate = _mask(r.utilizationCurve.minRate, 24);
        r.utilizationCurve.maxRate = _mask(r.utilizationCurve.maxRate, 24);
        r.utilizationCurve.targetRate = _mask(r.utilizationCurve.targetRate, 24);
        r.utilizationCurve.targetUtilization = _mask(r.utilizationCurve.targetUtilization, 24);
        r.pController.min = int256(int32(r.pController.min));
        r.pController.max = int256(int32(r.pController.max));
        r.minMaintenance = _mask(r.minMaintenance, 48);
        return r;
    }

    /// @notice validates a market parameter and returns it as the reference packed storage would read it back
    function prepareMarketParameter(MarketParameter memory m, ProtocolParameter memory p)
        external pure returns (MarketParameter memory)
    {
        if (
            Fx.max(Fx.max(m.fundingFee, m.interestFee), Fx.max(m.makerFee, m.takerFee)) > p.maxCut ||
            m.riskFee > Fx.ONE ||
            m.maxPendingGlobal > type(uint16).max ||
            m.maxPendingLocal > type(uint16).max ||
            m.maxPriceDeviation > type(uint24).max
        ) revert MarketParameterStorageInvalidError();
        m.fundingFee = _mask(m.fundingFee, 24);
        m.interestFee = _mask(m.interestFee, 24);
        m.makerFee = _mask(m.makerFee, 24);
        m.takerFee = _mask(m.takerFee, 24);
        m.riskFee = _mask(m.riskFee, 24);
        return m;
    }

    /// @notice change of the adiabatic exposure of `skew` when the taker fee curve changes from `latest` to `next`
    function exposureChange(LinearAdiabatic6 memory latest, LinearAdiabatic6 memory next, int256 skew, uint256 price)
        external pure returns (int256)
    {
        return RiskMath.adiabatic(next, 0, skew, price) - RiskMath.adiabatic(latest, 0, skew, price);
    }

    function _mask(uint256 v, uint256 bits) private pure returns (uint256) {
        return v & ((uint256(1) << bits) - 1);
    }
}