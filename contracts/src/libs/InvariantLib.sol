// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { Fx } from "./Fx.sol";
import { PositionLib, OrderLib, GuaranteeLib } from "./PositionOrder.sol";
import { IMarketErrors } from "../interfaces/IMarket.sol";
import { Context, UpdateContext, Order, Guarantee, Position } from "../types/Types.sol";

/// @title InvariantLib
/// @notice Validation of a new order against the market invariants, in the reference evaluation order
library InvariantLib {
    using Fx for uint256;
    using PositionLib for Position;
    using OrderLib for Order;
    using GuaranteeLib for Guarantee;

    function validate(
        Context memory context,
        UpdateContext memory updateContext,
        Order memory newOrder,
        Guarantee memory newGuarantee
    ) internal pure {
        Order memory pendingLocal = context.pendingLocal;
        Position memory latestLocal = context.latestPositionLocal;
        Position memory currentLocal = updateContext.currentPositionLocal;
        Position memory currentGlobal = updateContext.currentPositionGlobal;

        if (pendingLocal.invalidation != 0 && pendingLocal.neg() > latestLocal.magnitude())
            revert IMarketErrors.MarketOverCloseError();

        if (newOrder.protected_() && !_validateProtection(context, updateContext, newOrder, newGuarantee))
            revert IMarketErrors.MarketInvalidProtectionError();

        if (
            !(latestLocal.magnitude() == 0 && pendingLocal.isEmpty()) &&
            !(newOrder.isEmpty() && newOrder.collateral >= 0) &&
            (
                !context.latestOracleVersion.valid ||
                context.currentTimestamp - context.latestOracleVersion.timestamp >= context.riskParameter.staleAfter
            )
        ) revert IMarketErrors.MarketStalePriceError();

        if (context.marketParameter.closed && newOrder.increasesPosition()) revert IMarketErrors.MarketClosedError();

        if (currentGlobal.maker > context.riskParameter.makerLimit && newOrder.increasesMaker())
            revert IMarketErrors.MarketMakerOverLimitError();

        if (!currentLocal.singleSided()) revert IMarketErrors.MarketNotSingleSidedError();

        if (
            (latestLocal.maker != 0 && currentLocal.skew() != 0) ||
            (latestLocal.skew() != 0 && currentLocal.maker != 0)
        ) revert IMarketErrors.MarketNotSingleSidedError();

        if (pendingLocal.invalidation != 0 && pendingLocal.crossesZero()) revert IMarketErrors.MarketNotSingleSidedError();

        if (_priceDeviation(newGuarantee, context.latestOracleVersion.price) > context.marketParameter.maxPriceDeviation)
            revert IMarketErrors.MarketIntentPriceDeviationError();

        if (newOrder.protected_()) return; // liquidations skip the remaining invariants

        if (!updateContext.signer && !updateContext.operator && !(newOrder.isEmpty() && newOrder.collateral >= 0))
            revert IMarketErrors.MarketOperatorNotAllowedError();

        if (
            context.global.currentId > context.global.latestId + context.marketParameter.maxPendingGlobal ||
            context.local.currentId > context.local.latestId + context.marketParameter.maxPendingLocal
        ) revert IMarketErrors.MarketExceedsPendingIdLimitError();

        if (
            (newOrder.increasesPosition() || newOrder.collateral < 0) &&
            !PositionLib.margined(
                _worstCasePendingLocal(context, updateContext),
                context.latestOracleVersion,
                context.riskParameter,
                updateContext.collateralization,
                _effectiveCollateral(context, updateContext, newGuarantee)
            )
        ) revert IMarketErrors.MarketInsufficientMarginError();

        if (pendingLocal.protected_() && !newOrder.protected_()) revert IMarketErrors.MarketProtectedError();

        if (
            newOrder.liquidityCheckApplicable(context.marketParameter) &&
            newOrder.decreasesEfficiency(currentGlobal) &&
            currentGlobal.efficiency() < context.riskParameter.efficiencyLimit
        ) revert IMarketErrors.MarketEfficiencyUnderLimitError();

        if (
            newOrder.liquidityCheckApplicable(context.marketParameter) &&
            currentGlobal.socialized() &&
            newOrder.decreasesLiquidity(currentGlobal)
        ) revert IMarketErrors.MarketInsufficientLiquidityError();

        if (_effectiveCollateral(context, updateContext, newGuarantee) < 0)
            revert IMarketErrors.MarketInsufficientCollateralError();
    }

    function _priceDeviation(Guarantee memory g, int256 price) private pure returns (uint256) {
        if (g.isEmpty()) return 0;
        int256 guaranteePrice = Fx.sdiv(g.notional, g.taker());
        return Fx.abs(guaranteePrice - price).unsafeDiv(Fx.min(Fx.abs(guaranteePrice), Fx.abs(price)));
    }

    function _worstCasePendingLocal(Context memory context, UpdateContext memory updateContext)
        private pure returns (uint256)
    {
        return context.pendingLocal.invalidation != 0
            ? context.latestPositionLocal.magnitude() + context.pendingLocal.pos()
            : Fx.max(updateContext.currentPositionLocal.magnitude(), updateContext.maxPendingMagnitude);
    }

    function _effectiveCollateral(Context memory context, UpdateContext memory updateContext, Guarantee memory newGuarantee)
        private pure returns (int256)
    {
        Guarantee memory none;
        uint256 pendingTakerFees =
            context.pendingLocal.takerFee(none, context.latestOracleVersion, context.marketParameter);
        return context.local.collateral
            + updateContext.priceAdjustment
            + newGuarantee.priceAdjustment(context.latestOracleVersion.price)
            - Fx.s(pendingTakerFees);
    }

    function _validateProtection(
        Context memory context,
        UpdateContext memory updateContext,
        Order memory newOrder,
        Guarantee memory newGuarantee
    ) private pure returns (bool) {
        if (context.pendingLocal.crossesZero()) {
            if (!newOrder.isEmpty()) return false;
        } else {
            if (context.pendingLocal.neg() < context.latestPositionLocal.magnitude()) return false;
        }

        if (PositionLib.maintained(
            context.latestPositionLocal.magnitude(),
            context.latestOracleVersion,
            context.riskParameter,
            _effectiveCollateral(context, updateContext, newGuarantee)
        )) return false;

        if (newOrder.collateral != 0) return false;
        if (newOrder.pos() != 0) return false;
        return true;
    }
}
