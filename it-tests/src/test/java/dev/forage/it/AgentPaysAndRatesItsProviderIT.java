package dev.forage.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.identity.Signer;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.erc8004.Erc8004Registries;
import dev.forage.identity.erc8004.IdentityRegistry;
import dev.forage.identity.erc8004.ReputationRegistry;
import dev.forage.identity.testing.AnvilExtension;
import dev.forage.policies.Asset;
import dev.forage.policies.Assets;
import dev.forage.policies.Context;
import dev.forage.policies.Money;
import dev.forage.policies.PolicyEngine;
import dev.forage.policies.PolicySource;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.AuditLogConfig;
import dev.forage.runtime.audit.AuditVerifier;
import dev.forage.runtime.audit.VerificationResult;
import dev.forage.runtime.audit.anchor.CheckpointAnchor;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import dev.forage.runtime.pipeline.Action;
import dev.forage.runtime.pipeline.Executed;
import dev.forage.runtime.pipeline.GovernedChain;
import dev.forage.runtime.pipeline.Outcome;
import dev.forage.runtime.pipeline.Paid;
import dev.forage.runtime.pipeline.PolicyPaymentGuard;
import dev.forage.runtime.x402.FacilitatorVerticle;
import dev.forage.runtime.x402.PaidRoute;
import dev.forage.runtime.x402.X402PaymentHandler;
import dev.forage.tools.settle.TestUsdc;
import dev.forage.tools.x402.ExactEvmFacilitator;
import dev.forage.tools.x402.HttpFacilitatorClient;
import dev.forage.tools.x402.PaymentReceipt;
import dev.forage.tools.x402.X402Client;
import dev.forage.tools.x402.X402Codec;
import dev.forage.tools.x402.X402Networks;
import dev.forage.tools.x402.X402Response;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;

/**
 * Every module together on one real chain: two ERC-8004 agents (a buyer and a provider), the
 * buyer paying the provider per request over x402 through the governed pipeline (policy,
 * SQLite budget ledger, payment guard, audit log), rating the provider in the Reputation
 * Registry with the payment as proof, and anchoring its audit log's checkpoint through the
 * Validation Registry; then the log verifies.
 */
@ExtendWith(AnvilExtension.class)
class AgentPaysAndRatesItsProviderIT {

    private static final String POLICY = """
            apiVersion: forage.dev/v1
            kind: SpendingPolicy
            metadata: {name: buyer}
            spec:
              budgets:
                - {id: hourly, limit: 0.25 USDC, window: {rolling: 1h}}
              rules:
                - {id: x402, effect: allow, when: "intent.action == 'payment.x402'"}
            """;

    @TempDir
    Path dir;

    @Test
    void aRegisteredAgentPaysWithinItsBudgetRatesItsProviderAndProvesItsLog(Anvil anvil) throws Exception {
        // Two agents on one chain: the buyer (owned by its operator) and the provider.
        Signer operator = anvil.account(0);
        Signer buyerKey = anvil.fundedAccount(1);
        Signer providerKey = anvil.fundedAccount(1);
        Erc8004Registries registries = Erc8004Registries.deploy(anvil.chain(), operator);
        IdentityRegistry identity = registries.identityRegistry(anvil.chain());
        BigInteger buyerId = identity.register(operator, "https://buyer.example/agent.json").id().agentId();
        identity.setAgentWallet(operator, buyerId, buyerKey, Duration.ofMinutes(4));
        BigInteger providerId = identity.register(providerKey, "https://provider.example/agent.json").id().agentId();

        TestUsdc usdc = TestUsdc.deploy(anvil.chain(), operator);
        usdc.mint(operator, buyerKey.address(), BigInteger.valueOf(1_000_000));
        Asset asset = Asset.erc20("USDC", 6, anvil.chain().chainId().toString(), usdc.address().value());

        Vertx vertx = Vertx.vertx();
        try (BudgetLedger ledger = BudgetLedger.sqlite(dir.resolve("ledger.db"), Clock.systemUTC());
                AuditLog audit = AuditLog.open(AuditLogConfig.of(dir.resolve("audit.db"), "forage.dev/it/buyer"))) {
            String providerUrl = startProvider(vertx, anvil, usdc, providerKey);
            PolicyEngine engine = PolicyEngine.builder(ledger).assets(Assets.of(asset))
                    .source(PolicySource.of("buyer.yaml", POLICY)).build();
            GovernedChain governed = GovernedChain.builder(engine, ledger, audit).reservationTtl(Duration.ofMinutes(5))
                    .build();
            PolicyPaymentGuard guard = governed.guard();
            X402Client x402 = new X402Client(X402Client.Config.of(HttpClient.newHttpClient(), buyerKey, guard,
                    anvil.chain().chainId(), usdc.address(), BigInteger.valueOf(1_000_000)));

            // Three requests at 0.10 USDC against a 0.25 USDC hourly budget: two are paid, the third refused.
            List<Outcome<PaymentReceipt>> outcomes = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SpendIntent intent = SpendIntent.builder().id("it/inference-" + i).agent(identity.agentId(buyerId).toString())
                        .action("payment.x402").counterparty(providerKey.address().value()).market("x402")
                        .amount(Money.of(asset, "0.10")).time(Instant.now()).build();
                outcomes.add(governed.run(Action.purchase(intent, Context.empty(), spend -> {
                    X402Response response = x402.send(HttpRequest.newBuilder(URI.create(providerUrl + "/v1/embed")).build(), spend.id());
                    PaymentReceipt receipt = response.receipt().orElseThrow();
                    return Executed.paid(receipt, Paid.of(Money.ofUnits(asset, receipt.amount()), receipt.transaction()));
                })));
            }
            assertThat(outcomes).extracting(o -> o.getClass().getSimpleName()).containsExactly("Done", "Done", "Refused");
            assertThat(usdc.balanceOf(providerKey.address())).isEqualTo(BigInteger.valueOf(200_000));
            assertThat(usdc.balanceOf(buyerKey.address())).isEqualTo(BigInteger.valueOf(800_000));

            // The buyer rates the provider, pointing at its payment as proof.
            PaymentReceipt paid = ((Outcome.Done<PaymentReceipt>) outcomes.get(0)).result();
            ReputationRegistry reputation = registries.reputationRegistry(anvil.chain());
            byte[] proof = Hash.sha3(("x402:" + paid.transaction()).getBytes(StandardCharsets.UTF_8));
            long index = reputation.giveFeedback(buyerKey, providerId, new ReputationRegistry.Feedback(
                    BigInteger.valueOf(95), 0, "x402", "embeddings", providerUrl + "/v1/embed",
                    "data:application/json,{\"txHash\":\"" + paid.transaction() + "\"}", proof));
            assertThat(reputation.summary(providerId, List.of(buyerKey.address()), "x402", ""))
                    .isEqualTo(new ReputationRegistry.Summary(1, BigInteger.valueOf(95), 0));
            assertThat(reputation.readFeedback(providerId, buyerKey.address(), index).tag2()).isEqualTo("embeddings");

            // The buyer's operator anchors the audit log's checkpoint; the log then verifies.
            SignedCheckpoint checkpoint = audit.checkpoint().join();
            CheckpointAnchor anchor = new CheckpointAnchor(audit, registries.validationRegistry(anvil.chain()), operator,
                    buyerId, anvil.account(1).address(), identity.agentId(buyerId).toString());
            assertThat(anchor.anchor(checkpoint).txHash()).isPresent();
            assertThat(CheckpointAnchor.isAnchored(registries.validationRegistry(anvil.chain()), checkpoint)).isTrue();
            // 2 paid spends x 5 entries (decision, reservation, guard, payment, posting) + 1 refused
            // decision, then the anchor record.
            assertThat(audit.size()).isEqualTo(12);
            SignedCheckpoint last = audit.checkpoint().join();
            VerificationResult result = AuditVerifier.verify(dir.resolve("audit.db"), audit.verifier(), List.of());
            assertThat(result).isInstanceOfSatisfying(VerificationResult.Verified.class,
                    v -> assertThat(v.entriesChecked()).isEqualTo(last.checkpoint().treeSize()));
        } finally {
            await(vertx.close());
        }
    }

    private static String startProvider(Vertx vertx, Anvil anvil, TestUsdc usdc, Signer provider) throws Exception {
        ExactEvmFacilitator facilitator = new ExactEvmFacilitator(anvil.chain(), anvil.fundedAccount(1),
                Set.of(usdc.address()), X402Networks.defaults());
        FacilitatorVerticle facilitatorVerticle = new FacilitatorVerticle(facilitator, X402Codec.standard(), "127.0.0.1", 0);
        await(vertx.deployVerticle(facilitatorVerticle));
        HttpFacilitatorClient remote = new HttpFacilitatorClient(HttpClient.newHttpClient(),
                URI.create("http://127.0.0.1:" + facilitatorVerticle.port()), X402Codec.standard(), Duration.ofSeconds(30));
        PaidRoute route = new PaidRoute(BigInteger.valueOf(100_000), usdc.address(), TestUsdc.EIP712_NAME,
                TestUsdc.EIP712_VERSION, anvil.chain().chainId(), provider.address(), 60, "embeddings", "application/json",
                Set.of(2));
        Router router = Router.router(vertx);
        router.get("/v1/embed")
                .handler(X402PaymentHandler.create(vertx, remote, route, X402Codec.standard(), X402Networks.defaults(),
                        Clock.systemUTC()))
                .handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject().put("embedding", List.of(0.1, 0.2))));
        HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        return "http://127.0.0.1:" + server.actualPort();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get();
    }
}
