package dev.forage.tools.compute.procure.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.policies.Money;
import dev.forage.tools.compute.Prices;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarketSimulationTest {

    @Test
    void theSameSeedGivesTheSameTable() {
        String first = SimulationReport.table(new MarketSimulation(SimParameters.defaults(42, 300)).run());
        String second = SimulationReport.table(new MarketSimulation(SimParameters.defaults(42, 300)).run());
        String other = SimulationReport.table(new MarketSimulation(SimParameters.defaults(43, 300)).run());
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void theReportedRunMeetsTheTargets() {
        // The configuration SIMULATION.md reports: seed 1, 1,000 jobs (under a second once warm).
        List<MarketSimulation.Totals> rows = new MarketSimulation(SimParameters.defaults(1, 1000)).run();
        MarketSimulation.Totals forage = rows.get(0);
        MarketSimulation.Totals cheapest = rows.get(1);
        MarketSimulation.Totals hyper = rows.get(2);

        assertThat(SimulationReport.targets(rows)).as("targets, seed 1").allMatch(t -> t.startsWith("PASS"));
        assertThat(SimulationReport.shareOfHyperscaler(forage, hyper)).isLessThanOrEqualTo(new BigDecimal("0.45"));
        assertThat(forage.verifiedShare()).isGreaterThanOrEqualTo(0.999);
        assertThat(cheapest.costPerVerifiedUsd()).isGreaterThan(forage.costPerVerifiedUsd());
        assertThat(forage.wrongAccepted()).isLessThan(cheapest.wrongAccepted());
    }

    @Test
    void theWorldIsDrawnAsDocumented() {
        SimWorld world = new SimWorld(SimParameters.defaults(7, 50));
        assertThat(world.providers).hasSize(20);
        assertThat(world.providers.stream().filter(SimProvider::dishonest).count()).isEqualTo(4);
        assertThat(world.providers.stream().filter(SimProvider::dishonest))
                .allMatch(p -> p.kind() == SimParameters.Kind.DEPIN && p.cheat() >= 0.3 && p.cheat() <= 1.0);
        assertThat(world.providers.stream().filter(p -> p.kind() == SimParameters.Kind.DATACENTRE))
                .extracting(p -> p.offer().pricePerHour().toDecimalString()).containsExactly("4.29", "3.99", "6.16");
        assertThat(world.providers.stream().filter(p -> p.kind() == SimParameters.Kind.DEPIN))
                .allMatch(p -> p.jobFailure() >= 0.005 && p.jobFailure() <= 0.20)
                .allMatch(p -> p.availability() >= 0.95 && p.availability() <= 0.998);
        assertThat(world.providers.stream().filter(p -> p.offer().market().equals("ionet")))
                .allMatch(p -> p.offer().minimumCharge().equals(p.offer().pricePerHour()));
        assertThat(world.jobs).hasSize(50)
                .allMatch(d -> d.compareTo(Duration.ofMinutes(15)) >= 0 && d.compareTo(Duration.ofHours(4)) <= 0);
    }

    @Test
    void verificationCostsPTimesTheComputeAtTheVerifiersPriceAndCatchesByItems() {
        SimWorld world = new SimWorld(SimParameters.defaults(1, 10));
        // 1 h at p = 0.1 and $6.88: $0.688. 1 h has 32 items; 15 min has 8 (the floor).
        assertThat(world.verificationCost(Duration.ofHours(1))).isEqualTo(Prices.usd(new BigDecimal("0.688"), SimWorld.USDC));
        assertThat(world.items(Duration.ofHours(1))).isEqualTo(32);
        assertThat(world.items(Duration.ofMinutes(15))).isEqualTo(8);
        SimProvider cheat = world.providers.stream().filter(SimProvider::dishonest).findFirst().orElseThrow();
        assertThat(world.trueVerify(cheat, Duration.ofHours(1))).isEqualTo(1.0 - cheat.cheat() * (1.0 - Math.pow(0.9, 32)));
    }

    @Test
    void theHyperscalerPaysItsPriceForEveryHour() {
        MarketSimulation sim = new MarketSimulation(SimParameters.defaults(3, 100));
        MarketSimulation.Totals hyper = sim.hyperscaler();
        Money expected = Money.zero(SimWorld.USDC);
        for (Duration d : sim.world().jobs) {
            expected = expected.plus(Prices.prorate(Prices.usd(new BigDecimal("6.88"), SimWorld.USDC), d));
        }
        assertThat(hyper.total()).isEqualTo(expected);
        assertThat(hyper.verified()).isEqualTo(100);
        assertThat(hyper.verification().isZero()).isTrue();
    }

    @Test
    void everyAttemptIsAccountedFor() {
        MarketSimulation sim = new MarketSimulation(SimParameters.defaults(5, 200));
        for (MarketSimulation.Totals t : List.of(sim.forage(), sim.cheapestFirst(), sim.oracle())) {
            assertThat(t.attemptsByProvider().values().stream().mapToInt(Integer::intValue).sum()).as(t.strategy())
                    .isEqualTo(t.attempts());
            assertThat(t.verifiedByProvider().values().stream().mapToInt(Integer::intValue).sum()).as(t.strategy())
                    .isEqualTo(t.verified());
            assertThat(t.attempts()).as(t.strategy()).isBetween(t.jobs(), 5 * t.jobs());
        }
    }
}
