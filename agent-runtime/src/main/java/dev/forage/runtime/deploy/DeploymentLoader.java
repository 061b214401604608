package dev.forage.runtime.deploy;

import dev.forage.policies.Assets;
import dev.forage.runtime.deploy.internal.DeploymentReader;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads deployment files: YAML is parsed keeping every node's line and column, secrets written
 * in the file are refused, the document is validated against the shipped JSON Schema
 * ({@value #SCHEMA_RESOURCE}), then checked for what a schema cannot say (durations, time zones,
 * unique job ids, policy files that exist, amounts in the chain's assets), and read into an
 * {@link AgentDeployment}. All problems are reported together. Immutable and thread-safe.
 */
public final class DeploymentLoader {

    /** The class-path resource of the JSON Schema (draft 2020-12) deployments are validated against. */
    public static final String SCHEMA_RESOURCE = "dev/forage/runtime/deploy/agent-deployment.schema.json";

    /** The largest deployment file read, in bytes. */
    public static final int MAX_BYTES = 1 << 20;

    private final Optional<Assets> assets;

    private DeploymentLoader(Optional<Assets> assets) {
        this.assets = assets;
    }

    /** A loader that checks amounts for their shape only. */
    public static DeploymentLoader create() {
        return new DeploymentLoader(Optional.empty());
    }

    /**
     * A loader that also resolves every amount ({@code maxPricePerHour}, {@code budget.limit})
     * against {@code assets}, the assets of the chain the agent will run on, and reports an
     * unknown symbol or too many decimals at the amount's line.
     */
    public DeploymentLoader withAssets(Assets assets) {
        return new DeploymentLoader(Optional.of(Objects.requireNonNull(assets, "assets")));
    }

    /**
     * Loads a deployment file (UTF-8, at most {@value #MAX_BYTES} bytes). Relative paths in it
     * are resolved against the file's folder.
     *
     * @param file the file; problems name it as given
     * @throws DeploymentException listing every problem, each with file, line, column and field path
     */
    public AgentDeployment load(Path file) {
        return DeploymentReader.load(file, assets);
    }

    /**
     * Reads deployment text that did not come from a file.
     *
     * @param source the name problems are reported under
     * @param yaml the text
     * @param baseDirectory what relative paths are resolved against
     * @throws DeploymentException listing every problem
     */
    public AgentDeployment parse(String source, String yaml, Path baseDirectory) {
        return DeploymentReader.parse(source, yaml, baseDirectory, assets);
    }
}
