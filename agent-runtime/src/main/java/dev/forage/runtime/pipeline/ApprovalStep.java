package dev.forage.runtime.pipeline;

import dev.forage.policies.Decision;
import dev.forage.policies.PolicyEngine;
import dev.forage.policies.approval.ApprovalRequest;
import dev.forage.policies.approval.ApprovalStatus;
import dev.forage.policies.approval.Approvals;
import dev.forage.runtime.audit.EntryKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the decision asks for an approval: waits up to a configured time for an approver, then
 * decides again (an approved intent is allowed, a denied or expired one denied). Without an
 * answer in time the action ends as {@link Outcome.AwaitingApproval}; running the same intent
 * again after the approval goes through.
 */
final class ApprovalStep implements Step {

    private final PolicyEngine engine;
    private final Optional<Approvals> approvals;
    private final Duration wait;
    private final Duration poll;
    private final Clock clock;

    ApprovalStep(PolicyEngine engine, Optional<Approvals> approvals, Duration wait, Duration poll, Clock clock) {
        this.engine = engine;
        this.approvals = approvals;
        this.wait = wait;
        this.poll = poll;
        this.clock = clock;
    }

    /** Without the inbox the chain cannot see an approval: it is pending until the intent runs again. */
    private ApprovalStatus status(ApprovalRequest request, Exchange<?> exchange) {
        return approvals.map(a -> a.statusFor(request.id(), exchange.intent()))
                .orElseGet(ApprovalStatus.Pending::new);
    }

    @Override
    public String name() {
        return "approval";
    }

    @Override
    public EntryKind kind(Exchange<?> exchange) {
        return EntryKind.APPROVAL;
    }

    @Override
    public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) throws InterruptedException {
        if (!(exchange.decision().orElseThrow() instanceof Decision.RequireApproval required)) {
            return next.proceed();
        }
        ApprovalRequest request = required.request();
        Instant deadline = clock.instant().plus(wait);
        ApprovalStatus status = status(request, exchange);
        while (status instanceof ApprovalStatus.Pending && approvals.isPresent() && clock.instant().isBefore(deadline)) {
            Thread.sleep(poll.toMillis());
            status = status(request, exchange);
        }
        StepResult result = switch (status) {
            case ApprovalStatus.Pending p -> StepResult.APPROVAL_PENDING;
            case ApprovalStatus.Approved a -> StepResult.APPROVED;
            case ApprovalStatus.Denied d -> StepResult.APPROVAL_DENIED;
            case ApprovalStatus.Expired e -> StepResult.APPROVAL_EXPIRED;
        };
        var details = Exchange.details().put("request", request.id()).put("expiresAt", request.expiresAt().toString());
        switch (status) {
            case ApprovalStatus.Approved a -> details.put("approver", a.approverId()).put("reason", a.reason());
            case ApprovalStatus.Denied d -> details.put("approver", d.approverId()).put("reason", d.reason());
            default -> { }
        }
        exchange.record(EntryKind.APPROVAL, name(), result, details);
        if (status instanceof ApprovalStatus.Pending) {
            return new Outcome.AwaitingApproval<>(exchange.intent(), request);
        }
        Decision decision = DecideStep.decideAndRecord(engine, exchange, name());
        return switch (decision) {
            case Decision.Allow a -> next.proceed();
            case Decision.Deny d -> new Outcome.Refused<>(exchange.intent(), d);
            case Decision.RequireApproval r -> new Outcome.AwaitingApproval<>(exchange.intent(), r.request());
        };
    }
}
