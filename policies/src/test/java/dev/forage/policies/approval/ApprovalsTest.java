package dev.forage.policies.approval;

import static dev.forage.policies.testing.Fixtures.intent;
import static dev.forage.policies.testing.Fixtures.usdc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.ApprovalStateException;
import dev.forage.policies.InvalidValueException;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalsTest {

    private final MutableClock clock = MutableClock.at("2026-03-02T10:00:00Z");
    private final Approvals approvals = Approvals.inMemory(clock, Duration.ofMinutes(15));
    private final SpendIntent intent = intent("i1").build();

    @Test
    void a_request_is_bound_to_the_intent_digest_and_opening_it_again_returns_it() {
        ApprovalRequest r = approvals.open(intent, List.of("big-spend"), List.of("over 2 USDC"));
        clock.advance(Duration.ofMinutes(1));

        assertThat(r.intentId()).isEqualTo("i1");
        assertThat(r.intentDigest()).isEqualTo(intent.digest());
        assertThat(r.id()).isEqualTo("apr_" + intent.digest().substring(0, 32));
        assertThat(r.agent()).isEqualTo("agent-1");
        assertThat(r.summary()).isEqualTo("agent-1 wants to spend up to 2.50 USDC on compute.lease with provider-a (akash)");
        assertThat(r.ruleIds()).containsExactly("big-spend");
        assertThat(r.reasons()).containsExactly("over 2 USDC");
        assertThat(r.expiresAt()).isEqualTo(r.createdAt().plus(Duration.ofMinutes(15)));
        assertThat(r.status()).isEqualTo(new ApprovalStatus.Pending());
        assertThat(approvals.open(intent, List.of("other"), List.of())).isEqualTo(r);
        assertThat(approvals.pending()).containsExactly(r);
    }

    @Test
    void approve_records_who_why_and_when() {
        ApprovalRequest r = approvals.open(intent, List.of("big-spend"), List.of());
        clock.advance(Duration.ofMinutes(2));

        ApprovalRequest approved = approvals.approve(r.id(), "alice", "known provider");

        assertThat(approved.status()).isEqualTo(new ApprovalStatus.Approved("alice", "known provider", clock.instant()));
        assertThat(approvals.statusFor(r.id(), intent)).isEqualTo(approved.status());
        assertThat(approvals.approve(r.id(), "alice", "again")).isEqualTo(approved);
        assertThat(approvals.pending()).isEmpty();
        assertThatThrownBy(() -> approvals.deny(r.id(), "bob", "no"))
                .isInstanceOf(ApprovalStateException.class).hasMessageContaining("already approved by alice");
    }

    @Test
    void deny_is_final() {
        ApprovalRequest r = approvals.open(intent, List.of("big-spend"), List.of());

        ApprovalRequest denied = approvals.deny(r.id(), "bob", "too expensive");

        assertThat(denied.status()).isEqualTo(new ApprovalStatus.Denied("bob", "too expensive", clock.instant()));
        assertThat(approvals.deny(r.id(), "bob", "still no")).isEqualTo(denied);
        assertThatThrownBy(() -> approvals.approve(r.id(), "alice", "yes"))
                .isInstanceOf(ApprovalStateException.class).hasMessageContaining("already denied by bob");
    }

    @Test
    void an_approval_cannot_be_used_for_another_intent() {
        ApprovalRequest r = approvals.open(intent, List.of("big-spend"), List.of());
        approvals.approve(r.id(), "alice", "ok");

        ApprovalStatus other = approvals.statusFor(r.id(), intent("i1").amount(usdc("250")).build());
        ApprovalStatus unknown = approvals.statusFor("apr_nope", intent);

        assertThat(other).isInstanceOfSatisfying(ApprovalStatus.Denied.class, d -> {
            assertThat(d.approverId()).isEqualTo("forage");
            assertThat(d.reason()).contains("bound to intent digest " + intent.digest());
        });
        assertThat(unknown).isInstanceOf(ApprovalStatus.Denied.class);
    }

    @Test
    void an_expired_request_counts_as_denied_whether_it_was_answered_or_not() {
        ApprovalRequest unanswered = approvals.open(intent, List.of("r"), List.of());
        ApprovalRequest approved = approvals.open(intent("i2").build(), List.of("r"), List.of());
        approvals.approve(approved.id(), "alice", "ok");
        clock.advance(Duration.ofMinutes(15));

        assertThat(approvals.statusFor(unanswered.id(), intent)).isEqualTo(new ApprovalStatus.Expired(unanswered.expiresAt()));
        assertThat(approvals.find(approved.id()).orElseThrow().status()).isInstanceOf(ApprovalStatus.Expired.class);
        assertThat(approvals.pending()).isEmpty();
        assertThatThrownBy(() -> approvals.approve(unanswered.id(), "alice", "late"))
                .isInstanceOf(ApprovalStateException.class).hasMessageContaining("expired").hasMessageContaining("counts as denied");
        assertThatThrownBy(() -> approvals.deny(unanswered.id(), "alice", "late")).isInstanceOf(ApprovalStateException.class);
    }

    @Test
    void unknown_requests_and_blank_answers_are_rejected() {
        ApprovalRequest r = approvals.open(intent, List.of("r"), List.of());

        assertThatThrownBy(() -> approvals.approve("apr_missing", "alice", "ok"))
                .isInstanceOf(ApprovalStateException.class).hasMessageContaining("no approval request 'apr_missing'");
        assertThatThrownBy(() -> approvals.approve(r.id(), " ", "ok"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("approver id");
        assertThatThrownBy(() -> approvals.deny(r.id(), "bob", ""))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("reason");
        assertThat(approvals.find("apr_missing")).isEmpty();
        assertThatThrownBy(() -> Approvals.inMemory(clock, Duration.ZERO)).isInstanceOf(InvalidValueException.class);
    }
}
