package dev.forage.tools.compute.ionet;

import dev.forage.policies.Money;
import dev.forage.tools.compute.Prices;
import java.math.BigInteger;
import java.time.Duration;

/**
 * io.net's VMaaS cost model. A deployment is prepaid for whole hours; when it is deleted, io.net
 * keeps the first hour whatever happens ("the first hour is ALWAYS non-refundable"), after that
 * charges the exact time the cluster ran (not rounded to hours) and refunds the rest of the
 * prepaid time pro rata (io.net docs, VMaaS "Destroy Deployment": prepaid 3 h, deleted after
 * 1.2 h, charged 1.2 h, refunded 1.8 h). Charges round up to a whole base unit, so refunds round
 * down: a budget never counts on money that may not come back.
 */
public final class IonetBilling {

    private IonetBilling() {}

    /** What {@code hours} prepaid hours cost at {@code pricePerHour}. */
    public static Money prepaid(Money pricePerHour, long hours) {
        requireHours(hours);
        return Money.ofUnits(pricePerHour.asset(), pricePerHour.units().multiply(BigInteger.valueOf(hours)));
    }

    /**
     * What io.net keeps of a deployment prepaid for {@code prepaidHours} that ran for
     * {@code used}: at least the first hour, the exact running time beyond it, at most the
     * prepaid total.
     *
     * @throws IllegalArgumentException when {@code prepaidHours} is below 1 or {@code used} negative
     */
    public static Money charged(Money pricePerHour, long prepaidHours, Duration used) {
        Money prepaid = prepaid(pricePerHour, prepaidHours);
        if (used.isNegative()) {
            throw new IllegalArgumentException("used time " + used + " must not be negative");
        }
        Money ran = Prices.prorate(pricePerHour, used);
        Money atLeastAnHour = ran.compareTo(pricePerHour) >= 0 ? ran : pricePerHour;
        return atLeastAnHour.compareTo(prepaid) <= 0 ? atLeastAnHour : prepaid;
    }

    /** What comes back of the prepaid total when the deployment is deleted after {@code used}. */
    public static Money refund(Money pricePerHour, long prepaidHours, Duration used) {
        return prepaid(pricePerHour, prepaidHours).minus(charged(pricePerHour, prepaidHours, used));
    }

    private static void requireHours(long hours) {
        if (hours < 1) {
            throw new IllegalArgumentException("prepaid hours " + hours + " must be at least 1");
        }
    }
}
