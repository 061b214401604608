package dev.forage.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.policies.ledger.BudgetLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's policy documents load, and its Java example compiles and runs (it is copied here verbatim). */
class ReadmeExampleTest {

    private static final Path README = Path.of("README.md");

    static List<String> readmePolicies() throws Exception {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(README));
        while (m.find()) {
            if (m.group(1).startsWith("apiVersion:")) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    @Test
    void every_policy_document_in_the_readme_loads() throws Exception {
        List<String> docs = readmePolicies();

        assertThat(docs).isNotEmpty();
        for (String doc : docs) {
            PolicyEngine engine = PolicyEngine.builder(BudgetLedger.inMemory(Clock.systemUTC()))
                    .source(PolicySource.of("README.md", doc)).build();
            assertThat(engine.current().rules()).isPositive();
        }
    }

    @Test
    void the_java_example_runs(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), readmePolicies().get(0));

        // --- README example, verbatim ---
        Asset usdc = Asset.erc20("USDC", 6, "eip155:8453", "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
        BudgetLedger ledger = BudgetLedger.sqlite(dir.resolve("ledger.db"), Clock.systemUTC());
        PolicyEngine engine = PolicyEngine.builder(ledger)
                .assets(Assets.of(usdc))
                .source(PolicySource.file(dir.resolve("policy.yaml")))
                .build();
        SpendIntent intent = SpendIntent.builder()
                .id("lease-7f3a").agent("agent-1").action("compute.lease")
                .counterparty("provider-a").market("akash")
                .amount(Money.of(usdc, "2.50")).unitPrice(Money.of(usdc, "1.25"), "gpu-hour")
                .attribute("gpu", "A100").time(Instant.now()).build();
        String outcome = switch (engine.decide(intent, Context.of(new CounterpartyStats(40, 0.97, 0, 80)))) {
            case Decision.Allow allow -> {
                ledger.reserve(engine.reserveRequest(intent, Duration.ofMinutes(10)));
                // ... lease, verify ...
                yield ledger.post(intent.id(), Money.of(usdc, "2.10")).toString();
            }
            case Decision.RequireApproval approval -> "ask a human: " + approval.request().summary();
            case Decision.Deny deny -> "denied: " + deny.reasons();
        };
        // --- end of example ---

        assertThat(outcome).startsWith("Posted[");
        assertThat(ledger.find("lease-7f3a").orElseThrow().posted()).isEqualTo(Money.of(usdc, "2.10"));
        ledger.close();
    }
}
