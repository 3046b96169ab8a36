// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {
    Order, Position, Global, Local, Version, Checkpoint, MarketParameter, RiskParameter, ProtocolParameter,
    OracleVersion
} from "../types/Types.sol";
import { IMarket } from "../interfaces/IMarket.sol";
import { IMarketFactory } from "../interfaces/IMarketFactory.sol";
import { IOracleProvider } from "../interfaces/IOracleProvider.sol";
import { IERC20 } from "../interfaces/IERC20.sol";

/// @title Lens
/// @notice Never deployed: the SDK runs it through `eth_call` with its code placed by a state override, so one
///         JSON-RPC request settles an account in every market and reads everything an LP bot needs. The settle
///         calls only live inside that call; nothing is written on chain.
contract Lens {
    struct MarketSnapshot {
        address market;
        address oracle;
        bool settled;
        MarketParameter parameter;
        RiskParameter riskParameter;
        Global global;
        Position position;
        Order pending;
        Order currentOrder;
        Version latestVersion;
        OracleVersion latestOracleVersion;
        uint256 currentTimestamp;
    }

    struct AccountSnapshot {
        address market;
        Local local;
        Position position;
        Order pending;
        Order[] pendingOrders;
        Checkpoint checkpoint;
        bool operatorApproved;
    }

    struct Snapshot {
        uint256 blockNumber;
        uint256 blockTimestamp;
        ProtocolParameter protocolParameter;
        MarketSnapshot[] markets;
        AccountSnapshot[] accounts;
        uint256 tokenBalance;
        uint256 usdcBalance;
    }

    /// @notice Settle `account` in every market (when `settle`), then read every market and the account
    /// @param factory The market factory (protocol parameter, operator approvals)
    /// @param markets The markets to read
    /// @param account The account to read (address(0): markets only)
    /// @param operator An operator whose approval by `account` (or as a factory extension) is reported
    /// @param usdc A second token whose balance of `account` is reported (address(0): none)
    /// @param settle Whether to settle first (an exactly-settled view)
    function snapshot(
        IMarketFactory factory,
        IMarket[] calldata markets,
        address account,
        address operator,
        IERC20 usdc,
        bool settle
    ) external returns (Snapshot memory result) {
        result.blockNumber = block.number;
        result.blockTimestamp = block.timestamp;
        result.protocolParameter = factory.parameter();
        result.markets = new MarketSnapshot[](markets.length);
        result.accounts = new AccountSnapshot[](account == address(0) ? 0 : markets.length);
        for (uint256 i; i < markets.length; i++) {
            IMarket market = markets[i];
            bool settled;
            if (settle) {
                try market.settle(account) { settled = true; } catch { }
            }
            result.markets[i] = _market(market, settled);
            if (account != address(0)) result.accounts[i] = _account(factory, market, account, operator);
        }
        if (account != address(0) && markets.length != 0) {
            result.tokenBalance = IERC20(markets[0].token()).balanceOf(account);
            if (address(usdc) != address(0)) result.usdcBalance = usdc.balanceOf(account);
        }
    }

    function _market(IMarket market, bool settled) private view returns (MarketSnapshot memory s) {
        IOracleProvider oracle = market.oracle();
        s.market = address(market);
        s.oracle = address(oracle);
        s.settled = settled;
        s.parameter = market.parameter();
        s.riskParameter = market.riskParameter();
        s.global = market.global();
        s.position = market.position();
        s.pending = market.pending();
        s.currentOrder = market.pendingOrder(s.global.currentId);
        s.latestVersion = market.versions(s.position.timestamp);
        (s.latestOracleVersion, s.currentTimestamp) = oracle.status();
    }

    function _account(
        IMarketFactory factory,
        IMarket market,
        address account,
        address operator
    ) private view returns (AccountSnapshot memory s) {
        s.market = address(market);
        s.local = market.locals(account);
        s.position = market.positions(account);
        s.pending = market.pendings(account);
        uint256 count = s.local.currentId - s.local.latestId + 1;
        s.pendingOrders = new Order[](count);
        for (uint256 j; j < count; j++) s.pendingOrders[j] = market.pendingOrders(account, s.local.latestId + j);
        s.checkpoint = market.checkpoints(account, s.position.timestamp);
        if (operator != address(0))
            s.operatorApproved = factory.extensions(operator) || factory.operators(account, operator);
    }
}
