package dev.forage.examples;

import dev.forage.identity.Signer;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.erc8004.Erc8004Registries;
import dev.forage.identity.erc8004.IdentityRegistry;
import dev.forage.identity.erc8004.RegistrationFile;
import dev.forage.identity.keys.InMemorySigner;
import java.time.Duration;

/**
 * Gives an agent an on-chain ERC-8004 identity on a local chain: the README's example.
 * Run it with {@code ./mvnw -q -pl examples -am -DskipTests -Dexec.mainClass=dev.forage.examples.QuickStart exec:java}.
 */
public final class QuickStart {

    private QuickStart() {}

    public static void main(String[] args) {
        // README:start
        try (Anvil anvil = Anvil.start()) {                          // a real local chain
            Signer operator = anvil.account(0);                      // owns the agent token
            Signer agent = InMemorySigner.generate();                // or KeystoreSigner.load(file, password)
            Erc8004Registries registries = Erc8004Registries.deploy(anvil.chain(), operator);
            IdentityRegistry identity = registries.identityRegistry(anvil.chain());

            RegistrationFile card = RegistrationFile.of("gpu-buyer", "Buys GPU time within its policy");
            IdentityRegistry.Registration reg = identity.register(operator, card.toDataUri());
            identity.setAgentWallet(operator, reg.id().agentId(), agent, Duration.ofMinutes(4));

            System.out.println("agent " + reg.id() + " (" + card.name() + ") pays from "
                    + identity.agentWallet(reg.id().agentId()).orElseThrow());
        }
        // README:end
    }
}
