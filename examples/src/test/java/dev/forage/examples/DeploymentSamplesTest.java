package dev.forage.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.policies.Asset;
import dev.forage.policies.Assets;
import dev.forage.policies.PolicyEngine;
import dev.forage.policies.PolicySource;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.runtime.deploy.AgentDeployment;
import dev.forage.runtime.deploy.Chain;
import dev.forage.runtime.deploy.DeploymentLoader;
import dev.forage.runtime.deploy.InferenceKind;
import dev.forage.runtime.deploy.Job;
import dev.forage.runtime.deploy.MarketKind;
import dev.forage.runtime.deploy.Planner;
import dev.forage.runtime.deploy.Verification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample deployment validates, reads back equal from its own YAML, and its policies load. */
class DeploymentSamplesTest {

    static final Path SAMPLES = Path.of(System.getProperty("forage.root", ".."))
            .resolve("examples/src/main/resources/dev/forage/examples/deployments").toAbsolutePath().normalize();

    /** The assets the samples' chains have: the devnet's TestUSDC and USDC on Base (any address serves here). */
    static final Assets DEVNET = Assets.of(Asset.erc20("USDC", 6, "eip155:31337", "0x5fbdb2315678afecb367f032d93f642f64180aa3"));
    static final Assets BASE = Assets.of(Asset.erc20("USDC", 6, "eip155:8453", "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913"));

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void thereAreTheThreeDocumentedSamples() throws IOException {
        assertThat(samples().map(p -> p.getFileName().toString()))
                .contains("devnet-embedder.yaml", "akash-together.yaml", "minimal.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void eachSampleLoadsWithItsChainsAssetsAndRoundTrips(Path sample) {
        AgentDeployment plain = AgentDeployment.load(sample);
        Assets assets = plain.spec().chain() instanceof Chain.Devnet ? DEVNET : BASE;

        AgentDeployment deployment = DeploymentLoader.create().withAssets(assets).load(sample);

        assertThat(deployment).isEqualTo(plain);
        assertThat(DeploymentLoader.create().parse(sample + " (rewritten)", deployment.toYaml(), sample.getParent())).isEqualTo(deployment);
        List<PolicySource> sources = new ArrayList<>(deployment.spec().policies().stream().map(PolicySource::file).toList());
        deployment.spec().budget().ifPresent(b -> sources.add(b.policySource(deployment.name())));
        if (!sources.isEmpty()) {
            PolicyEngine engine = PolicyEngine.builder(BudgetLedger.inMemory(Clock.systemUTC())).assets(assets).sources(sources).build();
            assertThat(engine.current().sources()).hasSize(sources.size());
        }
    }

    @Test
    void theDevnetEmbedderLeasesFromDevnetNodesAndReExecutesLocally() {
        AgentDeployment d = AgentDeployment.load(SAMPLES.resolve("devnet-embedder.yaml"));

        assertThat(d.spec().chain()).isEqualTo(Chain.devnet());
        assertThat(d.spec().planner()).isEqualTo(new Planner.Scripted("procure-embeddings"));
        assertThat(d.spec().markets()).extracting(m -> m.kind()).containsExactly(MarketKind.DEVNET);
        assertThat(d.spec().inference()).extracting(i -> i.kind()).containsExactly(InferenceKind.DEVNET, InferenceKind.LOCAL);
        assertThat(d.spec().verification().method()).isEqualTo(new Verification.ReExecution(0.25, 0.9988));
        assertThat(d.spec().jobs()).singleElement().satisfies(job -> assertThat(job.input())
                .isEqualTo(new Job.Corpus(SAMPLES.getParent().resolve("corpus/chunks.jsonl"))));
        assertThat(((Job.Corpus) d.spec().jobs().get(0).input()).file()).isRegularFile();
        assertThat(d.spec().policies()).containsExactly(SAMPLES.resolve("policies/embedder-policy.yaml"));
    }

    @Test
    void theAkashTogetherAgentThinksWithAnLlmOnTogether() {
        AgentDeployment d = AgentDeployment.load(SAMPLES.resolve("akash-together.yaml"));

        assertThat(d.spec().chain()).isInstanceOfSatisfying(Chain.Rpc.class, rpc -> assertThat(rpc.chainId()).isEqualTo("eip155:8453"));
        assertThat(d.spec().planner()).isInstanceOfSatisfying(Planner.LangChain4j.class,
                p -> assertThat(p.model().apiKeyEnv()).isEqualTo("TOGETHER_API_KEY"));
        assertThat(d.spec().markets()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(MarketKind.AKASH);
            assertThat(m.apiKeyEnv()).contains("AKASH_CONSOLE_API_KEY");
        });
        assertThat(d.spec().inference()).extracting(i -> i.kind()).containsExactly(InferenceKind.TOGETHER);
        assertThat(d.spec().jobs()).singleElement().satisfies(job -> assertThat(job.model()).isEqualTo("BAAI/bge-base-en-v1.5"));
    }

    @Test
    void theMinimalSampleHasNothingToSpendOn() {
        AgentDeployment d = AgentDeployment.load(SAMPLES.resolve("minimal.yaml"));

        assertThat(d.spec().markets()).isEmpty();
        assertThat(d.spec().jobs()).isEmpty();
        assertThat(d.spec().budget()).isEmpty();
        assertThat(d.spec().verification().method()).isEqualTo(new Verification.None());
    }
}
