package dev.forage.runtime.deploy;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The model an LLM planner thinks with, reached as an OpenAI-compatible API, so the agent can
 * think with a DeAI provider and pay for that under the same policy.
 *
 * @param baseUrl the API's base URL, e.g. {@code https://api.together.xyz/v1}
 * @param modelName the model
 * @param apiKeyEnv the name of the environment variable holding the API key
 * @param temperature the sampling temperature, 0 to 2, when not the provider's default
 * @param maxTokens the most tokens per reply, when limited
 * @param timeout how long one model call may take, when not the runtime's default
 */
public record ChatModelSettings(URI baseUrl, String modelName, String apiKeyEnv, OptionalDouble temperature,
        OptionalInt maxTokens, Optional<Duration> timeout) {

    public ChatModelSettings {
        Urls.requireHttp("planner.model.baseUrl", baseUrl);
        Objects.requireNonNull(modelName, "planner.model.modelName");
        if (modelName.isEmpty()) {
            throw new IllegalArgumentException("planner.model.modelName is empty: name the model, e.g. meta-llama/Llama-3.3-70B-Instruct-Turbo");
        }
        EnvNames.require("planner.model.apiKeyEnv", apiKeyEnv);
        Objects.requireNonNull(temperature, "planner.model.temperature");
        Objects.requireNonNull(maxTokens, "planner.model.maxTokens");
        Objects.requireNonNull(timeout, "planner.model.timeout");
        temperature.ifPresent(t -> {
            if (!(t >= 0 && t <= 2)) {
                throw new IllegalArgumentException("planner.model.temperature " + t + " must be 0 to 2");
            }
        });
        maxTokens.ifPresent(n -> {
            if (n < 1) {
                throw new IllegalArgumentException("planner.model.maxTokens " + n + " must be at least 1");
            }
        });
        timeout.ifPresent(d -> Durations.requirePositive("planner.model.timeout", d));
    }
}
