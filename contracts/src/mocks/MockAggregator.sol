// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title MockAggregator
/// @notice A Chainlink AggregatorV3-shaped price feed (the ETH/USD feed that Perennial's gas oracles and keeper
///         incentives read). `answer` and `updatedAt` live in storage slots 0 and 1; `decimals` is fixed at 8 so
///         the runtime code can be placed at a feed's real address without a constructor.
contract MockAggregator {
    int256 public answer;
    uint256 public updatedAt;
    address public owner;

    error MockAggregatorNotOwnerError();

    constructor(int256 answer_) {
        answer = answer_;
        updatedAt = block.timestamp;
        owner = msg.sender;
    }

    function decimals() external pure returns (uint8) {
        return 8;
    }

    function description() external pure returns (string memory) {
        return "ETH / USD (devnet)";
    }

    function version() external pure returns (uint256) {
        return 4;
    }

    function updateAnswer(int256 newAnswer) external {
        if (msg.sender != owner) revert MockAggregatorNotOwnerError();
        answer = newAnswer;
        updatedAt = block.timestamp;
    }

    function latestAnswer() external view returns (int256) {
        return answer;
    }

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer_, uint256 startedAt, uint256 updatedAt_, uint80 answeredInRound)
    {
        uint256 at = updatedAt == 0 ? block.timestamp : updatedAt;
        return (1, answer, at, at, 1);
    }
}
