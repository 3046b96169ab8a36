// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { IPyth } from "@pythnetwork/pyth-sdk-solidity/IPyth.sol";
import { PythStructs } from "@pythnetwork/pyth-sdk-solidity/PythStructs.sol";
import { KeeperOracle, IKeeperOracleFactory } from "./KeeperOracle.sol";
import { OracleVersion } from "../types/Types.sol";

/// @title PythFactory
/// @notice Keeper oracle factory for Pyth-format price updates (verified by the configured Pyth contract, e.g. the
///         MockPyth of the pyth-sdk-solidity npm package on a devnet). Owns the keeper parameter (granularity, oracle
///         fee, publish-time window) and the settlement fee configuration, creates one KeeperOracle per feed and
///         commits prices to them.
///         Deviation from the reference: the settlement fee is configured directly (syncFee / asyncFee /
///         maxSettlementFee) instead of being derived from gas oracles; there are no payoff providers (a feed's
///         price is the Pyth price truncated to 6 decimals).
contract PythFactory is IKeeperOracleFactory {
    event OracleCreated(KeeperOracle indexed oracle, bytes32 indexed id);
    event ParameterUpdated(KeeperOracleParameter newParameter);
    event FeeConfigUpdated(FeeConfig newFeeConfig);
    event OwnerUpdated(address indexed newOwner);

    error KeeperFactoryNotOwnerError();
    error KeeperFactoryAlreadyCreatedError();
    error KeeperFactoryNotCreatedError();
    error KeeperFactoryInvalidVersionError();
    error KeeperFactoryVersionOutsideRangeError();
    error KeeperFactoryInvalidParameterError();
    error KeeperFactoryInvalidSettleError();

    struct KeeperOracleParameter {
        uint256 latestGranularity;
        uint256 currentGranularity;
        uint256 effectiveAfter;
        uint256 oracleFee;
        uint256 validFrom;
        uint256 validTo;
    }

    string public constant factoryType = "PythFactory";

    IPyth public immutable pyth;
    uint256 public immutable timeout;
    address public owner;

    KeeperOracleParameter private _parameter;
    FeeConfig private _feeConfig;

    mapping(bytes32 => KeeperOracle) public oracles;
    mapping(bytes32 => bytes32) public toUnderlyingId;
    mapping(address => bytes32) public ids;
    mapping(address => bool) public instances;

    /// @param pyth_ Pyth (or MockPyth) contract verifying price updates
    /// @param timeout_ seconds after a requested version after which it can only be committed invalid
    constructor(IPyth pyth_, uint256 timeout_) {
        pyth = pyth_;
        timeout = timeout_;
        owner = msg.sender;
        _parameter.currentGranularity = 1;
        _parameter.validTo = type(uint16).max;
        emit OwnerUpdated(msg.sender);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert KeeperFactoryNotOwnerError();
        _;
    }

    function updateOwner(address newOwner) external onlyOwner {
        owner = newOwner;
        emit OwnerUpdated(newOwner);
    }

    // ---------- oracles

    function create(bytes32 id, bytes32 underlyingId) external onlyOwner returns (KeeperOracle newOracle) {
        if (address(oracles[id]) != address(0)) revert KeeperFactoryAlreadyCreatedError();
        newOracle = new KeeperOracle(id, timeout);
        oracles[id] = newOracle;
        toUnderlyingId[id] = underlyingId;
        ids[address(newOracle)] = id;
        instances[address(newOracle)] = true;
        emit OracleCreated(newOracle, id);
    }

    // ---------- parameters

    function parameter() external view returns (KeeperOracleParameter memory) {
        return _parameter;
    }

    function oracleFee() external view returns (uint256) {
        return _parameter.oracleFee;
    }

    function feeConfig() external view returns (FeeConfig memory) {
        return _feeConfig;
    }

    /// @notice new granularity takes effect after the current granular timestamp
    function updateParameter(uint256 newGranularity, uint256 newOracleFee, uint256 newValidFrom, uint256 newValidTo)
        external onlyOwner
    {
        uint256 currentTimestamp = current();
        if (currentTimestamp <= _parameter.effectiveAfter) revert KeeperFactoryInvalidParameterError();
        if (newGranularity == 0 || newGranularity > type(uint16).max) revert KeeperFactoryInvalidParameterError();
        if (newOracleFee > 1e6 || newValidFrom > newValidTo || newValidTo > type(uint16).max)
            revert KeeperFactoryInvalidParameterError();

        _parameter.latestGranularity = _parameter.currentGranularity;
        _parameter.currentGranularity = newGranularity;
        _parameter.effectiveAfter = currentTimestamp;
        _parameter.oracleFee = newOracleFee;
        _parameter.validFrom = newValidFrom;
        _parameter.validTo = newValidTo;
        emit ParameterUpdated(_parameter);
    }

    /// @notice settlement fee of a requested version: syncFee + asyncFee x callbacks, capped at maxSettlementFee
    function updateFeeConfig(FeeConfig memory newFeeConfig) external onlyOwner {
        _feeConfig = newFeeConfig;
        emit FeeConfigUpdated(newFeeConfig);
    }

    // ---------- keepers

    /// @notice the granular timestamp new orders are stamped with
    function current() public view returns (uint256) {
        uint256 granularity = block.timestamp <= _parameter.effectiveAfter
            ? _parameter.latestGranularity
            : _parameter.currentGranularity;
        return (block.timestamp + granularity - 1) / granularity * granularity;
    }

    /// @notice commits `version` for every oracle in `oracleIds`; empty `data` commits an invalid version
    ///         (only accepted for a requested version past its timeout)
    function commit(bytes32[] memory oracleIds, uint256 version, bytes calldata data) external payable {
        if (version >= current() || version > block.timestamp) revert KeeperFactoryInvalidVersionError();
        bool valid = data.length != 0;

        bytes32[] memory underlyingIds = new bytes32[](oracleIds.length);
        for (uint256 i; i < oracleIds.length; i++) {
            underlyingIds[i] = toUnderlyingId[oracleIds[i]];
            if (underlyingIds[i] == bytes32(0)) revert KeeperFactoryNotCreatedError();
        }

        int256[] memory prices = new int256[](oracleIds.length);
        if (valid) {
            bytes[] memory datas = new bytes[](1);
            datas[0] = data;
            PythStructs.PriceFeed[] memory feeds =
                pyth.parsePriceFeedUpdates{ value: msg.value }(datas, underlyingIds, 0, type(uint64).max);
            for (uint256 i; i < feeds.length; i++) {
                uint256 publishTime = feeds[i].price.publishTime;
                if (publishTime < version + _parameter.validFrom || publishTime > version + _parameter.validTo)
                    revert KeeperFactoryVersionOutsideRangeError();
                prices[i] = _toFixed6(feeds[i].price.price, feeds[i].price.expo);
            }
        }

        for (uint256 i; i < oracleIds.length; i++)
            oracles[oracleIds[i]].commit(OracleVersion(version, prices[i], valid), msg.sender, msg.value);
    }

    /// @notice runs the settlement callbacks of requested versions (pays the async fee per account)
    function settle(bytes32[] memory oracleIds, uint256[] memory versions, uint256[] memory maxCounts) external {
        if (oracleIds.length == 0 || oracleIds.length != versions.length || oracleIds.length != maxCounts.length)
            revert KeeperFactoryInvalidSettleError();
        for (uint256 i; i < oracleIds.length; i++)
            oracles[oracleIds[i]].settle(versions[i], maxCounts[i], msg.sender);
    }

    /// @dev price * 10^expo as a 6-decimal fixed-point number, truncated toward zero (via 18 decimals as the reference)
    function _toFixed6(int64 price, int32 expo) private pure returns (int256) {
        int256 exponent = int256(expo) + 18;
        int256 p18 = exponent >= 0
            ? int256(price) * int256(10 ** uint256(exponent))
            : int256(price) / int256(10 ** uint256(-exponent));
        return p18 / 1e12;
    }
}
