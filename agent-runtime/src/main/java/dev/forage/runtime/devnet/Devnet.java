package dev.forage.runtime.devnet;

import dev.forage.identity.AgentId;
import dev.forage.identity.ChainId;
import dev.forage.identity.Signer;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.erc8004.Erc8004Registries;
import dev.forage.identity.erc8004.IdentityRegistry;
import dev.forage.identity.erc8004.RegistrationFile;
import dev.forage.identity.keys.KeystoreSigner;
import dev.forage.identity.keys.PasswordSource;
import dev.forage.policies.Asset;
import dev.forage.policies.Assets;
import dev.forage.policies.Context;
import dev.forage.policies.Decision;
import dev.forage.policies.Money;
import dev.forage.policies.PolicyEngine;
import dev.forage.policies.PolicySource;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.AuditLogConfig;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import dev.forage.runtime.pipeline.Action;
import dev.forage.runtime.pipeline.Executed;
import dev.forage.runtime.pipeline.GovernedChain;
import dev.forage.runtime.pipeline.Outcome;
import dev.forage.runtime.pipeline.Paid;
import dev.forage.runtime.pipeline.PolicyPaymentGuard;
import dev.forage.runtime.x402.FacilitatorVerticle;
import dev.forage.tools.settle.PaymentDeniedException;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * A running devnet: Anvil with the ERC-8004 registries and TestUSDC, a sample agent whose key
 * lives in a V3 keystore, an x402 facilitator and a compute provider on loopback, and the
 * agent's first purchases made through the governed pipeline (policy, budget ledger, payment
 * guard, audit log).
 *
 * <p>The deployer (a throw-away dev account) owns the agent token; the agent's keystore key is
 * its verified agent wallet and holds its TestUSDC. The ledger, the audit log and the keystore
 * live in the data folder and carry over between runs; the chain is new each run.
 */
public final class Devnet implements AutoCloseable {

    /** TestUSDC minted to the agent: 25 USDC. */
    static final BigInteger AGENT_FUNDING = BigInteger.valueOf(25_000_000);

    /**
     * How to start a devnet.
     *
     * @param dataDir where keystores, the ledger, the audit log and the registration file live
     * @param agentName the sample agent's name (also its file names)
     * @param passwordEnv the name of an environment variable holding the keystore password;
     *     empty to use (and create if missing) a password file in {@code dataDir}
     * @param chainId the chain id to run Anvil with
     * @param policy a spending policy file; empty for the built-in devnet policy
     * @param clock the one clock of the devnet: intents, ledger, audit log, payment guard,
     *     x402 client and providers
     */
    public record Config(Path dataDir, String agentName, Optional<String> passwordEnv, long chainId, Optional<Path> policy,
            Clock clock) {
        public Config {
            java.util.Objects.requireNonNull(clock, "clock");
            if (agentName == null || !agentName.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException("agent name '" + agentName
                        + "' must be 1 to 63 lowercase letters, digits and dashes, e.g. 'sample-agent'");
            }
        }

        public static Config defaults(Path dataDir) {
            return new Config(dataDir, "sample-agent", Optional.empty(), Anvil.DEFAULT_CHAIN_ID, Optional.empty(),
                    Clock.systemUTC());
        }
    }

    /**
     * One purchase the sample agent attempted.
     *
     * @param what what it tried to buy
     * @param intent the spend intent, with its id (the idempotency key)
     * @param outcome the chain's outcome name: {@code done}, {@code refused}, {@code over_budget}, ...
     * @param detail the transaction hash when paid, otherwise why not
     */
    public record Purchase(String what, SpendIntent intent, String outcome, String detail) {}

    /**
     * What the devnet set up and did.
     *
     * @param chainId the CAIP-2 chain id
     * @param rpcUrl the JSON-RPC URL
     * @param registries the registry addresses
     * @param agentId the sample agent's ERC-8004 id
     * @param agentWallet the sample agent's verified wallet (its keystore key's address)
     * @param keystore the sample agent's keystore file
     * @param agentUri the URI the agent is registered with (a data: URI of its registration file)
     * @param registrationFile the registration file written to the data folder
     * @param token the TestUSDC contract
     * @param facilitatorUrl the x402 facilitator
     * @param providerUrl the devnet compute provider
     * @param purchases what the agent tried to buy, in order
     * @param outsidePipeline what happened when a payment was attempted outside the pipeline
     * @param agentBalance the agent's TestUSDC afterwards
     * @param providerBalance the provider's TestUSDC afterwards
     * @param auditLog the audit log file
     * @param auditKey the audit log's public verifier key file
     * @param checkpoint the checkpoint cut after the purchases
     */
    public record Info(String chainId, String rpcUrl, Erc8004Registries registries, AgentId agentId,
            String agentWallet, Path keystore, String agentUri, Path registrationFile, String token,
            String facilitatorUrl, String providerUrl, List<Purchase> purchases, String outsidePipeline,
            Money agentBalance, Money providerBalance, Path auditLog, Path auditKey, SignedCheckpoint checkpoint) {}

    private final Anvil anvil;
    private final Vertx vertx;
    private final BudgetLedger ledger;
    private final AuditLog audit;
    private final Info info;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Devnet(Anvil anvil, Vertx vertx, BudgetLedger ledger, AuditLog audit, Info info) {
        this.anvil = anvil;
        this.vertx = vertx;
        this.ledger = ledger;
        this.audit = audit;
        this.info = info;
    }

    /** Starts everything and runs the sample agent's purchases. */
    public static Devnet start(Config config) {
        Anvil anvil = Anvil.start(Anvil.Options.defaults().withChainId(config.chainId()).withAccounts(3));
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Files.createDirectories(config.dataDir());
            ChainId chain = anvil.chain().chainId();
            Signer operator = anvil.account(0);

            // Identity: the registries, the agent's keystore key, its registration and wallet.
            Erc8004Registries registries = Erc8004Registries.deploy(anvil.chain(), operator);
            IdentityRegistry identity = registries.identityRegistry(anvil.chain());
            KeystoreSigner agentKey = agentKeystore(config);
            anvil.setBalance(agentKey.address(), BigInteger.TEN.pow(20));
            RegistrationFile card = RegistrationFile.of(config.agentName(),
                            "Forage sample agent: buys GPU time and inference within its spending policy.")
                    .withService(RegistrationFile.Service.of("web", "https://forage.dev/agents/" + config.agentName()));
            IdentityRegistry.Registration registration = identity.register(operator, card.toDataUri(),
                    List.of(IdentityRegistry.Metadata.text("forage.agentName", config.agentName())));
            BigInteger agentId = registration.id().agentId();
            RegistrationFile registered = card.withRegistration(registration.id());
            String uri = registered.toDataUri();
            identity.setAgentUri(operator, agentId, uri);
            identity.setAgentWallet(operator, agentId, agentKey, Duration.ofMinutes(4));
            Path cardFile = config.dataDir().resolve(config.agentName() + ".registration.json");
            Files.writeString(cardFile, registered.toJson(), StandardCharsets.UTF_8);

            // Settlement: TestUSDC for the agent, an x402 facilitator and a provider on loopback.
            TestUsdc usdc = TestUsdc.deploy(anvil.chain(), operator);
            usdc.mint(operator, agentKey.address(), AGENT_FUNDING);
            Signer provider = anvil.account(1);
            ExactEvmFacilitator facilitator = new ExactEvmFacilitator(anvil.chain(), anvil.account(2),
                    Set.of(usdc.address()), X402Networks.defaults());
            Vertx vertx = Vertx.vertx();
            opened.add(() -> await(vertx.close()));
            FacilitatorVerticle facilitatorVerticle = new FacilitatorVerticle(facilitator, X402Codec.standard(), "127.0.0.1", 0);
            await(vertx.deployVerticle(facilitatorVerticle));
            String facilitatorUrl = "http://127.0.0.1:" + facilitatorVerticle.port();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            DevnetProvider providerVerticle = new DevnetProvider(
                    new HttpFacilitatorClient(http, URI.create(facilitatorUrl), X402Codec.standard(), Duration.ofSeconds(30)),
                    usdc.address(), chain, provider.address(), config.clock());
            await(vertx.deployVerticle(providerVerticle));
            String providerUrl = "http://127.0.0.1:" + providerVerticle.port();

            // Governance: the policy, the budget ledger, the audit log, the payment guard.
            Asset usdcAsset = Asset.erc20("USDC", TestUsdc.DECIMALS, chain.toString(), usdc.address().value());
            Clock clock = config.clock();
            BudgetLedger ledger = BudgetLedger.sqlite(config.dataDir().resolve(config.agentName() + ".ledger.db"), clock);
            opened.add(ledger::close);
            PolicyEngine engine = PolicyEngine.builder(ledger)
                    .assets(Assets.of(usdcAsset))
                    .source(config.policy().map(PolicySource::file).orElseGet(Devnet::builtInPolicy))
                    .clock(clock)
                    .build();
            Path auditFile = config.dataDir().resolve(config.agentName() + ".audit.db");
            AuditLog audit = AuditLog.open(AuditLogConfig.of(auditFile, "forage.dev/devnet/" + config.agentName())
                    .withClock(clock));
            opened.add(audit::close);
            GovernedChain governed = GovernedChain.builder(engine, ledger, audit)
                    .clock(clock).reservationTtl(Duration.ofMinutes(5)).build();
            PolicyPaymentGuard guard = governed.guard();
            X402Client x402 = new X402Client(X402Client.Config.of(http, agentKey, guard, chain, usdc.address(),
                    BigInteger.valueOf(10_000_000)).withClock(clock));

            // The sample agent's purchases, each through the governed pipeline.
            String agent = registration.id().toString();
            String runId = usdc.address().lowercase().substring(2, 14);
            List<Purchase> purchases = List.of(
                    buy(governed, x402, clock, agent, "GPU offer catalogue", providerUrl + "/v1/offers",
                            Money.ofUnits(usdcAsset, DevnetProvider.OFFERS_PRICE), provider, "offers-" + runId),
                    buy(governed, x402, clock, agent, "8x H100 cluster reservation", providerUrl + "/v1/cluster-reservation",
                            Money.ofUnits(usdcAsset, DevnetProvider.CLUSTER_PRICE), provider, "cluster-" + runId));
            String outside = payOutsideThePipeline(x402, providerUrl + "/v1/offers", "outside-" + runId);
            SignedCheckpoint checkpoint = audit.checkpoint().join();

            Info info = new Info(chain.toString(), anvil.rpcUrl(), registries, registration.id(),
                    identity.agentWallet(agentId).map(Object::toString).orElse("(none)"), agentKey.file(), uri, cardFile,
                    usdc.address().value(), facilitatorUrl, providerUrl, purchases, outside,
                    Money.ofUnits(usdcAsset, usdc.balanceOf(agentKey.address())),
                    Money.ofUnits(usdcAsset, usdc.balanceOf(provider.address())),
                    auditFile, Path.of(auditFile + ".key.pub"), checkpoint);
            return new Devnet(anvil, vertx, ledger, audit, info);
        } catch (IOException e) {
            closeAll(opened, anvil);
            throw new UncheckedIOException("cannot use the devnet data folder " + config.dataDir() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(opened, anvil);
            throw e;
        }
    }

    /** What the devnet set up and did. */
    public Info info() {
        return info;
    }

    /** The Anvil node. */
    public Anvil anvil() {
        return anvil;
    }

    /** Stops everything; calling it again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeAll(List.of(() -> await(vertx.close()), audit::close, ledger::close), anvil);
    }

    private static Purchase buy(GovernedChain governed, X402Client x402, Clock clock, String agent, String what,
            String url, Money price, Signer provider, String id) {
        SpendIntent intent = SpendIntent.builder()
                .id("devnet/" + id).agent(agent).action("payment.x402")
                .counterparty(provider.address().value()).market("x402")
                .amount(price).attribute("resource", url).time(clock.instant())
                .build();
        Outcome<PaymentReceipt> outcome = governed.run(Action.purchase(intent, Context.empty(), spend -> {
            X402Response response = x402.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), spend.id());
            PaymentReceipt receipt = response.receipt().orElseThrow(() -> new IllegalStateException(
                    url + " answered " + response.statusCode() + " without a settled payment"));
            return Executed.paid(receipt, new Paid(Money.ofUnits(spend.amount().asset(), receipt.amount()),
                    Optional.of(receipt.transaction()), "x402 " + receipt.nonce()));
        }));
        String detail = switch (outcome) {
            case Outcome.Done<PaymentReceipt> done -> done.paid().flatMap(Paid::txHash).orElse("");
            case Outcome.Refused<PaymentReceipt> refused -> String.join("; ", refused.decision().reasons());
            case Outcome.AwaitingApproval<PaymentReceipt> waiting -> "awaiting approval " + waiting.request().id();
            case Outcome.OverBudget<PaymentReceipt> over -> over.why();
            case Outcome.Replayed<PaymentReceipt> replayed -> "already paid: " + replayed.posting().posted();
            case Outcome.ReplayRefused<PaymentReceipt> refused -> "voided earlier";
            case Outcome.Failed<PaymentReceipt> failed -> String.valueOf(failed.error().getMessage());
            case Outcome.Aborted<PaymentReceipt> aborted -> aborted.why();
            case Outcome.Rejected<PaymentReceipt> rejected -> rejected.verdict().reason();
            case Outcome.InDoubt<PaymentReceipt> doubt -> String.valueOf(doubt.error().getMessage());
            case Outcome.Discrepancy<PaymentReceipt> discrepancy -> discrepancy.why();
        };
        return new Purchase(what, intent, outcome.wireName(), detail);
    }

    /** A tool that tries to pay without the pipeline: the guard refuses and nothing is signed. */
    private static String payOutsideThePipeline(X402Client x402, String url, String id) {
        try {
            X402Response response = x402.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), "devnet/" + id);
            return "NOT REFUSED: " + response.statusCode();
        } catch (PaymentDeniedException e) {
            return "refused by the payment guard, nothing signed: " + String.join("; ", e.reasons());
        }
    }

    private static PolicySource builtInPolicy() {
        try (var in = Devnet.class.getResourceAsStream("devnet-policy.yaml")) {
            if (in == null) {
                throw new IllegalStateException("the built-in devnet policy is missing from the class path");
            }
            return PolicySource.of("devnet-policy.yaml (built in)", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in devnet policy: " + e.getMessage(), e);
        }
    }

    private static KeystoreSigner agentKeystore(Config config) {
        PasswordSource password = config.passwordEnv().map(PasswordSource::environment)
                .orElseGet(() -> PasswordSource.file(passwordFile(config)));
        Path keystore = config.dataDir().resolve(config.agentName() + ".keystore.json");
        return Files.exists(keystore)
                ? KeystoreSigner.load(keystore, password)
                : KeystoreSigner.create(keystore, password, KeystoreSigner.KdfStrength.STANDARD);
    }

    /** The devnet's own password file: random, owner-only, created once. */
    private static Path passwordFile(Config config) {
        Path file = config.dataDir().resolve(config.agentName() + ".password");
        if (Files.exists(file)) {
            return file;
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the devnet password file " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the devnet", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("devnet service failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void closeAll(List<AutoCloseable> resources, Anvil anvil) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // Closing is best effort; the chain below goes away regardless.
            }
        }
        anvil.close();
    }
}
