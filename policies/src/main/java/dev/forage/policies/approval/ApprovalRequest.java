package dev.forage.policies.approval;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A request for a human to approve one exact intent.
 *
 * @param id the request id, derived from the intent digest (so opening it twice gives one
 *     request)
 * @param intentId the intent's id
 * @param intentDigest the SHA-256 of the intent's canonical JSON; the approval is valid for
 *     this digest only
 * @param agent the agent that wants to spend
 * @param summary one line describing the spend for the approver
 * @param ruleIds the require_approval rules that matched
 * @param reasons their reasons
 * @param createdAt when it was opened
 * @param expiresAt when it stops being valid, approved or not
 * @param status its status as of when it was read
 */
public record ApprovalRequest(
        String id,
        String intentId,
        String intentDigest,
        String agent,
        String summary,
        List<String> ruleIds,
        List<String> reasons,
        Instant createdAt,
        Instant expiresAt,
        ApprovalStatus status) {

    public ApprovalRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(intentId, "intentId");
        Objects.requireNonNull(intentDigest, "intentDigest");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(summary, "summary");
        ruleIds = List.copyOf(ruleIds);
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(status, "status");
    }

    /** This request with another status. */
    public ApprovalRequest withStatus(ApprovalStatus next) {
        return new ApprovalRequest(id, intentId, intentDigest, agent, summary, ruleIds, reasons, createdAt, expiresAt, next);
    }
}
