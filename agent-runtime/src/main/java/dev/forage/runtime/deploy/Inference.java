package dev.forage.runtime.deploy;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An inference provider the agent may dispatch to.
 *
 * @param kind which provider
 * @param baseUrl its API, when not the adapter's default; required for {@link InferenceKind#RITUAL},
 *     absent for {@link InferenceKind#LOCAL}
 * @param apiKeyEnv the name of the environment variable holding the API key; present for the
 *     kinds that {@linkplain InferenceKind#needsApiKey() need one}, absent for {@code local}
 * @param models the models the agent may use there, at least one, no repeats
 */
public record Inference(InferenceKind kind, Optional<URI> baseUrl, Optional<String> apiKeyEnv, List<String> models) {

    public Inference {
        Objects.requireNonNull(kind, "inference kind");
        Objects.requireNonNull(baseUrl, "inference baseUrl");
        Objects.requireNonNull(apiKeyEnv, "inference apiKeyEnv");
        baseUrl.ifPresent(u -> Urls.requireHttp("inference baseUrl", u));
        apiKeyEnv.ifPresent(v -> EnvNames.require("inference apiKeyEnv", v));
        if (kind.needsApiKey() && apiKeyEnv.isEmpty()) {
            throw new IllegalArgumentException("inference " + kind.yamlName() + " needs apiKeyEnv: name the environment variable holding its API key");
        }
        if (kind == InferenceKind.RITUAL && baseUrl.isEmpty()) {
            throw new IllegalArgumentException("inference ritual needs baseUrl: the Infernet node's URL");
        }
        if (kind == InferenceKind.LOCAL && (baseUrl.isPresent() || apiKeyEnv.isPresent())) {
            throw new IllegalArgumentException("inference local runs in-process: it takes neither baseUrl nor apiKeyEnv");
        }
        models = Ordered.copy(models, "inference models");
        if (models.isEmpty() || models.stream().anyMatch(String::isEmpty) || new HashSet<>(models).size() != models.size()) {
            throw new IllegalArgumentException("inference " + kind.yamlName() + " models " + models
                    + " must list at least one non-empty model name, each once");
        }
    }
}
