package dev.forage.runtime.pipeline;

/**
 * How a step of the governed chain ended, as written in its audit entry's {@code "result"}
 * field. The wire names are part of the audit log format: they never change when a constant is
 * renamed, and {@code StepResultTest} pins every one of them.
 */
public enum StepResult {
    /** {@code policy_decision}: the policy allows the intent. */
    ALLOW("allow"),
    /** {@code policy_decision}: the policy denies the intent. */
    DENY("deny"),
    /** {@code policy_decision}: a person must approve the intent first. */
    REQUIRE_APPROVAL("require_approval"),
    /** {@code approval}: an approver approved the intent. */
    APPROVED("approved"),
    /** {@code approval}: an approver denied the intent. */
    APPROVAL_DENIED("denied"),
    /** {@code approval}: the request expired before anyone approved it. */
    APPROVAL_EXPIRED("expired"),
    /** {@code approval}: nobody has decided yet; the intent can be run again once approved. */
    APPROVAL_PENDING("pending"),
    /** {@code budget_reserve}: the amount is reserved against every budget. */
    RESERVED("reserved"),
    /** {@code budget_reserve}: a budget has no room; nothing was reserved. */
    EXCEEDED("exceeded"),
    /** {@code budget_reserve}: the decision was not an allow, so nothing was reserved. */
    NOT_ALLOWED("not_allowed"),
    /** {@code budget_reserve}: an earlier run of this intent reserved and did not finish; it goes on. */
    RESUMED("resumed"),
    /** {@code budget_reserve}: this intent was already posted; its recorded outcome is returned, nothing is paid. */
    REPLAYED_POSTED("replayed_posted"),
    /** {@code budget_reserve}: this intent was voided before; it is refused. */
    REPLAYED_VOIDED("replayed_voided"),
    /** {@code budget_reserve}: this intent's reservation expired before; it is refused. */
    REPLAYED_EXPIRED("replayed_expired"),
    /** The execution ran and moved no money (payment comes later, if at all). */
    EXECUTED("executed"),
    /** Money moved: the payment was made. */
    PAID("paid"),
    /** The step failed and no money moved. */
    FAILED("failed"),
    /** The step failed after a payment was signed: whether money moved is not known. */
    IN_DOUBT("in_doubt"),
    /** {@code verdict}: the result checked out. */
    PASS("pass"),
    /** {@code verdict}: the result did not check out; it is not paid (beyond what was paid up front). */
    FAIL("fail"),
    /** {@code budget_post}: the actual amount is posted. */
    POSTED("posted"),
    /** {@code budget_post}: money moved but the ledger refused the post: a discrepancy to reconcile. */
    REFUSED_AFTER_PAYMENT("refused_after_payment"),
    /** {@code budget_post}: the payment is in doubt; the whole reservation is posted until reconciled. */
    POSTED_IN_DOUBT("posted_in_doubt"),
    /** {@code budget_void}: the reservation is released. */
    VOIDED("voided"),
    /** {@code budget_void}: the ledger refused the void (e.g. the reservation had expired). */
    VOID_REFUSED("void_refused"),
    /** {@code payment_guard}: the guard let a signature happen. */
    SIGNATURE_ALLOWED("allowed"),
    /** {@code payment_guard}: the guard refused a signature; nothing was signed. */
    SIGNATURE_REFUSED("refused"),
    /** {@code feedback}: the outcome was recorded in provider statistics or reputation. */
    RECORDED("recorded"),
    /** Any kind: the step stopped the action before money could move (e.g. the audit log was unavailable). */
    ABORTED("aborted"),
    /** Any kind: a step ended the action without writing its own entry; the chain wrote this one. */
    ENDED_WITHOUT_ENTRY("ended_without_entry");

    private final String wireName;

    StepResult(String wireName) {
        this.wireName = wireName;
    }

    /** The name in an entry's {@code "result"} field. */
    public String wireName() {
        return wireName;
    }
}
