// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { Fx } from "./Fx.sol";
import { Position, Order, Guarantee, OracleVersion, RiskParameter, MarketParameter } from "../types/Types.sol";

/// @title PositionLib
/// @notice Derived quantities of a (maker, long, short) position
library PositionLib {
    using Fx for uint256;

    function clone(Position memory self) internal pure returns (Position memory) {
        return Position(self.timestamp, self.maker, self.long, self.short);
    }

    /// @dev applies an order's deltas and stamps the order's timestamp
    function apply_(Position memory self, Order memory order) internal pure {
        self.timestamp = order.timestamp;
        self.maker = Fx.u(Fx.s(self.maker) + OrderLib.maker(order));
        self.long = Fx.u(Fx.s(self.long) + OrderLib.long(order));
        self.short = Fx.u(Fx.s(self.short) + OrderLib.short(order));
    }

    function direction(Position memory self) internal pure returns (uint256) {
        return self.long == 0 ? (self.short == 0 ? 0 : 2) : 1;
    }

    function magnitude(Position memory self) internal pure returns (uint256) {
        return Fx.max(Fx.max(self.long, self.short), self.maker);
    }

    function major(Position memory self) internal pure returns (uint256) {
        return Fx.max(self.long, self.short);
    }

    function minor(Position memory self) internal pure returns (uint256) {
        return Fx.min(self.long, self.short);
    }

    function skew(Position memory self) internal pure returns (int256) {
        return Fx.s(self.long) - Fx.s(self.short);
    }

    function utilization(Position memory self, RiskParameter memory risk) internal pure returns (uint256) {
        uint256 net = major(self).unsafeDiv(self.maker + minor(self));
        uint256 eff = major(self).mul(risk.efficiencyLimit).unsafeDiv(self.maker);
        return Fx.min(Fx.max(net, eff), Fx.ONE);
    }

    function takerSocialized(Position memory self) internal pure returns (uint256) {
        return Fx.min(major(self), minor(self) + self.maker);
    }

    function socializedMakerPortion(Position memory self) internal pure returns (uint256) {
        uint256 ts = takerSocialized(self);
        return ts == 0 ? 0 : (ts - minor(self)).div(ts);
    }

    function longSocialized(Position memory self) internal pure returns (uint256) {
        return Fx.min(self.maker + self.short, self.long);
    }

    function shortSocialized(Position memory self) internal pure returns (uint256) {
        return Fx.min(self.maker + self.long, self.short);
    }

    function efficiency(Position memory self) internal pure returns (uint256) {
        return Fx.min(self.maker.unsafeDiv(major(self)), Fx.ONE);
    }

    function socialized(Position memory self) internal pure returns (bool) {
        return self.maker + self.short < self.long || self.maker + self.long < self.short;
    }

    function singleSided(Position memory self) internal pure returns (bool) {
        return magnitude(self) == self.long + self.short + self.maker;
    }

    function requirement(uint256 mag, int256 price, uint256 ratio, uint256 floor_) internal pure returns (uint256) {
        if (mag == 0) return 0;
        return Fx.max(mag.mul(Fx.abs(price)).mul(ratio), floor_);
    }

    function maintained(uint256 mag, OracleVersion memory latest, RiskParameter memory risk, int256 collateral)
        internal pure returns (bool)
    {
        return Fx.uClamp(collateral) >= requirement(mag, latest.price, risk.maintenance, risk.minMaintenance);
    }

    function margined(
        uint256 mag,
        OracleVersion memory latest,
        RiskParameter memory risk,
        uint256 collateralization,
        int256 collateral
    ) internal pure returns (bool) {
        return Fx.uClamp(collateral) >=
            requirement(mag, latest.price, Fx.max(risk.margin, collateralization), risk.minMargin);
    }
}

/// @title OrderLib
/// @notice Construction and derived quantities of orders
library OrderLib {
    using Fx for uint256;

    function fresh(uint256 timestamp) internal pure returns (Order memory o) {
        o.timestamp = timestamp;
    }

    function ready(Order memory self, OracleVersion memory latest) internal pure returns (bool) {
        return latest.timestamp >= self.timestamp;
    }

    /// @dev zeroes the non-guaranteed part of an order (invalid oracle version); `orders` is kept
    function invalidate(Order memory self, Guarantee memory g) internal pure {
        self.makerReferral = 0;
        self.takerReferral = g.orderReferral;
        self.makerPos = 0;
        self.makerNeg = 0;
        self.longPos = g.longPos;
        self.longNeg = g.longNeg;
        self.shortPos = g.shortPos;
        self.shortNeg = g.shortNeg;
    }

    /// @dev order from deltas (maker delta, taker delta)
    function fromDeltas(
        uint256 timestamp,
        Position memory position,
        int256 makerAmount,
        int256 takerAmount,
        int256 collateral,
        bool protect,
        bool invalidatable,
        uint256 referralFee
    ) internal pure returns (Order memory) {
        uint256 newMaker = Fx.u(Fx.s(position.maker) + makerAmount);
        int256 newTaker = PositionLib.skew(position) + takerAmount;
        return fromTargets(
            timestamp,
            position,
            collateral,
            newMaker,
            Fx.abs(Fx.smax(newTaker, 0)),
            Fx.abs(Fx.smin(newTaker, 0)),
            protect,
            invalidatable,
            referralFee
        );
    }

    /// @dev order from absolute targets
    function fromTargets(
        uint256 timestamp,
        Position memory position,
        int256 collateral,
        uint256 newMaker,
        uint256 newLong,
        uint256 newShort,
        bool protect,
        bool invalidatable,
        uint256 referralFee
    ) internal pure returns (Order memory o) {
        int256 dm = Fx.s(newMaker) - Fx.s(position.maker);
        int256 dl = Fx.s(newLong) - Fx.s(position.long);
        int256 ds = Fx.s(newShort) - Fx.s(position.short);

        o.timestamp = timestamp;
        o.collateral = collateral;
        o.makerPos = Fx.abs(Fx.smax(dm, 0));
        o.makerNeg = Fx.abs(Fx.smin(dm, 0));
        o.longPos = Fx.abs(Fx.smax(dl, 0));
        o.longNeg = Fx.abs(Fx.smin(dl, 0));
        o.shortPos = Fx.abs(Fx.smax(ds, 0));
        o.shortNeg = Fx.abs(Fx.smin(ds, 0));
        o.makerReferral = Fx.abs(dm).mul(referralFee);
        o.takerReferral = (Fx.abs(dl) + Fx.abs(ds)).mul(referralFee);

        if (protect) o.protection = 1;
        if (!isEmpty(o)) {
            o.orders = 1;
            if (invalidatable) o.invalidation = 1;
        }
    }

    function increasesPosition(Order memory self) internal pure returns (bool) {
        return increasesMaker(self) || increasesTaker(self);
    }

    function increasesTaker(Order memory self) internal pure returns (bool) {
        return self.longPos != 0 || self.shortPos != 0;
    }

    function increasesMaker(Order memory self) internal pure returns (bool) {
        return self.makerPos != 0;
    }

    function decreasesLiquidity(Order memory self, Position memory current) internal pure returns (bool) {
        int256 currentSkew = PositionLib.skew(current);
        int256 latestSkew = currentSkew - long(self) + short(self);
        return self.makerNeg != 0 || Fx.abs(currentSkew) > Fx.abs(latestSkew);
    }

    function decreasesEfficiency(Order memory self, Position memory current) internal pure returns (bool) {
        uint256 currentMajor = PositionLib.major(current);
        uint256 latestMajor = Fx.max(
            Fx.u(Fx.s(current.long) - long(self)),
            Fx.u(Fx.s(current.short) - short(self))
        );
        return self.makerNeg != 0 || currentMajor > latestMajor;
    }

    function crossesZero(Order memory self) internal pure returns (bool) {
        return (self.longPos + self.longNeg) != 0 && (self.shortPos + self.shortNeg) != 0;
    }

    function liquidityCheckApplicable(Order memory self, MarketParameter memory mp) internal pure returns (bool) {
        return !mp.closed && ((long(self) == 0 && short(self) == 0) || increasesTaker(self));
    }

    function makerFee(Order memory self, OracleVersion memory v, MarketParameter memory mp)
        internal pure returns (uint256)
    {
        return makerTotal(self).mul(Fx.abs(v.price)).mul(mp.makerFee);
    }

    function takerFee(Order memory self, Guarantee memory g, OracleVersion memory v, MarketParameter memory mp)
        internal pure returns (uint256)
    {
        return (takerTotal(self) - g.takerFee).mul(Fx.abs(v.price)).mul(mp.takerFee);
    }

    function protected_(Order memory self) internal pure returns (bool) {
        return self.protection != 0;
    }

    function isEmpty(Order memory self) internal pure returns (bool) {
        return makerTotal(self) == 0 && takerTotal(self) == 0;
    }

    function maker(Order memory self) internal pure returns (int256) {
        return Fx.s(self.makerPos) - Fx.s(self.makerNeg);
    }

    function long(Order memory self) internal pure returns (int256) {
        return Fx.s(self.longPos) - Fx.s(self.longNeg);
    }

    function short(Order memory self) internal pure returns (int256) {
        return Fx.s(self.shortPos) - Fx.s(self.shortNeg);
    }

    function takerPos(Order memory self) internal pure returns (uint256) {
        return self.longPos + self.shortNeg;
    }

    function takerNeg(Order memory self) internal pure returns (uint256) {
        return self.shortPos + self.longNeg;
    }

    function makerTotal(Order memory self) internal pure returns (uint256) {
        return self.makerPos + self.makerNeg;
    }

    function takerTotal(Order memory self) internal pure returns (uint256) {
        return takerPos(self) + takerNeg(self);
    }

    function pos(Order memory self) internal pure returns (uint256) {
        return self.makerPos + self.longPos + self.shortPos;
    }

    function neg(Order memory self) internal pure returns (uint256) {
        return self.makerNeg + self.longNeg + self.shortNeg;
    }

    function add(Order memory self, Order memory o) internal pure {
        self.orders += o.orders;
        self.collateral += o.collateral;
        self.protection += o.protection;
        self.invalidation += o.invalidation;
        self.makerReferral += o.makerReferral;
        self.takerReferral += o.takerReferral;
        self.makerPos += o.makerPos;
        self.makerNeg += o.makerNeg;
        self.longPos += o.longPos;
        self.longNeg += o.longNeg;
        self.shortPos += o.shortPos;
        self.shortNeg += o.shortNeg;
    }

    function sub(Order memory self, Order memory o) internal pure {
        self.orders -= o.orders;
        self.collateral -= o.collateral;
        self.protection -= o.protection;
        self.invalidation -= o.invalidation;
        self.makerReferral -= o.makerReferral;
        self.takerReferral -= o.takerReferral;
        self.makerPos -= o.makerPos;
        self.makerNeg -= o.makerNeg;
        self.longPos -= o.longPos;
        self.longNeg -= o.longNeg;
        self.shortPos -= o.shortPos;
        self.shortNeg -= o.shortNeg;
    }
}

/// @title GuaranteeLib
/// @notice Only the pieces of the intent/guarantee model needed by market orders (guarantees are always empty here)
library GuaranteeLib {
    function takerPos(Guarantee memory self) internal pure returns (uint256) {
        return self.longPos + self.shortNeg;
    }

    function takerNeg(Guarantee memory self) internal pure returns (uint256) {
        return self.longNeg + self.shortPos;
    }

    function taker(Guarantee memory self) internal pure returns (int256) {
        return Fx.s(takerPos(self)) - Fx.s(takerNeg(self));
    }

    function priceAdjustment(Guarantee memory self, int256 price) internal pure returns (int256) {
        return Fx.smul(taker(self), price) - self.notional;
    }

    function isEmpty(Guarantee memory self) internal pure returns (bool) {
        return takerPos(self) + takerNeg(self) == 0;
    }
}
