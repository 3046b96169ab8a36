// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title MockOpGasInfo
/// @notice The OP-stack GasPriceOracle predeploy (0x420000000000000000000000000000000000000F) as Perennial's
///         GasOracle_Optimism reads it for the calldata part of keeper rewards. Constant Ecotone-style values,
///         no storage, so the runtime code can be placed at the predeploy address as is.
contract MockOpGasInfo {
    function l1BaseFee() external pure returns (uint256) {
        return 10 gwei;
    }

    function baseFeeScalar() external pure returns (uint256) {
        return 1368;
    }

    function blobBaseFee() external pure returns (uint256) {
        return 1;
    }

    function blobBaseFeeScalar() external pure returns (uint256) {
        return 810949;
    }

    function decimals() external pure returns (uint256) {
        return 6;
    }

    function getL1GasUsed(bytes memory data) external pure returns (uint256) {
        return (data.length + 68) * 16;
    }
}
