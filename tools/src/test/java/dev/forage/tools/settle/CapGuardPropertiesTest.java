package dev.forage.tools.settle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.tools.settle.spi.PaymentGuard;
import dev.forage.tools.settle.spi.PaymentRequest;
import dev.forage.tools.testing.Cases;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The cap guard never lets the total of distinct payments exceed its caps, however they are retried. */
class CapGuardPropertiesTest {

    private static final Address PAYER = Address.parse("0x857b06519E91e3A54538791bDbb0E22373e36b66");
    private static final Address PAYEE = Address.parse("0x209693Bc6afc0C5328bA36FaF03C514EF312287C");
    private static final Address TOKEN = Address.parse("0x036CbD53842c5426634e7929541eC2318f3dCF7e");

    /** Up to 60 payment ids (0 to 9, so retries repeat them), up to 60 amounts (0 to 500) and the two caps. */
    record Input(List<Integer> ids, List<Integer> amounts, int perPayment, int total) {}

    static Input input(RandomGenerator random) {
        List<Integer> ids = new ArrayList<>();
        for (int n = random.nextInt(61); n > 0; n--) {
            ids.add(random.nextInt(10));
        }
        List<Integer> amounts = new ArrayList<>();
        for (int n = random.nextInt(61); n > 0; n--) {
            amounts.add(random.nextInt(10) == 0 ? (random.nextBoolean() ? 0 : 500) : random.nextInt(501));
        }
        int perPayment = random.nextInt(10) == 0 ? (random.nextBoolean() ? 0 : 300) : random.nextInt(301);
        int total = random.nextInt(10) == 0 ? (random.nextBoolean() ? 0 : 2_000) : random.nextInt(2_001);
        return new Input(ids, amounts, perPayment, total);
    }

    static LongStream allowedPaymentsStayWithinBothCaps() {
        return Cases.seeds(1000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource
    void allowedPaymentsStayWithinBothCaps(long seed) {
        Input in = input(Cases.random(seed));
        Cases.check(seed, in, () -> {
            PaymentGuard guard = PaymentGuards.caps(BigInteger.valueOf(in.perPayment()), BigInteger.valueOf(in.total()));
            Map<Integer, Integer> allowedById = new HashMap<>();
            int n = Math.min(in.ids().size(), in.amounts().size());

            for (int i = 0; i < n; i++) {
                int id = in.ids().get(i);
                int amount = in.amounts().get(i);
                if (guard.check(request("p" + id, amount)).allowed()) {
                    assertThat(amount).isLessThanOrEqualTo(in.perPayment());
                    allowedById.merge(id, amount, Math::max);
                }
            }

            assertThat(allowedById.values().stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(in.total());
        });
    }

    private static PaymentRequest request(String id, long amount) {
        return new PaymentRequest(id, PaymentRequest.TRANSFER, PAYER, PAYEE, TOKEN, ChainId.eip155(31337), BigInteger.valueOf(amount),
                "", "transfer");
    }
}
