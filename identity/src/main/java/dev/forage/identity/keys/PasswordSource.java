package dev.forage.identity.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a keystore password comes from: a file, or an environment variable named in
 * configuration. A password is never written into configuration itself, so this class has
 * no way to hold a literal one.
 */
public final class PasswordSource {

    private final String description;
    private final java.util.function.Supplier<char[]> reader;

    private PasswordSource(String description, java.util.function.Supplier<char[]> reader) {
        this.description = description;
        this.reader = reader;
    }

    /**
     * The whole content of {@code file}, without one trailing line break.
     */
    public static PasswordSource file(Path file) {
        return new PasswordSource("password file " + file, () -> {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                if (text.endsWith("\r\n")) {
                    text = text.substring(0, text.length() - 2);
                } else if (text.endsWith("\n")) {
                    text = text.substring(0, text.length() - 1);
                }
                if (text.isEmpty()) {
                    throw new KeystoreException(KeystoreException.Reason.PASSWORD_UNAVAILABLE,
                            "password file " + file + " is empty; write the keystore password into it");
                }
                return text.toCharArray();
            } catch (IOException e) {
                throw new KeystoreException(KeystoreException.Reason.PASSWORD_UNAVAILABLE,
                        "cannot read password file " + file + " (" + e.getClass().getSimpleName()
                                + "); create it with the keystore password, readable by this user only", e);
            }
        });
    }

    /** The value of the environment variable called {@code name}. */
    public static PasswordSource environment(String name) {
        return environment(name, System::getenv);
    }

    /** As {@link #environment(String)}, reading variables through {@code env} (for tests). */
    static PasswordSource environment(String name, Function<String, String> env) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("environment variable name '" + name
                    + "' is not a valid name; give the NAME of the variable holding the password, not the password");
        }
        return new PasswordSource("environment variable " + name, () -> {
            String value = env.apply(name);
            if (value == null || value.isEmpty()) {
                throw new KeystoreException(KeystoreException.Reason.PASSWORD_UNAVAILABLE,
                        "environment variable " + name + " is not set or empty; export it with the keystore password");
            }
            return value.toCharArray();
        });
    }

    /** As {@link #environment(String)}, for variables given in a map (tests, embedded hosts). */
    public static PasswordSource environment(String name, Map<String, String> env) {
        return environment(name, env::get);
    }

    /** Reads the password; the caller wipes the array after use. */
    char[] read() {
        return reader.get();
    }

    @Override
    public String toString() {
        return description;
    }
}
