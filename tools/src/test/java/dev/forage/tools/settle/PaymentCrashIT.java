package dev.forage.tools.settle;

import static dev.forage.tools.settle.SettlementFixture.usdc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.identity.Address;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.keys.InMemorySigner;
import dev.forage.identity.keys.KeystoreSigner;
import dev.forage.identity.keys.PasswordSource;
import dev.forage.identity.testing.AnvilExtension;
import dev.forage.tools.settle.spi.PaymentRecord;
import dev.forage.tools.settle.spi.PaymentStore;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exactly-once payments across process crashes, against a real Anvil: a child JVM paying from
 * a keystore key is halted (a) after signing and before broadcast, (b) after broadcast and
 * before the receipt, (c) after the receipt and before the record is marked done. A restart
 * (another child, or this JVM) finishes the payment, and the chain holds exactly one transfer.
 */
@ExtendWith(AnvilExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaymentCrashIT {

    private static final long CHILD_TIMEOUT_SECONDS = 120;
    private static final BigInteger AMOUNT = usdc(7);

    @TempDir
    static Path dir;

    private Anvil anvil;
    private SettlementFixture f;
    private Path keystore;
    private Path passwordFile;
    private KeystoreSigner agent;

    @BeforeAll
    void keys(Anvil anvil) throws IOException {
        this.anvil = anvil;
        this.f = new SettlementFixture(anvil);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        passwordFile = dir.resolve("agent.password");
        Files.writeString(passwordFile, HexFormat.of().formatHex(random), StandardCharsets.UTF_8);
        keystore = dir.resolve("agent.keystore.json");
        agent = KeystoreSigner.create(keystore, PasswordSource.file(passwordFile), KeystoreSigner.KdfStrength.LIGHT);
        anvil.setBalance(agent.address(), BigInteger.TEN.pow(20));
        f.usdc.mint(f.deployer, agent.address(), usdc(1_000));
    }

    @ParameterizedTest(name = "crash at {0}, restart in a new process")
    @ValueSource(strings = {"SIGNED", "BROADCAST", "MINED"})
    void aCrashAtAnyStepEndsInExactlyOnePayment(String step) throws Exception {
        Address payee = InMemorySigner.generate().address();
        Path store = dir.resolve("payments-" + step + ".db");
        String key = "intent-" + step;

        Child crashed = run(store, payee, key, step);

        assertThat(crashed.exit()).as("the child halted at %s; output:%n%s", step, crashed.output()).isEqualTo(PaymentCrashChild.CRASHED);
        PaymentRecord left = record(store, key);
        assertThat(left.state()).isEqualTo(step.equals("SIGNED") ? PaymentRecord.State.SIGNED : PaymentRecord.State.BROADCAST);
        assertThat(f.usdc.balanceOf(payee)).as("paid before the restart?").isEqualTo(step.equals("SIGNED") ? BigInteger.ZERO : AMOUNT);

        Child restarted = run(store, payee, key, "NONE");

        assertThat(restarted.exit()).as("the restart; output:%n%s", restarted.output()).isZero();
        assertThat(restarted.output()).contains("RECOVERED 1").contains("resumed=true").contains("PAID " + left.txHash().orElseThrow());
        assertExactlyOnePayment(payee, store, key);
    }

    @Test
    void theParentFinishesWhatAChildLeftAfterTheReceipt() throws Exception {
        Address payee = InMemorySigner.generate().address();
        Path store = dir.resolve("payments-parent.db");

        Child crashed = run(store, payee, "intent-parent", "MINED");
        assertThat(crashed.exit()).as(crashed.output()).isEqualTo(PaymentCrashChild.CRASHED);

        try (PaymentStore sqlite = PaymentStores.sqlite(store)) {
            SettlementClient client = SettlementClient.create(SettlementClient.Config.of(anvil.chain(), agent, f.usdc, Optional.empty(),
                    PaymentGuards.denyAll("a resumed payment is not asked about again"), sqlite));
            assertThat(client.recover()).singleElement().satisfies(p -> assertThat(p.resumed()).isTrue());
            assertThat(client.transfer("intent-parent", payee, AMOUNT, "crash-test").resumed()).isTrue();
        }
        assertExactlyOnePayment(payee, store, "intent-parent");
    }

    private void assertExactlyOnePayment(Address payee, Path store, String key) {
        assertThat(f.usdc.balanceOf(payee)).isEqualTo(AMOUNT);
        List<Abis.Log> transfers = Abis.logs(anvil.chain(), f.usdc.address(), TestUsdc.TRANSFER_TOPIC, Abis.topic(agent.address()),
                Abis.topic(payee));
        assertThat(transfers).as("Transfer events from the agent to the payee").hasSize(1);
        assertThat(record(store, key).state()).isEqualTo(PaymentRecord.State.DONE);
        assertThat(record(store, key).txHash()).contains(transfers.get(0).txHash());
    }

    private static PaymentRecord record(Path store, String key) {
        try (PaymentStore s = PaymentStores.sqlite(store)) {
            return s.find(key).orElseThrow(() -> new AssertionError("no record for " + key));
        }
    }

    private record Child(int exit, String output) {}

    private Child run(Path store, Address payee, String key, String crashAt) throws IOException, InterruptedException {
        Path log = dir.resolve("child-" + key + "-" + crashAt + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                PaymentCrashChild.class.getName(), anvil.rpcUrl(), keystore.toString(), passwordFile.toString(), store.toString(),
                f.usdc.address().value(), payee.value(), AMOUNT.toString(), key, crashAt));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the child did not finish in " + CHILD_TIMEOUT_SECONDS + " s: " + Files.readString(log));
        }
        return new Child(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
