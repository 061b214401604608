package dev.forage.policies;

/**
 * What the caller knows about a counterparty, for rules such as "require approval below 90%
 * success" or "deny after 3 failed verifications". The runtime supplies it from its own
 * records and, optionally, ERC-8004 reputation; the policy engine only reads it.
 *
 * @param observations how many past jobs the numbers are based on; 0 for a first-time
 *     counterparty
 * @param successRate the share of past jobs that succeeded and verified, 0.0 to 1.0
 * @param verificationFailures how many past results failed verification
 * @param reputation a reputation score, 0.0 to 100.0 (ERC-8004 feedback uses 0 to 100)
 */
public record CounterpartyStats(long observations, double successRate, long verificationFailures, double reputation) {

    private static final CounterpartyStats UNKNOWN = new CounterpartyStats(0, 0.0, 0, 0.0);

    public CounterpartyStats {
        if (observations < 0) {
            throw new InvalidValueException("counterparty observations " + observations + " must not be negative");
        }
        if (!(successRate >= 0.0 && successRate <= 1.0)) {
            throw new InvalidValueException("counterparty success rate " + successRate + " must be within 0.0 to 1.0");
        }
        if (verificationFailures < 0) {
            throw new InvalidValueException(
                    "counterparty verification failures " + verificationFailures + " must not be negative");
        }
        if (!(reputation >= 0.0 && reputation <= 100.0)) {
            throw new InvalidValueException("counterparty reputation " + reputation + " must be within 0.0 to 100.0");
        }
    }

    /** Nothing known: no observations, zero rates and score. */
    public static CounterpartyStats unknown() {
        return UNKNOWN;
    }
}
