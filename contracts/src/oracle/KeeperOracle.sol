// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { Fx } from "../libs/Fx.sol";
import { IOracleProvider } from "../interfaces/IOracleProvider.sol";
import { IERC20 } from "../interfaces/IERC20.sol";
import { OracleVersion, OracleReceipt } from "../types/Types.sol";

/// @notice What the keeper oracle needs from the market it serves
interface IKeeperMarket {
    function settle(address account) external;
    function claimFee(address account) external returns (uint256);
    function token() external view returns (address);
}

/// @notice What the keeper oracle needs from its factory
interface IKeeperOracleFactory {
    struct FeeConfig {
        uint256 syncFee;
        uint256 asyncFee;
        uint256 maxSettlementFee;
    }

    function owner() external view returns (address);
    function current() external view returns (uint256);
    function oracleFee() external view returns (uint256);
    function feeConfig() external view returns (FeeConfig memory);
}

/// @title KeeperOracle
/// @notice One price feed. Markets request versions at the factory's granular `current()` timestamp; keepers commit
///         them (through the factory) in request order. A requested version that is not committed valid before
///         `version + timeout` can only be committed invalid (with the previous price). Unrequested versions can be
///         committed (valid only) between the latest committed version and the next outstanding request.
///         The committed receipt charges the market a settlement fee (syncFee + asyncFee x callbacks, scaled down to
///         maxSettlementFee) and an oracle fee share; the oracle claims its market fees on every commit, pays the
///         committing keeper the sync fee and the settling keepers the async fee per settled account.
///         (This contract also plays the role of the per-market Oracle wrapper of the reference: there is no
///         provider switching.)
contract KeeperOracle is IOracleProvider {
    event CallbackRequested(SettlementCallback indexed callback);
    event CallbackFulfilled(SettlementCallback indexed callback);
    event MarketUpdated(address newMarket);
    event BeneficiaryUpdated(address newBeneficiary);

    error KeeperOracleVersionOutsideRangeError();
    error KeeperOracleInvalidPriceError();
    error KeeperOracleInvalidCallbackError();
    error KeeperOracleNotOracleError();
    error KeeperOracleNotFactoryError();
    error KeeperOracleNotOwnerError();
    error KeeperOracleNotMarketError();
    error KeeperOracleNotBeneficiaryError();

    struct SettlementCallback {
        address market;
        address account;
        uint256 version;
    }

    struct KeeperOracleGlobal {
        uint64 latestVersion;
        uint64 currentIndex;
        uint64 latestIndex;
    }

    struct PriceResponse {
        int256 price;
        uint256 syncFee;
        uint256 asyncFee;
        uint256 oracleFee;
        bool valid;
    }

    address public immutable factory;
    uint256 public immutable timeout;
    bytes32 public immutable id;

    address public market;
    address public beneficiary;
    mapping(uint256 => uint256) public requests;
    KeeperOracleGlobal private _global;
    mapping(uint256 => PriceResponse) private _responses;
    mapping(uint256 => address[]) private _callbacks;
    mapping(uint256 => mapping(address => uint256)) private _callbackIndex; // index + 1

    constructor(bytes32 id_, uint256 timeout_) {
        factory = msg.sender;
        id = id_;
        timeout = timeout_;
    }

    modifier onlyFactory() {
        if (msg.sender != factory) revert KeeperOracleNotFactoryError();
        _;
    }

    modifier onlyOwner() {
        if (msg.sender != IKeeperOracleFactory(factory).owner()) revert KeeperOracleNotOwnerError();
        _;
    }

    // ---------- administration

    /// @notice registers the market this oracle serves (only that market may request versions)
    function register(address newMarket) external onlyOwner {
        market = newMarket;
        emit MarketUpdated(newMarket);
    }

    function updateBeneficiary(address newBeneficiary) external onlyOwner {
        beneficiary = newBeneficiary;
        emit BeneficiaryUpdated(newBeneficiary);
    }

    /// @notice withdraws the retained oracle fees (market token) to the beneficiary
    function withdraw() external {
        if (msg.sender != beneficiary) revert KeeperOracleNotBeneficiaryError();
        IERC20 token = IERC20(IKeeperMarket(market).token());
        token.transfer(beneficiary, token.balanceOf(address(this)));
    }

    // ---------- views

    function global() external view returns (KeeperOracleGlobal memory) {
        return _global;
    }

    function next() public view returns (uint256) {
        return requests[_global.latestIndex + 1];
    }

    function responses(uint256 timestamp) external view returns (PriceResponse memory) {
        return _responses[timestamp];
    }

    function localCallbacks(uint256 version) external view returns (address[] memory) {
        return _callbacks[version];
    }

    function status() external view returns (OracleVersion memory, uint256) {
        return (latest(), current());
    }

    function latest() public view returns (OracleVersion memory latestVersion) {
        (latestVersion, ) = at(_global.latestVersion);
    }

    function current() public view returns (uint256) {
        return IKeeperOracleFactory(factory).current();
    }

    function at(uint256 timestamp) public view returns (OracleVersion memory, OracleReceipt memory) {
        PriceResponse memory r = _responses[timestamp];
        return (
            OracleVersion(timestamp, r.price, r.valid),
            OracleReceipt(_settlementFee(r, _callbacks[timestamp].length), r.oracleFee)
        );
    }

    // ---------- market

    function request(address, address account) external {
        if (msg.sender != market) revert KeeperOracleNotMarketError();
        uint256 currentTimestamp = current();

        if (_callbackIndex[currentTimestamp][account] == 0) {
            _callbacks[currentTimestamp].push(account);
            _callbackIndex[currentTimestamp][account] = _callbacks[currentTimestamp].length;
        }
        emit CallbackRequested(SettlementCallback(market, account, currentTimestamp));

        if (requests[_global.currentIndex] == currentTimestamp) return;
        requests[++_global.currentIndex] = currentTimestamp;
        emit OracleProviderVersionRequested(currentTimestamp, true);
    }

    // ---------- keepers (through the factory)

    /// @notice commits a version; `value` is the keeper's cost of the price update (informational)
    function commit(OracleVersion memory version, address receiver, uint256) external onlyFactory {
        if (version.timestamp == 0) revert KeeperOracleVersionOutsideRangeError();
        PriceResponse memory response =
            version.timestamp == next() ? _commitRequested(version) : _commitUnrequested(version);
        _global.latestVersion = uint64(version.timestamp);
        emit OracleProviderVersionFulfilled(OracleVersion(version.timestamp, response.price, response.valid));

        if (market == address(0)) return;
        IKeeperMarket(market).settle(address(0));
        IKeeperMarket(market).claimFee(address(this));
        _pay(receiver, response.syncFee);
    }

    /// @notice settles up to `maxCount` accounts that requested `version`, paying `receiver` the async fee for each
    function settle(uint256 version, uint256 maxCount, address receiver) external onlyFactory {
        address[] storage callbacks = _callbacks[version];
        if (_global.latestVersion < version) revert KeeperOracleVersionOutsideRangeError();
        if (maxCount == 0 || callbacks.length == 0) revert KeeperOracleInvalidCallbackError();

        uint256 asyncFee = _responses[version].asyncFee;
        for (uint256 i; i < maxCount && callbacks.length > 0; i++) {
            address account = callbacks[callbacks.length - 1];
            callbacks.pop();
            delete _callbackIndex[version][account];
            IKeeperMarket(market).settle(account);
            emit CallbackFulfilled(SettlementCallback(market, account, version));
            _pay(receiver, asyncFee);
        }
    }

    function _commitRequested(OracleVersion memory version) private returns (PriceResponse memory r) {
        if (block.timestamp <= next() + timeout) {
            if (!version.valid) revert KeeperOracleInvalidPriceError();
            r.price = version.price;
            r.valid = true;
        } else {
            r.price = _responses[_global.latestVersion].price;
            r.valid = false;
        }

        IKeeperOracleFactory.FeeConfig memory fees = IKeeperOracleFactory(factory).feeConfig();
        r.syncFee = fees.syncFee;
        r.asyncFee = fees.asyncFee;
        r.oracleFee = IKeeperOracleFactory(factory).oracleFee();

        // scale the fees down pro-rata to the maximum settlement fee
        uint256 callbacks = _callbacks[version.timestamp].length;
        uint256 total = _settlementFee(r, callbacks);
        if (total > fees.maxSettlementFee) {
            r.syncFee = Fx.muldiv(r.syncFee, fees.maxSettlementFee, total);
            r.asyncFee = Fx.muldiv(r.asyncFee, fees.maxSettlementFee, total);
        }

        _responses[version.timestamp] = r;
        _global.latestIndex++;
    }

    function _commitUnrequested(OracleVersion memory version) private returns (PriceResponse memory r) {
        if (!version.valid) revert KeeperOracleInvalidPriceError();
        if (version.timestamp <= _global.latestVersion || (next() != 0 && version.timestamp >= next()))
            revert KeeperOracleVersionOutsideRangeError();
        r.price = version.price;
        r.valid = true;
        _responses[version.timestamp] = r;
    }

    function _settlementFee(PriceResponse memory r, uint256 callbacks) private pure returns (uint256) {
        return r.syncFee + Fx.mul(r.asyncFee, callbacks * Fx.ONE);
    }

    /// @dev pays a 6-decimal fee in the market token (bounded by what the oracle holds)
    function _pay(address receiver, uint256 fee6) private {
        if (fee6 == 0 || receiver == address(0)) return;
        IERC20 token = IERC20(IKeeperMarket(market).token());
        uint256 amount = Fx.min(fee6 * 1e12, token.balanceOf(address(this)));
        if (amount != 0) token.transfer(receiver, amount);
    }
}
