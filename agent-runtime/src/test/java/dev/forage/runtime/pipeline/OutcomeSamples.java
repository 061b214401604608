package dev.forage.runtime.pipeline;

import dev.forage.policies.Asset;
import dev.forage.policies.Decision;
import dev.forage.policies.Money;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.approval.ApprovalRequest;
import dev.forage.policies.approval.ApprovalStatus;
import dev.forage.policies.ledger.Reservation;
import dev.forage.tools.verify.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One value of every outcome, for tests that go over all of them. */
final class OutcomeSamples {

    private OutcomeSamples() {}

    static List<Outcome<String>> all() {
        Asset usdc = Asset.erc20("USDC", 6, "eip155:31337", ChainFixture.TOKEN);
        Instant t = Instant.parse("2026-11-26T12:00:00Z");
        SpendIntent i = SpendIntent.builder().id("s").agent("a").action("payment.x402").counterparty("p").market("x402")
                .amount(Money.of(usdc, "0.10")).time(t).build();
        Reservation r = new Reservation("s", i.amount(), List.of(), Duration.ofMinutes(1), t, t.plusSeconds(60),
                Reservation.State.POSTED, i.amount(), Optional.of(t));
        Paid paid = Paid.of(i.amount(), "0x01");
        Verdict.Fail fail = new Verdict.Fail(0, "re-execution", Verdict.Evidence.of("none"), "wrong");
        return List.of(
                new Outcome.Refused<>(i, new Decision.Deny("s", List.of(), List.of("no"), List.of())),
                new Outcome.AwaitingApproval<>(i, new ApprovalRequest("r", "s", i.digest(), "a", "x", List.of(), List.of(), t,
                        t.plusSeconds(60), new ApprovalStatus.Pending())),
                new Outcome.OverBudget<>(i, "full"),
                new Outcome.Replayed<>(i, r),
                new Outcome.ReplayRefused<>(i, r),
                new Outcome.Failed<>(i, "execute", new IllegalStateException("x"), Optional.empty()),
                new Outcome.Aborted<>(i, "audit down"),
                new Outcome.Rejected<>(i, "r", fail, Optional.empty()),
                new Outcome.InDoubt<>(i, "execute", new IllegalStateException("x")),
                new Outcome.Discrepancy<>(i, paid, "expired"),
                new Outcome.Done<>(i, "r", Optional.of(paid), Optional.empty()));
    }
}
