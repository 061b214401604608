package dev.forage.policies.ledger;

import java.util.Objects;
import java.util.Optional;

/** What a post or a void did. */
public sealed interface ResolveResult {

    /** The intent id the call was for. */
    String intentId();

    /**
     * The reservation is posted (now, or by an identical earlier call).
     *
     * @param reservation the reservation in state {@link Reservation.State#POSTED}
     */
    record Posted(Reservation reservation) implements ResolveResult {
        public Posted {
            Objects.requireNonNull(reservation, "reservation");
        }

        @Override
        public String intentId() {
            return reservation.intentId();
        }
    }

    /**
     * The reservation is voided (now, or by an earlier void) and its amount released.
     *
     * @param reservation the reservation in state {@link Reservation.State#VOIDED}
     */
    record Voided(Reservation reservation) implements ResolveResult {
        public Voided {
            Objects.requireNonNull(reservation, "reservation");
        }

        @Override
        public String intentId() {
            return reservation.intentId();
        }
    }

    /**
     * Nothing changed, for the given reason.
     *
     * @param intentId the intent id
     * @param refusal why
     * @param reservation the reservation as it is, when one exists
     */
    record Refused(String intentId, Refusal refusal, Optional<Reservation> reservation) implements ResolveResult {
        public Refused {
            Objects.requireNonNull(intentId, "intentId");
            Objects.requireNonNull(refusal, "refusal");
            Objects.requireNonNull(reservation, "reservation");
        }
    }

    /** Why a post or void changed nothing. */
    enum Refusal {
        /** No reservation has this id. */
        NOT_FOUND,
        /** It was already posted; a void cannot undo a post. */
        ALREADY_POSTED,
        /** It was already voided. */
        ALREADY_VOIDED,
        /** It expired before it was resolved; reserve again under a new id. */
        EXPIRED,
        /** The posted amount is larger than the reserved one; a post may only spend less. */
        EXCEEDS_RESERVED
    }
}
