package dev.forage.runtime.pipeline;

import dev.forage.policies.Context;
import dev.forage.policies.SpendIntent;
import dev.forage.runtime.audit.EntryKind;
import java.util.Objects;
import java.util.Optional;

/**
 * One action for the governed chain: the intent to decide on, what the caller knows about the
 * counterparty, the remote work, and optionally a verification of its result and a settlement
 * that pays for it afterwards.
 *
 * @param intent what is proposed; its id is the idempotency key end to end
 * @param context counterparty statistics for the policy decision (the guard re-decides with it)
 * @param executionKind the audit entry kind of the execution step ({@code settlement_tx} for a
 *     purchase that pays as it fetches, {@code lease}, {@code inference_dispatch})
 * @param execution the remote work
 * @param verification checks the result before it is paid for; empty for none
 * @param settlement pays for the result after verification; empty when the execution pays
 * @param <T> the result type
 */
public record Action<T>(
        SpendIntent intent,
        Context context,
        EntryKind executionKind,
        Execution<T> execution,
        Optional<Verification<T>> verification,
        Optional<Settlement<T>> settlement) {

    public Action {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(executionKind, "executionKind");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(settlement, "settlement");
    }

    /**
     * A purchase that pays while it fetches (x402): no verification, no later settlement; the
     * execution's audit entry is a {@code settlement_tx}.
     */
    public static <T> Action<T> purchase(SpendIntent intent, Context context, Execution<T> execution) {
        return new Action<>(intent, context, EntryKind.SETTLEMENT_TX, execution, Optional.empty(), Optional.empty());
    }

    /**
     * Work that is paid for only after it is verified: execute, verify, then settle.
     *
     * @param executionKind the audit kind of the execution, e.g. {@code inference_dispatch}
     */
    public static <T> Action<T> verified(SpendIntent intent, Context context, EntryKind executionKind,
            Execution<T> execution, Verification<T> verification, Settlement<T> settlement) {
        return new Action<>(intent, context, executionKind, execution, Optional.of(verification), Optional.of(settlement));
    }

    /** This action with a verification of its result. */
    public Action<T> withVerification(Verification<T> more) {
        return new Action<>(intent, context, executionKind, execution, Optional.of(more), settlement);
    }

    /** This action with a settlement after verification. */
    public Action<T> withSettlement(Settlement<T> more) {
        return new Action<>(intent, context, executionKind, execution, verification, Optional.of(more));
    }
}
