// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { Fx } from "./libs/Fx.sol";
import { PositionLib } from "./libs/PositionOrder.sol";
import { MarketStorage } from "./MarketStorage.sol";
import { IMarket } from "./interfaces/IMarket.sol";
import { IMarketFactory } from "./interfaces/IMarketFactory.sol";
import { IOracleProvider } from "./interfaces/IOracleProvider.sol";
import { IMarketEngine } from "./MarketEngine.sol";
import {
    Position, Order, Guarantee, Global, Local, Version, Checkpoint, MarketParameter, RiskParameter
} from "./types/Types.sol";

interface IMarketCore {
    function engine() external view returns (IMarketEngine);
}

/// @title Market
/// @notice A Perennial V2.4-compatible market for market orders (intents / guarantees are not supported: the
///         guarantee views always return empty guarantees). Markets are minimal-proxy clones of this implementation
///         created by the MarketFactory. The settlement / update logic lives in MarketCore (executed by delegatecall
///         on this market's storage) and the pure math in MarketEngine, which keeps every contract below the 24 KiB
///         code size limit.
contract Market is IMarket, MarketStorage {
    using PositionLib for Position;

    /// @notice settlement / update logic (delegatecalled)
    address public immutable core;

    /// @notice stateless math engine
    IMarketEngine public immutable engine;

    constructor(address core_) {
        core = core_;
        engine = IMarketCore(core_).engine();
        _initialized = 1; // the implementation itself can not be initialized
    }

    modifier onlyOwner() {
        if (msg.sender != IMarketFactory(_factory).owner()) revert InstanceNotOwnerError(msg.sender);
        _;
    }

    modifier onlyCoordinator() {
        if (msg.sender != _coordinator && msg.sender != IMarketFactory(_factory).owner())
            revert MarketNotCoordinatorError();
        _;
    }

    /// @notice Initializes a clone; called by the factory
    function initialize(MarketDefinition calldata definition) external {
        if (_initialized != 0) revert InitializableAlreadyInitializedError(1);
        _initialized = 1;
        _factory = msg.sender;
        _token = definition.token;
        _oracle = definition.oracle;
    }

    // ------------------------------------------------------------------ settlement and orders (MarketCore)

    /// @notice Settles the market and the account up to the latest oracle version
    function settle(address) external { _delegate(); }

    /// @notice Taker delta (positive long, negative short) without collateral change; the sender acts as signer
    function update(address, int256, address) external { _delegate(); }

    /// @notice Taker delta with a collateral change (positive deposit, negative withdrawal)
    function update(address, int256, int256, address) external { _delegate(); }

    /// @notice Maker and taker deltas with a collateral change
    function update(address, int256, int256, int256, address) external { _delegate(); }

    /// @notice Absolute position targets (magic values: 2^256-1 unchanged, 2^256-2 close, int256.min withdraw all)
    function update(address, uint256, uint256, uint256, int256, bool) external { _delegate(); }

    /// @notice Absolute position targets with an order referrer
    function update(address, uint256, uint256, uint256, int256, bool, address) external { _delegate(); }

    function _delegate() private {
        address target = core;
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }

    // ------------------------------------------------------------------ administration

    function updateCoordinator(address newCoordinator) external onlyOwner {
        _coordinator = newCoordinator;
        emit CoordinatorUpdated(newCoordinator);
    }

    function updateParameter(MarketParameter memory newParameter) external onlyOwner {
        newParameter = engine.prepareMarketParameter(newParameter, IMarketFactory(_factory).parameter());
        _parameter = newParameter;
        emit ParameterUpdated(newParameter);
    }

    function updateRiskParameter(RiskParameter memory newRiskParameter) external onlyCoordinator {
        Global memory newGlobal = _global;
        RiskParameter memory latestRiskParameter = _riskParameter;

        // validate and apply the storage truncation of the reference first
        newRiskParameter = engine.prepareRiskParameter(newRiskParameter, IMarketFactory(_factory).parameter());
        _riskParameter = newRiskParameter;

        // re-mark the adiabatic exposure of the latest settled skew under the new fee curve
        newGlobal.exposure = newGlobal.exposure - engine.exposureChange(
            latestRiskParameter.takerFee,
            newRiskParameter.takerFee,
            _position.skew(),
            Fx.abs(newGlobal.latestPrice)
        );
        _storeGlobal(newGlobal);

        emit RiskParameterUpdated(newRiskParameter);
    }

    function claimFee(address account) external returns (uint256 feeReceived) {
        if (msg.sender != account && !IMarketFactory(_factory).operators(account, msg.sender))
            revert MarketNotOperatorError();

        Global memory newGlobal = _global;
        Local memory newLocal = _locals[account];

        if (account == IMarketFactory(_factory).owner()) {
            feeReceived += newGlobal.protocolFee;
            newGlobal.protocolFee = 0;
        }
        if (account == address(_oracle)) {
            feeReceived += newGlobal.oracleFee;
            newGlobal.oracleFee = 0;
        }
        if (account == _coordinator) {
            feeReceived += newGlobal.riskFee;
            newGlobal.riskFee = 0;
        }
        feeReceived += newLocal.claimable;
        newLocal.claimable = 0;

        _storeGlobal(newGlobal);
        _storeLocal(account, newLocal);

        if (feeReceived != 0) {
            _push(msg.sender, feeReceived);
            emit FeeClaimed(account, msg.sender, feeReceived);
        }
    }

    function claimExposure() external onlyOwner {
        Global memory newGlobal = _global;
        if (newGlobal.exposure > 0) _push(msg.sender, Fx.abs(newGlobal.exposure));
        if (newGlobal.exposure < 0) _pull(msg.sender, Fx.abs(newGlobal.exposure));
        emit ExposureClaimed(msg.sender, newGlobal.exposure);
        newGlobal.exposure = 0;
        _storeGlobal(newGlobal);
    }

    // ------------------------------------------------------------------ views

    function parameter() external view returns (MarketParameter memory) { return _parameter; }
    function riskParameter() external view returns (RiskParameter memory) { return _riskParameter; }
    function position() external view returns (Position memory) { return _position; }
    function positions(address account) external view returns (Position memory) { return _positions[account]; }
    function global() external view returns (Global memory) { return _global; }
    function versions(uint256 timestamp) external view returns (Version memory) { return _versions[timestamp]; }
    function locals(address account) external view returns (Local memory) { return _locals[account]; }
    function pendingOrder(uint256 id) external view returns (Order memory) { return _pendingOrder[id]; }
    function pendingOrders(address account, uint256 id) external view returns (Order memory) {
        return _pendingOrders[account][id];
    }
    function pending() external view returns (Order memory) { return _pending; }
    function pendings(address account) external view returns (Order memory) { return _pendings[account]; }
    function checkpoints(address account, uint256 version) external view returns (Checkpoint memory) {
        return _checkpoints[account][version];
    }
    /// @notice guarantees are not supported (market orders only): always empty
    function guarantee(uint256) external pure returns (Guarantee memory g) { return g; }
    function guarantees(address, uint256) external pure returns (Guarantee memory g) { return g; }

    // ------------------------------------------------------------------ addresses

    function factory() external view returns (address) { return _factory; }
    function token() external view returns (address) { return _token; }
    function oracle() external view returns (IOracleProvider) { return _oracle; }
    function coordinator() external view returns (address) { return _coordinator; }
    function liquidators(address account, uint256 id) external view returns (address) {
        return _liquidators[account][id];
    }
    function orderReferrers(address account, uint256 id) external view returns (address) {
        return _orderReferrers[account][id];
    }
    function guaranteeReferrers(address account, uint256 id) external view returns (address) {
        return _guaranteeReferrers[account][id];
    }
}
