package dev.forage.policies.ledger;

import dev.forage.policies.ledger.Reservation.State;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately naive reference ledger for property tests: it keeps every reservation in a
 * map and recomputes usage by scanning them all, so its answers are easy to trust.
 */
final class LedgerModel {

    static final class Res {
        final String id;
        final BigInteger amount;
        final List<BudgetLine> lines;
        final Duration ttl;
        final Instant createdAt;
        final Instant expiresAt;
        State state = State.PENDING;
        BigInteger posted = BigInteger.ZERO;

        Res(String id, BigInteger amount, List<BudgetLine> lines, Duration ttl, Instant createdAt) {
            this.id = id;
            this.amount = amount;
            this.lines = lines;
            this.ttl = ttl;
            this.createdAt = createdAt;
            this.expiresAt = createdAt.plus(ttl);
        }
    }

    final Map<String, Res> byId = new HashMap<>();

    void expire(Instant now) {
        for (Res r : byId.values()) {
            if (r.state == State.PENDING && !r.expiresAt.isAfter(now)) {
                r.state = State.EXPIRED;
            }
        }
    }

    /** {reserved, spent} of the account {@code line} maps to at {@code now}. */
    BigInteger[] usage(BudgetLine line, Instant now) {
        BigInteger reserved = BigInteger.ZERO;
        BigInteger spent = BigInteger.ZERO;
        String account = line.account(now);
        for (Res r : byId.values()) {
            boolean counts = r.lines.stream().anyMatch(l -> l.ref().equals(line.ref()) && l.account(r.createdAt).equals(account));
            if (!counts) {
                continue;
            }
            if (r.state == State.PENDING) {
                reserved = reserved.add(r.amount);
            } else if (r.state == State.POSTED) {
                boolean inWindow = !(line.window() instanceof BudgetWindow.Rolling rolling)
                        || r.createdAt.isAfter(now.minus(rolling.length()));
                if (inWindow) {
                    spent = spent.add(r.posted);
                }
            }
        }
        return new BigInteger[] {reserved, spent};
    }
}
