package dev.forage.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.runtime.audit.EntryKind;
import dev.forage.runtime.audit.SubjectKind;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins every wire name of the audit log format: entry kinds, subject kinds and step results.
 * A rename of a Java constant must not change what is written; changing a wire name is a
 * format change and needs a new format version.
 */
class WireNamesTest {

    @Test
    void entryKinds() {
        assertThat(names(EntryKind.values(), EntryKind::wireName)).containsExactly(
                "POLICY_DECISION=policy_decision", "BUDGET_RESERVE=budget_reserve", "BUDGET_POST=budget_post",
                "BUDGET_VOID=budget_void", "APPROVAL=approval", "TOOL_CALL=tool_call", "LEASE=lease",
                "INFERENCE_DISPATCH=inference_dispatch", "VERDICT=verdict", "SETTLEMENT_TX=settlement_tx",
                "PAYMENT_GUARD=payment_guard", "FEEDBACK=feedback", "AGENT_LIFECYCLE=agent_lifecycle",
                "CONFIGURATION_CHANGE=configuration_change", "CHECKPOINT_ANCHOR=checkpoint_anchor");
        for (EntryKind k : EntryKind.values()) {
            assertThat(EntryKind.fromWireName(k.wireName())).isEqualTo(k);
        }
    }

    @Test
    void subjectKinds() {
        assertThat(names(SubjectKind.values(), SubjectKind::wireName)).containsExactly(
                "INTENT=intent", "LEASE=lease", "JOB=job", "TX_HASH=tx_hash");
    }

    @Test
    void stepResults() {
        assertThat(names(StepResult.values(), StepResult::wireName)).containsExactly(
                "ALLOW=allow", "DENY=deny", "REQUIRE_APPROVAL=require_approval", "APPROVED=approved",
                "APPROVAL_DENIED=denied", "APPROVAL_EXPIRED=expired", "APPROVAL_PENDING=pending", "RESERVED=reserved",
                "EXCEEDED=exceeded", "NOT_ALLOWED=not_allowed", "RESUMED=resumed", "REPLAYED_POSTED=replayed_posted",
                "REPLAYED_VOIDED=replayed_voided", "REPLAYED_EXPIRED=replayed_expired", "EXECUTED=executed",
                "PAID=paid", "FAILED=failed", "IN_DOUBT=in_doubt", "PASS=pass", "FAIL=fail", "POSTED=posted",
                "REFUSED_AFTER_PAYMENT=refused_after_payment", "POSTED_IN_DOUBT=posted_in_doubt", "VOIDED=voided",
                "VOID_REFUSED=void_refused", "SIGNATURE_ALLOWED=allowed", "SIGNATURE_REFUSED=refused",
                "RECORDED=recorded", "ABORTED=aborted", "ENDED_WITHOUT_ENTRY=ended_without_entry");
    }

    @Test
    void outcomes() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("Refused", "refused");
        expected.put("AwaitingApproval", "awaiting_approval");
        expected.put("OverBudget", "over_budget");
        expected.put("Replayed", "replayed");
        expected.put("ReplayRefused", "replay_refused");
        expected.put("Failed", "failed");
        expected.put("Aborted", "aborted");
        expected.put("Rejected", "rejected");
        expected.put("InDoubt", "in_doubt");
        expected.put("Discrepancy", "post_refused_after_payment");
        expected.put("Done", "done");
        assertThat(Arrays.stream(Outcome.class.getPermittedSubclasses()).map(Class::getSimpleName))
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(OutcomeSamples.all()).allSatisfy(o ->
                assertThat(o.wireName()).isEqualTo(expected.get(o.getClass().getSimpleName())));
        assertThat(OutcomeSamples.all()).hasSize(expected.size());
    }

    private static <E extends Enum<E>> java.util.List<String> names(E[] values, java.util.function.Function<E, String> wire) {
        return Arrays.stream(values).map(v -> v.name() + "=" + wire.apply(v)).toList();
    }
}
