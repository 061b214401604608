package dev.forage.runtime.audit;

/**
 * What an audit entry records: one arrow of the governed action pipeline, or a lifecycle event.
 *
 * <p>Each kind has an explicit wire name, written in every entry's JSON ({@code "kind"}). Wire
 * names are part of the log format: they never change when a constant is renamed, and a test
 * pins every one of them.
 */
public enum EntryKind {
    /** A policy engine decision: allow, deny (with reasons) or require approval. */
    POLICY_DECISION("policy_decision"),
    /** A two-phase budget reservation: reserved, exceeded, or a replay of an earlier one. */
    BUDGET_RESERVE("budget_reserve"),
    /** A reservation posted with the actual amount, or a post the ledger refused. */
    BUDGET_POST("budget_post"),
    /** A reservation voided or expired. */
    BUDGET_VOID("budget_void"),
    /** An approval granted, refused, expired or still awaited. */
    APPROVAL("approval"),
    /** A tool call proposed by a planner. */
    TOOL_CALL("tool_call"),
    /** A compute lease bought, renewed or closed. */
    LEASE("lease"),
    /** An inference request dispatched to a provider. */
    INFERENCE_DISPATCH("inference_dispatch"),
    /** A verification verdict on a result. */
    VERDICT("verdict"),
    /** A settlement: a payment made, failed or in doubt. */
    SETTLEMENT_TX("settlement_tx"),
    /** The payment guard allowed or refused a signature. */
    PAYMENT_GUARD("payment_guard"),
    /** Reputation feedback on a counterparty (local statistics or an ERC-8004 registry). */
    FEEDBACK("feedback"),
    /** An agent started, stopped, paused or failed. */
    AGENT_LIFECYCLE("agent_lifecycle"),
    /** A configuration or policy change. */
    CONFIGURATION_CHANGE("configuration_change"),
    /** A checkpoint of this log anchored on-chain. */
    CHECKPOINT_ANCHOR("checkpoint_anchor");

    private final String wireName;

    EntryKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name in an entry's JSON, e.g. {@code policy_decision}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The kind with this wire name.
     *
     * @throws AuditFormatException if there is none
     */
    public static EntryKind fromWireName(String wireName) {
        for (EntryKind kind : values()) {
            if (kind.wireName.equals(wireName)) {
                return kind;
            }
        }
        throw new AuditFormatException("unknown entry kind '" + wireName + "'; known kinds are "
                + java.util.Arrays.stream(values()).map(EntryKind::wireName).toList());
    }
}
