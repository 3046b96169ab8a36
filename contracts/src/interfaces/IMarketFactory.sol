// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { ProtocolParameter } from "../types/Types.sol";

interface IMarketFactory {
    function owner() external view returns (address);
    function parameter() external view returns (ProtocolParameter memory);
    function operators(address account, address operator) external view returns (bool);
    function extensions(address extension) external view returns (bool);
    function referralFees(address referrer) external view returns (uint256);
    function instances(address instance) external view returns (bool);
    function authorization(address account, address sender, address signer, address orderReferrer)
        external view returns (bool isOperator, bool isSigner, uint256 orderReferralFee);
}
