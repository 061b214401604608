package dev.forage.runtime.audit;

import java.util.Locale;

/** What an audit entry records: one arrow of the governed action pipeline, or a lifecycle event. */
public enum EntryKind {
    /** A policy engine decision: allow, deny (with reasons) or require approval. */
    POLICY_DECISION,
    /** A two-phase budget reservation. */
    BUDGET_RESERVE,
    /** A reservation posted with the actual amount. */
    BUDGET_POST,
    /** A reservation voided or expired. */
    BUDGET_VOID,
    /** An approval granted or refused by an operator. */
    APPROVAL,
    /** A tool call proposed by a planner. */
    TOOL_CALL,
    /** A compute lease bought, renewed or closed. */
    LEASE,
    /** An inference request dispatched to a provider. */
    INFERENCE_DISPATCH,
    /** A verification verdict on a result. */
    VERDICT,
    /** A settlement transaction, written ahead of its broadcast and again on its receipt. */
    SETTLEMENT_TX,
    /** An agent started, stopped, paused or failed. */
    AGENT_LIFECYCLE,
    /** A configuration or policy change. */
    CONFIGURATION_CHANGE,
    /** A checkpoint of this log anchored on-chain. */
    CHECKPOINT_ANCHOR;

    /** The name in an entry's JSON, e.g. {@code policy_decision}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind with this wire name.
     *
     * @throws AuditFormatException if there is none
     */
    public static EntryKind fromWireName(String wireName) {
        for (EntryKind kind : values()) {
            if (kind.wireName().equals(wireName)) {
                return kind;
            }
        }
        throw new AuditFormatException("unknown entry kind '" + wireName + "'; known kinds are lower-case names of "
                + java.util.Arrays.toString(values()));
    }
}
