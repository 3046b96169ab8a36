// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { Fx } from "./Fx.sol";
import { OrderLib, GuaranteeLib } from "./PositionOrder.sol";
import { Version, Position, Order, Guarantee, Checkpoint, CheckpointAccumulationResult } from "../types/Types.sol";

/// @title CheckpointLib
/// @notice One local settlement step of an account between two versions.
///         Pure: the market emits AccountPositionProcessed with the returned result.
library CheckpointLib {
    using Fx for uint256;
    using Fx for int256;
    using OrderLib for Order;
    using GuaranteeLib for Guarantee;

    function accumulate(
        Checkpoint memory latest,
        Position memory fromPosition,
        Order memory order,
        Guarantee memory guarantee,
        Version memory fromVersion,
        Version memory toVersion
    ) internal pure returns (Checkpoint memory next, CheckpointAccumulationResult memory r) {
        // value accrued by the settled position between the two versions
        r.collateral = toVersion.makerValue._value.accumulated(fromVersion.makerValue._value, fromPosition.maker)
            + toVersion.longValue._value.accumulated(fromVersion.longValue._value, fromPosition.long)
            + toVersion.shortValue._value.accumulated(fromVersion.shortValue._value, fromPosition.short);

        r.priceOverride = guarantee.priceAdjustment(toVersion.price);

        // flat trade fees and their subtractive (referral / solver) portions
        uint256 takerTotal = order.takerTotal() - guarantee.takerFee;
        uint256 makerTotal = order.makerTotal();
        uint256 makerFee = Fx.abs(-toVersion.makerFee._value.accumulated(0, makerTotal));
        uint256 takerFee = Fx.abs(-toVersion.takerFee._value.accumulated(0, takerTotal));
        uint256 makerSub = makerTotal == 0 ? 0 : makerFee.muldiv(order.makerReferral, makerTotal);
        uint256 takerSub = takerTotal == 0 ? 0 : takerFee.muldiv(order.takerReferral, takerTotal);
        r.solverFee = takerTotal == 0 ? 0 : takerFee.muldiv(guarantee.solverReferral, takerTotal);
        r.tradeFee = makerFee + takerFee;
        r.subtractiveFee = makerSub + takerSub - r.solverFee;

        // impact fees (linear + proportional + adiabatic), negative is a rebate
        r.offset = -toVersion.makerOffset._value.accumulated(0, makerTotal)
            - toVersion.takerPosOffset._value.accumulated(0, order.takerPos() - guarantee.takerPos())
            - toVersion.takerNegOffset._value.accumulated(0, order.takerNeg() - guarantee.takerNeg());

        r.settlementFee = Fx.abs(toVersion.settlementFee._value.accumulated(0, (order.orders - guarantee.orders) * Fx.ONE));
        r.liquidationFee = order.protected_() ? Fx.abs(toVersion.liquidationFee._value.accumulated(0, Fx.ONE)) : 0;

        next.collateral = latest.collateral - latest.tradeFee - Fx.s(latest.settlementFee)
            + latest.transfer + r.collateral + r.priceOverride;
        next.transfer = order.collateral;
        next.tradeFee = Fx.s(r.tradeFee) + r.offset;
        next.settlementFee = r.settlementFee + r.liquidationFee;
    }

    /// @dev net collateral change applied to the account (liquidation fee excluded, applied by the caller)
    function collateralDelta(CheckpointAccumulationResult memory r) internal pure returns (int256) {
        return r.collateral + r.priceOverride - Fx.s(r.tradeFee) - r.offset - Fx.s(r.settlementFee);
    }
}
