package dev.forage.tools.compute.procure;

import static dev.forage.tools.compute.procure.Fixtures.offer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.tools.compute.ComputeMarket;
import dev.forage.tools.compute.ComputeSpec;
import dev.forage.tools.compute.Lease;
import dev.forage.tools.compute.LeaseTerms;
import dev.forage.tools.compute.Offer;
import dev.forage.tools.http.RemoteCallException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HedgedQuotesTest {

    private static final ComputeSpec SPEC = ComputeSpec.of("h100", 1, Duration.ofHours(1));
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A market whose offers call runs {@code body} on the asking thread, remembering that thread. */
    private static final class FakeMarket implements ComputeMarket {
        final String id;
        final Body body;
        final CountDownLatch called = new CountDownLatch(1);
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final CountDownLatch interrupted = new CountDownLatch(1);

        interface Body {
            List<Offer> run(FakeMarket self) throws Exception;
        }

        FakeMarket(String id, Body body) {
            this.id = id;
            this.body = body;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public List<Offer> offers(ComputeSpec spec) {
            thread.set(Thread.currentThread());
            called.countDown();
            try {
                return body.run(this);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw new IllegalStateException("interrupted while quoting", e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Waits until this market's asking thread has ended (its answer is then recorded). */
        void awaitDone() throws InterruptedException {
            assertThat(called.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as(id + " was asked").isTrue();
            thread.get().join(WAIT);
            assertThat(thread.get().isAlive()).as(id + "'s thread ended").isFalse();
        }

        @Override
        public Lease lease(Offer offer, LeaseTerms terms) {
            throw new UnsupportedOperationException("quotes only");
        }

        @Override
        public Lease status(Lease lease) {
            throw new UnsupportedOperationException("quotes only");
        }

        @Override
        public Lease extend(Lease lease, Duration more) {
            throw new UnsupportedOperationException("quotes only");
        }

        @Override
        public Lease release(Lease lease) {
            throw new UnsupportedOperationException("quotes only");
        }
    }

    private static FakeMarket answering(String id, Offer... offers) {
        return new FakeMarket(id, self -> List.of(offers));
    }

    private static FakeMarket failing(String id) {
        return new FakeMarket(id, self -> {
            throw RemoteCallException.ofStatus(id, "offers", 503, "{\"error\":\"maintenance\"}", java.util.Optional.empty());
        });
    }

    /** A market that answers only when {@code release} opens, ignoring interrupts if {@code stubborn}. */
    private static FakeMarket slow(String id, CountDownLatch release, boolean stubborn, Offer offer) {
        return new FakeMarket(id, self -> {
            if (stubborn) {
                while (true) {
                    try {
                        release.await();
                        break;
                    } catch (InterruptedException ignored) {
                        self.interrupted.countDown();
                    }
                }
            } else {
                release.await();
            }
            return List.of(offer);
        });
    }

    @Test
    void theRoundKeepsWhatArrivedBeforeTheDeadlineAndLeavesOutFailedAndLateMarkets() throws Exception {
        // Given a market that answers, one that fails with a 503 and one that is still working at the deadline.
        Offer a1 = offer("akash", "p1", "2.58");
        Offer a2 = offer("akash", "p2", "2.71");
        CountDownLatch never = new CountDownLatch(1);
        FakeMarket fast = answering("akash", a1, a2);
        FakeMarket broken = failing("ionet");
        FakeMarket stuck = slow("hyperbolic", never, false, offer("hyperbolic", "h", "1.99"));
        CompletableFuture<Void> deadline = new CompletableFuture<>();
        HedgedQuotes quotes = new HedgedQuotes(List.of(stuck, fast, broken), Duration.ofSeconds(2), after -> deadline);

        // When the deadline passes once the fast and the broken market are done.
        CompletableFuture<QuoteRound> round = CompletableFuture.supplyAsync(() -> quotes.request(SPEC));
        fast.awaitDone();
        broken.awaitDone();
        assertThat(round).isNotDone();
        deadline.complete(null);
        QuoteRound r = round.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // Then.
        assertThat(r.offers()).containsExactly(a1, a2);
        assertThat(r.answered()).containsExactly("akash");
        assertThat(r.failed()).containsOnlyKeys("ionet");
        assertThat(r.failed().get("ionet")).contains("503");
        assertThat(r.late()).containsExactly("hyperbolic");
        assertThat(stuck.interrupted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the late market's call is interrupted").isTrue();
        assertThat(quotes.tally()).containsEntry("akash", new HedgedQuotes.Counts(1, 0, 0))
                .containsEntry("ionet", new HedgedQuotes.Counts(0, 1, 0))
                .containsEntry("hyperbolic", new HedgedQuotes.Counts(0, 0, 1));
    }

    @Test
    void aLateAnswerThatArrivesAfterTheRoundIsIgnored() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeMarket stubborn = slow("hyperbolic", release, true, offer("hyperbolic", "h", "1.99"));
        FakeMarket fast = answering("akash", offer("akash", "p1", "2.58"));
        CompletableFuture<Void> deadline = new CompletableFuture<>();
        HedgedQuotes quotes = new HedgedQuotes(List.of(fast, stubborn), Duration.ofSeconds(2), after -> deadline);

        CompletableFuture<QuoteRound> round = CompletableFuture.supplyAsync(() -> quotes.request(SPEC));
        fast.awaitDone();
        assertThat(stubborn.called.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        deadline.complete(null);
        QuoteRound r = round.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // The stubborn market ignores the interrupt and answers after all.
        release.countDown();
        stubborn.awaitDone();

        assertThat(r.offers()).extracting(Offer::market).containsExactly("akash");
        assertThat(r.late()).containsExactly("hyperbolic");
        assertThat(quotes.tally().get("hyperbolic")).isEqualTo(new HedgedQuotes.Counts(0, 0, 1));
    }

    @Test
    void marketsAreAskedConcurrentlyAndTheRoundEndsWhenAllHaveAnswered() throws Exception {
        // Each market answers only once both have been asked: a sequential caller would hang here.
        CountDownLatch bothAsked = new CountDownLatch(2);
        FakeMarket.Body meetThenAnswer = self -> {
            bothAsked.countDown();
            bothAsked.await();
            return List.of(offer(self.id, self.id + "-p", "2.40"));
        };
        FakeMarket vast = new FakeMarket("vast", meetThenAnswer);
        FakeMarket runpod = new FakeMarket("runpod", meetThenAnswer);
        CompletableFuture<Void> never = new CompletableFuture<>();
        HedgedQuotes quotes = new HedgedQuotes(List.of(vast, runpod), Duration.ofHours(1), after -> never);

        QuoteRound r = CompletableFuture.supplyAsync(() -> quotes.request(SPEC)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(r.answered()).containsExactly("runpod", "vast");
        assertThat(r.offers()).extracting(Offer::market).containsExactly("vast", "runpod");
        assertThat(r.late()).isEmpty();
        assertThat(never).as("the round ended before its deadline and let the timer go").isCancelled();
        assertThat(vast.thread.get().isVirtual()).isTrue();
    }

    @Test
    void aRealDeadlineCutsASlowMarketOffQuickly() throws Exception {
        // The one real-time test: a 100 ms deadline against a market that never answers.
        CountDownLatch never = new CountDownLatch(1);
        HedgedQuotes quotes = new HedgedQuotes(List.of(answering("akash", offer("akash", "p1", "2.58")),
                slow("vast", never, false, offer("vast", "v", "2.40"))), Duration.ofMillis(100), QuoteDeadline.realTime());

        long start = System.nanoTime();
        QuoteRound r = quotes.request(SPEC);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.answered()).containsExactly("akash");
        assertThat(r.late()).containsExactly("vast");
        assertThat(tookMillis).isBetween(90L, 2_000L);
    }

    @Test
    void aMarketGivenTwiceOrNoDeadlineIsRefused() {
        FakeMarket a = answering("akash");
        assertThatThrownBy(() -> new HedgedQuotes(List.of(a, answering("akash")), Duration.ofSeconds(1), QuoteDeadline.realTime()))
                .hasMessageContaining("'akash' is given twice");
        assertThatThrownBy(() -> new HedgedQuotes(List.of(a), Duration.ZERO, QuoteDeadline.realTime()))
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> new HedgedQuotes(List.of(), Duration.ofSeconds(1), QuoteDeadline.realTime()))
                .hasMessageContaining("at least one market");
    }
}
