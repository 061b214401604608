package dev.forage.runtime.deploy;

import java.util.Objects;

/**
 * One problem found in a deployment file.
 *
 * @param source the file, as the caller named it
 * @param line the 1-based line, or 0 when the problem concerns the whole file
 * @param column the 1-based column, or 0 when unknown
 * @param path the field, e.g. {@code spec.markets[1].apiKeyEnv}; empty for the whole document
 * @param message what is wrong and what to do; never a secret's value
 */
public record DeploymentProblem(String source, int line, int column, String path, String message) {

    public DeploymentProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line:column: path: message}, the way compilers print problems. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(source);
        if (line > 0) {
            out.append(':').append(line);
            if (column > 0) {
                out.append(':').append(column);
            }
        }
        out.append(": ");
        if (!path.isEmpty()) {
            out.append(path).append(": ");
        }
        return out.append(message).toString();
    }
}
