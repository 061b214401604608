package dev.forage.tools.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import dev.forage.tools.http.ProviderResilience;
import dev.forage.tools.http.RemoteCallException;
import dev.forage.tools.inference.InferenceException.Reason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every remote {@link InferenceProvider} adapter passes, against WireMock stubs of
 * its API built from the documented shapes. A subclass creates the adapter pointed at {@link #wm}
 * with the key variable {@link #KEY_VARIABLE} read from {@link #environment}, the response cap
 * {@link #MAX_RESPONSE_BYTES}, the resilience settings {@link #RESILIENCE}, dimension
 * {@link #DIMENSION} for {@link #embeddingModel()} and usage required; and it renders each
 * scenario's answer in its provider's wire format. The scenarios and their assertions are the
 * same for every provider.
 */
public abstract class InferenceProviderContract {

    /** The environment variable every adapter under test reads its key from. */
    protected static final String KEY_VARIABLE = "FORAGE_TEST_INFERENCE_KEY";
    /** The key value in the test environment (not a real key). */
    protected static final String KEY_VALUE = "test-key-not-a-secret";
    /** The billing asset: USDC on a devnet chain. */
    protected static final Asset USDC = Asset.erc20("USDC", 6, "eip155:31337", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    /** Resilience for tests: 3 attempts, no backoff, 2 s per attempt. */
    protected static final ProviderResilience.Settings RESILIENCE = ProviderResilience.Settings.defaults()
            .withoutBackoff().withCallTimeout(Duration.ofSeconds(2));
    /** The response cap every adapter under test is configured with. */
    protected static final int MAX_RESPONSE_BYTES = 64 * 1024;
    /** The dimension every adapter under test is configured to expect of {@link #embeddingModel()}. */
    protected static final int DIMENSION = 3;
    /** The texts every embeddings scenario sends. */
    protected static final List<String> INPUTS = List.of("the quick brown fox", "jumps over", "the lazy dog");
    /** The honest vectors for {@link #INPUTS}, in input order. */
    protected static final List<float[]> VECTORS = List.of(new float[] {0.1f, 0.2f, 0.3f}, new float[] {0.4f, 0.5f, 0.6f},
            new float[] {-0.7f, 0.8f, -0.9f});
    /** The usage every honest embeddings answer reports. */
    protected static final String EMBEDDINGS_USAGE = "{\"prompt_tokens\":12,\"total_tokens\":12}";

    /** The stubbed API, on a dynamic loopback port. */
    protected WireMockServer wm;
    /** The environment the adapter reads its key from. */
    protected final Map<String, String> environment = new HashMap<>();

    private static final AtomicBoolean WARM = new AtomicBoolean();

    @BeforeEach
    void startStubs() throws Exception {
        wm = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        if (WARM.compareAndSet(false, true)) {
            warmUp();
        }
        environment.put(KEY_VARIABLE, KEY_VALUE);
        stubModels();
    }

    /**
     * WireMock's first answer in a JVM takes seconds (measured 2.3 s on a loaded machine), longer
     * than {@link #RESILIENCE}'s 2 s per attempt: without one answer before the first test, that
     * test would see a time-out and a retry that no provider caused.
     */
    private void warmUp() throws Exception {
        wm.stubFor(WireMock.post("/warm-up").willReturn(
                WireMock.okJson("{}")));
        try (HttpClient http = HttpClient.newHttpClient()) {
            http.send(HttpRequest.newBuilder(URI.create(wm.baseUrl() + "/warm-up")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.discarding());
        }
        wm.resetAll();
    }

    @AfterEach
    void stopStubs() {
        wm.stop();
    }

    // ---- what a subclass provides

    /** The adapter under test, created anew for each call (it reads {@link #wm}'s port). */
    protected abstract InferenceProvider provider();

    /** The embedding model the stubs serve. */
    protected abstract String embeddingModel();

    /** Stubs the provider's model listing (called before each test), with the prices below. */
    protected abstract void stubModels();

    /** The price of {@link #embeddingModel()} the adapter must find (in the listing or its config). */
    protected abstract Optional<TokenPrice> embeddingPrice();

    /**
     * Stubs the answer to the embeddings request in the provider's wire format.
     *
     * @return the raw body whose SHA-256 the result must carry
     */
    protected abstract String stubEmbeddings(EmbeddingsAnswer answer);

    /** Stubs the answer to the embeddings request as exactly {@code body} (not JSON, say). */
    protected abstract void stubEmbeddingsBody(String body);

    /** Stubs an answer that is the documented shape except that it lacks the vectors. */
    protected abstract void stubEmbeddingsWithoutVectors();

    /** Makes the embeddings request answer {@code status} with {@code body} and these headers. */
    protected abstract void stubEmbeddingsError(int status, String body, Map<String, String> headers);

    /** Makes the embeddings request fail once with {@code status}, then answer {@code answer}. */
    protected abstract void stubEmbeddingsFailingOnceThen(int status, EmbeddingsAnswer answer);

    /** Makes the embeddings request answer after {@code delay}. */
    protected abstract void stubEmbeddingsSlow(Duration delay);

    /** How many embeddings requests reached the provider (for Ritual: job submissions). */
    protected abstract int embeddingsRequests();

    /** An error body in the provider's documented error shape, carrying {@code message}. */
    protected abstract String errorBody(String message);

    /** Whether the provider's answer carries each vector's {@code index} (OpenAI's does; a Ritual output is positional). */
    protected boolean answersCarryIndexes() {
        return true;
    }

    /** Whether the adapter serves chat completions. */
    protected boolean servesChat() {
        return true;
    }

    /** The chat model the stubs serve. */
    protected String chatModel() {
        throw new UnsupportedOperationException("no chat");
    }

    /** The price of {@link #chatModel()} the adapter must find. */
    protected Optional<TokenPrice> chatPrice() {
        return Optional.empty();
    }

    /**
     * Stubs the answer to the chat request.
     *
     * @return the raw body whose SHA-256 the result must carry
     */
    protected String stubChat(ChatAnswer answer) {
        throw new UnsupportedOperationException("no chat");
    }

    // ---- answers, wire-format neutral

    /**
     * One vector of an answer.
     *
     * @param index the index the answer gives it
     * @param vector its JSON text (so that scenarios can put {@code NaN} tokens in it)
     */
    public record Item(int index, String vector) {}

    /**
     * An embeddings answer.
     *
     * @param model the JSON text of the answer's model, or null to leave it out
     * @param items the vectors in the order the answer lists them
     * @param usage the JSON text of the usage object, or null to leave it out
     */
    public record EmbeddingsAnswer(String model, List<Item> items, String usage) {
        EmbeddingsAnswer withItems(List<Item> newItems) {
            return new EmbeddingsAnswer(model, newItems, usage);
        }
    }

    /**
     * A chat answer.
     *
     * @param model the JSON text of the answer's model, or null to leave it out
     * @param choices the JSON text of each choice object
     * @param usage the JSON text of the usage object, or null to leave it out
     */
    public record ChatAnswer(String model, List<String> choices, String usage) {}

    /** JSON text of {@code v}. */
    protected static String json(float[] v) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            out.append(i == 0 ? "" : ",").append(v[i]);
        }
        return out.append(']').toString();
    }

    /** JSON text of a string. */
    protected static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private EmbeddingsAnswer honest() {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < VECTORS.size(); i++) {
            items.add(new Item(i, json(VECTORS.get(i))));
        }
        return new EmbeddingsAnswer(quoted(embeddingModel()), items, EMBEDDINGS_USAGE);
    }

    private EmbeddingsAnswer honestWith(int position, String vector) {
        List<Item> items = new ArrayList<>(honest().items());
        items.set(position, new Item(items.get(position).index(), vector));
        return honest().withItems(items);
    }

    private InferenceRequest.Embeddings request() {
        return new InferenceRequest.Embeddings(embeddingModel(), INPUTS);
    }

    private static String sha256(String body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    private void assertRefused(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InferenceException.class, e -> {
            assertThat(e.reason()).as("reason of: %s", e.getMessage()).isEqualTo(reason);
            assertThat(e.retriable()).isFalse();
            assertThat(e.provider()).isEqualTo(provider().id());
        });
    }

    private void restub() {
        wm.resetAll();
        stubModels();
    }

    // ---- embeddings

    @Test
    void embeddingsComeBackInInputOrderWithUsageDigestAndCost() throws Exception {
        String body = stubEmbeddings(honest());

        InferenceResult result = provider().run(request());

        assertThat(result.provider()).isEqualTo(provider().id());
        assertThat(result.model()).isEqualTo(embeddingModel());
        assertThat(result.embeddings().vectors()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(result.embeddings().vectors().get(i)).as("vector %d", i).containsExactly(VECTORS.get(i));
        }
        assertThat(result.embeddings().dimension()).isEqualTo(DIMENSION);
        assertThat(result.usage()).isEqualTo(new Usage(12, 0));
        assertThat(result.responseDigest()).isEqualTo(sha256(body));
        assertThat(result.latency().isNegative()).as("latency %s", result.latency()).isFalse();
        Money expected = embeddingPrice().map(p -> p.costOf(new Usage(12, 0))).orElse(Money.zero(USDC));
        assertThat(result.cost()).isEqualTo(expected);
        assertThat(embeddingsRequests()).isEqualTo(1);
    }

    @Test
    void itemsAreReorderedByTheirIndex() {
        assumeTrue(answersCarryIndexes(), "the answer is positional");
        List<Item> items = honest().items();
        stubEmbeddings(honest().withItems(List.of(items.get(2), items.get(0), items.get(1))));

        InferenceResult result = provider().run(request());

        for (int i = 0; i < 3; i++) {
            assertThat(result.embeddings().vectors().get(i)).as("vector %d", i).containsExactly(VECTORS.get(i));
        }
    }

    @Test
    void aRepeatedOrMissingIndexIsMalformed() {
        assumeTrue(answersCarryIndexes(), "the answer is positional");
        List<Item> items = honest().items();
        stubEmbeddings(honest().withItems(List.of(items.get(0), new Item(0, items.get(1).vector()), items.get(2))));
        assertRefused(() -> provider().run(request()), Reason.MALFORMED);

        restub();
        stubEmbeddings(honest().withItems(List.of(items.get(0), items.get(1), new Item(3, items.get(2).vector()))));
        assertRefused(() -> provider().run(request()), Reason.MALFORMED);
    }

    @Test
    void anotherNumberOfVectorsThanInputsIsWrongCountAndNotRetried() {
        List<Item> items = honest().items();
        stubEmbeddings(honest().withItems(items.subList(0, 2)));
        assertRefused(() -> provider().run(request()), Reason.WRONG_COUNT);
        assertThat(embeddingsRequests()).as("a wrong answer is not retried").isEqualTo(1);

        restub();
        List<Item> four = new ArrayList<>(items);
        four.add(new Item(3, json(VECTORS.get(0))));
        stubEmbeddings(honest().withItems(four));
        assertRefused(() -> provider().run(request()), Reason.WRONG_COUNT);
    }

    @Test
    void aVectorOfAnotherDimensionIsWrongDimension() {
        stubEmbeddings(honestWith(1, "[0.4,0.5]"));
        assertRefused(() -> provider().run(request()), Reason.WRONG_DIMENSION);

        restub();
        stubEmbeddings(honestWith(2, "[]"));
        assertRefused(() -> provider().run(request()), Reason.WRONG_DIMENSION);
    }

    @Test
    void consistentVectorsOfAnotherDimensionThanTheModelsAreWrongDimension() {
        List<Item> items = IntStream.range(0, 3).mapToObj(i -> new Item(i, "[0.1,0.2,0.3,0.4]")).toList();
        stubEmbeddings(honest().withItems(items));

        assertRefused(() -> provider().run(request()), Reason.WRONG_DIMENSION);
    }

    @Test
    void nanAndInfiniteValuesAreNotFinite() {
        for (String bad : List.of("[0.1,NaN,0.3]", "[0.1,\"NaN\",0.3]", "[Infinity,0.2,0.3]", "[0.1,0.2,-Infinity]",
                "[0.1,1e39,0.3]", "[0.1,0.2,1e400]")) {
            restub();
            stubEmbeddings(honestWith(1, bad));
            assertThatThrownBy(() -> provider().run(request())).as("vector %s", bad)
                    .isInstanceOfSatisfying(InferenceException.class, e -> {
                        assertThat(e.reason()).as("reason of: %s", e.getMessage()).isEqualTo(Reason.NOT_FINITE);
                        assertThat(e.retriable()).isFalse();
                    });
        }
    }

    @Test
    void aValueThatIsNotANumberIsMalformed() {
        stubEmbeddings(honestWith(0, "[0.1,\"0.2\",0.3]"));
        assertRefused(() -> provider().run(request()), Reason.MALFORMED);

        restub();
        stubEmbeddings(honestWith(0, "{\"values\":[0.1,0.2,0.3]}"));
        assertRefused(() -> provider().run(request()), Reason.MALFORMED);
    }

    @Test
    void anotherModelIsWrongModelAndAMissingOneMalformed() {
        stubEmbeddings(new EmbeddingsAnswer(quoted("cheap/substitute-model"), honest().items(), EMBEDDINGS_USAGE));
        assertRefused(() -> provider().run(request()), Reason.WRONG_MODEL);

        restub();
        stubEmbeddings(new EmbeddingsAnswer(null, honest().items(), EMBEDDINGS_USAGE));
        assertRefused(() -> provider().run(request()), Reason.MALFORMED);
    }

    @Test
    void missingUsageIsMissingUsage() {
        stubEmbeddings(new EmbeddingsAnswer(quoted(embeddingModel()), honest().items(), null));
        assertRefused(() -> provider().run(request()), Reason.MISSING_USAGE);

        restub();
        stubEmbeddings(new EmbeddingsAnswer(quoted(embeddingModel()), honest().items(), "{\"prompt_tokens\":-1}"));
        assertRefused(() -> provider().run(request()), Reason.MALFORMED);
    }

    @Test
    void aBodyThatIsNotJsonIsMalformedAndNotRetried() {
        stubEmbeddingsBody("<html><body>upstream connect error</body></html>");

        assertRefused(() -> provider().run(request()), Reason.MALFORMED);
        assertThat(embeddingsRequests()).isEqualTo(1);
    }

    @Test
    void anAnswerWithoutVectorsIsMalformed() {
        stubEmbeddingsWithoutVectors();

        assertRefused(() -> provider().run(request()), Reason.MALFORMED);
    }

    @Test
    void anAnswerOverTheCapIsTooLarge() {
        String big = IntStream.range(0, 4000).mapToObj(i -> "0.123456789").collect(Collectors.joining(",", "[", "]"));
        List<Item> items = IntStream.range(0, 3).mapToObj(i -> new Item(i, big)).toList();
        stubEmbeddings(honest().withItems(items));

        assertRefused(() -> provider().run(request()), Reason.TOO_LARGE);
        assertThat(embeddingsRequests()).isEqualTo(1);
    }

    // ---- keys and HTTP failures

    @Test
    void theKeyComesFromTheNamedVariableAndAMissingOneFailsBeforeAnyRequest() {
        stubEmbeddings(honest());
        provider().run(request());
        assertThat(wm.getAllServeEvents()).isNotEmpty().allSatisfy(e ->
                assertThat(e.getRequest().getAllHeaderKeys().stream().map(e.getRequest()::getHeader))
                        .anySatisfy(v -> assertThat(v).contains(KEY_VALUE)));

        environment.remove(KEY_VARIABLE);
        int before = wm.getAllServeEvents().size();
        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.NOT_CONFIGURED);
            assertThat(e.getMessage()).contains(KEY_VARIABLE).doesNotContain(KEY_VALUE);
        });
        assertThat(wm.getAllServeEvents()).hasSize(before);
    }

    @Test
    void unauthorisedIsNotRetriableAndCarriesTheProvidersBody() {
        stubEmbeddingsError(401, errorBody("invalid api key"), Map.of());

        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.retriable()).isFalse();
            assertThat(e.status()).hasValue(401);
            assertThat(e.body()).contains("invalid api key");
        });
        assertThat(embeddingsRequests()).as("a 401 is not retried").isEqualTo(1);
    }

    @Test
    void clientErrorsAreNotRetried() {
        for (int status : new int[] {400, 403, 404, 422}) {
            restub();
            stubEmbeddingsError(status, errorBody("bad request " + status), Map.of());

            assertThatThrownBy(() -> provider().run(request())).as("HTTP %d", status)
                    .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                        assertThat(e.retriable()).isFalse();
                        assertThat(e.status()).hasValue(status);
                        assertThat(e.body()).contains("bad request " + status);
                    });
            assertThat(embeddingsRequests()).as("HTTP %d is not retried", status).isEqualTo(1);
        }
    }

    @Test
    void rateLimitsAreRetriableWithTheServersWait() {
        stubEmbeddingsError(429, errorBody("slow down"), Map.of("Retry-After", "0"));

        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.retriable()).isTrue();
            assertThat(e.status()).hasValue(429);
            assertThat(e.retryAfter()).contains(Duration.ZERO);
            assertThat(e.body()).contains("slow down");
        });
        assertThat(embeddingsRequests()).as("retried up to the attempt limit").isEqualTo(RESILIENCE.maxAttempts());
    }

    @Test
    void serverErrorsAreRetriableAndRetried() {
        stubEmbeddingsError(500, errorBody("boom"), Map.of());

        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.retriable()).isTrue();
            assertThat(e.status()).hasValue(500);
            assertThat(e.body()).contains("boom");
        });
        assertThat(embeddingsRequests()).isEqualTo(RESILIENCE.maxAttempts());
    }

    @Test
    void aServerErrorThenAnAnswerSucceedsOnTheRetry() {
        stubEmbeddingsFailingOnceThen(503, honest());

        InferenceResult result = provider().run(request());

        assertThat(result.embeddings().vectors().get(2)).containsExactly(VECTORS.get(2));
        assertThat(embeddingsRequests()).isEqualTo(2);
    }

    @Test
    void aSlowAnswerTimesOutAsRetriable() {
        stubEmbeddingsSlow(RESILIENCE.callTimeout().plusSeconds(1));

        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.TIMEOUT);
            assertThat(e.retriable()).isTrue();
        });
    }

    // ---- chat

    private InferenceRequest.Chat chatRequest() {
        return new InferenceRequest.Chat(chatModel(), List.of(new InferenceRequest.Message("system", "Answer briefly."),
                new InferenceRequest.Message("user", "What is 2 + 2?")), OptionalInt.of(16), OptionalDouble.of(0));
    }

    /** JSON text of one chat choice. */
    protected static String choice(int index, String content, String finishReason) {
        return "{\"index\":" + index + ",\"message\":{\"role\":\"assistant\",\"content\":" + quoted(content)
                + "},\"finish_reason\":" + quoted(finishReason) + ",\"logprobs\":null}";
    }

    private static final String CHAT_USAGE = "{\"prompt_tokens\":21,\"completion_tokens\":2,\"total_tokens\":23}";

    @Test
    void aChatCompletionComesBackWithTextFinishReasonUsageDigestAndCost() throws Exception {
        assumeTrue(servesChat(), "no chat");
        String body = stubChat(new ChatAnswer(quoted(chatModel()), List.of(choice(0, "4", "stop")), CHAT_USAGE));

        InferenceResult result = provider().run(chatRequest());

        assertThat(result.output()).isEqualTo(new InferenceResult.Completion("4", "stop"));
        assertThat(result.model()).isEqualTo(chatModel());
        assertThat(result.usage()).isEqualTo(new Usage(21, 2));
        assertThat(result.responseDigest()).isEqualTo(sha256(body));
        Money expected = chatPrice().map(p -> p.costOf(new Usage(21, 2))).orElse(Money.zero(USDC));
        assertThat(result.cost()).isEqualTo(expected);
        assertThat(chatPrice()).as("the stubs price the chat model").isPresent();
        assertThat(result.cost().isZero()).isFalse();
    }

    @Test
    void aChatAnswerWithoutUsageOrFromAnotherModelIsRefused() {
        assumeTrue(servesChat(), "no chat");
        stubChat(new ChatAnswer(quoted(chatModel()), List.of(choice(0, "4", "stop")), null));
        assertRefused(() -> provider().run(chatRequest()), Reason.MISSING_USAGE);

        restub();
        stubChat(new ChatAnswer(quoted("tiny/1b-instruct"), List.of(choice(0, "4", "stop")), CHAT_USAGE));
        assertRefused(() -> provider().run(chatRequest()), Reason.WRONG_MODEL);

        restub();
        stubChat(new ChatAnswer(quoted(chatModel()), List.of(choice(0, "4", "stop")), "{\"prompt_tokens\":21}"));
        assertRefused(() -> provider().run(chatRequest()), Reason.MALFORMED);
    }

    @Test
    void aChatAnswerWithNoneOrSeveralChoicesIsWrongCountAndOneWithoutContentMalformed() {
        assumeTrue(servesChat(), "no chat");
        stubChat(new ChatAnswer(quoted(chatModel()), List.of(), CHAT_USAGE));
        assertRefused(() -> provider().run(chatRequest()), Reason.WRONG_COUNT);

        restub();
        stubChat(new ChatAnswer(quoted(chatModel()), List.of(choice(0, "4", "stop"), choice(1, "5", "stop")), CHAT_USAGE));
        assertRefused(() -> provider().run(chatRequest()), Reason.WRONG_COUNT);

        restub();
        stubChat(new ChatAnswer(quoted(chatModel()), List.of("{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":null},\"finish_reason\":\"stop\"}"), CHAT_USAGE));
        assertRefused(() -> provider().run(chatRequest()), Reason.MALFORMED);
    }

    /** For subclasses: the honest answer's vectors flattened, to build a wire body by hand. */
    protected static String vectorsJson(List<Item> items) {
        return items.stream().map(Item::vector).collect(Collectors.joining(",", "[", "]"));
    }
}
