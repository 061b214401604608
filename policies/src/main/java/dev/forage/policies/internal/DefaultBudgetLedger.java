package dev.forage.policies.internal;

import dev.forage.policies.IdempotencyConflictException;
import dev.forage.policies.InvalidValueException;
import dev.forage.policies.LedgerUnavailableException;
import dev.forage.policies.Money;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.BudgetLine;
import dev.forage.policies.ledger.BudgetUsage;
import dev.forage.policies.ledger.BudgetWindow;
import dev.forage.policies.ledger.ReserveRequest;
import dev.forage.policies.ledger.ReserveResult;
import dev.forage.policies.ledger.Reservation;
import dev.forage.policies.ledger.Reservation.State;
import dev.forage.policies.ledger.ResolveResult;
import dev.forage.policies.ledger.ResolveResult.Refusal;
import dev.forage.policies.spi.LedgerStore;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ledger's state machine, in memory, behind one lock; durability is the store's job.
 *
 * <p>Why one lock: an operation is a few map updates (microseconds), and a single order of
 * operations makes "never over a limit" and "resolves at most once" true by construction,
 * as in TigerBeetle's single-threaded state machine. The slow part, the fsync, happens outside
 * the lock: the state changes and the write is queued under the lock, in the same order, and
 * the caller then waits for its write to be durable. Any other caller that observes the change
 * (a duplicate, a post after a reserve) waits for the same write, so no caller is ever told
 * about something that a crash could undo.
 *
 * <p>Times are truncated to milliseconds and never go backwards, so what is recovered from the
 * store equals what was in memory.
 */
public final class DefaultBudgetLedger implements BudgetLedger {

    private static final class Entry {
        Reservation current;
        CompletableFuture<Void> durable;

        Entry(Reservation current, CompletableFuture<Void> durable) {
            this.current = current;
            this.durable = durable;
        }
    }

    /** One budget account: reserved and spent totals, and for rolling windows when each spend was made. */
    private static final class Account {
        final BudgetWindow window;
        BigInteger reserved = BigInteger.ZERO;
        BigInteger spent = BigInteger.ZERO;
        final TreeMap<Instant, BigInteger> spentAt;

        Account(BudgetWindow window) {
            this.window = window;
            this.spentAt = window instanceof BudgetWindow.Rolling ? new TreeMap<>() : null;
        }

        BigInteger spent(Instant now) {
            if (window instanceof BudgetWindow.Rolling rolling) {
                Instant horizon = now.minus(rolling.length());
                while (!spentAt.isEmpty() && !spentAt.firstKey().isAfter(horizon)) {
                    spent = spent.subtract(spentAt.pollFirstEntry().getValue());
                }
            }
            return spent;
        }

        void addSpent(BigInteger amount, Instant madeAt, Instant now) {
            if (amount.signum() == 0) {
                return;
            }
            if (window instanceof BudgetWindow.Rolling rolling) {
                if (!madeAt.isAfter(now.minus(rolling.length()))) {
                    return; // already outside the window
                }
                spentAt.merge(madeAt, amount, BigInteger::add);
            }
            spent = spent.add(amount);
        }
    }

    /** An account name and the span of time it is valid for. */
    private record CachedAccount(Instant from, Instant until, String account) {}

    private static final int ACCOUNT_CACHE_LIMIT = 10_000;

    private final LedgerStore store;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Account> accounts = new HashMap<>();
    // Naming a calendar account means time-zone arithmetic; a decision names several.
    private final Map<BudgetLine, CachedAccount> accountNames = new HashMap<>();
    private final PriorityQueue<Reservation> expiries =
            new PriorityQueue<>(Comparator.comparing(Reservation::expiresAt));
    private Instant lastNow = Instant.EPOCH;
    private volatile Throwable failure;
    private volatile boolean closed;

    /**
     * Opens the ledger over {@code store}, recovering its reservations.
     *
     * @throws LedgerUnavailableException when the store cannot be read
     */
    public DefaultBudgetLedger(LedgerStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        lock.lock();
        try {
            Instant now = now();
            for (Reservation r : store.recover()) {
                entries.put(r.intentId(), new Entry(r, CompletableFuture.completedFuture(null)));
                switch (r.state()) {
                    case PENDING -> {
                        forEachAccount(r, (line, account) -> account.reserved = account.reserved.add(r.amount().units()));
                        expiries.add(r);
                    }
                    case POSTED -> forEachAccount(r, (line, account) -> account.addSpent(r.posted().units(), r.createdAt(), now));
                    case VOIDED, EXPIRED -> { }
                }
            }
            expireDueLocked(now);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ReserveResult reserve(ReserveRequest request) {
        ReserveResult result;
        CompletableFuture<Void> durable;
        lock.lock();
        try {
            requireUsable();
            Instant now = now();
            expireDueLocked(now);
            Entry existing = entries.get(request.intentId());
            if (existing != null) {
                requireSameReservation(existing.current, request);
                result = new ReserveResult.Reserved(existing.current);
                durable = existing.durable;
            } else {
                for (BudgetLine line : request.budgets()) {
                    Account account = accounts.get(accountOf(line, now));
                    if (account == null) {
                        if (request.amount().units().compareTo(line.limit().units()) > 0) {
                            return new ReserveResult.Exceeded(request.intentId(), request.amount(), line, usageOf(line, now, null));
                        }
                        continue;
                    }
                    BigInteger used = account.spent(now).add(account.reserved);
                    if (used.add(request.amount().units()).compareTo(line.limit().units()) > 0) {
                        return new ReserveResult.Exceeded(request.intentId(), request.amount(), line, usageOf(line, now, account));
                    }
                }
                Reservation r = new Reservation(
                        request.intentId(), request.amount(), request.budgets(), request.ttl(), now,
                        now.plus(request.ttl()).truncatedTo(ChronoUnit.MILLIS), State.PENDING,
                        Money.zero(request.amount().asset()), Optional.empty());
                forEachAccount(r, (line, account) -> account.reserved = account.reserved.add(r.amount().units()));
                expiries.add(r);
                durable = store.write(r);
                entries.put(r.intentId(), new Entry(r, durable));
                result = new ReserveResult.Reserved(r);
            }
        } finally {
            lock.unlock();
        }
        awaitDurable(durable);
        return result;
    }

    @Override
    public ResolveResult post(String intentId, Money actual) {
        ResolveResult result;
        CompletableFuture<Void> durable;
        lock.lock();
        try {
            requireUsable();
            Instant now = now();
            expireDueLocked(now);
            Entry e = entries.get(intentId);
            if (e == null) {
                return new ResolveResult.Refused(intentId, Refusal.NOT_FOUND, Optional.empty());
            }
            Reservation r = e.current;
            if (!actual.asset().equals(r.amount().asset())) {
                throw new InvalidValueException(
                        "post " + intentId + ": " + actual + " is in " + actual.asset() + " but the reservation is in "
                                + r.amount().asset() + ": post in the reserved asset");
            }
            durable = e.durable;
            result = switch (r.state()) {
                case POSTED -> {
                    if (!r.posted().equals(actual)) {
                        throw new IdempotencyConflictException(intentId,
                                "post " + intentId + ": already posted " + r.posted() + ", now asked to post " + actual
                                        + ": an intent is posted once; use a new intent id for a new spend");
                    }
                    yield new ResolveResult.Posted(r);
                }
                case VOIDED -> new ResolveResult.Refused(intentId, Refusal.ALREADY_VOIDED, Optional.of(r));
                case EXPIRED -> new ResolveResult.Refused(intentId, Refusal.EXPIRED, Optional.of(r));
                case PENDING -> {
                    if (actual.units().compareTo(r.amount().units()) > 0) {
                        yield new ResolveResult.Refused(intentId, Refusal.EXCEEDS_RESERVED, Optional.of(r));
                    }
                    Reservation posted = r.resolve(State.POSTED, actual, now);
                    forEachAccount(r, (line, account) -> {
                        account.reserved = account.reserved.subtract(r.amount().units());
                        account.addSpent(actual.units(), r.createdAt(), now);
                    });
                    durable = store.write(posted);
                    e.current = posted;
                    e.durable = durable;
                    yield new ResolveResult.Posted(posted);
                }
            };
        } finally {
            lock.unlock();
        }
        awaitDurable(durable);
        return result;
    }

    @Override
    public ResolveResult voidReservation(String intentId) {
        ResolveResult result;
        CompletableFuture<Void> durable;
        lock.lock();
        try {
            requireUsable();
            Instant now = now();
            expireDueLocked(now);
            Entry e = entries.get(intentId);
            if (e == null) {
                return new ResolveResult.Refused(intentId, Refusal.NOT_FOUND, Optional.empty());
            }
            Reservation r = e.current;
            durable = e.durable;
            result = switch (r.state()) {
                case VOIDED -> new ResolveResult.Voided(r);
                case POSTED -> new ResolveResult.Refused(intentId, Refusal.ALREADY_POSTED, Optional.of(r));
                case EXPIRED -> new ResolveResult.Refused(intentId, Refusal.EXPIRED, Optional.of(r));
                case PENDING -> {
                    Reservation voided = r.resolve(State.VOIDED, Money.zero(r.amount().asset()), now);
                    forEachAccount(r, (line, account) -> account.reserved = account.reserved.subtract(r.amount().units()));
                    durable = store.write(voided);
                    e.current = voided;
                    e.durable = durable;
                    yield new ResolveResult.Voided(voided);
                }
            };
        } finally {
            lock.unlock();
        }
        awaitDurable(durable);
        return result;
    }

    @Override
    public int expireDue() {
        lock.lock();
        try {
            requireUsable();
            return expireDueLocked(now());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public BudgetUsage usage(BudgetLine line) {
        lock.lock();
        try {
            requireUsable();
            Instant now = now();
            expireDueLocked(now);
            return usageOf(line, now, accounts.get(accountOf(line, now)));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Reservation> find(String intentId) {
        CompletableFuture<Void> durable;
        Reservation r;
        lock.lock();
        try {
            requireUsable();
            expireDueLocked(now());
            Entry e = entries.get(intentId);
            if (e == null) {
                return Optional.empty();
            }
            r = e.current;
            durable = e.durable;
        } finally {
            lock.unlock();
        }
        awaitDurable(durable);
        return Optional.of(r);
    }

    @Override
    public List<Reservation> pending() {
        lock.lock();
        try {
            requireUsable();
            expireDueLocked(now());
            List<Reservation> out = new ArrayList<>();
            for (Entry e : entries.values()) {
                if (e.current.isPending()) {
                    out.add(e.current);
                }
            }
            out.sort(Comparator.comparing(Reservation::createdAt).thenComparing(Reservation::intentId));
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        store.close();
    }

    private int expireDueLocked(Instant now) {
        int expired = 0;
        while (!expiries.isEmpty() && !expiries.peek().expiresAt().isAfter(now)) {
            Reservation due = expiries.poll();
            Entry e = entries.get(due.intentId());
            // Lazy removal: a posted or voided reservation stays queued until its time comes.
            if (e == null || !e.current.isPending()) {
                continue;
            }
            Reservation r = e.current;
            forEachAccount(r, (line, account) -> account.reserved = account.reserved.subtract(r.amount().units()));
            Reservation expiredState = r.resolve(State.EXPIRED, Money.zero(r.amount().asset()), now);
            e.current = expiredState;
            // Not awaited: if this write is lost, recovery expires the reservation again.
            e.durable = store.write(expiredState);
            expired++;
        }
        return expired;
    }

    private BudgetUsage usageOf(BudgetLine line, Instant now, Account account) {
        Money zero = Money.zero(line.limit().asset());
        if (account == null) {
            return new BudgetUsage(accountOf(line, now), line.limit(), zero, zero);
        }
        return new BudgetUsage(
                accountOf(line, now),
                line.limit(),
                Money.ofUnits(line.limit().asset(), account.spent(now)),
                Money.ofUnits(line.limit().asset(), account.reserved));
    }

    private interface AccountAction {
        void apply(BudgetLine line, Account account);
    }

    private void forEachAccount(Reservation r, AccountAction action) {
        for (BudgetLine line : r.budgets()) {
            Account account = accounts.computeIfAbsent(accountOf(line, r.createdAt()), k -> new Account(line.window()));
            action.apply(line, account);
        }
    }

    private String accountOf(BudgetLine line, Instant at) {
        CachedAccount cached = accountNames.get(line);
        if (cached != null && !at.isBefore(cached.from()) && at.isBefore(cached.until())) {
            return cached.account();
        }
        String account = line.account(at);
        CachedAccount next = line.window() instanceof BudgetWindow.Calendar calendar
                ? new CachedAccount(calendar.periodStart(at), calendar.periodEnd(at), account)
                : new CachedAccount(Instant.MIN, Instant.MAX, account);
        if (accountNames.size() >= ACCOUNT_CACHE_LIMIT) {
            accountNames.clear();
        }
        accountNames.put(line, next);
        return account;
    }

    private static void requireSameReservation(Reservation first, ReserveRequest again) {
        List<String> differences = new ArrayList<>();
        if (!first.amount().equals(again.amount())) {
            differences.add("amount " + first.amount() + " then " + again.amount());
        }
        if (!first.ttl().equals(again.ttl())) {
            differences.add("ttl " + first.ttl() + " then " + again.ttl());
        }
        Set<String> firstRefs = new HashSet<>();
        first.budgets().forEach(b -> firstRefs.add(b.ref()));
        Set<String> againRefs = new HashSet<>();
        again.budgets().forEach(b -> againRefs.add(b.ref()));
        if (!firstRefs.equals(againRefs)) {
            differences.add("budgets " + firstRefs + " then " + againRefs);
        }
        if (!differences.isEmpty()) {
            throw new IdempotencyConflictException(first.intentId(),
                    "reserve " + first.intentId() + " was already made with other arguments (" + String.join(", ", differences)
                            + "): an intent id names one spend; derive a new id for a different one");
        }
    }

    private Instant now() {
        Instant t = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (t.isAfter(lastNow)) {
            lastNow = t;
        }
        return lastNow;
    }

    private void requireUsable() {
        if (closed) {
            throw new LedgerUnavailableException("the budget ledger is closed: open a new one");
        }
        Throwable failed = failure;
        if (failed != null) {
            throw new LedgerUnavailableException(
                    "the budget ledger stopped after a storage failure (" + failed.getMessage()
                            + "): reopen it to recover from the durable state", failed);
        }
    }

    private void awaitDurable(CompletableFuture<Void> durable) {
        try {
            durable.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            failure = cause;
            if (cause instanceof LedgerUnavailableException lue) {
                throw lue;
            }
            throw new LedgerUnavailableException(
                    "the budget ledger could not make a change durable (" + cause.getMessage() + "): reopen it", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException(
                    "interrupted while waiting for the ledger to make a change durable; the change may or may not be durable:"
                            + " repeat the call with the same arguments to find out", e);
        }
    }
}
