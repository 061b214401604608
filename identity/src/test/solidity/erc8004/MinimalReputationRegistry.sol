// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The one IdentityRegistry function the reference ReputationRegistry v2.0.0 relies on.
interface IAgentAuthorization {
    function isAuthorizedOrOwner(address spender, uint256 agentId) external view returns (bool);
}

/// @title A reference-style ReputationRegistry, reduced to giving and reading feedback
/// @notice Written for the interoperability test: it asks the identity registry
/// `isAuthorizedOrOwner(msg.sender, agentId)` in {giveFeedback} as the reference v2.0.0 does, and
/// refuses feedback when the answer is true, because the agent's owner and operators must not
/// rate their own agent. An unknown agent makes that call revert (ERC721NonexistentToken), which
/// bubbles up unchanged, so no separate existence check is needed. The event and the checks
/// before it follow the reference ABI and revert strings; storage is only what the test reads.
contract MinimalReputationRegistry {
    event NewFeedback(
        uint256 indexed agentId,
        address indexed clientAddress,
        uint64 feedbackIndex,
        int128 value,
        uint8 valueDecimals,
        string indexed indexedTag1,
        string tag1,
        string tag2,
        string endpoint,
        string feedbackURI,
        bytes32 feedbackHash
    );

    IAgentAuthorization public immutable identityRegistry;

    mapping(uint256 agentId => mapping(address client => uint64)) private _lastIndex;
    mapping(uint256 agentId => mapping(address client => mapping(uint64 index => int128))) private _values;

    constructor(IAgentAuthorization identityRegistry_) {
        require(address(identityRegistry_) != address(0), "bad identity");
        identityRegistry = identityRegistry_;
    }

    function giveFeedback(
        uint256 agentId,
        int128 value,
        uint8 valueDecimals,
        string memory tag1,
        string memory tag2,
        string memory endpoint,
        string memory feedbackURI,
        bytes32 feedbackHash
    ) external {
        require(valueDecimals <= 18, "too many decimals");
        require(!identityRegistry.isAuthorizedOrOwner(msg.sender, agentId), "Self-feedback not allowed");
        uint64 index = _store(agentId, value);
        emit NewFeedback(
            agentId, msg.sender, index, value, valueDecimals, tag1, tag1, tag2, endpoint, feedbackURI, feedbackHash
        );
    }

    /// @dev Separate, and the strings above in memory, only so that this compiles without via-IR
    /// (the 8 parameters and 11 event fields are more than the legacy code generator's stack).
    function _store(uint256 agentId, int128 value) private returns (uint64 index) {
        index = ++_lastIndex[agentId][msg.sender];
        _values[agentId][msg.sender][index] = value;
    }

    function getLastIndex(uint256 agentId, address clientAddress) external view returns (uint64) {
        return _lastIndex[agentId][clientAddress];
    }

    function feedbackValue(uint256 agentId, address clientAddress, uint64 feedbackIndex) external view returns (int128) {
        return _values[agentId][clientAddress][feedbackIndex];
    }
}
