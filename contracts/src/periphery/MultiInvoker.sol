// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { IMarket } from "../interfaces/IMarket.sol";
import { IMarketFactory } from "../interfaces/IMarketFactory.sol";
import { IERC20 } from "../interfaces/IERC20.sol";

interface IReserve {
    function mint(uint256 amount) external;
    function redeem(uint256 amount) external;
}

interface ICommitFactory {
    function current() external view returns (uint256);
    function commit(bytes32[] memory ids, uint256 version, bytes calldata data) external payable;
}

/// @title MultiInvoker
/// @notice Subset of the Perennial V2.4 MultiInvoker: batches UPDATE_POSITION (with optional USDC -> DSU wrapping
///         through a 1:1 reserve and interface fees), COMMIT_PRICE, APPROVE and CLAIM_FEE for an account.
///         The invoker acts on the market as the account's operator: the account approves it with
///         MarketFactory.updateOperator(invoker, true) (or the factory owner registers it as an extension).
///         Vault, trigger-order and intent actions are not supported (they revert).
contract MultiInvoker {
    enum PerennialAction {
        NO_OP,           // 0
        UPDATE_POSITION, // 1
        UPDATE_VAULT,    // 2
        PLACE_ORDER,     // 3
        CANCEL_ORDER,    // 4
        EXEC_ORDER,      // 5
        COMMIT_PRICE,    // 6
        __LIQUIDATE__DEPRECATED,
        APPROVE,         // 8
        UPDATE_INTENT,   // 9
        CLAIM_FEE        // 10
    }

    struct Invocation {
        PerennialAction action;
        bytes args;
    }

    struct InterfaceFee {
        uint256 amount;
        address receiver;
    }

    event OperatorUpdated(address indexed account, address indexed operator, bool newEnabled);
    event InterfaceFeeCharged(address indexed account, IMarket indexed market, InterfaceFee fee);

    error MultiInvokerUnauthorizedError();
    error MultiInvokerInvalidInstanceError();
    error MultiInvokerUnsupportedActionError();
    error MultiInvokerTransferFailedError();

    IERC20 public immutable USDC;
    IERC20 public immutable DSU;
    IMarketFactory public immutable marketFactory;
    IReserve public immutable reserve;

    mapping(address => mapping(address => bool)) public operators;
    mapping(address => uint256) public claimable;

    constructor(IERC20 usdc_, IERC20 dsu_, IMarketFactory marketFactory_, IReserve reserve_) {
        USDC = usdc_;
        DSU = dsu_;
        marketFactory = marketFactory_;
        reserve = reserve_;
        usdc_.approve(address(reserve_), type(uint256).max);
        dsu_.approve(address(reserve_), type(uint256).max);
    }

    modifier onlyOperator(address account) {
        if (account != msg.sender && !operators[account][msg.sender]) revert MultiInvokerUnauthorizedError();
        _;
    }

    modifier isMarketInstance(IMarket market) {
        if (!marketFactory.instances(address(market))) revert MultiInvokerInvalidInstanceError();
        _;
    }

    function updateOperator(address operator, bool newEnabled) external {
        operators[msg.sender][operator] = newEnabled;
        emit OperatorUpdated(msg.sender, operator, newEnabled);
    }

    function invoke(Invocation[] calldata invocations) external payable {
        _invoke(msg.sender, invocations);
    }

    function invoke(address account, Invocation[] calldata invocations) external payable {
        _invoke(account, invocations);
    }

    /// @notice withdraws the interface fees credited to `account`
    function claim(address account, bool unwrap) external onlyOperator(account) {
        uint256 amount = claimable[account];
        claimable[account] = 0;
        _withdraw(msg.sender, amount, unwrap);
    }

    function _invoke(address account, Invocation[] calldata invocations) private onlyOperator(account) {
        for (uint256 i; i < invocations.length; i++) {
            Invocation calldata invocation = invocations[i];
            if (invocation.action == PerennialAction.NO_OP) continue;

            if (invocation.action == PerennialAction.UPDATE_POSITION) {
                (
                    IMarket market,
                    uint256 newMaker,
                    uint256 newLong,
                    uint256 newShort,
                    int256 collateral,
                    bool wrap,
                    InterfaceFee memory interfaceFee1,
                    InterfaceFee memory interfaceFee2
                ) = abi.decode(
                    invocation.args, (IMarket, uint256, uint256, uint256, int256, bool, InterfaceFee, InterfaceFee)
                );
                _update(account, market, newMaker, newLong, newShort, collateral, wrap, interfaceFee1, interfaceFee2);
            } else if (invocation.action == PerennialAction.COMMIT_PRICE) {
                (
                    address factory,
                    uint256 value,
                    bytes32[] memory ids,
                    uint256 version,
                    bytes memory data,
                    bool revertOnFailure
                ) = abi.decode(invocation.args, (address, uint256, bytes32[], uint256, bytes, bool));
                _commitPrice(factory, value, ids, version, data, revertOnFailure);
            } else if (invocation.action == PerennialAction.APPROVE) {
                address target = abi.decode(invocation.args, (address));
                if (!marketFactory.instances(target)) revert MultiInvokerInvalidInstanceError();
                DSU.approve(target, type(uint256).max);
            } else if (invocation.action == PerennialAction.CLAIM_FEE) {
                (IMarket market, bool unwrap) = abi.decode(invocation.args, (IMarket, bool));
                _claimFee(account, market, unwrap);
            } else {
                revert MultiInvokerUnsupportedActionError();
            }
        }
        // ETH must not remain in this contract at rest
        if (address(this).balance != 0) {
            (bool ok, ) = payable(msg.sender).call{ value: address(this).balance }("");
            if (!ok) revert MultiInvokerTransferFailedError();
        }
    }

    function _update(
        address account,
        IMarket market,
        uint256 newMaker,
        uint256 newLong,
        uint256 newShort,
        int256 collateral,
        bool wrap,
        InterfaceFee memory interfaceFee1,
        InterfaceFee memory interfaceFee2
    ) private isMarketInstance(market) {
        uint256 balanceBefore = DSU.balanceOf(address(this));

        if (collateral > 0) _deposit(account, uint256(collateral), wrap);

        market.update(
            account,
            newMaker,
            newLong,
            newShort,
            collateral,
            false,
            interfaceFee1.receiver == address(0) ? interfaceFee2.receiver : interfaceFee1.receiver
        );

        uint256 balanceAfter = DSU.balanceOf(address(this));
        if (balanceAfter > balanceBefore) _withdraw(account, (balanceAfter - balanceBefore) / 1e12, wrap);

        _chargeInterfaceFee(account, market, interfaceFee1);
        _chargeInterfaceFee(account, market, interfaceFee2);
    }

    function _chargeInterfaceFee(address account, IMarket market, InterfaceFee memory fee) private {
        if (fee.amount == 0) return;
        market.update(account, type(uint256).max, type(uint256).max, type(uint256).max, -int256(fee.amount), false);
        claimable[fee.receiver] += fee.amount;
        emit InterfaceFeeCharged(account, market, fee);
    }

    function _commitPrice(
        address factory,
        uint256 value,
        bytes32[] memory ids,
        uint256 version,
        bytes memory data,
        bool revertOnFailure
    ) private {
        uint256 balanceBefore = DSU.balanceOf(address(this));
        uint256 latestAllowed = ICommitFactory(factory).current() - 1;
        if (block.timestamp < latestAllowed) latestAllowed = block.timestamp;
        if (version > latestAllowed) version = latestAllowed;

        try ICommitFactory(factory).commit{ value: value }(ids, version, data) {
            // forward the keeper fee earned by the commit
            uint256 earned = DSU.balanceOf(address(this)) - balanceBefore;
            if (earned != 0) _transfer(DSU, msg.sender, earned);
        } catch (bytes memory reason) {
            if (revertOnFailure) {
                assembly {
                    revert(add(reason, 0x20), mload(reason))
                }
            }
        }
    }

    function _claimFee(address account, IMarket market, bool unwrap) private isMarketInstance(market) {
        uint256 amount = market.claimFee(account);
        _withdraw(account, amount, unwrap);
    }

    /// @dev `amount6` is a 6-decimal amount: pulls USDC and wraps it, or pulls DSU
    function _deposit(address account, uint256 amount6, bool wrap) private {
        if (wrap) {
            if (!USDC.transferFrom(account, address(this), amount6)) revert MultiInvokerTransferFailedError();
            reserve.mint(amount6 * 1e12);
        } else {
            if (!DSU.transferFrom(account, address(this), amount6 * 1e12)) revert MultiInvokerTransferFailedError();
        }
    }

    /// @dev `amount6` is a 6-decimal amount: unwraps to USDC or sends DSU
    function _withdraw(address account, uint256 amount6, bool unwrap) private {
        if (amount6 == 0) return;
        if (unwrap) {
            uint256 before = USDC.balanceOf(address(this));
            reserve.redeem(amount6 * 1e12);
            _transfer(USDC, account, USDC.balanceOf(address(this)) - before);
        } else {
            _transfer(DSU, account, amount6 * 1e12);
        }
    }

    function _transfer(IERC20 token, address to, uint256 amount) private {
        if (!token.transfer(to, amount)) revert MultiInvokerTransferFailedError();
    }
}
