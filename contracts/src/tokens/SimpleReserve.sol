// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { MintableToken } from "./MintableToken.sol";

/// @title SimpleReserve
/// @notice Trivial 1:1 USDC <-> DSU reserve (EmptySet-reserve-like interface, 18-decimal amounts).
///         Must be a minter of DSU.
contract SimpleReserve {
    event Mint(address indexed account, uint256 mintAmount, uint256 costAmount);
    event Redeem(address indexed account, uint256 costAmount, uint256 redeemAmount);

    error ReserveTransferFailedError();

    MintableToken public immutable dsu;
    MintableToken public immutable usdc;

    constructor(MintableToken dsu_, MintableToken usdc_) {
        dsu = dsu_;
        usdc = usdc_;
    }

    /// @notice pulls ceil(amount / 1e12) USDC from the sender and mints `amount` DSU (18 decimals) to it
    function mint(uint256 amount) external {
        uint256 cost = (amount + 1e12 - 1) / 1e12;
        if (!usdc.transferFrom(msg.sender, address(this), cost)) revert ReserveTransferFailedError();
        dsu.mint(msg.sender, amount);
        emit Mint(msg.sender, amount, cost);
    }

    /// @notice burns `amount` DSU (18 decimals) of the sender and sends it floor(amount / 1e12) USDC
    function redeem(uint256 amount) external {
        uint256 out = amount / 1e12;
        dsu.burn(msg.sender, amount);
        if (!usdc.transfer(msg.sender, out)) revert ReserveTransferFailedError();
        emit Redeem(msg.sender, amount, out);
    }
}
