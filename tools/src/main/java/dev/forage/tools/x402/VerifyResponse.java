package dev.forage.tools.x402;

import java.util.Objects;
import java.util.Optional;

/**
 * The facilitator's answer to {@code /verify}.
 *
 * @param isValid whether the payment would settle
 * @param invalidReason why not, an x402 error code
 * @param payer the payer's address
 */
public record VerifyResponse(boolean isValid, Optional<String> invalidReason, Optional<String> payer) {

    public VerifyResponse {
        Objects.requireNonNull(invalidReason, "invalidReason");
        Objects.requireNonNull(payer, "payer");
    }

    /** A valid payment from {@code payer}. */
    public static VerifyResponse valid(String payer) {
        return new VerifyResponse(true, Optional.empty(), Optional.of(payer));
    }

    /** An invalid payment. */
    public static VerifyResponse invalid(String reason, Optional<String> payer) {
        return new VerifyResponse(false, Optional.of(reason), payer);
    }
}
