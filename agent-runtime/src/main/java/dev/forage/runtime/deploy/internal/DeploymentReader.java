package dev.forage.runtime.deploy.internal;

import dev.forage.policies.Assets;
import dev.forage.policies.InvalidValueException;
import dev.forage.runtime.deploy.AgentDeployment;
import dev.forage.runtime.deploy.DeploymentException;
import dev.forage.runtime.deploy.DeploymentLoader;
import dev.forage.runtime.deploy.DeploymentProblem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.util.List;
import java.util.Optional;

/**
 * The loading steps, in order: read the file, parse the YAML with positions, refuse written
 * secrets, validate against the schema, run the checks a schema cannot express, and only when
 * nothing was found build the model. Every step adds to one list of problems.
 */
public final class DeploymentReader {

    private DeploymentReader() {}

    /**
     * See {@link DeploymentLoader#load(Path)}.
     *
     * @param assets when present, amounts are resolved against them
     */
    public static AgentDeployment load(Path file, Optional<Assets> assets) {
        String source = file.toString();
        String text;
        try {
            if (Files.size(file) > DeploymentLoader.MAX_BYTES) {
                throw failure(source, "the file is larger than " + DeploymentLoader.MAX_BYTES
                        + " bytes: a deployment is a few kilobytes; is this the right file?");
            }
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (NoSuchFileException e) {
            throw failure(source, "no such file: " + file.toAbsolutePath().normalize());
        } catch (CharacterCodingException e) {
            throw failure(source, "the file is not UTF-8 text: save it as UTF-8");
        } catch (IOException e) {
            throw failure(source, "cannot read the file (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "): check the path and its permissions");
        }
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parse(source, text, parent == null ? file.toAbsolutePath().getRoot() : parent, assets);
    }

    /** See {@link DeploymentLoader#parse(String, String, Path)}. */
    public static AgentDeployment parse(String source, String text, Path baseDirectory, Optional<Assets> assets) {
        if (text.length() > DeploymentLoader.MAX_BYTES) {
            throw failure(source, "the text is longer than " + DeploymentLoader.MAX_BYTES + " characters: a deployment is a few kilobytes");
        }
        Path base = baseDirectory.toAbsolutePath().normalize();
        Problems problems = new Problems(source);
        LocatedYaml yaml;
        try {
            yaml = LocatedYaml.parse(text);
        } catch (LocatedYaml.SyntaxError e) {
            problems.add(Pointer.ROOT, e.loc(), e.getMessage());
            throw new DeploymentException(problems.sorted());
        }
        for (LocatedYaml.Issue issue : yaml.issues()) {
            problems.addBlocking(issue.path(), issue.loc(), issue.message());
        }
        if (!yaml.root().isObject()) {
            if (!yaml.root().isNull() || problems.isEmpty()) {
                problems.add(Pointer.ROOT, LocatedYaml.Loc.START, "a deployment is a mapping with apiVersion, kind, metadata and"
                        + " spec; this document is " + (yaml.root().isArray() ? "a list" : "a single value"));
            }
            throw new DeploymentException(problems.sorted());
        }
        Secrets.scan(yaml.root(), Pointer.ROOT, yaml, problems);
        SchemaValidation.validate(yaml, problems);
        SemanticChecks.check(yaml, problems, base, assets);
        if (!problems.isEmpty()) {
            throw new DeploymentException(problems.sorted());
        }
        try {
            return ModelReader.read(yaml, base);
        } catch (IllegalArgumentException | InvalidValueException | DateTimeException e) {
            // The checks above should have caught it; still a problem in the file, never a crash.
            throw failure(source, e.getMessage());
        }
    }

    private static DeploymentException failure(String source, String message) {
        return new DeploymentException(List.of(new DeploymentProblem(Secrets.scrub(source), 0, 0, "", Secrets.scrub(message))));
    }
}
