// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { IOracleProvider } from "../interfaces/IOracleProvider.sol";
import { OracleVersion, OracleReceipt } from "../types/Types.sol";

/// @title TestOracle
/// @notice Settable oracle provider: the owner stores committed versions with their receipts and the status
///         (latest committed timestamp, current timestamp). Block time plays no role.
contract TestOracle is IOracleProvider {
    error TestOracleNotOwnerError();

    event StatusUpdated(uint256 latestTimestamp, uint256 currentTimestamp);

    address public owner;
    uint256 public latestTimestamp;
    uint256 public currentTimestamp;

    mapping(uint256 => OracleVersion) private _versions;
    mapping(uint256 => OracleReceipt) private _receipts;
    mapping(uint256 => bool) public requested;

    constructor() {
        owner = msg.sender;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert TestOracleNotOwnerError();
        _;
    }

    function updateOwner(address newOwner) external onlyOwner {
        owner = newOwner;
    }

    /// @notice commits (or overwrites) a version and its receipt
    function setVersion(uint256 timestamp, int256 price, bool valid, uint256 settlementFee, uint256 oracleFee)
        public onlyOwner
    {
        _versions[timestamp] = OracleVersion(timestamp, price, valid);
        _receipts[timestamp] = OracleReceipt(settlementFee, oracleFee);
        emit OracleProviderVersionFulfilled(_versions[timestamp]);
    }

    /// @notice sets the latest committed timestamp and the current (order) timestamp
    function setStatus(uint256 latestTimestamp_, uint256 currentTimestamp_) public onlyOwner {
        latestTimestamp = latestTimestamp_;
        currentTimestamp = currentTimestamp_;
        emit StatusUpdated(latestTimestamp_, currentTimestamp_);
    }

    /// @notice commits a version, then sets the status
    function commit(
        uint256 timestamp,
        int256 price,
        bool valid,
        uint256 settlementFee,
        uint256 oracleFee,
        uint256 currentTimestamp_
    ) external onlyOwner {
        setVersion(timestamp, price, valid, settlementFee, oracleFee);
        setStatus(timestamp, currentTimestamp_);
    }

    function request(address, address) external {
        if (!requested[currentTimestamp]) {
            requested[currentTimestamp] = true;
            emit OracleProviderVersionRequested(currentTimestamp, true);
        }
    }

    function status() external view returns (OracleVersion memory, uint256) {
        return (latest(), currentTimestamp);
    }

    function latest() public view returns (OracleVersion memory v) {
        (v, ) = at(latestTimestamp);
    }

    function current() external view returns (uint256) {
        return currentTimestamp;
    }

    /// @notice uncommitted timestamps return price 0, invalid, and an empty receipt
    function at(uint256 timestamp) public view returns (OracleVersion memory v, OracleReceipt memory r) {
        v = _versions[timestamp];
        v.timestamp = timestamp;
        r = _receipts[timestamp];
    }
}
