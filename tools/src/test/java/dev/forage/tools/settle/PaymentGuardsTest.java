package dev.forage.tools.settle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.tools.settle.spi.PaymentDecision;
import dev.forage.tools.settle.spi.PaymentGuard;
import dev.forage.tools.settle.spi.PaymentRequest;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class PaymentGuardsTest {

    private static final Address PAYER = Address.parse("0x857b06519E91e3A54538791bDbb0E22373e36b66");
    private static final Address PAYEE = Address.parse("0x209693Bc6afc0C5328bA36FaF03C514EF312287C");
    private static final Address TOKEN = Address.parse("0x036CbD53842c5426634e7929541eC2318f3dCF7e");

    @Test
    void capsDenyAbovePerPaymentAndAboveTheTotal() {
        PaymentGuard guard = PaymentGuards.caps(BigInteger.valueOf(100), BigInteger.valueOf(250));

        assertThat(guard.check(request("a", 100)).allowed()).isTrue();
        assertThat(guard.check(request("b", 101)).reasons()).singleElement().asString().contains("per-payment cap 100");
        assertThat(guard.check(request("c", 100)).allowed()).isTrue();
        assertThat(guard.check(request("d", 51)).reasons()).singleElement().asString().contains("above the cap 250");
        assertThat(guard.check(request("e", 50)).allowed()).isTrue();
    }

    @Test
    void aRetryOfTheSamePaymentIsCountedOnce() {
        PaymentGuard guard = PaymentGuards.caps(BigInteger.valueOf(100), BigInteger.valueOf(150));

        assertThat(guard.check(request("same", 100)).allowed()).isTrue();
        assertThat(guard.check(request("same", 100)).allowed()).as("the retry").isTrue();
        assertThat(guard.check(request("other", 60)).allowed()).as("100 + 60 > 150").isFalse();
        assertThat(guard.check(request("other", 50)).allowed()).isTrue();
    }

    @Test
    void requireFailsClosed() {
        PaymentGuard throwing = r -> {
            throw new IllegalStateException("policy store down");
        };

        assertThatThrownBy(() -> PaymentGuards.require(throwing, request("x", 1)))
                .isInstanceOf(PaymentDeniedException.class).hasMessageContaining("fails closed").hasMessageContaining("policy store down");
        assertThatThrownBy(() -> PaymentGuards.require(r -> null, request("x", 1))).isInstanceOf(PaymentDeniedException.class);
        assertThatThrownBy(() -> PaymentGuards.require(PaymentGuards.denyAll("no"), request("x", 1)))
                .isInstanceOfSatisfying(PaymentDeniedException.class, e -> {
                    assertThat(e.reasons()).containsExactly("no");
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.request().id()).isEqualTo("x");
                });
        PaymentGuards.require(PaymentGuards.allowAll(), request("x", 1));
    }

    @Test
    void aDenialNeedsAReasonAndRequestsAreValidated() {
        assertThatThrownBy(PaymentDecision::deny).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> request("", 1)).hasMessageContaining("idempotency key");
        assertThatThrownBy(() -> request("k", -1)).hasMessageContaining("zero or more");
        assertThatThrownBy(() -> new PaymentRequest("k", "Pay Now", PAYER, PAYEE, TOKEN, ChainId.eip155(1), BigInteger.ONE, "", "exact"))
                .hasMessageContaining("dotted lower case");
    }

    private static PaymentRequest request(String id, long amount) {
        return new PaymentRequest(id, PaymentRequest.X402, PAYER, PAYEE, TOKEN, ChainId.eip155(84532), BigInteger.valueOf(amount),
                "https://api.example.com/data", "exact");
    }
}
