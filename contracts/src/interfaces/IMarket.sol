// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {
    Order, Guarantee, Position, Global, Local, Version, Checkpoint, MarketParameter, RiskParameter,
    VersionAccumulationResult, CheckpointAccumulationResult
} from "../types/Types.sol";
import { IOracleProvider } from "./IOracleProvider.sol";

/// @notice Custom errors of the market (names and signatures as in Perennial V2.4)
interface IMarketErrors {
    error MarketInsufficientLiquidityError();
    error MarketInsufficientMarginError();
    error MarketInsufficientCollateralError();
    error MarketProtectedError();
    error MarketMakerOverLimitError();
    error MarketClosedError();
    error MarketCollateralBelowLimitError();
    error MarketOperatorNotAllowedError();
    error MarketNotSingleSidedError();
    error MarketOverCloseError();
    error MarketExceedsPendingIdLimitError();
    error MarketNotCoordinatorError();
    error MarketNotOperatorError();
    error MarketInvalidProtectionError();
    error MarketStalePriceError();
    error MarketEfficiencyUnderLimitError();
    error MarketInvalidMarketParameterError(uint256 code);
    error MarketInvalidRiskParameterError(uint256 code);
    error MarketInvalidReferrerError();
    error MarketSettleOnlyError();
    error MarketInvalidIntentFeeError();
    error MarketIntentPriceDeviationError();

    error GlobalStorageInvalidError();
    error LocalStorageInvalidError();
    error MarketParameterStorageInvalidError();
    error PositionStorageLocalInvalidError();
    error RiskParameterStorageInvalidError();
    error VersionStorageInvalidError();
    error CheckpointStorageInvalidError();
    error OrderStorageInvalidError();
    error PositionStorageInvalidError();

    error InstanceNotOwnerError(address sender);
    error InstanceNotFactoryError(address sender);
    error InitializableAlreadyInitializedError(uint256 version);
    error ReentrancyGuardReentrantCallError();
}

/// @notice Events of the market (signatures as in Perennial V2.4)
interface IMarketEvents {
    event OrderCreated(
        address indexed account,
        Order order,
        Guarantee guarantee,
        address liquidator,
        address orderReferrer,
        address guaranteeReferrer
    );
    event PositionProcessed(uint256 orderId, Order order, VersionAccumulationResult accumulationResult);
    event AccountPositionProcessed(
        address indexed account,
        uint256 orderId,
        Order order,
        CheckpointAccumulationResult accumulationResult
    );
    event CoordinatorUpdated(address newCoordinator);
    event FeeClaimed(address indexed account, address indexed receiver, uint256 amount);
    event ExposureClaimed(address indexed account, int256 amount);
    event ParameterUpdated(MarketParameter newParameter);
    event RiskParameterUpdated(RiskParameter newRiskParameter);
}

interface IMarket is IMarketErrors, IMarketEvents {
    struct MarketDefinition {
        address token;
        IOracleProvider oracle;
    }

    function initialize(MarketDefinition calldata definition) external;
    function factory() external view returns (address);
    function token() external view returns (address);
    function oracle() external view returns (IOracleProvider);
    function coordinator() external view returns (address);
    function positions(address account) external view returns (Position memory);
    function pendingOrders(address account, uint256 id) external view returns (Order memory);
    function guarantees(address account, uint256 id) external view returns (Guarantee memory);
    function pendings(address account) external view returns (Order memory);
    function locals(address account) external view returns (Local memory);
    function versions(uint256 timestamp) external view returns (Version memory);
    function position() external view returns (Position memory);
    function pendingOrder(uint256 id) external view returns (Order memory);
    function guarantee(uint256 id) external view returns (Guarantee memory);
    function pending() external view returns (Order memory);
    function global() external view returns (Global memory);
    function checkpoints(address account, uint256 version) external view returns (Checkpoint memory);
    function liquidators(address account, uint256 id) external view returns (address);
    function orderReferrers(address account, uint256 id) external view returns (address);
    function guaranteeReferrers(address account, uint256 id) external view returns (address);
    function settle(address account) external;
    function update(address account, int256 amount, address referrer) external;
    function update(address account, int256 amount, int256 collateral, address referrer) external;
    function update(address account, int256 makerAmount, int256 takerAmount, int256 collateral, address referrer) external;
    function update(address account, uint256 newMaker, uint256 newLong, uint256 newShort, int256 collateral, bool protect) external;
    function update(
        address account,
        uint256 newMaker,
        uint256 newLong,
        uint256 newShort,
        int256 collateral,
        bool protect,
        address referrer
    ) external;
    function parameter() external view returns (MarketParameter memory);
    function riskParameter() external view returns (RiskParameter memory);
    function updateCoordinator(address newCoordinator) external;
    function updateParameter(MarketParameter memory newParameter) external;
    function updateRiskParameter(RiskParameter memory newRiskParameter) external;
    function claimFee(address account) external returns (uint256);
    function claimExposure() external;
}
