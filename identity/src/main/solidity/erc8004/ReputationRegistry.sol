// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

/// @title ERC-8004 Reputation Registry
/// @notice Clients rate agents of an ERC-8004 identity registry with a signed fixed-point value
/// (`value / 10^valueDecimals`) and two free tags; anyone may append responses to a feedback.
/// Each client's feedback for an agent is numbered 1, 2, 3, ... (its `feedbackIndex`).
/// @dev Same functions, events and revert reasons as the ERC-8004 reference deployment (v2.0.0).
/// Deploy behind an ERC1967Proxy whose constructor calls {initialize}; see README.md.
contract ReputationRegistry is OwnableUpgradeable, UUPSUpgradeable {
    /// @notice `clientAddress` gave its `feedbackIndex`-th feedback to `agentId`.
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

    /// @notice `clientAddress` revoked its feedback `feedbackIndex` for `agentId`.
    event FeedbackRevoked(uint256 indexed agentId, address indexed clientAddress, uint64 indexed feedbackIndex);

    /// @notice `responder` appended a response to feedback `feedbackIndex` of `clientAddress` for `agentId`.
    event ResponseAppended(
        uint256 indexed agentId,
        address indexed clientAddress,
        uint64 feedbackIndex,
        address indexed responder,
        string responseURI,
        bytes32 responseHash
    );

    /// @dev Bounds from the reference: 18 decimals at most, |value| at most 1e38, so that values
    /// normalised to 18 decimals in {getSummary} (at most 1e56) add up in an int256 without overflow.
    uint8 private constant MAX_VALUE_DECIMALS = 18;
    int128 private constant MAX_ABS_VALUE = 1e38;

    struct Feedback {
        int128 value;
        uint8 valueDecimals;
        bool isRevoked;
        string tag1;
        string tag2;
    }

    /// @custom:storage-location erc7201:forage.erc8004.ReputationRegistry
    struct ReputationStorage {
        address identityRegistry;
        mapping(uint256 agentId => mapping(address client => mapping(uint64 feedbackIndex => Feedback))) feedback;
        mapping(uint256 agentId => mapping(address client => uint64 lastIndex)) lastIndex;
        mapping(uint256 agentId => address[] clients) clients;
        mapping(uint256 agentId => mapping(address client => bool)) isClient;
        mapping(uint256 agentId => mapping(address client => mapping(uint64 feedbackIndex => address[] responders)))
            responders;
        mapping(
            uint256 agentId
                => mapping(address client => mapping(uint64 feedbackIndex => mapping(address responder => uint64 count)))
        ) responseCount;
    }

    // keccak256(abi.encode(uint256(keccak256("forage.erc8004.ReputationRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0xaac2188b962e7fe190c215972e8717c7d1871abaf40d741e29149b8cdb2bd100;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Binds this registry to the identity registry whose agents it rates; the caller
    /// becomes the owner (who alone may upgrade). Call it in the proxy's deployment transaction.
    function initialize(address identityRegistry_) external initializer {
        require(identityRegistry_ != address(0), "bad identity");
        __Ownable_init(_msgSender());
        __UUPSUpgradeable_init();
        _storage().identityRegistry = identityRegistry_;
    }

    /// @notice The identity registry whose agents this registry rates.
    function getIdentityRegistry() external view returns (address) {
        return _storage().identityRegistry;
    }

    /// @notice Records the caller's feedback for `agentId`, which must exist (else the identity
    /// registry's ERC721NonexistentToken) and must not be owned or operated by the caller.
    /// `endpoint`, `feedbackURI` and `feedbackHash` are only emitted, not stored.
    /// @param value the rating as a signed fixed-point number, |value| <= 1e38
    /// @param valueDecimals the number of decimals of `value`, 0 to 18
    /// @dev The strings are `memory`, not `calldata`, only to stay within the stack limit when
    /// emitting NewFeedback without via-IR; the ABI is the same.
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
        require(valueDecimals <= MAX_VALUE_DECIMALS, "too many decimals");
        require(value >= -MAX_ABS_VALUE && value <= MAX_ABS_VALUE, "value too large");
        require(!_isOwnerOrOperator(agentId, _msgSender()), "Self-feedback not allowed");

        uint64 feedbackIndex = _store(agentId, value, valueDecimals, tag1, tag2);
        emit NewFeedback(
            agentId, _msgSender(), feedbackIndex, value, valueDecimals, tag1, tag1, tag2, endpoint, feedbackURI, feedbackHash
        );
    }

    /// @notice Revokes the caller's own feedback `feedbackIndex` (1-based) for `agentId`, once.
    function revokeFeedback(uint256 agentId, uint64 feedbackIndex) external {
        ReputationStorage storage $ = _storage();
        address client = _msgSender();
        _requireValidIndex($, agentId, client, feedbackIndex);
        Feedback storage fb = $.feedback[agentId][client][feedbackIndex];
        require(!fb.isRevoked, "Already revoked");
        fb.isRevoked = true;
        emit FeedbackRevoked(agentId, client, feedbackIndex);
    }

    /// @notice Appends the caller's response (e.g. a refund proof, a spam tag) to feedback
    /// `feedbackIndex` of `clientAddress` for `agentId`. Anyone may respond, any number of times,
    /// also to revoked feedback. `responseURI` must not be empty; `responseHash` is only emitted.
    function appendResponse(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        string calldata responseURI,
        bytes32 responseHash
    ) external {
        require(feedbackIndex > 0, "index must be > 0");
        require(bytes(responseURI).length > 0, "Empty URI");
        ReputationStorage storage $ = _storage();
        require(feedbackIndex <= $.lastIndex[agentId][clientAddress], "index out of bounds");

        address responder = _msgSender();
        mapping(address => uint64) storage counts = $.responseCount[agentId][clientAddress][feedbackIndex];
        if (counts[responder] == 0) {
            $.responders[agentId][clientAddress][feedbackIndex].push(responder);
        }
        counts[responder]++;
        emit ResponseAppended(agentId, clientAddress, feedbackIndex, responder, responseURI, responseHash);
    }

    /// @notice The number of feedbacks `clientAddress` has given `agentId` (revoked ones included);
    /// also the index of its latest one. 0 when none.
    function getLastIndex(uint256 agentId, address clientAddress) external view returns (uint64) {
        return _storage().lastIndex[agentId][clientAddress];
    }

    /// @notice One feedback; reverts "index must be > 0" / "index out of bounds" when it does not exist.
    function readFeedback(uint256 agentId, address clientAddress, uint64 feedbackIndex)
        external
        view
        returns (int128 value, uint8 valueDecimals, string memory tag1, string memory tag2, bool isRevoked)
    {
        ReputationStorage storage $ = _storage();
        _requireValidIndex($, agentId, clientAddress, feedbackIndex);
        Feedback storage fb = $.feedback[agentId][clientAddress][feedbackIndex];
        return (fb.value, fb.valueDecimals, fb.tag1, fb.tag2, fb.isRevoked);
    }

    /// @notice The average of the non-revoked feedbacks of `clientAddresses` for `agentId` that
    /// match the tags ("" matches any). `clientAddresses` is required (an unfiltered summary is
    /// open to Sybil clients). Values are normalised to 18 decimals, averaged (rounding toward
    /// zero) and returned with the most frequent `valueDecimals` among them (the smallest on a tie).
    /// A client listed twice is counted twice. No match: (0, 0, 0).
    function getSummary(uint256 agentId, address[] calldata clientAddresses, string memory tag1, string memory tag2)
        external
        view
        returns (uint64 count, int128 summaryValue, uint8 summaryValueDecimals)
    {
        require(clientAddresses.length > 0, "clientAddresses required");
        return _summary(agentId, clientAddresses, Filter(_filterHash(tag1), _filterHash(tag2), false));
    }

    /// @notice Every feedback for `agentId` from `clientAddresses` (all clients, in {getClients}
    /// order, when empty) matching the tags ("" matches any), revoked ones only if
    /// `includeRevoked`; per client in index order. The arrays are parallel.
    function readAllFeedback(
        uint256 agentId,
        address[] memory clientAddresses,
        string memory tag1,
        string memory tag2,
        bool includeRevoked
    )
        external
        view
        returns (
            address[] memory clients,
            uint64[] memory feedbackIndexes,
            int128[] memory values,
            uint8[] memory valueDecimals,
            string[] memory tag1s,
            string[] memory tag2s,
            bool[] memory revokedStatuses
        )
    {
        Filter memory filter = Filter(_filterHash(tag1), _filterHash(tag2), includeRevoked);
        address[] memory clientList = clientAddresses.length > 0 ? clientAddresses : _storage().clients[agentId];
        FeedbackPage memory page = _readAll(agentId, clientList, filter);
        return (page.clients, page.feedbackIndexes, page.values, page.valueDecimals, page.tag1s, page.tag2s, page.revoked);
    }

    /// @notice How many responses were appended. Narrowing: `clientAddress` zero means every
    /// client of `agentId`; `feedbackIndex` 0 means every feedback of that client; empty
    /// `responders` means every responder. Indexes past the client's last one count 0.
    function getResponseCount(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        address[] calldata responders
    ) external view returns (uint64 count) {
        ReputationStorage storage $ = _storage();
        if (clientAddress == address(0)) {
            address[] storage all = $.clients[agentId];
            for (uint256 i = 0; i < all.length; i++) {
                count += _responsesOfClient($, agentId, all[i], responders);
            }
        } else if (feedbackIndex == 0) {
            count = _responsesOfClient($, agentId, clientAddress, responders);
        } else {
            count = _responsesOfFeedback($, agentId, clientAddress, feedbackIndex, responders);
        }
    }

    /// @notice Every address that ever gave `agentId` feedback, in order of first feedback.
    function getClients(uint256 agentId) external view returns (address[] memory) {
        return _storage().clients[agentId];
    }

    /// @notice The implementation's version, that of the reference semantics it follows.
    function getVersion() external pure returns (string memory) {
        return "2.0.0";
    }

    struct Filter {
        bytes32 tag1Hash;
        bytes32 tag2Hash;
        bool includeRevoked;
    }

    function _store(uint256 agentId, int128 value, uint8 valueDecimals, string memory tag1, string memory tag2)
        private
        returns (uint64 feedbackIndex)
    {
        ReputationStorage storage $ = _storage();
        address client = _msgSender();
        feedbackIndex = ++$.lastIndex[agentId][client];
        $.feedback[agentId][client][feedbackIndex] =
            Feedback({value: value, valueDecimals: valueDecimals, isRevoked: false, tag1: tag1, tag2: tag2});
        if (!$.isClient[agentId][client]) {
            $.isClient[agentId][client] = true;
            $.clients[agentId].push(client);
        }
    }

    /// @dev Asks the identity registry; its ownerOf reverts (ERC721NonexistentToken) for an
    /// unknown agent, and that revert propagates, so feedback for a missing agent fails.
    function _isOwnerOrOperator(uint256 agentId, address account) private view returns (bool) {
        IERC721 identity = IERC721(_storage().identityRegistry);
        address owner = identity.ownerOf(agentId);
        return account == owner || identity.isApprovedForAll(owner, account) || identity.getApproved(agentId) == account;
    }

    function _requireValidIndex(ReputationStorage storage $, uint256 agentId, address client, uint64 feedbackIndex)
        private
        view
    {
        require(feedbackIndex > 0, "index must be > 0");
        require(feedbackIndex <= $.lastIndex[agentId][client], "index out of bounds");
    }

    /// @dev The hash a feedback tag must have, or zero for the empty filter (matches any tag).
    function _filterHash(string memory tag) private pure returns (bytes32) {
        return bytes(tag).length == 0 ? bytes32(0) : keccak256(bytes(tag));
    }

    function _matches(Feedback storage fb, bytes32 tag1Hash, bytes32 tag2Hash, bool includeRevoked)
        private
        view
        returns (bool)
    {
        return (includeRevoked || !fb.isRevoked) && (tag1Hash == bytes32(0) || keccak256(bytes(fb.tag1)) == tag1Hash)
            && (tag2Hash == bytes32(0) || keccak256(bytes(fb.tag2)) == tag2Hash);
    }

    struct Tally {
        int256 sum;
        uint64 count;
        uint64[19] decimalsCount;
    }

    function _summary(uint256 agentId, address[] calldata clientAddresses, Filter memory filter)
        private
        view
        returns (uint64 count, int128 summaryValue, uint8 summaryValueDecimals)
    {
        Tally memory tally;
        for (uint256 i = 0; i < clientAddresses.length; i++) {
            _accumulate(agentId, clientAddresses[i], filter, tally);
        }
        count = tally.count;
        if (count == 0) {
            return (0, 0, 0);
        }
        for (uint8 d = 1; d <= MAX_VALUE_DECIMALS; d++) {
            if (tally.decimalsCount[d] > tally.decimalsCount[summaryValueDecimals]) {
                summaryValueDecimals = d;
            }
        }
        int256 average =
            tally.sum / int256(uint256(count)) / int256(10 ** (MAX_VALUE_DECIMALS - summaryValueDecimals));
        // Reachable when many high-precision values outvote a few large low-precision ones;
        // refuse rather than return a truncated number.
        require(average >= type(int128).min && average <= type(int128).max, "summary overflow");
        summaryValue = int128(average);
    }

    /// @dev Adds one client's matching feedbacks to `tally`, each normalised to 18 decimals.
    function _accumulate(uint256 agentId, address client, Filter memory filter, Tally memory tally) private view {
        ReputationStorage storage $ = _storage();
        uint64 last = $.lastIndex[agentId][client];
        for (uint64 j = 1; j <= last; j++) {
            Feedback storage fb = $.feedback[agentId][client][j];
            if (!_matches(fb, filter.tag1Hash, filter.tag2Hash, filter.includeRevoked)) {
                continue;
            }
            tally.sum += int256(fb.value) * int256(10 ** (MAX_VALUE_DECIMALS - fb.valueDecimals));
            tally.decimalsCount[fb.valueDecimals]++;
            tally.count++;
        }
    }

    /// @dev The columns of {readAllFeedback}, grouped so that they fit on the EVM stack.
    struct FeedbackPage {
        address[] clients;
        uint64[] feedbackIndexes;
        int128[] values;
        uint8[] valueDecimals;
        string[] tag1s;
        string[] tag2s;
        bool[] revoked;
    }

    function _readAll(uint256 agentId, address[] memory clientList, Filter memory filter)
        private
        view
        returns (FeedbackPage memory page)
    {
        ReputationStorage storage $ = _storage();
        uint256 total = _countMatches($, agentId, clientList, filter);
        page.clients = new address[](total);
        page.feedbackIndexes = new uint64[](total);
        page.values = new int128[](total);
        page.valueDecimals = new uint8[](total);
        page.tag1s = new string[](total);
        page.tag2s = new string[](total);
        page.revoked = new bool[](total);

        uint256 n = 0;
        for (uint256 i = 0; i < clientList.length; i++) {
            uint64 last = $.lastIndex[agentId][clientList[i]];
            for (uint64 j = 1; j <= last; j++) {
                Feedback storage fb = $.feedback[agentId][clientList[i]][j];
                if (!_matches(fb, filter.tag1Hash, filter.tag2Hash, filter.includeRevoked)) {
                    continue;
                }
                page.clients[n] = clientList[i];
                page.feedbackIndexes[n] = j;
                page.values[n] = fb.value;
                page.valueDecimals[n] = fb.valueDecimals;
                page.tag1s[n] = fb.tag1;
                page.tag2s[n] = fb.tag2;
                page.revoked[n] = fb.isRevoked;
                n++;
            }
        }
    }

    function _countMatches(ReputationStorage storage $, uint256 agentId, address[] memory clientList, Filter memory filter)
        private
        view
        returns (uint256 total)
    {
        for (uint256 i = 0; i < clientList.length; i++) {
            uint64 last = $.lastIndex[agentId][clientList[i]];
            for (uint64 j = 1; j <= last; j++) {
                if (_matches($.feedback[agentId][clientList[i]][j], filter.tag1Hash, filter.tag2Hash, filter.includeRevoked)) {
                    total++;
                }
            }
        }
    }

    function _responsesOfClient(ReputationStorage storage $, uint256 agentId, address client, address[] calldata responders)
        private
        view
        returns (uint64 count)
    {
        uint64 last = $.lastIndex[agentId][client];
        for (uint64 j = 1; j <= last; j++) {
            count += _responsesOfFeedback($, agentId, client, j, responders);
        }
    }

    function _responsesOfFeedback(
        ReputationStorage storage $,
        uint256 agentId,
        address client,
        uint64 feedbackIndex,
        address[] calldata responders
    ) private view returns (uint64 count) {
        mapping(address => uint64) storage counts = $.responseCount[agentId][client][feedbackIndex];
        if (responders.length == 0) {
            address[] storage all = $.responders[agentId][client][feedbackIndex];
            for (uint256 k = 0; k < all.length; k++) {
                count += counts[all[k]];
            }
        } else {
            for (uint256 k = 0; k < responders.length; k++) {
                count += counts[responders[k]];
            }
        }
    }

    function _authorizeUpgrade(address) internal override onlyOwner {}

    function _storage() private pure returns (ReputationStorage storage $) {
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
