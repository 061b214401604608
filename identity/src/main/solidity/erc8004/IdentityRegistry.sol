// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC721URIStorageUpgradeable} from
    "@openzeppelin/contracts-upgradeable/token/ERC721/extensions/ERC721URIStorageUpgradeable.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ERC721Utils} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Utils.sol";

/// @title ERC-8004 Identity Registry
/// @notice Every agent is an ERC-721 token ("AgentIdentity", "AGENT"); its token URI points to
/// the agent's registration file. Agents carry free-form `bytes` metadata and one reserved key,
/// `agentWallet`: the address where the agent is paid, set to the registrant on registration,
/// changed only with a signature of the new wallet, and cleared when the agent is transferred.
/// @dev Same functions, events and revert reasons as the ERC-8004 reference deployment (v2.0.0).
/// Deploy behind an ERC1967Proxy whose constructor calls {initialize}; see README.md.
contract IdentityRegistry is ERC721URIStorageUpgradeable, OwnableUpgradeable, UUPSUpgradeable, EIP712Upgradeable {
    /// @notice One metadata entry given to {register}.
    struct MetadataEntry {
        string metadataKey;
        bytes metadataValue;
    }

    /// @notice A new agent `agentId` was minted to `owner` with `agentURI` ("" for {register}()).
    event Registered(uint256 indexed agentId, string agentURI, address indexed owner);

    /// @notice Metadata `metadataKey` of `agentId` is now `metadataValue` (empty when cleared).
    event MetadataSet(
        uint256 indexed agentId, string indexed indexedMetadataKey, string metadataKey, bytes metadataValue
    );

    /// @notice `updatedBy` (the owner or an operator) set the agent URI of `agentId` to `newURI`.
    event URIUpdated(uint256 indexed agentId, string newURI, address indexed updatedBy);

    string private constant AGENT_WALLET_KEY = "agentWallet";
    bytes32 private constant AGENT_WALLET_KEY_HASH = keccak256("agentWallet");
    bytes32 private constant AGENT_WALLET_SET_TYPEHASH =
        keccak256("AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)");
    /// @dev A wallet proof is short-lived so that a leaked signature cannot be replayed later.
    uint256 private constant MAX_DEADLINE_DELAY = 5 minutes;

    /// @custom:storage-location erc7201:forage.erc8004.IdentityRegistry
    struct IdentityStorage {
        uint256 nextAgentId;
        mapping(uint256 agentId => mapping(string metadataKey => bytes metadataValue)) metadata;
    }

    // keccak256(abi.encode(uint256(keccak256("forage.erc8004.IdentityRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x3a5c216a642a05111a3dd3c3aa838e5cbcebf62f63bd8ea54268af250eac8100;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the proxy's state; the caller becomes the owner (who alone may upgrade).
    /// Call it in the same transaction that deploys the proxy, or anyone could claim ownership.
    function initialize() external initializer {
        __ERC721_init("AgentIdentity", "AGENT");
        __ERC721URIStorage_init();
        __Ownable_init(_msgSender());
        __UUPSUpgradeable_init();
        __EIP712_init("ERC8004IdentityRegistry", "1");
    }

    /// @notice Registers a new agent owned by the caller, with no agent URI yet.
    function register() external returns (uint256 agentId) {
        agentId = _mintAgent("", false);
        _checkReceiver(agentId);
    }

    /// @notice Registers a new agent owned by the caller, pointing at `agentURI`.
    function register(string memory agentURI) external returns (uint256 agentId) {
        agentId = _mintAgent(agentURI, true);
        _checkReceiver(agentId);
    }

    /// @notice Registers a new agent owned by the caller, with `agentURI` and `metadata`.
    /// Reverts with "reserved key" if an entry uses the key `agentWallet`.
    function register(string memory agentURI, MetadataEntry[] memory metadata) external returns (uint256 agentId) {
        agentId = _mintAgent(agentURI, true);
        for (uint256 i = 0; i < metadata.length; i++) {
            _requireNotReserved(metadata[i].metadataKey);
            _writeMetadata(agentId, metadata[i].metadataKey, metadata[i].metadataValue);
        }
        _checkReceiver(agentId);
    }

    /// @notice The metadata value of `agentId` under `metadataKey`; empty if never set.
    function getMetadata(uint256 agentId, string memory metadataKey) external view returns (bytes memory) {
        return _storage().metadata[agentId][metadataKey];
    }

    /// @notice Sets metadata of `agentId`; only its owner or an approved operator may.
    /// The key `agentWallet` is refused ("reserved key"): use {setAgentWallet}.
    function setMetadata(uint256 agentId, string memory metadataKey, bytes memory metadataValue) external {
        _requireOwnerOrOperator(agentId);
        _requireNotReserved(metadataKey);
        _writeMetadata(agentId, metadataKey, metadataValue);
    }

    /// @notice Points `agentId` at a new registration file; only its owner or an approved operator may.
    function setAgentURI(uint256 agentId, string calldata newURI) external {
        _requireOwnerOrOperator(agentId);
        _setTokenURI(agentId, newURI);
        emit URIUpdated(agentId, newURI, _msgSender());
    }

    /// @notice The wallet where `agentId` is paid; the zero address when it is unset (after a
    /// transfer or {unsetAgentWallet}) or when the agent does not exist.
    function getAgentWallet(uint256 agentId) external view returns (address) {
        bytes memory wallet = _storage().metadata[agentId][AGENT_WALLET_KEY];
        return wallet.length == 0 ? address(0) : address(bytes20(wallet));
    }

    /// @notice Sets the wallet of `agentId` to `newWallet`, which proves control by signing the
    /// EIP-712 message AgentWalletSet(agentId, newWallet, owner, deadline) under this registry's
    /// domain ("ERC8004IdentityRegistry", "1", chain id, this proxy's address): an ECDSA signature
    /// by `newWallet`, or else, for a wallet with code, an ERC-1271 `isValidSignature` answer.
    /// Every failed proof, a malformed signature included, reverts with "invalid wallet sig".
    /// @param deadline unix time in seconds after which the proof is void; at most 5 minutes ahead.
    function setAgentWallet(uint256 agentId, address newWallet, uint256 deadline, bytes calldata signature)
        external
    {
        address owner = _requireOwnerOrOperator(agentId);
        require(newWallet != address(0), "bad wallet");
        require(block.timestamp <= deadline, "expired");
        require(deadline <= block.timestamp + MAX_DEADLINE_DELAY, "deadline too far");
        bytes32 digest =
            _hashTypedDataV4(keccak256(abi.encode(AGENT_WALLET_SET_TYPEHASH, agentId, newWallet, owner, deadline)));
        require(_isValidWalletSignature(newWallet, digest, signature), "invalid wallet sig");
        _writeMetadata(agentId, AGENT_WALLET_KEY, abi.encodePacked(newWallet));
    }

    /// @notice Clears the wallet of `agentId`; only its owner or an approved operator may.
    function unsetAgentWallet(uint256 agentId) external {
        _requireOwnerOrOperator(agentId);
        _writeMetadata(agentId, AGENT_WALLET_KEY, "");
    }

    /// @notice Whether `spender` may manage `agentId`: its owner, an operator approved for all of
    /// the owner's agents, or the account approved for this agent. Reverts with
    /// ERC721NonexistentToken for an unknown agent, as the reference does (it reads `ownerOf`), so a
    /// caller that gates on the answer (the reference ReputationRegistry) also refuses unknown agents.
    function isAuthorizedOrOwner(address spender, uint256 agentId) external view returns (bool) {
        return _isAuthorized(_requireOwned(agentId), spender, agentId);
    }

    /// @notice The implementation's version, that of the reference semantics it follows.
    function getVersion() external pure returns (string memory) {
        return "2.0.0";
    }

    /// @dev Mints the next agent id to the caller and records its URI and wallet. Emits, in order:
    /// Transfer, MetadataUpdate (when `hasURI`), Registered, MetadataSet(agentWallet).
    function _mintAgent(string memory agentURI, bool hasURI) private returns (uint256 agentId) {
        address owner = _msgSender();
        agentId = _storage().nextAgentId++;
        _mint(owner, agentId);
        if (hasURI) {
            _setTokenURI(agentId, agentURI);
        }
        emit Registered(agentId, agentURI, owner);
        _writeMetadata(agentId, AGENT_WALLET_KEY, abi.encodePacked(owner));
    }

    /// @dev The receiver check of a safe mint, done after every state change (checks-effects-
    /// interactions), so a contract registrant that re-enters sees a fully registered agent.
    function _checkReceiver(uint256 agentId) private {
        address owner = _msgSender();
        ERC721Utils.checkOnERC721Received(owner, address(0), owner, agentId, "");
    }

    /// @dev Clears the wallet on every transfer between two accounts (not on mint), before the
    /// token moves, so a new owner never inherits the previous owner's payment address.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        address from = _ownerOf(tokenId);
        if (from != address(0) && to != address(0)) {
            _writeMetadata(tokenId, AGENT_WALLET_KEY, "");
        }
        return super._update(to, tokenId, auth);
    }

    function _authorizeUpgrade(address) internal override onlyOwner {}

    function _writeMetadata(uint256 agentId, string memory metadataKey, bytes memory metadataValue) private {
        _storage().metadata[agentId][metadataKey] = metadataValue;
        emit MetadataSet(agentId, metadataKey, metadataKey, metadataValue);
    }

    /// @dev Reverts with ERC721NonexistentToken for an unknown agent, "Not authorized" for a
    /// caller that is neither the owner, nor approved for all, nor approved for this token.
    function _requireOwnerOrOperator(uint256 agentId) private view returns (address owner) {
        owner = _requireOwned(agentId);
        require(_isAuthorized(owner, _msgSender(), agentId), "Not authorized");
    }

    function _requireNotReserved(string memory metadataKey) private pure {
        require(keccak256(bytes(metadataKey)) != AGENT_WALLET_KEY_HASH, "reserved key");
    }

    /// @dev As the reference checks it: an ECDSA signature that recovers to `wallet` (an account, or
    /// an EIP-7702 delegated account with code), else the ERC-1271 answer of a wallet with code.
    /// `tryRecover` never reverts, and a wallet that reverts or answers anything but the magic value
    /// counts as a refusal, so every failure ends in the caller's single "invalid wallet sig".
    function _isValidWalletSignature(address wallet, bytes32 digest, bytes calldata signature)
        private
        view
        returns (bool)
    {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == wallet) {
            return true;
        }
        return wallet.code.length > 0 && SignatureChecker.isValidERC1271SignatureNow(wallet, digest, signature);
    }

    function _storage() private pure returns (IdentityStorage storage $) {
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
