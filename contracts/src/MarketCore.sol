// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { MarketStorage } from "./MarketStorage.sol";
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

/// @title MarketCore
/// @notice Settlement and order-update logic of the market. Never called directly: every Market clone delegatecalls
///         its settle / update entry points here, so this code runs on the market's storage with the market's
///         msg.sender and emits the market's events. The pure math runs in the shared MarketEngine.
contract MarketCore is MarketStorage {
    using Fx for uint256;
    using Fx for int256;
    using PositionLib for Position;
    using OrderLib for Order;
    using GuaranteeLib for Guarantee;

    uint256 private constant MAGIC_UNCHANGED = type(uint256).max;
    uint256 private constant MAGIC_CLOSE = type(uint256).max - 1;
    int256 private constant MAGIC_WITHDRAW_ALL = type(int256).min;

    IMarketEngine public immutable engine;

    constructor(IMarketEngine engine_) {
        engine = engine_;
    }

    function settle(address account) external nonReentrant {
        Context memory context = _loadContext(account);
        _settle(context);
        _storeContext(context);
    }

    /// @notice taker delta without collateral change (sender is treated as the signer)
    function update(address account, int256 amount, address referrer) external nonReentrant {
        _updateMarket(account, msg.sender, 0, amount, 0, referrer);
    }

    /// @notice taker delta with collateral change
    function update(address account, int256 amount, int256 collateral, address referrer) external nonReentrant {
        _updateMarket(account, address(0), 0, amount, collateral, referrer);
    }

    /// @notice maker and taker deltas with collateral change
    function update(address account, int256 makerAmount, int256 takerAmount, int256 collateral, address referrer)
        external nonReentrant
    {
        _updateMarket(account, address(0), makerAmount, takerAmount, collateral, referrer);
    }

    /// @notice absolute position targets
    function update(address account, uint256 newMaker, uint256 newLong, uint256 newShort, int256 collateral, bool protect)
        external
    {
        update(account, newMaker, newLong, newShort, collateral, protect, address(0));
    }

    /// @notice absolute position targets with referrer
    function update(
        address account,
        uint256 newMaker,
        uint256 newLong,
        uint256 newShort,
        int256 collateral,
        bool protect,
        address referrer
    ) public nonReentrant {
        (Context memory context, UpdateContext memory updateContext) = _loadForUpdate(account, address(0), referrer);

        // magic values
        if (collateral == MAGIC_WITHDRAW_ALL) collateral = -context.local.collateral;
        newMaker = _magic(context, updateContext.currentPositionLocal.maker, newMaker);
        newLong = _magic(context, updateContext.currentPositionLocal.long, newLong);
        newShort = _magic(context, updateContext.currentPositionLocal.short, newShort);

        Order memory newOrder = OrderLib.fromTargets(
            context.currentTimestamp,
            updateContext.currentPositionLocal,
            collateral,
            newMaker,
            newLong,
            newShort,
            protect,
            true,
            updateContext.orderReferralFee
        );
        _update(context, updateContext, newOrder, referrer);
    }

    // ------------------------------------------------------------------ update internals

    function _magic(Context memory context, uint256 current, uint256 target) private pure returns (uint256) {
        if (target == MAGIC_UNCHANGED) return current;
        if (target == MAGIC_CLOSE) {
            if (context.pendingLocal.crossesZero()) return current;
            return Fx.min(context.pendingLocal.pos(), current);
        }
        return target;
    }

    function _updateMarket(
        address account,
        address signer,
        int256 makerAmount,
        int256 takerAmount,
        int256 collateral,
        address referrer
    ) private {
        (Context memory context, UpdateContext memory updateContext) = _loadForUpdate(account, signer, referrer);
        Order memory newOrder = OrderLib.fromDeltas(
            context.currentTimestamp,
            updateContext.currentPositionLocal,
            makerAmount,
            takerAmount,
            collateral,
            false,
            true,
            updateContext.orderReferralFee
        );
        _update(context, updateContext, newOrder, referrer);
    }

    function _loadForUpdate(address account, address signer, address orderReferrer)
        private returns (Context memory context, UpdateContext memory updateContext)
    {
        context = _loadContext(account);
        _settle(context);

        updateContext.currentPositionGlobal = context.latestPositionGlobal.clone();
        updateContext.currentPositionGlobal.apply_(context.pendingGlobal);
        updateContext.currentPositionLocal = context.latestPositionLocal.clone();
        updateContext.currentPositionLocal.apply_(context.pendingLocal);

        updateContext.orderGlobal = _pendingOrder[context.global.currentId];
        updateContext.orderLocal = _pendingOrders[account][context.local.currentId];

        updateContext.liquidator = _liquidators[account][context.local.currentId];
        updateContext.orderReferrer = _orderReferrers[account][context.local.currentId];
        updateContext.guaranteeReferrer = _guaranteeReferrers[account][context.local.currentId];

        (updateContext.operator, updateContext.signer, updateContext.orderReferralFee) =
            IMarketFactory(_factory).authorization(account, msg.sender, signer, orderReferrer);

        Position memory pendingPosition = context.latestPositionLocal.clone();
        updateContext.maxPendingMagnitude = context.latestPositionLocal.magnitude();
        for (uint256 id = context.local.latestId + 1; id <= context.local.currentId; id++) {
            pendingPosition.apply_(_pendingOrders[account][id]);
            updateContext.maxPendingMagnitude = Fx.max(updateContext.maxPendingMagnitude, pendingPosition.magnitude());
        }
    }

    function _update(
        Context memory context,
        UpdateContext memory updateContext,
        Order memory newOrder,
        address orderReferrer
    ) private {
        if (context.marketParameter.settle) revert MarketSettleOnlyError();

        // advance to the next id if applicable
        if (context.currentTimestamp > updateContext.orderLocal.timestamp) {
            updateContext.orderLocal = OrderLib.fresh(context.currentTimestamp);
            updateContext.liquidator = address(0);
            updateContext.orderReferrer = address(0);
            updateContext.guaranteeReferrer = address(0);
            context.local.currentId++;
        }
        if (context.currentTimestamp > updateContext.orderGlobal.timestamp) {
            updateContext.orderGlobal = OrderLib.fresh(context.currentTimestamp);
            context.global.currentId++;
        }

        updateContext.currentPositionGlobal.apply_(newOrder);
        updateContext.currentPositionLocal.apply_(newOrder);

        updateContext.orderLocal.add(newOrder);
        updateContext.orderGlobal.add(newOrder);
        context.pendingGlobal.add(newOrder);
        context.pendingLocal.add(newOrder);

        context.local.collateral += newOrder.collateral;

        if (newOrder.protected_()) updateContext.liquidator = msg.sender;

        if (newOrder.makerReferral != 0 || newOrder.takerReferral != 0) {
            if (updateContext.orderReferrer == address(0)) updateContext.orderReferrer = orderReferrer;
            if (updateContext.orderReferrer != orderReferrer) revert MarketInvalidReferrerError();
        }

        if (!newOrder.isEmpty()) _oracle.request(address(this), context.account);

        Guarantee memory newGuarantee;
        emit OrderCreated(
            context.account,
            newOrder,
            newGuarantee,
            updateContext.liquidator,
            updateContext.orderReferrer,
            updateContext.guaranteeReferrer
        );
        engine.validate(context, updateContext, newOrder, newGuarantee);

        // store the current orders and order metadata
        _storeOrderGlobal(_pendingOrder[context.global.currentId], updateContext.orderGlobal);
        _storeOrderLocal(_pendingOrders[context.account][context.local.currentId], updateContext.orderLocal);
        _liquidators[context.account][context.local.currentId] = updateContext.liquidator;
        _orderReferrers[context.account][context.local.currentId] = updateContext.orderReferrer;
        _guaranteeReferrers[context.account][context.local.currentId] = updateContext.guaranteeReferrer;

        // fund
        if (newOrder.collateral > 0) _pull(msg.sender, Fx.abs(newOrder.collateral));
        if (newOrder.collateral < 0) _push(msg.sender, Fx.abs(newOrder.collateral));

        _storeContext(context);
    }

    // ------------------------------------------------------------------ settlement internals

    function _loadContext(address account) private view returns (Context memory context) {
        context.account = account;
        context.marketParameter = _parameter;
        context.riskParameter = _riskParameter;
        (context.latestOracleVersion, context.currentTimestamp) = _oracle.status();
        context.global = _global;
        context.local = _locals[account];
        context.latestPositionGlobal = _position;
        context.latestPositionLocal = _positions[account];
        context.pendingGlobal = _pending;
        context.pendingLocal = _pendings[account];
    }

    function _storeContext(Context memory context) private {
        _storeGlobal(context.global);
        _storeLocal(context.account, context.local);
        _storePositionGlobal(context.latestPositionGlobal);
        _storePositionLocal(context.account, context.latestPositionLocal);
        _storeOrderGlobal(_pending, context.pendingGlobal);
        _storeOrderLocal(_pendings[context.account], context.pendingLocal);
    }

    function _settle(Context memory context) private {
        SettlementContext memory settlementContext;
        settlementContext.latestVersion = _versions[context.latestPositionGlobal.timestamp];
        settlementContext.latestCheckpoint = _checkpoints[context.account][context.latestPositionLocal.timestamp];
        (settlementContext.orderOracleVersion, ) = _oracle.at(context.latestPositionGlobal.timestamp);
        if (settlementContext.orderOracleVersion.price == 0)
            settlementContext.orderOracleVersion.price = context.global.latestPrice;

        Order memory nextOrder;

        // process orders whose requested versions are now available
        while (
            context.global.currentId != context.global.latestId &&
            (nextOrder = _pendingOrder[context.global.latestId + 1]).ready(context.latestOracleVersion)
        ) _processOrderGlobal(context, settlementContext, context.global.latestId + 1, nextOrder.timestamp, nextOrder);

        while (
            context.local.currentId != context.local.latestId &&
            (nextOrder = _pendingOrders[context.account][context.local.latestId + 1]).ready(context.latestOracleVersion)
        ) _processOrderLocal(context, settlementContext, context.local.latestId + 1, nextOrder.timestamp, nextOrder);

        // settle-only mode does not sync
        if (context.marketParameter.settle) return;

        // sync to the latest oracle version
        if (context.latestOracleVersion.timestamp > context.latestPositionGlobal.timestamp)
            _processOrderGlobal(
                context,
                settlementContext,
                context.global.latestId,
                context.latestOracleVersion.timestamp,
                _pendingOrder[context.global.latestId]
            );

        if (context.latestOracleVersion.timestamp > context.latestPositionLocal.timestamp)
            _processOrderLocal(
                context,
                settlementContext,
                context.local.latestId,
                context.latestOracleVersion.timestamp,
                _pendingOrders[context.account][context.local.latestId]
            );
    }

    function _processOrderGlobal(
        Context memory context,
        SettlementContext memory settlementContext,
        uint256 newOrderId,
        uint256 newOrderTimestamp,
        Order memory newOrder
    ) private {
        (OracleVersion memory oracleVersion, OracleReceipt memory oracleReceipt) = _oracle.at(newOrderTimestamp);
        if (oracleVersion.price == 0) oracleVersion.price = context.global.latestPrice;
        Guarantee memory newGuarantee;

        if (newOrderTimestamp > newOrder.timestamp) newOrder = OrderLib.fresh(newOrderTimestamp);

        context.pendingGlobal.sub(newOrder);

        if (!oracleVersion.valid) newOrder.invalidate(newGuarantee);

        VersionAccumulationResult memory result;
        (settlementContext.latestVersion, context.global, result) = engine.accumulateVersion(
            settlementContext.latestVersion,
            VersionAccumulationContext(
                context.global,
                context.latestPositionGlobal,
                newOrder,
                newGuarantee,
                settlementContext.orderOracleVersion,
                oracleVersion,
                oracleReceipt,
                context.marketParameter,
                context.riskParameter
            )
        );
        emit PositionProcessed(newOrderId, newOrder, result);

        // distribute the market's fees
        uint256 marketFee = result.tradeFee + result.tradeOffsetMarket + result.fundingFee + result.interestFee;
        uint256 oracleFee = marketFee.mul(oracleReceipt.oracleFee);
        marketFee -= oracleFee;
        uint256 riskFee = marketFee.mul(context.marketParameter.riskFee);
        marketFee -= riskFee;
        context.global.latestId = newOrderId;
        context.global.protocolFee += marketFee;
        context.global.oracleFee += result.settlementFee + oracleFee;
        context.global.riskFee += riskFee;
        context.global.exposure += result.adiabaticExposureMarket;

        context.latestPositionGlobal.apply_(newOrder);

        settlementContext.orderOracleVersion = oracleVersion;
        _storeVersion(newOrder.timestamp, settlementContext.latestVersion);
    }

    function _processOrderLocal(
        Context memory context,
        SettlementContext memory settlementContext,
        uint256 newOrderId,
        uint256 newOrderTimestamp,
        Order memory newOrder
    ) private {
        Version memory versionFrom = _versions[context.latestPositionLocal.timestamp];
        Version memory versionTo = _versions[newOrderTimestamp];
        Guarantee memory newGuarantee;

        if (newOrderTimestamp > newOrder.timestamp) newOrder = OrderLib.fresh(newOrderTimestamp);

        context.pendingLocal.sub(newOrder);

        if (!versionTo.valid) newOrder.invalidate(newGuarantee);

        CheckpointAccumulationResult memory result;
        (settlementContext.latestCheckpoint, result) = engine.accumulateCheckpoint(
            settlementContext.latestCheckpoint,
            context.latestPositionLocal,
            newOrder,
            newGuarantee,
            versionFrom,
            versionTo
        );
        emit AccountPositionProcessed(context.account, newOrderId, newOrder, result);

        context.local.collateral = context.local.collateral
            + result.collateral + result.priceOverride - Fx.s(result.tradeFee) - result.offset
            - Fx.s(result.settlementFee) - Fx.s(result.liquidationFee);
        context.local.latestId = newOrderId;
        context.latestPositionLocal.apply_(newOrder);

        _storeCheckpoint(context.account, newOrder.timestamp, settlementContext.latestCheckpoint);

        _credit(context, _liquidators[context.account][newOrderId], result.liquidationFee);
        _credit(context, _orderReferrers[context.account][newOrderId], result.subtractiveFee);
        _credit(context, _guaranteeReferrers[context.account][newOrderId], result.solverFee);
    }

    function _credit(Context memory context, address receiver, uint256 amount) private {
        if (amount == 0) return;
        if (receiver == context.account) context.local.claimable += amount;
        else {
            Local memory receiverLocal = _locals[receiver];
            receiverLocal.claimable += amount;
            _storeLocal(receiver, receiverLocal);
        }
    }

}
