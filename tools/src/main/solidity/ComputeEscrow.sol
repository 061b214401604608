// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @notice The parts of an ERC-8004 Identity Registry the escrow reads.
interface IAgentIdentityRegistry {
    function ownerOf(uint256 agentId) external view returns (address);
    function getApproved(uint256 agentId) external view returns (address);
    function isApprovedForAll(address owner, address operator) external view returns (bool);
    function getAgentWallet(uint256 agentId) external view returns (address);
}

/// @notice EIP-3009 `receiveWithAuthorization` with a bytes signature.
interface IReceiveWithAuthorization {
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) external;
}

/// @title ComputeEscrow: pay compute providers only for leases the agent's owner allows.
/// @notice An agent deposits stablecoin, locks part of it per lease, and pays the provider by
/// releasing the lease or by cumulative EIP-712 vouchers that the provider redeems, many
/// leases in one transaction. Caps per lease and per period are set by the agent's owner (its
/// ERC-8004 owner, or an operator named when the account is opened); the agent key can never
/// change them. See README.md next to this file for the exact semantics.
contract ComputeEscrow is EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice keccak256("Voucher(uint256 leaseId,uint256 cumulativeAmount,uint256 nonce)")
    bytes32 public constant VOUCHER_TYPEHASH =
        keccak256("Voucher(uint256 leaseId,uint256 cumulativeAmount,uint256 nonce)");

    uint256 private constant MASK_96 = (1 << 96) - 1;
    uint256 private constant MASK_128 = (1 << 128) - 1;

    /// @notice The stablecoin held and paid out.
    IERC20 public immutable token;
    /// @notice The ERC-8004 Identity Registry that identity-bound accounts follow (zero: none).
    IAgentIdentityRegistry public immutable identityRegistry;

    struct Account {
        // slot 0: what redemptions touch, once per agent per batch
        uint128 balance; // free deposit, base units
        uint128 locked; // reserved by open leases
        // slot 1
        address operator; // the owner of an operator-owned account
        bool open;
        bool identityBound;
        uint64 periodStart;
        // slot 2
        uint128 maxPerLease;
        uint128 maxPerPeriod;
        // slot 3
        uint128 spentInPeriod; // locked in the current period
        uint64 periodSeconds;
        // slot 4
        uint256 agentId; // the ERC-8004 agent id of an identity-bound account
    }

    /// @dev An agent's leases with one provider. Lease `i` is a 128-bit record
    /// (maxAmount: low 96 bits, expiry: high 32 bits) in word i/2, half i%2; zero when closed.
    struct Book {
        uint64 next;
        mapping(uint256 word => uint256 records) records;
    }

    /// @notice A voucher as its provider submits it: the lease's number `n` (the contract
    /// rebuilds the signed lease id from the caller's address, so a provider can only redeem
    /// its own leases), the signed amount and nonce, and the agent's signature in EIP-2098
    /// compact form (r, and yParity with s packed into vs).
    struct Voucher {
        uint256 lease;
        uint256 cumulativeAmount;
        uint256 nonce;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice A read-only view of an account.
    struct AccountView {
        bool open;
        bool identityBound;
        uint256 agentId;
        address owner;
        uint256 balance;
        uint256 locked;
        uint256 maxPerLease;
        uint256 maxPerPeriod;
        uint256 periodSeconds;
        uint256 periodStart;
        uint256 spentInPeriod;
    }

    mapping(address agent => Account) private _accounts;
    mapping(address agent => mapping(address provider => Book)) private _books;

    event AccountOpened(address indexed agent, address indexed owner, bool identityBound, uint256 agentId);
    event OperatorChanged(address indexed agent, address indexed previousOperator, address indexed newOperator);
    event CapsSet(
        address indexed agent, address indexed by, uint256 maxPerLease, uint256 maxPerPeriod, uint256 periodSeconds
    );
    event PeriodStarted(address indexed agent, uint256 start);
    event Deposited(address indexed agent, address indexed from, uint256 amount);
    event Withdrawn(address indexed agent, uint256 amount);
    event LeaseLocked(
        address indexed agent, uint256 indexed leaseId, bytes32 indexed ref, uint256 maxAmount, uint256 expiry
    );
    event LeaseReleased(address indexed agent, uint256 indexed leaseId, uint256 paid, uint256 returned);
    event LeaseRefunded(address indexed agent, uint256 indexed leaseId, uint256 returned);
    /// @notice Vouchers of one agent redeemed by one provider: `amounts[i]` paid for
    /// `leaseIds[i]`, each lease closed and the rest of its lock returned to the deposit.
    event VouchersRedeemed(address indexed agent, address indexed provider, uint256[] leaseIds, uint256[] amounts);

    error AccountExists(address agent);
    error AccountNotOpen(address agent);
    error InvalidOperator(address operator);
    error NoIdentityRegistry();
    error NotAgentWallet(uint256 agentId, address caller, address agentWallet);
    error OwnerIsAgent(address agent);
    error NotIdentityBound(address agent);
    error NotAccountOwner(address agent, address caller);
    error AgentCannotManageAccount(address agent);
    error InvalidCaps(uint256 maxPerLease, uint256 maxPerPeriod, uint256 periodSeconds);
    error CapsNotSet(address agent);
    error LeaseCapExceeded(uint256 maxAmount, uint256 maxPerLease);
    error PeriodCapExceeded(uint256 maxAmount, uint256 remainingInPeriod);
    error InsufficientDeposit(uint256 available, uint256 needed);
    error InvalidAmount(uint256 amount);
    error InvalidProvider(address provider);
    error InvalidExpiry(uint256 expiry, uint256 blockTime);
    error UnknownLease(address agent, uint256 leaseId);
    error LeaseExpired(uint256 leaseId, uint256 expiry);
    error LeaseNotExpired(uint256 leaseId, uint256 expiry);
    error AmountExceedsLock(uint256 leaseId, uint256 amount, uint256 maxAmount);
    error InvalidVoucherSignature(uint256 leaseId);
    error EmptyBatch();

    /// @param token_ the stablecoin
    /// @param identityRegistry_ an ERC-8004 Identity Registry, or zero for operator-owned accounts only
    constructor(IERC20 token_, IAgentIdentityRegistry identityRegistry_) EIP712("ForageComputeEscrow", "1") {
        token = token_;
        identityRegistry = identityRegistry_;
    }

    // ---------------------------------------------------------------- accounts and caps

    /// @notice Opens the caller's (the agent key's) account, owned by `operator`, who alone
    /// may set its caps. The agent cannot be its own operator.
    function openAccount(address operator) external {
        Account storage a = _accounts[msg.sender];
        if (a.open) revert AccountExists(msg.sender);
        if (operator == address(0) || operator == msg.sender) revert InvalidOperator(operator);
        a.open = true;
        a.operator = operator;
        emit AccountOpened(msg.sender, operator, false, 0);
    }

    /// @notice Opens the caller's account bound to ERC-8004 agent `agentId`: the caller must be
    /// its agent wallet, and its owner (or an operator approved by the owner) sets the caps,
    /// following the agent token if it changes hands.
    function openAccountWithIdentity(uint256 agentId) external {
        if (address(identityRegistry) == address(0)) revert NoIdentityRegistry();
        Account storage a = _accounts[msg.sender];
        if (a.open) revert AccountExists(msg.sender);
        address wallet = identityRegistry.getAgentWallet(agentId);
        if (wallet != msg.sender) revert NotAgentWallet(agentId, msg.sender, wallet);
        address owner = identityRegistry.ownerOf(agentId);
        if (owner == msg.sender) revert OwnerIsAgent(msg.sender);
        a.open = true;
        a.identityBound = true;
        a.agentId = agentId;
        emit AccountOpened(msg.sender, owner, true, agentId);
    }

    /// @notice Hands an operator-owned account to a new operator; the current owner only.
    function setOperator(address agent, address newOperator) external {
        Account storage a = _accounts[agent];
        _requireOwner(agent, a);
        if (a.identityBound) revert InvalidOperator(newOperator);
        if (newOperator == address(0) || newOperator == agent) revert InvalidOperator(newOperator);
        emit OperatorChanged(agent, a.operator, newOperator);
        a.operator = newOperator;
    }

    /// @notice Sets the agent's caps; the owner only. `maxPerLease` 0 stops new locks. The
    /// current period and what was locked in it are kept; the first call starts the period.
    function setCaps(address agent, uint128 maxPerLease, uint128 maxPerPeriod, uint64 periodSeconds) external {
        Account storage a = _accounts[agent];
        _requireOwner(agent, a);
        if (maxPerLease > 0 && (periodSeconds == 0 || maxPerPeriod < maxPerLease)) {
            revert InvalidCaps(maxPerLease, maxPerPeriod, periodSeconds);
        }
        a.maxPerLease = maxPerLease;
        a.maxPerPeriod = maxPerPeriod;
        a.periodSeconds = periodSeconds;
        if (a.periodStart == 0) {
            a.periodStart = uint64(block.timestamp);
            emit PeriodStarted(agent, block.timestamp);
        }
        emit CapsSet(agent, msg.sender, maxPerLease, maxPerPeriod, periodSeconds);
    }

    /// @notice Starts a new period now with nothing locked in it; the owner only.
    function resetPeriod(address agent) external {
        Account storage a = _accounts[agent];
        _requireOwner(agent, a);
        a.periodStart = uint64(block.timestamp);
        a.spentInPeriod = 0;
        emit PeriodStarted(agent, block.timestamp);
    }

    // ---------------------------------------------------------------- deposits

    /// @notice Deposits `amount` from the caller's token balance (after `approve`).
    function deposit(uint256 amount) external nonReentrant {
        _credit(msg.sender, msg.sender, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Deposits with an EIP-2612 permit in the same transaction. A permit already
    /// used by a front-runner is tolerated when the allowance is in place.
    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
    {
        try IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {}
        catch {
            if (token.allowance(msg.sender, address(this)) < amount) {
                // Replays the permit to surface the token's own reason.
                IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s);
            }
        }
        _credit(msg.sender, msg.sender, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Deposits for `from` with its EIP-3009 `ReceiveWithAuthorization` to this
    /// contract; anyone may submit it (gasless for the agent).
    function depositWithAuthorization(
        address from,
        uint256 amount,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external nonReentrant {
        _credit(from, msg.sender, amount);
        IReceiveWithAuthorization(address(token)).receiveWithAuthorization(
            from, address(this), amount, validAfter, validBefore, nonce, signature
        );
    }

    /// @notice Withdraws free deposit to the agent.
    function withdraw(uint256 amount) external nonReentrant {
        Account storage a = _accounts[msg.sender];
        if (amount == 0) revert InvalidAmount(amount);
        if (amount > a.balance) revert InsufficientDeposit(a.balance, amount);
        a.balance -= uint128(amount);
        emit Withdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- leases

    /// @notice Reserves `maxAmount` of the caller's deposit for a lease with `provider` that
    /// ends at `expiry` (unix seconds). Reverts above the owner's caps.
    /// @param ref the caller's reference for the lease (Forage: a hash of the intent id),
    /// emitted so a retry can find the lease
    /// @return leaseId `uint256(uint160(provider)) << 64 | n`, n counting the caller's leases with `provider`
    function lock(address provider, uint256 maxAmount, uint256 expiry, bytes32 ref)
        external
        nonReentrant
        returns (uint256 leaseId)
    {
        Account storage a = _accounts[msg.sender];
        if (!a.open) revert AccountNotOpen(msg.sender);
        if (provider == address(0) || provider == msg.sender) revert InvalidProvider(provider);
        if (maxAmount == 0 || maxAmount > MASK_96) revert InvalidAmount(maxAmount);
        if (expiry <= block.timestamp || expiry > type(uint32).max) revert InvalidExpiry(expiry, block.timestamp);
        uint256 perLease = a.maxPerLease;
        if (perLease == 0) revert CapsNotSet(msg.sender);
        if (maxAmount > perLease) revert LeaseCapExceeded(maxAmount, perLease);
        _rollPeriod(msg.sender, a);
        uint256 spent = a.spentInPeriod;
        if (spent + maxAmount > a.maxPerPeriod) revert PeriodCapExceeded(maxAmount, a.maxPerPeriod - spent);
        if (maxAmount > a.balance) revert InsufficientDeposit(a.balance, maxAmount);
        a.spentInPeriod = uint128(spent + maxAmount);
        a.balance -= uint128(maxAmount);
        a.locked += uint128(maxAmount);

        Book storage book = _books[msg.sender][provider];
        uint64 n = book.next++;
        uint256 shift = uint256(n & 1) << 7;
        book.records[n >> 1] |= (maxAmount | (expiry << 96)) << shift;
        leaseId = (uint256(uint160(provider)) << 64) | n;
        emit LeaseLocked(msg.sender, leaseId, ref, maxAmount, expiry);
    }

    /// @notice The agent closes its lease: `amount` to the provider, the rest back to the deposit.
    function release(uint256 leaseId, uint256 amount) external nonReentrant {
        address provider = _provider(leaseId);
        (uint256 maxAmount,) = _close(_books[msg.sender][provider], msg.sender, leaseId);
        if (amount > maxAmount) revert AmountExceedsLock(leaseId, amount, maxAmount);
        Account storage a = _accounts[msg.sender];
        a.locked -= uint128(maxAmount);
        a.balance += uint128(maxAmount - amount);
        emit LeaseReleased(msg.sender, leaseId, amount, maxAmount - amount);
        if (amount > 0) token.safeTransfer(provider, amount);
    }

    /// @notice After expiry anyone may close an unredeemed lease; all of it returns to the deposit.
    function refund(address agent, uint256 leaseId) external nonReentrant {
        Book storage book = _books[agent][_provider(leaseId)];
        (uint256 maxAmount, uint256 expiry) = _read(book, agent, leaseId);
        if (block.timestamp < expiry) revert LeaseNotExpired(leaseId, expiry);
        _close(book, agent, leaseId);
        Account storage a = _accounts[agent];
        a.locked -= uint128(maxAmount);
        a.balance += uint128(maxAmount);
        emit LeaseRefunded(agent, leaseId, maxAmount);
    }

    /// @notice The provider (the caller) redeems the latest voucher of each lease, before the
    /// lease expires: each lease pays its voucher's cumulative amount, closes, and returns the
    /// rest of its lock to the agent's deposit. The whole batch reverts if one voucher is bad.
    /// @return total what was paid to the caller
    function redeemBatch(Voucher[] calldata vouchers) external nonReentrant returns (uint256 total) {
        uint256 n = vouchers.length;
        if (n == 0) revert EmptyBatch();
        bytes32 domain = _domainSeparatorV4();
        uint256[] memory leaseIds = new uint256[](n);
        uint256[] memory amounts = new uint256[](n);
        address agent;
        mapping(uint256 => uint256) storage records = _books[address(0)][address(0)].records;
        uint256 runLength;
        uint256 runLocked;
        uint256 runPaid;
        // The loop is the hot path of the gas target: two small internal calls, no memory
        // allocated per voucher, and no checked arithmetic where overflow cannot happen (amounts
        // are below 2^96, a batch is far below 2^64 long).
        for (uint256 i; i < n;) {
            Voucher calldata v = vouchers[i];
            if (v.lease > type(uint64).max) revert UnknownLease(address(0), v.lease);
            uint256 leaseId = (uint256(uint160(msg.sender)) << 64) | v.lease;
            address signer = _recoverVoucherSigner(domain, leaseId, v);
            if (signer != agent) {
                if (runLength > 0) {
                    _settleRun(agent, leaseIds, amounts, runLength, runLocked, runPaid);
                    total += runPaid;
                }
                agent = signer;
                records = _books[signer][msg.sender].records;
                runLength = 0;
                runLocked = 0;
                runPaid = 0;
            }
            uint256 amount = v.cumulativeAmount;
            uint256 maxAmount = _takeForRedemption(records, signer, leaseId, amount);
            assembly ("memory-safe") {
                let offset := shl(5, add(runLength, 1))
                mstore(add(leaseIds, offset), leaseId)
                mstore(add(amounts, offset), amount)
            }
            unchecked {
                ++runLength;
                runLocked += maxAmount;
                runPaid += amount;
                ++i;
            }
        }
        _settleRun(agent, leaseIds, amounts, runLength, runLocked, runPaid);
        total += runPaid;
        if (total > 0) token.safeTransfer(msg.sender, total);
    }

    // ---------------------------------------------------------------- views

    /// @notice The account of `agent`.
    function accountOf(address agent) external view returns (AccountView memory v) {
        Account storage a = _accounts[agent];
        v.open = a.open;
        v.identityBound = a.identityBound;
        v.agentId = a.agentId;
        v.owner = a.identityBound ? identityRegistry.ownerOf(a.agentId) : a.operator;
        v.balance = a.balance;
        v.locked = a.locked;
        v.maxPerLease = a.maxPerLease;
        v.maxPerPeriod = a.maxPerPeriod;
        v.periodSeconds = a.periodSeconds;
        v.periodStart = a.periodStart;
        v.spentInPeriod = a.spentInPeriod;
    }

    /// @notice An open lease's terms; `open` is false once released, redeemed or refunded.
    function leaseOf(address agent, uint256 leaseId)
        external
        view
        returns (bool open, address provider, uint256 maxAmount, uint256 expiry)
    {
        provider = _provider(leaseId);
        uint64 n = uint64(leaseId);
        uint256 record = (_books[agent][provider].records[n >> 1] >> (uint256(n & 1) << 7)) & MASK_128;
        open = record != 0;
        maxAmount = record & MASK_96;
        expiry = record >> 96;
    }

    /// @notice How many leases `agent` has locked with `provider` so far (the next lease's n).
    function leaseCount(address agent, address provider) external view returns (uint256) {
        return _books[agent][provider].next;
    }

    /// @notice The EIP-712 digest an agent signs for a voucher.
    function voucherDigest(uint256 leaseId, uint256 cumulativeAmount, uint256 nonce) external view returns (bytes32) {
        return _voucherDigest(_domainSeparatorV4(), leaseId, cumulativeAmount, nonce);
    }

    /// @notice The EIP-712 domain separator vouchers are signed under.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------- internals

    function _requireOwner(address agent, Account storage a) private view {
        if (!a.open) revert AccountNotOpen(agent);
        if (msg.sender == agent) revert AgentCannotManageAccount(agent);
        if (a.identityBound) {
            uint256 agentId = a.agentId;
            address owner = identityRegistry.ownerOf(agentId);
            if (
                msg.sender != owner && !identityRegistry.isApprovedForAll(owner, msg.sender)
                    && identityRegistry.getApproved(agentId) != msg.sender
            ) revert NotAccountOwner(agent, msg.sender);
        } else if (msg.sender != a.operator) {
            revert NotAccountOwner(agent, msg.sender);
        }
    }

    function _credit(address agent, address from, uint256 amount) private {
        Account storage a = _accounts[agent];
        if (!a.open) revert AccountNotOpen(agent);
        if (amount == 0 || amount > type(uint128).max - a.balance) revert InvalidAmount(amount);
        a.balance += uint128(amount);
        emit Deposited(agent, from, amount);
    }

    /// @dev Moves the period forward in whole periods once the current one is over.
    function _rollPeriod(address agent, Account storage a) private {
        uint256 start = a.periodStart;
        uint256 length = a.periodSeconds;
        if (block.timestamp >= start + length) {
            start = block.timestamp - (block.timestamp - start) % length;
            a.periodStart = uint64(start);
            a.spentInPeriod = 0;
            emit PeriodStarted(agent, start);
        }
    }

    function _provider(uint256 leaseId) private pure returns (address) {
        return address(uint160(leaseId >> 64));
    }

    function _read(Book storage book, address agent, uint256 leaseId)
        private
        view
        returns (uint256 maxAmount, uint256 expiry)
    {
        uint64 n = uint64(leaseId);
        uint256 record = (book.records[n >> 1] >> (uint256(n & 1) << 7)) & MASK_128;
        if (record == 0 || leaseId >> 224 != 0) revert UnknownLease(agent, leaseId);
        return (record & MASK_96, record >> 96);
    }

    /// @dev Reads and clears an open lease's record; reverts if it is not open.
    function _close(Book storage book, address agent, uint256 leaseId)
        private
        returns (uint256 maxAmount, uint256 expiry)
    {
        uint64 n = uint64(leaseId);
        uint256 word = book.records[n >> 1];
        uint256 shift = uint256(n & 1) << 7;
        uint256 record = (word >> shift) & MASK_128;
        if (record == 0 || leaseId >> 224 != 0) revert UnknownLease(agent, leaseId);
        book.records[n >> 1] = word & ~(MASK_128 << shift);
        return (record & MASK_96, record >> 96);
    }

    /// @dev The EIP-712 digest of a voucher, hashed in scratch memory: a batch allocates nothing per voucher.
    function _voucherDigest(bytes32 domain, uint256 leaseId, uint256 amount, uint256 nonce)
        private
        pure
        returns (bytes32 digest)
    {
        bytes32 typeHash = VOUCHER_TYPEHASH;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typeHash)
            mstore(add(ptr, 0x20), leaseId)
            mstore(add(ptr, 0x40), amount)
            mstore(add(ptr, 0x60), nonce)
            let structHash := keccak256(ptr, 0x80)
            mstore(ptr, hex"1901")
            mstore(add(ptr, 0x02), domain)
            mstore(add(ptr, 0x22), structHash)
            digest := keccak256(ptr, 0x42)
        }
    }

    /// @dev The signer of a voucher's EIP-2098 compact signature: ecrecover with the EIP-2 low-s
    /// rule (as OpenZeppelin's ECDSA), inlined because it runs once per voucher in a batch.
    function _recoverVoucherSigner(bytes32 domain, uint256 leaseId, Voucher calldata v)
        private
        view
        returns (address signer)
    {
        bytes32 digest = _voucherDigest(domain, leaseId, v.cumulativeAmount, v.nonce);
        bytes32 r = v.r;
        bytes32 vs = v.vs;
        bool lowS;
        assembly ("memory-safe") {
            let s := and(vs, 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff)
            lowS := iszero(gt(s, 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0))
            let ptr := mload(0x40)
            mstore(ptr, digest)
            mstore(add(ptr, 0x20), add(shr(255, vs), 27))
            mstore(add(ptr, 0x40), r)
            mstore(add(ptr, 0x60), s)
            mstore(0x00, 0)
            if iszero(staticcall(gas(), 0x01, ptr, 0x80, 0x00, 0x20)) { revert(0, 0) }
            signer := mload(0x00)
        }
        if (!lowS || signer == address(0)) revert InvalidVoucherSignature(leaseId);
    }

    /// @dev Closes a lease for redemption of `amount`: it must be open, unexpired and lock at least `amount`.
    function _takeForRedemption(
        mapping(uint256 => uint256) storage records,
        address agent,
        uint256 leaseId,
        uint256 amount
    ) private returns (uint256 maxAmount) {
        uint256 slot = uint64(leaseId) >> 1;
        uint256 word = records[slot];
        uint256 shift = (leaseId & 1) << 7;
        uint256 record = (word >> shift) & MASK_128;
        if (record == 0) revert UnknownLease(agent, leaseId);
        records[slot] = word & ~(MASK_128 << shift);
        maxAmount = record & MASK_96;
        if (block.timestamp >= record >> 96) revert LeaseExpired(leaseId, record >> 96);
        if (amount > maxAmount) revert AmountExceedsLock(leaseId, amount, maxAmount);
    }

    /// @dev Books one agent's redeemed leases: one storage write and one event per agent.
    function _settleRun(
        address agent,
        uint256[] memory leaseIds,
        uint256[] memory amounts,
        uint256 length,
        uint256 locked,
        uint256 paid
    ) private {
        Account storage a = _accounts[agent];
        a.locked -= uint128(locked);
        a.balance += uint128(locked - paid);
        uint256 full = leaseIds.length;
        assembly ("memory-safe") {
            mstore(leaseIds, length)
            mstore(amounts, length)
        }
        emit VouchersRedeemed(agent, msg.sender, leaseIds, amounts);
        assembly ("memory-safe") {
            mstore(leaseIds, full)
            mstore(amounts, full)
        }
    }
}
