// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { IERC20 } from "../interfaces/IERC20.sol";

/// @title MintableToken
/// @notice Minimal ERC20 with owner / minter controlled minting (devnet collateral tokens)
contract MintableToken is IERC20 {
    error TokenInsufficientBalanceError();
    error TokenInsufficientAllowanceError();
    error TokenNotMinterError();

    event MinterUpdated(address indexed minter, bool enabled);

    string public name;
    string public symbol;
    uint8 public immutable decimals;
    uint256 public totalSupply;
    address public owner;

    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    mapping(address => bool) public minters;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
        owner = msg.sender;
        minters[msg.sender] = true;
    }

    function updateMinter(address minter, bool enabled) external {
        if (msg.sender != owner) revert TokenNotMinterError();
        minters[minter] = enabled;
        emit MinterUpdated(minter, enabled);
    }

    function mint(address to, uint256 amount) external {
        if (!minters[msg.sender]) revert TokenNotMinterError();
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function burn(address from, uint256 amount) external {
        if (!minters[msg.sender]) revert TokenNotMinterError();
        if (balanceOf[from] < amount) revert TokenInsufficientBalanceError();
        balanceOf[from] -= amount;
        totalSupply -= amount;
        emit Transfer(from, address(0), amount);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < amount) revert TokenInsufficientAllowanceError();
            allowance[from][msg.sender] = allowed - amount;
        }
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) private {
        if (balanceOf[from] < amount) revert TokenInsufficientBalanceError();
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}

/// @title DSU
/// @notice 18-decimal collateral token (DSU-like)
contract DSU is MintableToken {
    constructor() MintableToken("Digital Standard Unit", "DSU", 18) { }
}

/// @title USDC
/// @notice 6-decimal stable token (USDC-like)
contract USDC is MintableToken {
    constructor() MintableToken("USD Coin", "USDC", 6) { }
}
