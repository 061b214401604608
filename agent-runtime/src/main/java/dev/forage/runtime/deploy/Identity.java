package dev.forage.runtime.deploy;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Who the agent is: the keystore that holds its key (the runtime opens it behind a
 * {@code Signer}; the deployment never holds key material), where the keystore password comes
 * from, and whether to register the agent on the ERC-8004 Identity registry.
 *
 * @param keystore the Ethereum V3 keystore file, as loaded: resolved against the deployment
 *     file's folder (not checked to exist: a devnet can create it)
 * @param password where the keystore password comes from
 * @param register whether to register the agent on ERC-8004 when it starts
 * @param registration what to register; present whenever {@code register} is true
 */
public record Identity(Path keystore, PasswordSource password, boolean register, Optional<Registration> registration) {

    public Identity {
        Objects.requireNonNull(keystore, "identity.keystore");
        Objects.requireNonNull(password, "identity.password");
        Objects.requireNonNull(registration, "identity.registration");
        if (register && registration.isEmpty()) {
            throw new IllegalArgumentException("identity.register is true but there is no identity.registration: say what to register");
        }
    }
}
