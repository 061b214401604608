// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

/// @title ERC-8004 Validation Registry
/// @notice An agent's owner or operator asks a named validator to check a piece of work,
/// identified by `requestHash` (a commitment to the request data); the validator answers with
/// a score from 0 (failed) to 100 (passed), and may answer again (e.g. soft, then hard finality).
/// @dev Same functions, events and revert reasons as the ERC-8004 reference deployment (v2.0.0).
/// Deploy behind an ERC1967Proxy whose constructor calls {initialize}; see README.md.
contract ValidationRegistry is OwnableUpgradeable, UUPSUpgradeable {
    /// @notice The owner or an operator of `agentId` asked `validatorAddress` to validate `requestHash`.
    event ValidationRequest(
        address indexed validatorAddress, uint256 indexed agentId, string requestURI, bytes32 indexed requestHash
    );

    /// @notice `validatorAddress` answered `requestHash` with `response` (0-100).
    event ValidationResponse(
        address indexed validatorAddress,
        uint256 indexed agentId,
        bytes32 indexed requestHash,
        uint8 response,
        string responseURI,
        bytes32 responseHash,
        string tag
    );

    uint8 private constant MAX_RESPONSE = 100;

    struct Validation {
        address validatorAddress;
        uint8 response;
        bool hasResponse;
        uint256 agentId;
        bytes32 responseHash;
        uint256 lastUpdate;
        string tag;
    }

    /// @custom:storage-location erc7201:forage.erc8004.ValidationRegistry
    struct ValidationStorage {
        address identityRegistry;
        mapping(bytes32 requestHash => Validation) validations;
        mapping(uint256 agentId => bytes32[] requestHashes) agentValidations;
        mapping(address validator => bytes32[] requestHashes) validatorRequests;
    }

    // keccak256(abi.encode(uint256(keccak256("forage.erc8004.ValidationRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x0a6cc3e00b001d2594f3f1b53e2231d24745f138c8760fed251f748291e95400;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Binds this registry to the identity registry whose agents it validates; the caller
    /// becomes the owner (who alone may upgrade). Call it in the proxy's deployment transaction.
    function initialize(address identityRegistry_) external initializer {
        require(identityRegistry_ != address(0), "bad identity");
        __Ownable_init(_msgSender());
        __UUPSUpgradeable_init();
        _storage().identityRegistry = identityRegistry_;
    }

    /// @notice The identity registry whose agents this registry validates.
    function getIdentityRegistry() external view returns (address) {
        return _storage().identityRegistry;
    }

    /// @notice Asks `validatorAddress` to validate the work committed to by `requestHash`
    /// (details at `requestURI`). Only the owner or an approved operator of `agentId` may; an
    /// unknown agent fails with the identity registry's ERC721NonexistentToken. A request hash
    /// is used once, ever ("exists").
    function validationRequest(
        address validatorAddress,
        uint256 agentId,
        string calldata requestURI,
        bytes32 requestHash
    ) external {
        ValidationStorage storage $ = _storage();
        require(validatorAddress != address(0), "bad validator");
        require($.validations[requestHash].validatorAddress == address(0), "exists");
        require(_isOwnerOrOperator($.identityRegistry, agentId, _msgSender()), "Not authorized");

        Validation storage v = $.validations[requestHash];
        v.validatorAddress = validatorAddress;
        v.agentId = agentId;
        v.lastUpdate = block.timestamp;
        $.agentValidations[agentId].push(requestHash);
        $.validatorRequests[validatorAddress].push(requestHash);
        emit ValidationRequest(validatorAddress, agentId, requestURI, requestHash);
    }

    /// @notice The named validator answers `requestHash` with `response` (0-100), replacing any
    /// earlier answer. `responseURI` is only emitted; `responseHash` and `tag` are stored.
    function validationResponse(
        bytes32 requestHash,
        uint8 response,
        string calldata responseURI,
        bytes32 responseHash,
        string calldata tag
    ) external {
        Validation storage v = _storage().validations[requestHash];
        require(v.validatorAddress != address(0), "unknown");
        require(_msgSender() == v.validatorAddress, "not validator");
        require(response <= MAX_RESPONSE, "resp>100");

        v.response = response;
        v.hasResponse = true;
        v.responseHash = responseHash;
        v.tag = tag;
        v.lastUpdate = block.timestamp;
        emit ValidationResponse(v.validatorAddress, v.agentId, requestHash, response, responseURI, responseHash, tag);
    }

    /// @notice The state of a request ("unknown" if it was never made). Before any answer,
    /// `response` is 0, `responseHash` zero, `tag` empty and `lastUpdate` the request's time.
    function getValidationStatus(bytes32 requestHash)
        external
        view
        returns (
            address validatorAddress,
            uint256 agentId,
            uint8 response,
            bytes32 responseHash,
            string memory tag,
            uint256 lastUpdate
        )
    {
        Validation storage v = _storage().validations[requestHash];
        require(v.validatorAddress != address(0), "unknown");
        return (v.validatorAddress, v.agentId, v.response, v.responseHash, v.tag, v.lastUpdate);
    }

    /// @notice The number of answered requests of `agentId` whose validator is one of
    /// `validatorAddresses` (any, when empty) and whose latest tag is `tag` (any, when ""), and
    /// their average latest response, rounded down. Unanswered requests do not count.
    function getSummary(uint256 agentId, address[] calldata validatorAddresses, string calldata tag)
        external
        view
        returns (uint64 count, uint8 avgResponse)
    {
        ValidationStorage storage $ = _storage();
        bytes32[] storage hashes = $.agentValidations[agentId];
        bytes32 tagHash = keccak256(bytes(tag));
        bool anyTag = bytes(tag).length == 0;
        uint256 total;
        for (uint256 i = 0; i < hashes.length; i++) {
            Validation storage v = $.validations[hashes[i]];
            if (!v.hasResponse || !_contains(validatorAddresses, v.validatorAddress)) {
                continue;
            }
            if (!anyTag && keccak256(bytes(v.tag)) != tagHash) {
                continue;
            }
            total += v.response;
            count++;
        }
        avgResponse = count == 0 ? 0 : uint8(total / count);
    }

    /// @notice Every request hash made for `agentId`, oldest first.
    function getAgentValidations(uint256 agentId) external view returns (bytes32[] memory) {
        return _storage().agentValidations[agentId];
    }

    /// @notice Every request hash addressed to `validatorAddress`, oldest first.
    function getValidatorRequests(address validatorAddress) external view returns (bytes32[] memory) {
        return _storage().validatorRequests[validatorAddress];
    }

    /// @notice The implementation's version, that of the reference semantics it follows.
    function getVersion() external pure returns (string memory) {
        return "2.0.0";
    }

    /// @dev The identity registry's ownerOf reverts for an unknown agent; that revert propagates.
    function _isOwnerOrOperator(address identityRegistry, uint256 agentId, address account)
        private
        view
        returns (bool)
    {
        IERC721 identity = IERC721(identityRegistry);
        address owner = identity.ownerOf(agentId);
        return account == owner || identity.isApprovedForAll(owner, account) || identity.getApproved(agentId) == account;
    }

    /// @dev True when `list` is empty (no filter) or holds `account`.
    function _contains(address[] calldata list, address account) private pure returns (bool) {
        if (list.length == 0) {
            return true;
        }
        for (uint256 i = 0; i < list.length; i++) {
            if (list[i] == account) {
                return true;
            }
        }
        return false;
    }

    function _authorizeUpgrade(address) internal override onlyOwner {}

    function _storage() private pure returns (ValidationStorage storage $) {
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
