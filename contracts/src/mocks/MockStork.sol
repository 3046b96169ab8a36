// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title MockStork
/// @notice The part of the Stork contract that Perennial's StorkFactory calls: `storkPublicKey()` and
///         `verifyStorkSignatureV1(...)`. The check is Stork's own scheme: the signer of the EIP-191 digest of
///         keccak256(abi.encodePacked(pubKey, id, recvTime, quantizedValue, publisherMerkleRoot, valueComputeAlgHash))
///         must be `pubKey`. The devnet signs with a key it publishes; the owner may rotate the public key.
///         Storage is one slot (the key, slot 0), so the runtime code can be placed at Stork's real address with
///         `anvil_setCode` and the key written with `anvil_setStorageAt`.
contract MockStork {
    address public storkPublicKey;

    constructor(address storkPublicKey_) {
        storkPublicKey = storkPublicKey_;
    }

    function verifyStorkSignatureV1(
        address storkPubKey,
        bytes32 id,
        uint256 recvTime,
        int256 quantizedValue,
        bytes32 publisherMerkleRoot,
        bytes32 valueComputeAlgHash,
        bytes32 r,
        bytes32 s,
        uint8 v
    ) external pure returns (bool) {
        bytes32 message = keccak256(
            abi.encodePacked(storkPubKey, id, recvTime, quantizedValue, publisherMerkleRoot, valueComputeAlgHash)
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", message));
        // reject malleable signatures like OpenZeppelin's ECDSA.recover
        if (uint256(s) > 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0) return false;
        address signer = ecrecover(digest, v, r, s);
        return signer != address(0) && signer == storkPubKey;
    }
}
