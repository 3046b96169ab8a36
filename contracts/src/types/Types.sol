// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Struct shapes of the Perennial V2.4 external interface (ABI-compatible, unpacked).
// All "6-decimal" quantities are raw integers (1.0 == 1e6); UFixed6 -> uint256, Fixed6 -> int256.

struct OracleVersion {
    uint256 timestamp;
    int256 price;
    bool valid;
}

struct OracleReceipt {
    uint256 settlementFee;
    uint256 oracleFee;
}

struct Accumulator6 {
    int256 _value;
}

struct PAccumulator6 {
    int256 _value;
    int256 _skew;
}

struct LinearAdiabatic6 {
    uint256 linearFee;
    uint256 proportionalFee;
    uint256 adiabaticFee;
    uint256 scale;
}

struct NoopAdiabatic6 {
    uint256 linearFee;
    uint256 proportionalFee;
    uint256 scale;
}

struct UJumpRateUtilizationCurve6 {
    uint256 minRate;
    uint256 maxRate;
    uint256 targetRate;
    uint256 targetUtilization;
}

struct PController6 {
    uint256 k;
    int256 min;
    int256 max;
}

struct Position {
    uint256 timestamp;
    uint256 maker;
    uint256 long;
    uint256 short;
}

struct Order {
    uint256 timestamp;
    uint256 orders;
    int256 collateral;
    uint256 makerPos;
    uint256 makerNeg;
    uint256 longPos;
    uint256 longNeg;
    uint256 shortPos;
    uint256 shortNeg;
    uint256 protection;
    uint256 invalidation;
    uint256 makerReferral;
    uint256 takerReferral;
}

struct Guarantee {
    uint256 orders;
    int256 notional;
    uint256 longPos;
    uint256 longNeg;
    uint256 shortPos;
    uint256 shortNeg;
    uint256 takerFee;
    uint256 orderReferral;
    uint256 solverReferral;
}

struct Global {
    uint256 currentId;
    uint256 latestId;
    uint256 protocolFee;
    uint256 oracleFee;
    uint256 riskFee;
    int256 latestPrice;
    int256 exposure;
    PAccumulator6 pAccumulator;
}

struct Local {
    uint256 currentId;
    uint256 latestId;
    int256 collateral;
    uint256 claimable;
}

struct Version {
    bool valid;
    int256 price;
    Accumulator6 makerValue;
    Accumulator6 longValue;
    Accumulator6 shortValue;
    Accumulator6 makerFee;
    Accumulator6 takerFee;
    Accumulator6 makerOffset;
    Accumulator6 takerPosOffset;
    Accumulator6 takerNegOffset;
    Accumulator6 settlementFee;
    Accumulator6 liquidationFee;
}

struct Checkpoint {
    int256 tradeFee;
    uint256 settlementFee;
    int256 transfer;
    int256 collateral;
}

struct MarketParameter {
    uint256 fundingFee;
    uint256 interestFee;
    uint256 makerFee;
    uint256 takerFee;
    uint256 riskFee;
    uint256 maxPendingGlobal;
    uint256 maxPendingLocal;
    uint256 maxPriceDeviation;
    bool closed;
    bool settle;
}

struct RiskParameter {
    uint256 margin;
    uint256 maintenance;
    LinearAdiabatic6 takerFee;
    NoopAdiabatic6 makerFee;
    uint256 makerLimit;
    uint256 efficiencyLimit;
    uint256 liquidationFee;
    UJumpRateUtilizationCurve6 utilizationCurve;
    PController6 pController;
    uint256 minMargin;
    uint256 minMaintenance;
    uint256 staleAfter;
    bool makerReceiveOnly;
}

struct ProtocolParameter {
    uint256 maxFee;
    uint256 maxLiquidationFee;
    uint256 maxCut;
    uint256 maxRate;
    uint256 minMaintenance;
    uint256 minEfficiency;
    uint256 referralFee;
    uint256 minScale;
    uint256 maxStaleAfter;
}

/// @dev Emitted (as part of PositionProcessed) for every processed global version
struct VersionAccumulationResult {
    uint256 tradeFee;
    uint256 subtractiveFee;
    int256 tradeOffset;
    int256 tradeOffsetMaker;
    uint256 tradeOffsetMarket;
    int256 adiabaticExposure;
    int256 adiabaticExposureMaker;
    int256 adiabaticExposureMarket;
    int256 fundingMaker;
    int256 fundingLong;
    int256 fundingShort;
    uint256 fundingFee;
    int256 interestMaker;
    int256 interestLong;
    int256 interestShort;
    uint256 interestFee;
    int256 pnlMaker;
    int256 pnlLong;
    int256 pnlShort;
    uint256 settlementFee;
    uint256 liquidationFee;
}

/// @dev Emitted (as part of AccountPositionProcessed) for every processed local checkpoint
struct CheckpointAccumulationResult {
    int256 collateral;
    int256 priceOverride;
    uint256 tradeFee;
    int256 offset;
    uint256 settlementFee;
    uint256 liquidationFee;
    uint256 subtractiveFee;
    uint256 solverFee;
}

/// @dev In-memory transaction context of the market (same shape as IMarket.Context of the reference)
struct Context {
    address account;
    MarketParameter marketParameter;
    RiskParameter riskParameter;
    OracleVersion latestOracleVersion;
    uint256 currentTimestamp;
    Global global;
    Local local;
    Position latestPositionGlobal;
    Position latestPositionLocal;
    Order pendingGlobal;
    Order pendingLocal;
}

struct SettlementContext {
    Version latestVersion;
    Checkpoint latestCheckpoint;
    OracleVersion orderOracleVersion;
}

struct UpdateContext {
    bool operator;
    bool signer;
    address liquidator;
    address orderReferrer;
    uint256 orderReferralFee;
    address guaranteeReferrer;
    uint256 guaranteeReferralFee;
    Order orderGlobal;
    Order orderLocal;
    Position currentPositionGlobal;
    Position currentPositionLocal;
    Guarantee guaranteeGlobal;
    Guarantee guaranteeLocal;
    uint256 collateralization;
    int256 priceAdjustment;
    uint256 maxPendingMagnitude;
}

/// @dev Inputs of one global version accumulation step
struct VersionAccumulationContext {
    Global global;
    Position fromPosition;
    Order order;
    Guarantee guarantee;
    OracleVersion fromOracleVersion;
    OracleVersion toOracleVersion;
    OracleReceipt toOracleReceipt;
    MarketParameter marketParameter;
    RiskParameter riskParameter;
}
