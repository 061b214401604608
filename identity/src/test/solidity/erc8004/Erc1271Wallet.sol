// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title A smart-contract wallet for tests
/// @notice Answers ERC-1271 `isValidSignature` for one signing key: a signature by `signer` gets
/// `validAnswer`, anything else 0xffffffff. Deployed with the ERC-1271 magic value 0x1626ba7e it
/// is an honest wallet; with any other `validAnswer` it is one that answers wrongly, so that a
/// test can check the registry accepts exactly the magic value.
contract Erc1271Wallet is IERC1271 {
    address public immutable signer;
    bytes4 public immutable validAnswer;

    constructor(address signer_, bytes4 validAnswer_) {
        signer = signer_;
        validAnswer = validAnswer_;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, signature);
        return err == ECDSA.RecoverError.NoError && recovered == signer ? validAnswer : bytes4(0xffffffff);
    }
}
