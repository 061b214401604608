package dev.forage.runtime.deploy;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the keystore password comes from: an environment variable or a file. The deployment
 * only names it; the runtime reads it when it opens the keystore.
 */
public sealed interface PasswordSource {

    /**
     * The password is the value of an environment variable.
     *
     * @param variable the variable's name (letters, digits, '_'), never the password
     */
    record FromEnv(String variable) implements PasswordSource {
        public FromEnv {
            EnvNames.require("passwordEnv", variable);
        }
    }

    /**
     * The password is the content of a file (a trailing line break is not part of it).
     *
     * @param file the file, as loaded: resolved against the deployment file's folder
     */
    record FromFile(Path file) implements PasswordSource {
        public FromFile {
            Objects.requireNonNull(file, "passwordFile");
        }
    }
}
