package dev.forage.runtime.devnet;

import dev.forage.identity.AgentId;
import dev.forage.identity.Signer;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.erc8004.Erc8004Registries;
import dev.forage.identity.erc8004.IdentityRegistry;
import dev.forage.identity.erc8004.RegistrationFile;
import dev.forage.identity.keys.KeystoreSigner;
import dev.forage.identity.keys.PasswordSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A running devnet: Anvil, the three ERC-8004 registries, and a sample agent whose key lives
 * in a V3 keystore under the data folder. The deployer (a throw-away dev account) owns the
 * agent token; the agent's keystore key is its verified agent wallet.
 */
public final class Devnet implements AutoCloseable {

    /**
     * How to start a devnet.
     *
     * @param dataDir where keystores and the registration file are kept between runs
     * @param agentName the sample agent's name (also its keystore file name)
     * @param passwordEnv the name of an environment variable holding the keystore password;
     *     empty to use (and create if missing) a password file in {@code dataDir}
     * @param chainId the chain id to run Anvil with
     */
    public record Config(Path dataDir, String agentName, Optional<String> passwordEnv, long chainId) {
        public Config {
            if (agentName == null || !agentName.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException("agent name '" + agentName
                        + "' must be 1 to 63 lowercase letters, digits and dashes, e.g. 'sample-agent'");
            }
        }

        public static Config defaults(Path dataDir) {
            return new Config(dataDir, "sample-agent", Optional.empty(), Anvil.DEFAULT_CHAIN_ID);
        }
    }

    /**
     * What the devnet set up.
     *
     * @param chainId the CAIP-2 chain id
     * @param rpcUrl the JSON-RPC URL
     * @param registries the registry addresses
     * @param agentId the sample agent's ERC-8004 id
     * @param agentWallet the sample agent's verified wallet (its keystore key's address)
     * @param keystore the sample agent's keystore file
     * @param agentUri the URI the agent is registered with (a data: URI of its registration file)
     * @param registrationFile the registration file written to the data folder
     */
    public record Info(String chainId, String rpcUrl, Erc8004Registries registries, AgentId agentId,
            String agentWallet, Path keystore, String agentUri, Path registrationFile) {}

    private final Anvil anvil;
    private final Info info;

    private Devnet(Anvil anvil, Info info) {
        this.anvil = anvil;
        this.info = info;
    }

    /** Starts Anvil, deploys the registries and registers the sample agent. */
    public static Devnet start(Config config) {
        Anvil anvil = Anvil.start(Anvil.Options.defaults().withChainId(config.chainId()).withAccounts(2));
        try {
            Signer operator = anvil.account(0);
            Erc8004Registries registries = Erc8004Registries.deploy(anvil.chain(), operator);
            IdentityRegistry identity = registries.identityRegistry(anvil.chain());

            KeystoreSigner agentKey = agentKeystore(config);
            // Fund the agent key so it can pay gas for its own transactions later.
            anvil.setBalance(agentKey.address(), BigInteger.TEN.pow(20));

            RegistrationFile card = RegistrationFile.of(config.agentName(),
                            "Forage sample agent: buys GPU time and inference within its spending policy.")
                    .withService(RegistrationFile.Service.of("web", "https://forage.dev/agents/" + config.agentName()));
            IdentityRegistry.Registration registration = identity.register(operator, dataUri(card),
                    List.of(IdentityRegistry.Metadata.text("forage.agentName", config.agentName())));
            BigInteger agentId = registration.id().agentId();
            // Now that the agent has an id, the card names its registration, as ERC-8004 asks.
            RegistrationFile registered = card.withRegistration(registration.id());
            String uri = dataUri(registered);
            identity.setAgentUri(operator, agentId, uri);
            identity.setAgentWallet(operator, agentId, agentKey, Duration.ofMinutes(4));

            Path cardFile = config.dataDir().resolve(config.agentName() + ".registration.json");
            Files.writeString(cardFile, registered.toJson(), StandardCharsets.UTF_8);

            Info info = new Info(anvil.chain().chainId().toString(), anvil.rpcUrl(), registries, registration.id(),
                    identity.agentWallet(agentId).map(Object::toString).orElse("(none)"), agentKey.file(), uri, cardFile);
            return new Devnet(anvil, info);
        } catch (IOException e) {
            anvil.close();
            throw new UncheckedIOException("cannot write to the devnet data folder " + config.dataDir() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            anvil.close();
            throw e;
        }
    }

    /** What the devnet set up. */
    public Info info() {
        return info;
    }

    /** The Anvil node. */
    public Anvil anvil() {
        return anvil;
    }

    @Override
    public void close() {
        anvil.close();
    }

    private static KeystoreSigner agentKeystore(Config config) throws IOException {
        Files.createDirectories(config.dataDir());
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

    private static String dataUri(RegistrationFile card) {
        return "data:application/json;base64,"
                + Base64.getEncoder().encodeToString(card.toJson().getBytes(StandardCharsets.UTF_8));
    }
}
