package dev.forage.tools.compute.procure;

import dev.forage.tools.compute.ComputeMarket;
import dev.forage.tools.compute.ComputeSpec;
import dev.forage.tools.compute.Offer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks every market for offers at once and takes what arrives before a deadline: each market is
 * asked on a virtual thread of its own; at the deadline (or when all have answered, if sooner)
 * the round is over. A market that failed is left out with its message; one still working is
 * left out as late, its thread is interrupted and its eventual answer ignored. So one slow or
 * broken market never holds up procurement, in the spirit of hedged requests (Dean and Barroso,
 * "The Tail at Scale", 2013), here sent to every market from the start because a quote costs
 * nothing.
 *
 * <p>Per-market counts of answered, failed and late rounds are kept ({@link #tally()}), for
 * metrics and for noticing a market that is always late.
 */
public final class HedgedQuotes {

    private final List<ComputeMarket> markets;
    private final Duration deadline;
    private final QuoteDeadline timer;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

    /**
     * @param markets the markets to ask, at least one, ids unique
     * @param deadline how long a round waits, positive
     * @param timer what measures the deadline ({@link QuoteDeadline#realTime()} outside tests)
     */
    public HedgedQuotes(List<ComputeMarket> markets, Duration deadline, QuoteDeadline timer) {
        this.markets = List.copyOf(markets);
        if (this.markets.isEmpty()) {
            throw new IllegalArgumentException("hedged quotes need at least one market");
        }
        Set<String> ids = new HashSet<>();
        for (ComputeMarket m : this.markets) {
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("market id '" + m.id() + "' is given twice; each market once");
            }
        }
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("quote deadline " + deadline + " must be positive, e.g. PT2S");
        }
        this.deadline = deadline;
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    /** Asks every market for offers for {@code spec} and returns what arrived before the deadline. */
    public QuoteRound request(ComputeSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Map<ComputeMarket, CompletableFuture<List<Offer>>> asked = new LinkedHashMap<>();
        Map<ComputeMarket, Thread> threads = new LinkedHashMap<>();
        for (ComputeMarket market : markets) {
            CompletableFuture<List<Offer>> answer = new CompletableFuture<>();
            threads.put(market, Thread.ofVirtual().name("quote-" + market.id()).start(() -> {
                try {
                    answer.complete(List.copyOf(market.offers(spec)));
                } catch (Throwable t) {
                    answer.completeExceptionally(t);
                }
            }));
            asked.put(market, answer);
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new));
        CompletableFuture<Void> stop = timer.start(deadline);
        try {
            CompletableFuture.anyOf(all, stop).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // allOf fails as soon as every market is done and one of them failed: that is an end too.
        }
        List<Offer> offers = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        Map<String, String> failed = new LinkedHashMap<>();
        Set<String> late = new HashSet<>();
        for (Map.Entry<ComputeMarket, CompletableFuture<List<Offer>>> e : asked.entrySet()) {
            String id = e.getKey().id();
            CompletableFuture<List<Offer>> answer = e.getValue();
            // Freeze the answer: whatever arrives after this is ignored.
            if (answer.cancel(false)) {
                late.add(id);
                threads.get(e.getKey()).interrupt();
                tally(id).late.incrementAndGet();
                continue;
            }
            try {
                offers.addAll(answer.join());
                answered.add(id);
                tally(id).answered.incrementAndGet();
            } catch (CompletionException | CancellationException ex) {
                Throwable cause = ex.getCause() == null ? ex : ex.getCause();
                failed.put(id, cause.toString());
                tally(id).failed.incrementAndGet();
            }
        }
        stop.cancel(false);
        return new QuoteRound(offers, answered, failed, late);
    }

    /** Per market id: how many rounds it answered, failed and was late in, since this object was made. */
    public Map<String, Counts> tally() {
        Map<String, Counts> out = new LinkedHashMap<>();
        for (ComputeMarket m : markets) {
            Tally t = tally(m.id());
            out.put(m.id(), new Counts(t.answered.get(), t.failed.get(), t.late.get()));
        }
        return out;
    }

    /**
     * One market's record over rounds.
     *
     * @param answered rounds it answered in time
     * @param failed rounds it failed in time
     * @param late rounds it missed the deadline in
     */
    public record Counts(long answered, long failed, long late) {}

    private Tally tally(String id) {
        return tallies.computeIfAbsent(id, k -> new Tally());
    }

    private static final class Tally {
        final AtomicLong answered = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong late = new AtomicLong();
    }
}
