package dev.forage.runtime.deploy;

import dev.forage.runtime.deploy.internal.DeploymentWriter;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One agent as a deployment file describes it: {@code apiVersion: forage.dev/v1},
 * {@code kind: AgentDeployment}, {@code metadata} and {@code spec}. Paths in the model are
 * already resolved against the file's folder; money stays {@link Amount text} until the chain's
 * assets are known.
 *
 * <pre>{@code
 * AgentDeployment deployment = AgentDeployment.load(Path.of("deployments/devnet-embedder.yaml"));
 * deployment.spec().jobs().forEach(job -> ...);
 * }</pre>
 *
 * @param metadata the agent's name and labels
 * @param spec what it asks for
 */
public record AgentDeployment(Metadata metadata, DeploymentSpec spec) {

    /** The {@code apiVersion} a deployment declares. */
    public static final String API_VERSION = "forage.dev/v1";
    /** The {@code kind} a deployment declares. */
    public static final String KIND = "AgentDeployment";

    public AgentDeployment {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
    }

    /**
     * Loads and validates a deployment file; see {@link DeploymentLoader#load(Path)}.
     *
     * @throws DeploymentException listing every problem, each with file, line, column and field path
     */
    public static AgentDeployment load(Path file) {
        return DeploymentLoader.create().load(file);
    }

    /** The agent's name, {@code metadata.name}. */
    public String name() {
        return metadata.name();
    }

    /**
     * This deployment as YAML that {@link DeploymentLoader} reads back equal. Paths are written
     * as the model holds them (absolute once loaded), so the text loads the same from any folder.
     */
    public String toYaml() {
        return DeploymentWriter.write(this);
    }
}
