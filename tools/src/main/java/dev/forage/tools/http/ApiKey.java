package dev.forage.tools.http;

import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where a provider's API key comes from: the name of an environment variable, never the key
 * itself, so that deployments, logs and audit entries only ever hold the name. The key is
 * read when a request is made, so a rotated variable takes effect without a restart.
 */
public final class ApiKey {

    private final Optional<String> variable;
    private final UnaryOperator<String> environment;

    private ApiKey(Optional<String> variable, UnaryOperator<String> environment) {
        this.variable = variable;
        this.environment = environment;
    }

    /**
     * The key in environment variable {@code name}.
     *
     * @throws IllegalArgumentException when {@code name} is not an environment variable name
     */
    public static ApiKey fromEnv(String name) {
        return fromEnv(name, System::getenv);
    }

    /** The key in variable {@code name} of {@code environment} (tests pass a map's {@code get}). */
    public static ApiKey fromEnv(String name, UnaryOperator<String> environment) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
            throw new IllegalArgumentException("API key variable '" + name
                    + "' is not an environment variable name (letters, digits, '_'): give the variable's name, not the key");
        }
        return new ApiKey(Optional.of(name), Objects.requireNonNull(environment, "environment"));
    }

    /** No key (a public endpoint). */
    public static ApiKey none() {
        return new ApiKey(Optional.empty(), v -> null);
    }

    /** The variable's name, if a key is configured. */
    public Optional<String> variable() {
        return variable;
    }

    /**
     * The key's value now.
     *
     * @throws RemoteCallException NOT_CONFIGURED when the variable is unset or empty
     */
    String value(String provider) {
        String name = variable.orElseThrow(() -> new IllegalStateException("no API key configured for " + provider));
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            throw new RemoteCallException(provider, RemoteCallException.Kind.NOT_CONFIGURED, 0, "", null,
                    provider + " needs an API key in environment variable " + name + ", which is not set: export it", false,
                    null);
        }
        return value.strip();
    }

    /** Whether a key is configured. */
    boolean present() {
        return variable.isPresent();
    }

    @Override
    public String toString() {
        return variable.map(v -> "ApiKey[env " + v + "]").orElse("ApiKey[none]");
    }
}
