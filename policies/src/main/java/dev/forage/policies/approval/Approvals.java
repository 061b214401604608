package dev.forage.policies.approval;

import dev.forage.policies.ApprovalStateException;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.internal.InMemoryApprovals;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The approval inbox. The policy engine opens a request when a require_approval rule matches;
 * an approver (a person, through the control plane) approves or denies it with a reason. A
 * request is bound to the intent's digest: it approves that exact intent and nothing else,
 * and once it expires it counts as denied. Thread-safe.
 */
public interface Approvals {

    /**
     * Opens a request for {@code intent}, or returns the one already open for the same digest.
     *
     * @param ruleIds the require_approval rules that matched
     * @param reasons their reasons
     */
    ApprovalRequest open(SpendIntent intent, List<String> ruleIds, List<String> reasons);

    /**
     * Approves a pending request. Approving an already approved request again is a no-op.
     *
     * @param approverId who approves, non-blank
     * @param reason why, non-blank
     * @throws ApprovalStateException when the request is unknown, denied or expired
     */
    ApprovalRequest approve(String requestId, String approverId, String reason);

    /**
     * Denies a pending request. Denying an already denied request again is a no-op.
     *
     * @throws ApprovalStateException when the request is unknown, approved or expired
     */
    ApprovalRequest deny(String requestId, String approverId, String reason);

    /** The request with this id, with its current status. */
    Optional<ApprovalRequest> find(String requestId);

    /**
     * The status of request {@code requestId} for {@code intent}: {@link ApprovalStatus.Denied}
     * when the request is unknown or bound to a different intent, {@link ApprovalStatus.Expired}
     * when its time is up, its own status otherwise.
     */
    ApprovalStatus statusFor(String requestId, SpendIntent intent);

    /** Every request still waiting for an approver, oldest first. */
    List<ApprovalRequest> pending();

    /**
     * An inbox in memory: requests are lost when the process ends, which fails closed (a lost
     * approval is asked for again).
     *
     * @param clock for creation and expiry times
     * @param ttl how long a request stays valid
     */
    static Approvals inMemory(Clock clock, Duration ttl) {
        return new InMemoryApprovals(clock, ttl);
    }
}
