package dev.forage.tools.inference;

import dev.forage.policies.Money;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A model's price per million tokens, in the billing asset.
 *
 * @param inputPerMillion per million prompt tokens
 * @param outputPerMillion per million generated tokens
 */
public record TokenPrice(Money inputPerMillion, Money outputPerMillion) {

    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);

    public TokenPrice {
        Objects.requireNonNull(inputPerMillion, "inputPerMillion");
        Objects.requireNonNull(outputPerMillion, "outputPerMillion");
        if (!inputPerMillion.asset().equals(outputPerMillion.asset())) {
            throw new IllegalArgumentException("input and output prices must be in one asset, got " + inputPerMillion.asset()
                    + " and " + outputPerMillion.asset());
        }
    }

    /** The cost of {@code usage}, exact and rounded up to a whole base unit. */
    public Money costOf(Usage usage) {
        BigInteger micro = inputPerMillion.units().multiply(BigInteger.valueOf(usage.promptTokens()))
                .add(outputPerMillion.units().multiply(BigInteger.valueOf(usage.completionTokens())));
        BigInteger[] qr = micro.divideAndRemainder(MILLION);
        return Money.ofUnits(inputPerMillion.asset(), qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE));
    }
}
