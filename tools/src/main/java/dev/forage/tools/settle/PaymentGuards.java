package dev.forage.tools.settle;

import dev.forage.tools.settle.spi.PaymentDecision;
import dev.forage.tools.settle.spi.PaymentGuard;
import dev.forage.tools.settle.spi.PaymentRequest;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Simple {@link PaymentGuard}s for tests, examples and the devnet. Production agents use the
 * policy engine's guard.
 */
public final class PaymentGuards {

    private PaymentGuards() {}

    /**
     * Asks {@code guard} about {@code request} and returns only if it allows it. Fails closed:
     * a guard that throws or answers nothing counts as a denial.
     *
     * @throws PaymentDeniedException if the payment must not be signed
     */
    public static void require(PaymentGuard guard, PaymentRequest request) {
        PaymentDecision decision;
        try {
            decision = guard.check(request);
        } catch (RuntimeException e) {
            throw new PaymentDeniedException(request, List.of("the payment guard failed ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "), so the payment fails closed"));
        }
        if (decision == null) {
            throw new PaymentDeniedException(request, List.of("the payment guard gave no decision"));
        }
        if (decision instanceof PaymentDecision.Deny deny) {
            throw new PaymentDeniedException(request, deny.reasons());
        }
    }

    /** Allows everything. */
    public static PaymentGuard allowAll() {
        return request -> PaymentDecision.allow();
    }

    /** Denies everything with {@code reason}. */
    public static PaymentGuard denyAll(String reason) {
        return request -> PaymentDecision.deny(reason);
    }

    /**
     * Allows payments of at most {@code maxPerPayment} base units each and at most
     * {@code maxTotal} in all (per network and asset), counting each payment id once however
     * often it is asked about, so a retry is not counted twice.
     */
    public static PaymentGuard caps(BigInteger maxPerPayment, BigInteger maxTotal) {
        return new CapGuard(maxPerPayment, maxTotal);
    }

    /** Allows payments of at most {@code maxPerPayment} base units each. */
    public static PaymentGuard perPaymentCap(BigInteger maxPerPayment) {
        return new CapGuard(maxPerPayment, null);
    }

    private static final class CapGuard implements PaymentGuard {
        private final BigInteger maxPerPayment;
        private final BigInteger maxTotal;
        private final Map<String, BigInteger> allowedById = new HashMap<>();
        private final Map<String, BigInteger> totals = new HashMap<>();

        CapGuard(BigInteger maxPerPayment, BigInteger maxTotal) {
            if (maxPerPayment == null || maxPerPayment.signum() < 0) {
                throw new IllegalArgumentException("per-payment cap must be zero or more base units, got " + maxPerPayment);
            }
            if (maxTotal != null && maxTotal.signum() < 0) {
                throw new IllegalArgumentException("total cap must be zero or more base units, got " + maxTotal);
            }
            this.maxPerPayment = maxPerPayment;
            this.maxTotal = maxTotal;
        }

        @Override
        public synchronized PaymentDecision check(PaymentRequest request) {
            if (request.amount().compareTo(maxPerPayment) > 0) {
                return PaymentDecision.deny("amount " + request.amount() + " of " + request.asset() + " on "
                        + request.network() + " is above the per-payment cap " + maxPerPayment);
            }
            String bucket = request.network() + "/" + request.asset().lowercase();
            String idKey = bucket + "/" + request.action() + "/" + request.id();
            BigInteger earlier = allowedById.get(idKey);
            if (earlier != null && earlier.compareTo(request.amount()) >= 0) {
                return PaymentDecision.allow();
            }
            if (maxTotal != null) {
                BigInteger total = totals.getOrDefault(bucket, BigInteger.ZERO);
                BigInteger extra = request.amount().subtract(earlier == null ? BigInteger.ZERO : earlier);
                if (total.add(extra).compareTo(maxTotal) > 0) {
                    return PaymentDecision.deny("amount " + request.amount() + " would bring the total for "
                            + bucket + " to " + total.add(extra) + ", above the cap " + maxTotal);
                }
                totals.put(bucket, total.add(extra));
            }
            allowedById.put(idKey, request.amount());
            return PaymentDecision.allow();
        }

        @Override
        public String toString() {
            return "CapGuard[perPayment=" + maxPerPayment + ", total=" + (maxTotal == null ? "none" : maxTotal) + "]";
        }
    }
}
