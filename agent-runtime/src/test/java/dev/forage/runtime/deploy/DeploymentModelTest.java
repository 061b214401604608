package dev.forage.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.forage.policies.Asset;
import dev.forage.policies.Assets;
import dev.forage.policies.Money;
import dev.forage.policies.PolicyEngine;
import dev.forage.policies.PolicyInfo;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.BudgetWindow;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a valid deployment reads into: every field, the defaults, and the amounts in the chain's assets. */
class DeploymentModelTest {

    static final Asset USDC = Asset.erc20("USDC", 6, "eip155:8453", "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913");

    static final String FULL = """
            apiVersion: forage.dev/v1
            kind: AgentDeployment
            metadata:
              name: full
              labels: {team: research, 'app.forage.dev/tier': gold}
            spec:
              identity:
                keystore: keys/full.json
                passwordFile: secrets/password.txt
                register: true
                registration:
                  description: Does everything
                  services:
                    - {name: A2A, endpoint: https://agents.example.com/a2a, version: "0.3"}
                    - {name: web, endpoint: https://example.com}
              chain:
                rpcUrl: https://mainnet.base.org
                chainId: eip155:8453
                token: 0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913
                tokenDomain: {name: USD Coin, version: "2"}
              planner:
                kind: langchain4j
                model:
                  baseUrl: https://api.together.ai/v1
                  modelName: meta-llama/Llama-3.3-70B-Instruct-Turbo
                  apiKeyEnv: TOGETHER_API_KEY
                  temperature: 0.2
                  maxTokens: 1024
                  timeout: PT45S
                maxSteps: 12
              markets:
                - kind: hyperbolic
                  apiKeyEnv: HYPERBOLIC_API_KEY
                  maxPricePerHour: 1.25 USDC
                  offerTtl: PT1M30S
                  options: {region: us-east, minUptime: 0.990, spot: true}
              inference:
                - kind: ritual
                  baseUrl: http://127.0.0.1:4000
                  models: [gte-small]
                - kind: chutes
                  apiKeyEnv: CHUTES_API_KEY
                  models: [a, b]
              verification:
                method: quorum
                quorum: {k: 3, tolerance: 0.05}
                feedback: {validation: true}
              budget:
                limit: 7.5 USDC
                window: {rolling: PT36H}
              jobs:
                - id: inline
                  kind: embeddings
                  texts: ["hello", "yes", "0x12"]
                  model: gte-small
                  batchSize: 2
                  gpu: {model: H100, count: 8, minVramGib: 80, duration: P1DT2H}
            """;

    @TempDir
    Path dir;

    @Test
    void everyFieldIsRead() {
        AgentDeployment d = DeploymentLoader.create().parse("full.yaml", FULL, dir);
        Path base = dir.toAbsolutePath().normalize();

        assertThat(d.metadata()).isEqualTo(new Metadata("full", Map.of("team", "research", "app.forage.dev/tier", "gold")));
        DeploymentSpec spec = d.spec();
        assertThat(spec.identity()).isEqualTo(new Identity(base.resolve("keys/full.json"),
                new PasswordSource.FromFile(base.resolve("secrets/password.txt")), true,
                Optional.of(new Registration("Does everything", List.of(
                        new Registration.Service("A2A", "https://agents.example.com/a2a", Optional.of("0.3")),
                        new Registration.Service("web", "https://example.com", Optional.empty()))))));
        assertThat(spec.chain()).isEqualTo(new Chain.Rpc(URI.create("https://mainnet.base.org"), "eip155:8453", 1,
                Optional.of("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"), Optional.of(new Chain.TokenDomain("USD Coin", "2"))));
        assertThat(spec.planner()).isEqualTo(new Planner.LangChain4j(new ChatModelSettings(
                URI.create("https://api.together.ai/v1"), "meta-llama/Llama-3.3-70B-Instruct-Turbo", "TOGETHER_API_KEY",
                OptionalDouble.of(0.2), OptionalInt.of(1024), Optional.of(Duration.ofSeconds(45))), 12));
        assertThat(spec.markets()).containsExactly(new Market(MarketKind.HYPERBOLIC, Optional.empty(),
                Optional.of("HYPERBOLIC_API_KEY"), new Amount("1.25", "USDC"), Duration.ofSeconds(90),
                Map.of("region", "us-east", "minUptime", "0.990", "spot", "true")));
        assertThat(spec.inference()).containsExactly(
                new Inference(InferenceKind.RITUAL, Optional.of(URI.create("http://127.0.0.1:4000")), Optional.empty(), List.of("gte-small")),
                new Inference(InferenceKind.CHUTES, Optional.empty(), Optional.of("CHUTES_API_KEY"), List.of("a", "b")));
        assertThat(spec.verification()).isEqualTo(new Verification(new Verification.Quorum(3, 0.05, 1.0),
                new Verification.Feedback(false, true)));
        assertThat(spec.policies()).isEmpty();
        assertThat(spec.budget()).contains(new Budget(new Amount("7.5", "USDC"), new BudgetWindow.Rolling(Duration.ofHours(36))));
        assertThat(spec.jobs()).containsExactly(new Job("inline", Job.Kind.EMBEDDINGS, new Job.Texts(List.of("hello", "yes", "0x12")),
                "gte-small", 2, new GpuRequest("H100", 8, OptionalInt.of(80), Duration.ofHours(26))));
    }

    @Test
    void theLabelsKeepTheFileOrder() {
        AgentDeployment d = DeploymentLoader.create().parse("full.yaml", FULL, dir);

        assertThat(d.metadata().labels().keySet()).containsExactly("team", "app.forage.dev/tier");
        assertThat(d.spec().markets().get(0).options().keySet()).containsExactly("region", "minUptime", "spot");
    }

    @Test
    void aPlainHexScalarStaysText() {
        // YAML 1.1 reads an unquoted 0x... as a hexadecimal integer; an address must stay as written.
        AgentDeployment d = DeploymentLoader.create().parse("full.yaml", FULL, dir);

        assertThat(((Chain.Rpc) d.spec().chain()).token()).contains("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
    }

    @Test
    void defaultsFillWhatTheFileLeavesOut() {
        AgentDeployment d = DeploymentLoader.create().parse("minimal.yaml", """
                apiVersion: forage.dev/v1
                kind: AgentDeployment
                metadata: {name: m}
                spec:
                  identity: {keystore: k.json, passwordEnv: PW}
                  chain: {devnet: true}
                  planner: {kind: scripted, playbook: procure-embeddings}
                  verification: {method: none}
                """, dir);

        assertThat(d.metadata().labels()).isEmpty();
        assertThat(d.spec().identity().register()).isFalse();
        assertThat(d.spec().identity().registration()).isEmpty();
        assertThat(d.spec().chain()).isEqualTo(Chain.devnet());
        assertThat(d.spec().verification()).isEqualTo(new Verification(new Verification.None(), Verification.Feedback.none()));
        assertThat(d.spec().markets()).isEmpty();
        assertThat(d.spec().inference()).isEmpty();
        assertThat(d.spec().budget()).isEmpty();
        assertThat(d.spec().jobs()).isEmpty();
    }

    @Test
    void amountsResolveAgainstTheChainsAssetsWhenGiven() {
        AgentDeployment d = DeploymentLoader.create().withAssets(Assets.of(USDC)).parse("full.yaml", FULL, dir);

        assertThat(d.spec().markets().get(0).maxPricePerHour().resolve(Assets.of(USDC))).isEqualTo(Money.ofUnits(USDC, 1_250_000));
        assertThat(d.spec().budget().orElseThrow().limit().resolve(Assets.of(USDC))).isEqualTo(Money.ofUnits(USDC, 7_500_000));
    }

    @Test
    void anUnknownAssetOrTooManyDecimalsIsAProblemAtTheAmount() {
        String yaml = FULL.replace("maxPricePerHour: 1.25 USDC", "maxPricePerHour: 1.25 USDT")
                .replace("limit: 7.5 USDC", "limit: 7.0000001 USDC");

        DeploymentException e = catchThrowableOfType(DeploymentException.class,
                () -> DeploymentLoader.create().withAssets(Assets.of(USDC)).parse("full.yaml", yaml, dir));

        assertThat(e.problems()).map(DeploymentProblem::toString).containsExactly(
                "full.yaml:34:7: spec.markets[0].maxPricePerHour: asset USDT is not known on this chain: use one of [USDC]",
                "full.yaml:49:5: spec.budget.limit: amount '7.0000001 USDC' has 7 decimals but USDC has only 6: round it to 6 decimals");
    }

    @Test
    void withoutAssetsOnlyTheShapeOfAnAmountIsChecked() {
        String yaml = FULL.replace("maxPricePerHour: 1.25 USDC", "maxPricePerHour: 1.25 USDT");

        AgentDeployment d = DeploymentLoader.create().parse("full.yaml", yaml, dir);

        assertThat(d.spec().markets().get(0).maxPricePerHour()).isEqualTo(new Amount("1.25", "USDT"));
    }

    @Test
    void theBudgetBecomesASpendingPolicyTheEngineLoads() {
        Budget daily = new Budget(new Amount("10", "USDC"), new BudgetWindow.Calendar(BudgetWindow.Period.DAY, ZoneId.of("Europe/Berlin")));
        Budget rolling = new Budget(new Amount("2.5", "USDC"), new BudgetWindow.Rolling(Duration.ofHours(36)));
        Budget lifetime = new Budget(new Amount("100", "USDC"), new BudgetWindow.Lifetime());

        for (Budget budget : List.of(daily, rolling, lifetime)) {
            PolicyEngine engine = PolicyEngine.builder(BudgetLedger.inMemory(Clock.systemUTC()))
                    .assets(Assets.of(USDC))
                    .source(budget.policySource("agent-7"))
                    .build();
            PolicyInfo info = engine.current();
            assertThat(info.budgets()).as("%s", budget).isEqualTo(1);
            assertThat(info.sources()).containsExactly("deployment agent-7 spec.budget");
        }
        assertThat(daily.policySource("agent-7").yaml()).contains("limit: '10 USDC'", "window: {calendar: day, zone: 'Europe/Berlin'}");
        assertThat(rolling.policySource("agent-7").yaml()).contains("window: {rolling: PT36H}");
    }

    @Test
    void theBudgetsDocumentNameStaysClearOfAPolicyNamedLikeTheDeploymentAndWithinTheLimit() {
        Budget budget = new Budget(new Amount("1", "USDC"), new BudgetWindow.Lifetime());
        String longest = "a".repeat(62) + "b";

        PolicyEngine engine = PolicyEngine.builder(BudgetLedger.inMemory(Clock.systemUTC()))
                .assets(Assets.of(USDC))
                .source(dev.forage.policies.PolicySource.of("policy.yaml",
                        "apiVersion: forage.dev/v1\nkind: SpendingPolicy\nmetadata: {name: agent-7}\nspec: {}\n"))
                .source(budget.policySource("agent-7"))
                .source(budget.policySource(longest))
                .build();

        assertThat(engine.current().documents()).isEqualTo(3);
        assertThat(budget.policySource("agent-7").yaml()).contains("  name: budget.agent-7\n", "    - id: deployment_agent_7\n");
        assertThat(Budget.policyBudgetId(longest)).hasSize(64).startsWith("deployment_aaa");
        assertThat(budget.policySource(longest).yaml()).contains("  name: budget." + "a".repeat(56) + "\n");
    }

    @Test
    void amountTextIsCheckedAndKeptAsWritten() {
        assertThat(Amount.parse("  3.00   USDC ")).isEqualTo(new Amount("3.00", "USDC"));
        assertThat(Amount.parse("3.00 USDC")).hasToString("3.00 USDC");
        assertThatThrownBy(() -> Amount.parse("-1 USDC")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("amount '-1 USDC' is not '<number> <SYMBOL>': write it like '3.00 USDC'");
        assertThatThrownBy(() -> Amount.parse("3 $")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRecordsRefuseWhatTheSchemaRefuses() {
        assertThatThrownBy(() -> Metadata.of("Bad_Name")).hasMessageStartingWith("metadata.name 'Bad_Name' is not a DNS label");
        assertThatThrownBy(() -> new PasswordSource.FromEnv("sk-live-abcdef0123456789"))
                .hasMessage("passwordEnv must be the name of an environment variable (letters, digits and '_', not starting"
                        + " with a digit), not its value (the value is not shown)");
        assertThatThrownBy(() -> new Market(MarketKind.AKASH, Optional.empty(), Optional.empty(), new Amount("1", "USDC"),
                Duration.ofMinutes(1), Map.of())).hasMessage("market akash needs apiKeyEnv: name the environment variable holding its API key");
        assertThatThrownBy(() -> new Verification.ReExecution(1.5, 0.9)).hasMessage("verification.sampleRate 1.5 must be a number from 0 to 1");
        assertThatThrownBy(() -> new Identity(Path.of("k"), new PasswordSource.FromEnv("PW"), true, Optional.empty()))
                .hasMessageStartingWith("identity.register is true but there is no identity.registration");
        Job a = new Job("a", Job.Kind.EMBEDDINGS, new Job.Texts(List.of("x")), "m", 1,
                new GpuRequest("A100", 1, OptionalInt.empty(), Duration.ofHours(1)));
        assertThatThrownBy(() -> new DeploymentSpec(new Identity(Path.of("k"), new PasswordSource.FromEnv("PW"), false, Optional.empty()),
                Chain.devnet(), new Planner.Scripted("p"), List.of(), List.of(), new Verification(new Verification.None(),
                Verification.Feedback.none()), List.of(), Optional.empty(), List.of(a, a)))
                .hasMessage("job id 'a' appears twice in spec.jobs: job ids must be unique");
    }

    @Test
    void policyFilesAreResolvedAndMustExist() throws IOException {
        Files.createDirectories(dir.resolve("p"));
        Files.writeString(dir.resolve("p/one.yaml"), "apiVersion: forage.dev/v1\nkind: SpendingPolicy\nmetadata: {name: one}\nspec: {}\n");
        String yaml = FULL.replace("  budget:", "  policies: [p/one.yaml, p]\n  budget:");

        DeploymentException e = catchThrowableOfType(DeploymentException.class,
                () -> DeploymentLoader.create().parse("full.yaml", yaml, dir));

        assertThat(e.problems()).map(DeploymentProblem::toString).containsExactly(
                "full.yaml:48:26: spec.policies[1]: " + dir.toAbsolutePath().normalize().resolve("p") + " is a folder, not a policy file");
    }
}
