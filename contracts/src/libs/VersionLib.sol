// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { Fx } from "./Fx.sol";
import { RiskMath } from "./RiskMath.sol";
import { PositionLib, OrderLib, GuaranteeLib } from "./PositionOrder.sol";
import {
    Version, Global, Position, Order, Guarantee, VersionAccumulationContext, VersionAccumulationResult
} from "../types/Types.sol";

/// @title VersionLib
/// @notice One global accumulation step from the latest settled version to the next oracle version.
///         Pure: the market emits PositionProcessed with the returned result.
library VersionLib {
    using Fx for uint256;
    using Fx for int256;
    using PositionLib for Position;
    using OrderLib for Order;
    using GuaranteeLib for Guarantee;

    function accumulate(Version memory from, VersionAccumulationContext memory c)
        internal pure returns (Version memory next, Global memory nextGlobal, VersionAccumulationResult memory r)
    {
        // cumulative value accumulators carry over, per-version fee accumulators start at zero
        next.makerValue._value = from.makerValue._value;
        next.longValue._value = from.longValue._value;
        next.shortValue._value = from.shortValue._value;

        next.valid = c.toOracleVersion.valid;
        next.price = c.toOracleVersion.price;
        c.global.latestPrice = c.toOracleVersion.price;

        _settlementAndLiquidationFee(next, c, r);
        _tradeFee(next, c, r);
        _impactFees(next, c, r);
        _adiabaticExposure(next, c, r);
        _adiabaticFee(next, c, r);

        if (!c.marketParameter.closed) {
            _funding(next, c, r);
            _interest(next, c, r);
            _pnl(next, c, r);
        }

        return (next, c.global, r);
    }

    function _settlementAndLiquidationFee(
        Version memory next,
        VersionAccumulationContext memory c,
        VersionAccumulationResult memory r
    ) private pure {
        uint256 orders = c.order.orders - c.guarantee.orders;
        uint256 fee = orders == 0 ? 0 : c.toOracleReceipt.settlementFee;
        next.settlementFee._value = next.settlementFee._value.dec(Fx.s(fee), orders * Fx.ONE);
        r.settlementFee = fee;

        uint256 liq = c.toOracleVersion.valid ? c.toOracleReceipt.settlementFee.mul(c.riskParameter.liquidationFee) : 0;
        next.liquidationFee._value = next.liquidationFee._value.dec(Fx.s(liq), Fx.ONE);
        r.liquidationFee = liq;
    }

    function _tradeFee(Version memory next, VersionAccumulationContext memory c, VersionAccumulationResult memory r)
        private pure
    {
        uint256 makerTotal = c.order.makerTotal();
        uint256 makerFee = c.order.makerFee(c.toOracleVersion, c.marketParameter);
        next.makerFee._value = next.makerFee._value.dec(Fx.s(makerFee), makerTotal);
        uint256 makerSub = makerTotal == 0 ? 0 : makerFee.muldiv(c.order.makerReferral, makerTotal);

        uint256 takerTotal = c.order.takerTotal() - c.guarantee.takerFee;
        uint256 takerFee = c.order.takerFee(c.guarantee, c.toOracleVersion, c.marketParameter);
        next.takerFee._value = next.takerFee._value.dec(Fx.s(takerFee), takerTotal);
        uint256 takerSub = takerTotal == 0 ? 0 : takerFee.muldiv(c.order.takerReferral, takerTotal);

        r.tradeFee = r.tradeFee + makerFee + takerFee - makerSub - takerSub;
        r.subtractiveFee = r.subtractiveFee + makerSub + takerSub;
    }

    function _impactFees(Version memory next, VersionAccumulationContext memory c, VersionAccumulationResult memory r)
        private pure
    {
        uint256 price = Fx.abs(c.toOracleVersion.price);
        uint256 mT = c.order.makerTotal();
        uint256 tp = c.order.takerPos() - c.guarantee.takerPos();
        uint256 tn = c.order.takerNeg() - c.guarantee.takerNeg();

        // linear component
        uint256 mFee = RiskMath.linearFee(c.riskParameter.makerFee.linearFee, mT, price);
        uint256 pFee = RiskMath.linearFee(c.riskParameter.takerFee.linearFee, tp, price);
        uint256 nFee = RiskMath.linearFee(c.riskParameter.takerFee.linearFee, tn, price);
        _distributeImpact(next, c, r, mT, tp, tn, mFee, pFee, nFee);

        // proportional component
        mFee = RiskMath.proportionalFee(c.riskParameter.makerFee.scale, c.riskParameter.makerFee.proportionalFee, mT, price);
        pFee = RiskMath.proportionalFee(c.riskParameter.takerFee.scale, c.riskParameter.takerFee.proportionalFee, tp, price);
        nFee = RiskMath.proportionalFee(c.riskParameter.takerFee.scale, c.riskParameter.takerFee.proportionalFee, tn, price);
        _distributeImpact(next, c, r, mT, tp, tn, mFee, pFee, nFee);
    }

    function _distributeImpact(
        Version memory next,
        VersionAccumulationContext memory c,
        VersionAccumulationResult memory r,
        uint256 mT,
        uint256 tp,
        uint256 tn,
        uint256 mFee,
        uint256 pFee,
        uint256 nFee
    ) private pure {
        next.makerOffset._value = next.makerOffset._value.dec(Fx.s(mFee), mT);
        next.takerPosOffset._value = next.takerPosOffset._value.dec(Fx.s(pFee), tp);
        next.takerNegOffset._value = next.takerNegOffset._value.dec(Fx.s(nFee), tn);

        uint256 total = mFee + pFee + nFee;
        uint256 marketFee = c.fromPosition.maker == 0 ? total : 0;
        uint256 makerFee = total - marketFee;
        next.makerValue._value = next.makerValue._value.inc(Fx.s(makerFee), c.fromPosition.maker);

        r.tradeOffset += Fx.s(total);
        r.tradeOffsetMaker += Fx.s(makerFee);
        r.tradeOffsetMarket += marketFee;
    }

    function _adiabaticExposure(
        Version memory next,
        VersionAccumulationContext memory c,
        VersionAccumulationResult memory r
    ) private pure {
        int256 exposure = RiskMath.exposure(c.riskParameter.takerFee, c.fromPosition.skew());
        int256 adiabaticExposure = (c.toOracleVersion.price - c.fromOracleVersion.price).smul(exposure);
        int256 makerShare = adiabaticExposure.smul(-Fx.SONE);
        int256 marketShare = c.fromPosition.maker == 0 ? makerShare : int256(0);
        makerShare = makerShare - marketShare;
        next.makerValue._value = next.makerValue._value.inc(makerShare, c.fromPosition.maker);

        r.adiabaticExposure = adiabaticExposure;
        r.adiabaticExposureMarket = marketShare;
        r.adiabaticExposureMaker = makerShare;
    }

    function _adiabaticFee(Version memory next, VersionAccumulationContext memory c, VersionAccumulationResult memory r)
        private pure
    {
        uint256 price = Fx.abs(c.toOracleVersion.price);
        uint256 tp = c.order.takerPos() - c.guarantee.takerPos();
        int256 fee = RiskMath.adiabatic(c.riskParameter.takerFee, c.fromPosition.skew(), Fx.s(tp), price);
        next.takerPosOffset._value = next.takerPosOffset._value.dec(fee, tp);
        r.tradeOffset += fee;

        uint256 tn = c.order.takerNeg() - c.guarantee.takerNeg();
        fee = RiskMath.adiabatic(c.riskParameter.takerFee, c.fromPosition.skew() + Fx.s(tp), -Fx.s(tn), price);
        next.takerNegOffset._value = next.takerNegOffset._value.dec(fee, tn);
        r.tradeOffset += fee;
    }

    function _funding(Version memory next, VersionAccumulationContext memory c, VersionAccumulationResult memory r)
        private pure
    {
        Position memory from = c.fromPosition;
        int256 toSkew = c.toOracleVersion.valid ? from.skew() + c.order.long() - c.order.short() : from.skew();
        int256 normSkew =
            Fx.smax(Fx.smin(toSkew.sunsafeDiv(Fx.s(c.riskParameter.takerFee.scale)), Fx.SONE), -Fx.SONE);

        int256 funding = RiskMath.pAccumulate(
            c.global.pAccumulator,
            c.riskParameter.pController,
            normSkew,
            c.fromOracleVersion.timestamp,
            c.toOracleVersion.timestamp,
            from.takerSocialized().mul(Fx.abs(c.fromOracleVersion.price))
        );

        if (c.riskParameter.makerReceiveOnly && Fx.sign(funding) != Fx.sign(from.skew())) funding = -funding;

        uint256 fee = Fx.abs(funding).mul(c.marketParameter.fundingFee);
        int256 spread = Fx.s(fee).sdiv(2e6);
        int256 fLong = -funding - Fx.s(fee) + spread;
        int256 fShort = funding - spread;
        int256 fMaker;

        if (from.long > from.short) {
            fMaker = fShort.smul(Fx.s(from.socializedMakerPortion()));
            fShort = fShort - fMaker;
        }
        if (from.short > from.long) {
            fMaker = fLong.smul(Fx.s(from.socializedMakerPortion()));
            fLong = fLong - fMaker;
        }

        next.makerValue._value = next.makerValue._value.inc(fMaker, from.maker);
        next.longValue._value = next.longValue._value.inc(fLong, from.long);
        next.shortValue._value = next.shortValue._value.inc(fShort, from.short);

        (r.fundingMaker, r.fundingLong, r.fundingShort, r.fundingFee) = (fMaker, fLong, fShort, fee);
    }

    function _interest(Version memory next, VersionAccumulationContext memory c, VersionAccumulationResult memory r)
        private pure
    {
        Position memory from = c.fromPosition;
        uint256 notional = Fx.min(from.long + from.short, from.maker).mul(Fx.abs(c.fromOracleVersion.price));
        uint256 interest = RiskMath.interest(
            c.riskParameter.utilizationCurve,
            from.utilization(c.riskParameter),
            c.fromOracleVersion.timestamp,
            c.toOracleVersion.timestamp,
            notional
        );
        uint256 fee = interest.mul(c.marketParameter.interestFee);

        int256 iLong = Fx.s(from.major() == 0 ? interest : interest.muldiv(from.long, from.long + from.short));
        int256 iShort = Fx.s(interest) - iLong;
        int256 iMaker = Fx.s(interest - fee);
        iLong = -iLong;
        iShort = -iShort;

        next.makerValue._value = next.makerValue._value.inc(iMaker, from.maker);
        next.longValue._value = next.longValue._value.inc(iLong, from.long);
        next.shortValue._value = next.shortValue._value.inc(iShort, from.short);

        (r.interestMaker, r.interestLong, r.interestShort, r.interestFee) = (iMaker, iLong, iShort, fee);
    }

    function _pnl(Version memory next, VersionAccumulationContext memory c, VersionAccumulationResult memory r)
        private pure
    {
        Position memory from = c.fromPosition;
        int256 pnlLong = (c.toOracleVersion.price - c.fromOracleVersion.price).smul(Fx.s(from.longSocialized()));
        int256 pnlShort = (c.fromOracleVersion.price - c.toOracleVersion.price).smul(Fx.s(from.shortSocialized()));
        int256 pnlMaker = -(pnlLong + pnlShort);

        next.longValue._value = next.longValue._value.inc(pnlLong, from.long);
        next.shortValue._value = next.shortValue._value.inc(pnlShort, from.short);
        next.makerValue._value = next.makerValue._value.inc(pnlMaker, from.maker);

        (r.pnlMaker, r.pnlLong, r.pnlShort) = (pnlMaker, pnlLong, pnlShort);
    }
}
