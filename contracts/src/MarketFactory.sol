// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import { IMarket } from "./interfaces/IMarket.sol";
import { IOracleProvider } from "./interfaces/IOracleProvider.sol";
import { ProtocolParameter } from "./types/Types.sol";

/// @title MarketFactory
/// @notice Owns the protocol parameter, the operator / extension registry and the referral fees, and creates
///         markets as minimal-proxy clones of a Market implementation.
contract MarketFactory {
    event OwnerUpdated(address indexed newOwner);
    event PendingOwnerUpdated(address indexed newPendingOwner);
    event ParameterUpdated(ProtocolParameter newParameter);
    event ExtensionUpdated(address indexed operator, bool newEnabled);
    event OperatorUpdated(address indexed account, address indexed operator, bool newEnabled);
    event SignerUpdated(address indexed account, address indexed signer, bool newEnabled);
    event ReferralFeeUpdated(address indexed referrer, uint256 newFee);
    event MarketCreated(IMarket indexed market, IMarket.MarketDefinition definition);
    event InstanceRegistered(address indexed instance);

    error FactoryNotOwnerError(address sender);
    error FactoryAlreadyRegisteredError();
    error FactoryInvalidOracleError();
    error MarketFactoryInvalidReferralFeeError();
    error ProtocolParameterStorageInvalidError();
    error FactoryCloneFailedError();

    address public immutable implementation;
    address public owner;
    address public pendingOwner;

    ProtocolParameter private _parameter;
    mapping(address => mapping(address => bool)) public operators;
    mapping(address => mapping(address => bool)) public signers;
    mapping(address => bool) public extensions;
    mapping(address => bool) public instances;
    mapping(IOracleProvider => IMarket) public markets;
    mapping(address => uint256) private _referralFees;

    constructor(address implementation_) {
        implementation = implementation_;
        owner = msg.sender;
        emit OwnerUpdated(msg.sender);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert FactoryNotOwnerError(msg.sender);
        _;
    }

    // ---------- ownership

    function updatePendingOwner(address newPendingOwner) external onlyOwner {
        pendingOwner = newPendingOwner;
        emit PendingOwnerUpdated(newPendingOwner);
    }

    function acceptOwner() external {
        if (msg.sender != pendingOwner) revert FactoryNotOwnerError(msg.sender);
        owner = msg.sender;
        pendingOwner = address(0);
        emit OwnerUpdated(msg.sender);
        emit PendingOwnerUpdated(address(0));
    }

    // ---------- protocol parameter

    function parameter() public view returns (ProtocolParameter memory) {
        return _parameter;
    }

    function updateParameter(ProtocolParameter memory p) external onlyOwner {
        if (p.maxCut > 1e6 || p.referralFee > 1e6 || p.minScale > 1e6) revert ProtocolParameterStorageInvalidError();
        // stored widths of the reference (silent truncation)
        p.maxFee = uint24(p.maxFee);
        p.maxLiquidationFee = uint32(p.maxLiquidationFee);
        p.maxCut = uint24(p.maxCut);
        p.maxRate = uint32(p.maxRate);
        p.minMaintenance = uint24(p.minMaintenance);
        p.minEfficiency = uint24(p.minEfficiency);
        p.referralFee = uint24(p.referralFee);
        p.minScale = uint24(p.minScale);
        p.maxStaleAfter = uint24(p.maxStaleAfter);
        _parameter = p;
        emit ParameterUpdated(p);
    }

    // ---------- access

    function updateExtension(address extension, bool newEnabled) external onlyOwner {
        extensions[extension] = newEnabled;
        emit ExtensionUpdated(extension, newEnabled);
    }

    function updateOperator(address operator, bool newEnabled) external {
        operators[msg.sender][operator] = newEnabled;
        emit OperatorUpdated(msg.sender, operator, newEnabled);
    }

    function updateSigner(address signer, bool newEnabled) external {
        signers[msg.sender][signer] = newEnabled;
        emit SignerUpdated(msg.sender, signer, newEnabled);
    }

    function updateReferralFee(address referrer, uint256 newReferralFee) external onlyOwner {
        if (newReferralFee > 1e6) revert MarketFactoryInvalidReferralFeeError();
        _referralFees[referrer] = newReferralFee;
        emit ReferralFeeUpdated(referrer, newReferralFee);
    }

    function referralFees(address referrer) public view returns (uint256) {
        if (referrer == address(0)) return 0;
        return _referralFees[referrer] == 0 ? _parameter.referralFee : _referralFees[referrer];
    }

    function authorization(address account, address sender, address signer, address orderReferrer)
        external view returns (bool isOperator, bool isSigner, uint256 orderReferralFee)
    {
        return (
            account == sender || extensions[sender] || operators[account][sender],
            account == signer || signers[account][signer],
            referralFees(orderReferrer)
        );
    }

    // ---------- markets

    function create(IMarket.MarketDefinition calldata definition) external onlyOwner returns (IMarket newMarket) {
        if (address(definition.oracle) == address(0)) revert FactoryInvalidOracleError();
        if (address(markets[definition.oracle]) != address(0)) revert FactoryAlreadyRegisteredError();

        newMarket = IMarket(_clone(implementation));
        newMarket.initialize(definition);
        instances[address(newMarket)] = true;
        markets[definition.oracle] = newMarket;

        emit InstanceRegistered(address(newMarket));
        emit MarketCreated(newMarket, definition);
    }

    /// @dev EIP-1167 minimal proxy
    function _clone(address target) private returns (address instance) {
        bytes memory code = abi.encodePacked(
            hex"3d602d80600a3d3981f3363d3d373d3d3d363d73",
            target,
            hex"5af43d82803e903d91602b57fd5bf3"
        );
        assembly {
            instance := create(0, add(code, 0x20), mload(code))
        }
        if (instance == address(0)) revert FactoryCloneFailedError();
    }
}
