package dev.forage.runtime.pipeline;

import dev.forage.runtime.audit.EntryKind;
import java.util.Optional;

/** The outermost step: once everything else is done, tells the feedback sink how the action ended. */
final class FeedbackStep implements Step {

    private final Feedback feedback;

    FeedbackStep(Feedback feedback) {
        this.feedback = feedback;
    }

    @Override
    public String name() {
        return "feedback";
    }

    @Override
    public EntryKind kind(Exchange<?> exchange) {
        return EntryKind.FEEDBACK;
    }

    @Override
    public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) {
        Outcome<T> outcome = next.proceed();
        try {
            Optional<com.fasterxml.jackson.databind.node.ObjectNode> recorded = feedback.record(outcome);
            recorded.ifPresent(details -> exchange.record(EntryKind.FEEDBACK, name(), StepResult.RECORDED,
                    details.put("outcome", outcome.wireName())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.record(EntryKind.FEEDBACK, name(), StepResult.FAILED, Exchange.details()
                    .put("outcome", outcome.wireName()).put("error", "interrupted"));
        } catch (Exception e) {
            exchange.record(EntryKind.FEEDBACK, name(), StepResult.FAILED, Exchange.details()
                    .put("outcome", outcome.wireName()).put("error", String.valueOf(e.getMessage())));
        }
        return outcome;
    }
}
