package dev.forage.tools.inference.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.policies.Money;
import dev.forage.tools.http.JsonApi;
import dev.forage.tools.http.ProviderResilience;
import dev.forage.tools.http.RemoteCallException;
import dev.forage.tools.inference.InferenceException;
import dev.forage.tools.inference.InferenceException.Reason;
import dev.forage.tools.inference.InferenceProvider;
import dev.forage.tools.inference.InferenceRequest;
import dev.forage.tools.inference.InferenceResult;
import dev.forage.tools.inference.ModelInfo;
import dev.forage.tools.inference.TokenPrice;
import dev.forage.tools.inference.Usage;
import dev.forage.tools.inference.remote.Answers;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An OpenAI-compatible inference endpoint: {@code POST embeddings} and {@code POST
 * chat/completions} in OpenAI's shapes, one class for every provider, configured by
 * {@link OpenAiCompatibleConfig} (Together AI, io.net IO Intelligence, Chutes, a generic
 * endpoint such as a devnet node).
 *
 * <p>Every call runs in the provider's {@link ProviderResilience}. Every answer is checked before
 * it becomes a result (see {@link dev.forage.tools.inference.InferenceProvider} for the contract):
 * a wrong one raises a non-retriable {@link InferenceException} and is never returned. The cost
 * comes from the model's price (the config's, else the listing's, refreshed after
 * {@link OpenAiCompatibleConfig#priceTtl()}); the price is looked up before the request is sent,
 * so a job whose price cannot be read is not run. Thread-safe.
 */
public final class OpenAiCompatibleProvider implements InferenceProvider {

    private final OpenAiCompatibleConfig config;
    private final JsonApi api;
    private final ProviderResilience resilience;
    private final ModelCatalog catalog;

    /**
     * @param http the JDK client (share one per process)
     * @param clock for price freshness and {@code Retry-After} dates
     */
    public OpenAiCompatibleProvider(OpenAiCompatibleConfig config, HttpClient http, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.api = new JsonApi(config.api(), http, clock);
        this.resilience = ProviderResilience.of(config.id(), config.resilience());
        this.catalog = new ModelCatalog(config, api, resilience, http, clock);
    }

    @Override
    public String id() {
        return config.id();
    }

    /** The provider's resilience stack, for metrics and tests. */
    public ProviderResilience resilience() {
        return resilience;
    }

    /**
     * The models, fetched now in the provider's listing shape.
     *
     * @throws RemoteCallException when the listing fails or is not its documented shape
     */
    @Override
    public List<ModelInfo> models() {
        return catalog.fetch();
    }

    /**
     * Runs {@code request} and checks the answer.
     *
     * @throws InferenceException when the answer is not a valid result for the request: MALFORMED
     *     (not JSON, a documented field missing, an index missing, repeated or out of range),
     *     TOO_LARGE (over the response cap), WRONG_COUNT, WRONG_DIMENSION, NOT_FINITE,
     *     MISSING_USAGE (where documented), WRONG_MODEL
     * @throws RemoteCallException for transport and HTTP failures, with the provider's error body
     *     (Together and OpenAI {@code {"error":{"message","type","code"}}}, Chutes and io.net
     *     {@code {"detail":…}}); retriable for timeouts, 408, 425, 429 and 5xx
     */
    @Override
    public InferenceResult run(InferenceRequest request) {
        Optional<TokenPrice> price = price(request.model());
        return switch (request) {
            case InferenceRequest.Embeddings e -> embed(e, price);
            case InferenceRequest.Chat c -> chat(c, price);
        };
    }

    private Optional<TokenPrice> price(String model) {
        TokenPrice configured = config.prices().get(model);
        return configured != null ? Optional.of(configured) : catalog.price(model);
    }

    private InferenceResult embed(InferenceRequest.Embeddings request, Optional<TokenPrice> price) {
        ObjectNode body = JsonApi.MAPPER.createObjectNode();
        body.put("model", request.model());
        ArrayNode input = body.putArray("input");
        request.inputs().forEach(input::add);
        Timed answer = post("embeddings", body);
        String operation = "POST /embeddings";
        JsonNode root = Answers.parse(id(), operation, answer.raw());
        if (!root.isObject()) {
            throw new InferenceException(id(), Reason.MALFORMED, operation + " answered " + root.getNodeType()
                    + ", not an object");
        }
        // The model first: another model's vectors are wrong in every other way too, and this says why.
        String model = Answers.requiredText(id(), root, "model", "the answer");
        Answers.requireModel(id(), request.model(), model, config.checks().modelPrefixes());
        List<JsonNode> items = Answers.inIndexOrder(id(), Answers.required(id(), root, "data", "the answer"),
                request.inputs().size());
        List<JsonNode> arrays = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            arrays.add(Answers.required(id(), item, "embedding", "item " + item.path("index").asInt()));
        }
        Integer dimension = config.checks().dimensions().get(request.model());
        List<float[]> vectors = Answers.vectors(id(), arrays, request.inputs().size(),
                dimension == null ? OptionalInt.empty() : OptionalInt.of(dimension));
        Usage usage = Answers.usage(id(), root.get("usage"), config.checks().embeddingsUsage(), false);
        return new InferenceResult(id(), request.model(), new InferenceResult.Embeddings(vectors), usage, answer.latency(),
                Answers.sha256(answer.raw()), cost(price, usage));
    }

    private InferenceResult chat(InferenceRequest.Chat request, Optional<TokenPrice> price) {
        ObjectNode body = JsonApi.MAPPER.createObjectNode();
        body.put("model", request.model());
        ArrayNode messages = body.putArray("messages");
        for (InferenceRequest.Message m : request.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        request.maxTokens().ifPresent(t -> body.put("max_tokens", t));
        request.temperature().ifPresent(t -> body.put("temperature", t));
        body.put("stream", false);
        Timed answer = post("chat/completions", body);
        String operation = "POST /chat/completions";
        JsonNode root = Answers.parse(id(), operation, answer.raw());
        if (!root.isObject()) {
            throw new InferenceException(id(), Reason.MALFORMED, operation + " answered " + root.getNodeType()
                    + ", not an object");
        }
        String model = Answers.requiredText(id(), root, "model", "the answer");
        Answers.requireModel(id(), request.model(), model, config.checks().modelPrefixes());
        JsonNode choices = Answers.required(id(), root, "choices", "the answer");
        if (!choices.isArray()) {
            throw new InferenceException(id(), Reason.MALFORMED, "'choices' must be an array, got "
                    + Answers.abbreviate(choices));
        }
        // One completion was asked for (no n): none, or several, is not an answer to this request.
        if (choices.size() != 1) {
            throw new InferenceException(id(), Reason.WRONG_COUNT, "answered " + choices.size()
                    + " choices for a request of one completion");
        }
        JsonNode choice = choices.get(0);
        JsonNode message = Answers.required(id(), choice, "message", "choice 0");
        String text = Answers.requiredText(id(), message, "content", "choice 0's message");
        String finish = Answers.requiredText(id(), choice, "finish_reason", "choice 0");
        Usage usage = Answers.usage(id(), root.get("usage"), config.checks().chatUsage(), true);
        return new InferenceResult(id(), request.model(), new InferenceResult.Completion(text, finish), usage,
                answer.latency(), Answers.sha256(answer.raw()), cost(price, usage));
    }

    private Money cost(Optional<TokenPrice> price, Usage usage) {
        return price.map(p -> p.costOf(usage)).orElse(Money.zero(config.billing()));
    }

    private record Timed(byte[] raw, Duration latency) {}

    private Timed post(String path, JsonNode body) {
        try {
            return resilience.call("POST /" + path, () -> {
                // nanoTime, not the clock: a latency must not jump with the wall clock.
                long start = System.nanoTime();
                JsonApi.RawResponse r = api.sendRaw("POST", path, List.of(), Optional.of(body), Map.of());
                return new Timed(r.raw(), Duration.ofNanos(System.nanoTime() - start));
            });
        } catch (RemoteCallException e) {
            throw Answers.translate(e);
        }
    }
}
