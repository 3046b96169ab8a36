// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { Fx } from "./libs/Fx.sol";
import { PositionLib, OrderLib, GuaranteeLib } from "./libs/PositionOrder.sol";
import { IMarket, IMarketErrors, IMarketEvents } from "./interfaces/IMarket.sol";
import { IMarketFactory } from "./interfaces/IMarketFactory.sol";
import { IOracleProvider } from "./interfaces/IOracleProvider.sol";
import { IERC20 } from "./interfaces/IERC20.sol";
import { IMarketEngine } from "./MarketEngine.sol";
import {
    OracleVersion, OracleReceipt, Position, Order, Guarantee, Global, Local, Version, Checkpoint,
    MarketParameter, RiskParameter, ProtocolParameter, Context, SettlementContext, UpdateContext,
    VersionAccumulationContext, VersionAccumulationResult, CheckpointAccumulationResult
} from "./types/Types.sol";

/// @title MarketStorage
/// @notice Storage layout shared by Market (public surface) and MarketCore (settlement / update logic, executed by
///         delegatecall from the market), plus the storage writers that apply the reference storage widths.
abstract contract MarketStorage is IMarketErrors, IMarketEvents {
    using Fx for uint256;
    using Fx for int256;
    using PositionLib for Position;
    using OrderLib for Order;
    using GuaranteeLib for Guarantee;

    uint256 internal _initialized;
    uint256 internal _reentrancy;

    address internal _factory;
    address internal _token;
    IOracleProvider internal _oracle;
    address internal _coordinator;


    RiskParameter internal _riskParameter;
    MarketParameter internal _parameter;
    Global internal _global;
    Position internal _position;
    mapping(address => Local) internal _locals;
    mapping(address => Position) internal _positions;
    mapping(uint256 => Version) internal _versions;
    mapping(uint256 => Order) internal _pendingOrder;
    mapping(address => mapping(uint256 => Order)) internal _pendingOrders;
    Order internal _pending;
    mapping(address => Order) internal _pendings;
    mapping(address => mapping(uint256 => Checkpoint)) internal _checkpoints;

    mapping(address => mapping(uint256 => address)) internal _liquidators;
    mapping(address => mapping(uint256 => address)) internal _orderReferrers;
    mapping(address => mapping(uint256 => address)) internal _guaranteeReferrers;

    modifier nonReentrant() {
        if (_reentrancy == 1) revert ReentrancyGuardReentrantCallError();
        _reentrancy = 1;
        _;
        _reentrancy = 0;
    }

    // ------------------------------------------------------------------ token

    function _pull(address from, uint256 amount6) internal {
        if (!IERC20(_token).transferFrom(from, address(this), amount6 * 1e12)) revert();
    }

    function _push(address to, uint256 amount6) internal {
        if (!IERC20(_token).transfer(to, amount6 * 1e12)) revert();
    }

    // ------------------------------------------------------------------ storage (reference storage widths)

    function _fitsU(uint256 v, uint256 bits) internal pure returns (bool) {
        return v < (uint256(1) << bits);
    }

    function _fitsS(int256 v, uint256 bits) internal pure returns (bool) {
        int256 lim = int256(uint256(1) << (bits - 1));
        return v < lim && v >= -lim;
    }

    function _storeGlobal(Global memory g) internal {
        if (
            !_fitsU(g.currentId, 32) || !_fitsU(g.latestId, 32) ||
            !_fitsU(g.protocolFee, 48) || !_fitsU(g.oracleFee, 48) || !_fitsU(g.riskFee, 48) ||
            !_fitsS(g.latestPrice, 64) || !_fitsS(g.exposure, 64) ||
            !_fitsS(g.pAccumulator._value, 32) || !_fitsS(g.pAccumulator._skew, 24)
        ) revert GlobalStorageInvalidError();
        _global = g;
    }

    function _storeLocal(address account, Local memory l) internal {
        if (!_fitsU(l.currentId, 32) || !_fitsU(l.latestId, 32) || !_fitsS(l.collateral, 64) || !_fitsU(l.claimable, 64))
            revert LocalStorageInvalidError();
        _locals[account] = l;
    }

    function _storePositionGlobal(Position memory p) internal {
        if (!_fitsU(p.timestamp, 32) || !_fitsU(p.maker, 64) || !_fitsU(p.long, 64) || !_fitsU(p.short, 64))
            revert PositionStorageInvalidError();
        _position = p;
    }

    /// @dev local positions are stored as (direction, magnitude): at most one side is non-zero when read back
    function _storePositionLocal(address account, Position memory p) internal {
        uint256 mag = p.magnitude();
        if (!_fitsU(p.timestamp, 32) || !_fitsU(mag, 62)) revert PositionStorageInvalidError();
        uint256 dir = p.direction();
        _positions[account] = Position(p.timestamp, dir == 0 ? mag : 0, dir == 1 ? mag : 0, dir == 2 ? mag : 0);
    }

    function _validateOrder(Order memory o) internal pure {
        if (
            !_fitsU(o.timestamp, 32) || !_fitsU(o.orders, 32) || !_fitsS(o.collateral, 64) ||
            !_fitsU(o.makerReferral, 64) || !_fitsU(o.takerReferral, 64) ||
            !_fitsU(o.makerPos, 64) || !_fitsU(o.makerNeg, 64) || !_fitsU(o.longPos, 64) ||
            !_fitsU(o.longNeg, 64) || !_fitsU(o.shortPos, 64) || !_fitsU(o.shortNeg, 64)
        ) revert OrderStorageInvalidError();
    }

    /// @dev global orders do not store protection / invalidation
    function _storeOrderGlobal(Order storage slot, Order memory o) internal {
        _validateOrder(o);
        (uint256 protection, uint256 invalidation) = (o.protection, o.invalidation);
        (o.protection, o.invalidation) = (0, 0);
        _copyOrder(slot, o);
        (o.protection, o.invalidation) = (protection, invalidation);
    }

    function _storeOrderLocal(Order storage slot, Order memory o) internal {
        _validateOrder(o);
        if (o.protection > 1 || o.invalidation > type(uint8).max) revert OrderStorageInvalidError();
        _copyOrder(slot, o);
    }

    function _copyOrder(Order storage slot, Order memory o) internal {
        slot.timestamp = o.timestamp;
        slot.orders = o.orders;
        slot.collateral = o.collateral;
        slot.makerPos = o.makerPos;
        slot.makerNeg = o.makerNeg;
        slot.longPos = o.longPos;
        slot.longNeg = o.longNeg;
        slot.shortPos = o.shortPos;
        slot.shortNeg = o.shortNeg;
        slot.protection = o.protection;
        slot.invalidation = o.invalidation;
        slot.makerReferral = o.makerReferral;
        slot.takerReferral = o.takerReferral;
    }

    function _storeVersion(uint256 timestamp, Version memory v) internal {
        if (
            !_fitsS(v.price, 64) || !_fitsS(v.makerValue._value, 64) || !_fitsS(v.longValue._value, 64) ||
            !_fitsS(v.shortValue._value, 64) || !_fitsS(v.makerFee._value, 48) || !_fitsS(v.takerFee._value, 48) ||
            !_fitsS(v.makerOffset._value, 48) || !_fitsS(v.takerPosOffset._value, 48) ||
            !_fitsS(v.takerNegOffset._value, 48) || !_fitsS(v.settlementFee._value, 48) ||
            !_fitsS(v.liquidationFee._value, 48)
        ) revert VersionStorageInvalidError();
        _versions[timestamp] = v;
    }

    function _storeCheckpoint(address account, uint256 timestamp, Checkpoint memory c) internal {
        if (!_fitsS(c.tradeFee, 48) || !_fitsU(c.settlementFee, 48) || !_fitsS(c.transfer, 64) || !_fitsS(c.collateral, 64))
            revert CheckpointStorageInvalidError();
        _checkpoints[account][timestamp] = c;
    }
}
