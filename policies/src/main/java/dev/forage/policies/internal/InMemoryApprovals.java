package dev.forage.policies.internal;

import dev.forage.policies.ApprovalStateException;
import dev.forage.policies.InvalidValueException;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.approval.ApprovalRequest;
import dev.forage.policies.approval.ApprovalStatus;
import dev.forage.policies.approval.Approvals;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link Approvals} in a map, guarded by the instance lock. */
public final class InMemoryApprovals implements Approvals {

    private static final String SYSTEM = "forage";

    private final Clock clock;
    private final Duration ttl;
    private final Map<String, ApprovalRequest> byId = new LinkedHashMap<>();
    // Equal intents have equal digests; looking the intent up first skips hashing it again.
    private final Map<SpendIntent, String> idByIntent = new HashMap<>();

    /**
     * @param clock for creation and expiry times
     * @param ttl how long a request stays valid, positive
     */
    public InMemoryApprovals(Clock clock, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new InvalidValueException("approval ttl " + ttl + " must be positive, e.g. PT15M");
        }
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The request id for an intent digest: stable, so opening twice finds the same request. */
    static String requestId(String digest) {
        return "apr_" + digest.substring(0, 32);
    }

    @Override
    public synchronized ApprovalRequest open(SpendIntent intent, List<String> ruleIds, List<String> reasons) {
        String known = idByIntent.get(intent);
        if (known != null) {
            return current(byId.get(known));
        }
        String digest = intent.digest();
        String id = requestId(digest);
        ApprovalRequest existing = byId.get(id);
        if (existing != null) {
            idByIntent.put(intent, id);
            return current(existing);
        }
        Instant now = clock.instant();
        String summary = intent.agent() + " wants to spend up to " + intent.amount() + " on " + intent.action() + " with "
                + intent.counterparty() + " (" + intent.market() + ")";
        ApprovalRequest created = new ApprovalRequest(
                id, intent.id(), digest, intent.agent(), summary, ruleIds, reasons, now, now.plus(ttl),
                new ApprovalStatus.Pending());
        byId.put(id, created);
        idByIntent.put(intent, id);
        return created;
    }

    @Override
    public synchronized ApprovalRequest approve(String requestId, String approverId, String reason) {
        requireText("approver id", approverId);
        requireText("reason", reason);
        ApprovalRequest r = current(require(requestId));
        return switch (r.status()) {
            case ApprovalStatus.Approved a -> r;
            case ApprovalStatus.Pending p -> store(r.withStatus(new ApprovalStatus.Approved(approverId, reason, clock.instant())));
            case ApprovalStatus.Denied d -> throw new ApprovalStateException(
                    "approval request " + requestId + " was already denied by " + d.approverId() + ": open a new intent instead");
            case ApprovalStatus.Expired e -> throw new ApprovalStateException(
                    "approval request " + requestId + " expired at " + e.at() + " and counts as denied: the agent must ask again");
        };
    }

    @Override
    public synchronized ApprovalRequest deny(String requestId, String approverId, String reason) {
        requireText("approver id", approverId);
        requireText("reason", reason);
        ApprovalRequest r = current(require(requestId));
        return switch (r.status()) {
            case ApprovalStatus.Denied d -> r;
            case ApprovalStatus.Pending p -> store(r.withStatus(new ApprovalStatus.Denied(approverId, reason, clock.instant())));
            case ApprovalStatus.Approved a -> throw new ApprovalStateException(
                    "approval request " + requestId + " was already approved by " + a.approverId()
                            + ": an approval is final; deny the spend by policy instead");
            case ApprovalStatus.Expired e -> throw new ApprovalStateException(
                    "approval request " + requestId + " expired at " + e.at() + " and already counts as denied");
        };
    }

    @Override
    public synchronized Optional<ApprovalRequest> find(String requestId) {
        return Optional.ofNullable(byId.get(requestId)).map(this::current);
    }

    @Override
    public synchronized ApprovalStatus statusFor(String requestId, SpendIntent intent) {
        ApprovalRequest r = byId.get(requestId);
        Instant now = clock.instant();
        if (r == null) {
            return new ApprovalStatus.Denied(SYSTEM, "no approval request " + requestId, now);
        }
        String digest = intent.digest();
        if (!r.intentDigest().equals(digest)) {
            return new ApprovalStatus.Denied(SYSTEM,
                    "approval request " + requestId + " is bound to intent digest " + r.intentDigest() + ", not " + digest, now);
        }
        return current(r).status();
    }

    @Override
    public synchronized List<ApprovalRequest> pending() {
        return byId.values().stream()
                .map(this::current)
                .filter(r -> r.status() instanceof ApprovalStatus.Pending)
                .sorted(Comparator.comparing(ApprovalRequest::createdAt))
                .toList();
    }

    /** The request with expiry applied: once its time is up, pending and approved become expired. */
    private ApprovalRequest current(ApprovalRequest r) {
        boolean open = r.status() instanceof ApprovalStatus.Pending || r.status() instanceof ApprovalStatus.Approved;
        if (open && !clock.instant().isBefore(r.expiresAt())) {
            return store(r.withStatus(new ApprovalStatus.Expired(r.expiresAt())));
        }
        return r;
    }

    private ApprovalRequest store(ApprovalRequest r) {
        byId.put(r.id(), r);
        return r;
    }

    private ApprovalRequest require(String requestId) {
        ApprovalRequest r = byId.get(requestId);
        if (r == null) {
            throw new ApprovalStateException(
                    "no approval request '" + requestId + "': list pending requests to find the right id");
        }
        return r;
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidValueException("approval " + field + " must be non-blank");
        }
    }
}
