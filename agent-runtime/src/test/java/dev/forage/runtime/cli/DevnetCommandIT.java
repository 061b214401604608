package dev.forage.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.identity.AgentId;
import dev.forage.identity.erc8004.IdentityRegistry;
import dev.forage.identity.erc8004.RegistrationFile;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.AuditLogConfig;
import dev.forage.runtime.audit.SubjectKind;
import dev.forage.runtime.devnet.Devnet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DevnetCommandIT {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run forage(String... args) {
        CommandLine cli = Forage.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void devnetOncePrintsTheChainTheRegistriesAndTheAgentsOnChainIdThenExits() {
        Run run = forage("devnet", "--once", "--data-dir", dir.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("chain id +eip155:31337").containsPattern("RPC URL +http://127\\.0\\.0\\.1:\\d+")
                .containsPattern("IdentityRegistry +0x[0-9a-fA-F]{40}").containsPattern("ReputationRegistry +0x[0-9a-fA-F]{40}")
                .containsPattern("ValidationRegistry +0x[0-9a-fA-F]{40}");
        Matcher id = Pattern.compile("agent ERC-8004 id +(\\S+)").matcher(run.out());
        assertThat(id.find()).isTrue();
        AgentId agentId = AgentId.parse(id.group(1));
        assertThat(agentId.registry().chain().toString()).isEqualTo("eip155:31337");
        assertThat(dir.resolve("sample-agent.keystore.json")).exists();
        assertThat(dir.resolve("sample-agent.registration.json")).exists();

        // The governed purchases: one paid, one refused by policy, one refused by the guard.
        assertThat(run.out()).containsPattern("GPU offer catalogue +0\\.05 USDC: paid, tx 0x[0-9a-f]{64}")
                .containsPattern("8x H100 cluster reservation +5(\\.00)? USDC: refused, .*no single payment above 1 USDC")
                .containsPattern("payment outside it +refused by the payment guard, nothing signed")
                .containsPattern("agent balance +24\\.95 USDC")
                .containsPattern("provider balance +0\\.05 USDC");

        // The audit log it printed verifies with the command it printed.
        Run verify = forage("audit", "verify", dir.resolve("sample-agent.audit.db").toString(),
                "--key-file", dir.resolve("sample-agent.audit.db.key.pub").toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();

        // Every step is in the log, the refused payment outside the pipeline included.
        try (AuditLog log = AuditLog.open(AuditLogConfig.of(dir.resolve("sample-agent.audit.db"), "forage.dev/devnet/sample-agent"))) {
            List<String> trail = LongStream.range(0, log.size()).mapToObj(log::entry)
                    .map(e -> e.kind().wireName() + "/" + e.payload().path("result").asText() + " "
                            + e.subjects().get(SubjectKind.INTENT))
                    .toList();
            assertThat(trail).anySatisfy(t -> assertThat(t).matches("payment_guard/refused devnet/outside-.*"))
                    .anySatisfy(t -> assertThat(t).matches("settlement_tx/paid devnet/offers-.*"))
                    .anySatisfy(t -> assertThat(t).matches("budget_post/posted devnet/offers-.*"))
                    .anySatisfy(t -> assertThat(t).matches("policy_decision/deny devnet/cluster-.*"));
        }
    }

    @Test
    void theAgentIsRegisteredWithItsCardAndItsKeystoreKeyAsVerifiedWallet() throws Exception {
        try (Devnet devnet = Devnet.start(Devnet.Config.defaults(dir))) {
            Devnet.Info info = devnet.info();
            IdentityRegistry identity = info.registries().identityRegistry(devnet.anvil().chain());

            String uri = identity.agentUri(info.agentId().agentId());
            assertThat(uri).isEqualTo(info.agentUri()).startsWith("data:application/json;base64,");
            RegistrationFile card = RegistrationFile.read(new String(
                    Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1)), StandardCharsets.UTF_8));
            assertThat(card.name()).isEqualTo("sample-agent");
            assertThat(card.registrations()).extracting(RegistrationFile.Registration::toAgentId).containsExactly(info.agentId());
            assertThat(RegistrationFile.read(Files.readString(info.registrationFile()))).isEqualTo(card);
            String keystoreAddress = "0x" + new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(info.keystore().toFile()).get("address").asText();
            assertThat(identity.agentWallet(info.agentId().agentId()).orElseThrow().lowercase()).isEqualTo(keystoreAddress.toLowerCase());
            assertThat(new String(identity.metadata(info.agentId().agentId(), "forage.agentName"), StandardCharsets.UTF_8))
                    .isEqualTo("sample-agent");
        }
    }

    @Test
    void aSecondRunReusesTheKeystoreAndAWrongPasswordIsAClearError() throws Exception {
        Run first = forage("devnet", "--once", "--data-dir", dir.toString());
        Run second = forage("devnet", "--once", "--data-dir", dir.toString());
        assertThat(second.exit()).isZero();
        assertThat(wallet(second.out())).isEqualTo(wallet(first.out()));

        Files.writeString(dir.resolve("sample-agent.password"), "not-the-password\n");
        Run wrong = forage("devnet", "--once", "--data-dir", dir.toString());
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("does not unlock keystore").contains("sample-agent.keystore.json");

        Files.writeString(dir.resolve("sample-agent.keystore.json"), "{\"version\":3}");
        Run corrupt = forage("devnet", "--once", "--data-dir", dir.toString());
        assertThat(corrupt.exit()).isEqualTo(1);
        assertThat(corrupt.err()).contains("sample-agent.keystore.json").contains("restore it from a backup");
    }

    @Test
    void aBadAgentNameIsRejectedBeforeAnythingStarts() {
        Run run = forage("devnet", "--once", "--data-dir", dir.toString(), "--agent", "Bad Name!");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("'Bad Name!'").contains("lowercase letters");
        assertThat(dir).isEmptyDirectory();
    }

    private static String wallet(String out) {
        Matcher m = Pattern.compile("agent wallet +(0x[0-9a-fA-F]{40})").matcher(out);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
