package dev.forage.policies;

import dev.forage.policies.approval.ApprovalRequest;
import java.util.List;
import java.util.Objects;

/**
 * The policy engine's answer for one intent. Deny wins over everything, require-approval
 * wins over allow, and when no rule allows, the answer is deny.
 *
 * <pre>{@code
 * switch (engine.decide(intent, context)) {
 *   case Decision.Allow a -> ledger.reserve(engine.reserveRequest(intent, ttl));
 *   case Decision.Deny d -> audit.denied(d.reasons());
 *   case Decision.RequireApproval r -> inbox.await(r.request().id());
 * }
 * }</pre>
 */
public sealed interface Decision permits Decision.Allow, Decision.Deny, Decision.RequireApproval {

    /** The intent decided on. */
    String intentId();

    /** The ids of the rules that produced this decision, in policy order. */
    List<String> ruleIds();

    /** Human-readable reasons, one per matched rule plus any the engine adds. */
    List<String> reasons();

    /** The headroom of every budget the intent falls under, before this intent. */
    List<BudgetHeadroom> headroom();

    /** Whether the spend may go ahead now. */
    default boolean allowed() {
        return this instanceof Allow;
    }

    /** The spend may go ahead: an allow rule matched (or an approval was granted) and no deny did. */
    record Allow(
            String intentId, List<String> ruleIds, List<String> reasons, List<BudgetHeadroom> headroom)
            implements Decision {
        public Allow {
            Objects.requireNonNull(intentId, "intentId");
            ruleIds = List.copyOf(ruleIds);
            reasons = List.copyOf(reasons);
            headroom = List.copyOf(headroom);
        }
    }

    /**
     * The spend must not happen: a deny rule matched, a budget would be exceeded, an approval
     * was denied or expired, or no rule allowed it (then {@code ruleIds} is empty).
     */
    record Deny(
            String intentId, List<String> ruleIds, List<String> reasons, List<BudgetHeadroom> headroom)
            implements Decision {
        public Deny {
            Objects.requireNonNull(intentId, "intentId");
            ruleIds = List.copyOf(ruleIds);
            reasons = List.copyOf(reasons);
            headroom = List.copyOf(headroom);
        }
    }

    /**
     * A human must approve first. {@code request} is bound to this intent's digest
     * ({@code request().intentDigest()}); deciding
     * again on the same intent after it is approved returns {@link Allow}.
     */
    record RequireApproval(
            String intentId,
            List<String> ruleIds,
            List<String> reasons,
            List<BudgetHeadroom> headroom,
            ApprovalRequest request)
            implements Decision {
        public RequireApproval {
            Objects.requireNonNull(intentId, "intentId");
            ruleIds = List.copyOf(ruleIds);
            reasons = List.copyOf(reasons);
            headroom = List.copyOf(headroom);
            Objects.requireNonNull(request, "request");
        }
    }
}
