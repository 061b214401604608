package dev.forage.tools.settle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.tools.settle.spi.PaymentGuard;
import dev.forage.tools.settle.spi.PaymentRequest;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The cap guard never lets the total of distinct payments exceed its caps, however they are retried. */
class CapGuardPropertiesTest {

    private static final Address PAYER = Address.parse("0x857b06519E91e3A54538791bDbb0E22373e36b66");
    private static final Address PAYEE = Address.parse("0x209693Bc6afc0C5328bA36FaF03C514EF312287C");
    private static final Address TOKEN = Address.parse("0x036CbD53842c5426634e7929541eC2318f3dCF7e");

    @Property
    void allowedPaymentsStayWithinBothCaps(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 9) Integer> ids,
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 500) Integer> amounts,
            @ForAll @IntRange(min = 0, max = 300) int perPayment,
            @ForAll @IntRange(min = 0, max = 2_000) int total) {
        PaymentGuard guard = PaymentGuards.caps(BigInteger.valueOf(perPayment), BigInteger.valueOf(total));
        Map<Integer, Integer> allowedById = new HashMap<>();
        int n = Math.min(ids.size(), amounts.size());

        for (int i = 0; i < n; i++) {
            int id = ids.get(i);
            int amount = amounts.get(i);
            if (guard.check(request("p" + id, amount)).allowed()) {
                assertThat(amount).isLessThanOrEqualTo(perPayment);
                allowedById.merge(id, amount, Math::max);
            }
        }

        assertThat(allowedById.values().stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(total);
    }

    private static PaymentRequest request(String id, long amount) {
        return new PaymentRequest(id, PaymentRequest.TRANSFER, PAYER, PAYEE, TOKEN, ChainId.eip155(31337), BigInteger.valueOf(amount),
                "", "transfer");
    }
}
