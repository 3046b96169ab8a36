// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { OracleVersion, OracleReceipt } from "../types/Types.sol";

/// @notice Oracle provider interface consumed by the market (as in Perennial V2.4)
interface IOracleProvider {
    error OracleProviderUnauthorizedError();

    event OracleProviderVersionRequested(uint256 indexed version, bool newPrice);
    event OracleProviderVersionFulfilled(OracleVersion version);

    function request(address market, address account) external;
    function status() external view returns (OracleVersion memory, uint256);
    function latest() external view returns (OracleVersion memory);
    function current() external view returns (uint256);
    function at(uint256 timestamp) external view returns (OracleVersion memory, OracleReceipt memory);
}
