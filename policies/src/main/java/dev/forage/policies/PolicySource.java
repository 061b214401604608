package dev.forage.policies;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The text of one policy file (which may hold several YAML documents) and the name problems
 * are reported under.
 *
 * @param name usually the file path
 * @param yaml the YAML text
 */
public record PolicySource(String name, String yaml) {

    public PolicySource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(yaml, "yaml");
    }

    /** A source from a string. */
    public static PolicySource of(String name, String yaml) {
        return new PolicySource(name, yaml);
    }

    /**
     * Reads a UTF-8 policy file.
     *
     * @throws PolicyLoadException when it cannot be read
     */
    public static PolicySource file(Path path) {
        try {
            return new PolicySource(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PolicyLoadException(List.of(new PolicyProblem(
                    path.toString(), 0, 0, "", "cannot read the file (" + e + "): check the path and permissions")));
        }
    }
}
