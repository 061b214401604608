package dev.forage.tools.inference.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.Money;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.http.RemoteCallException;
import dev.forage.tools.inference.InferenceException;
import dev.forage.tools.inference.InferenceRequest;
import dev.forage.tools.inference.InferenceResult;
import dev.forage.tools.inference.ModelInfo;
import dev.forage.tools.inference.MutableClock;
import dev.forage.tools.inference.TokenPrice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * A generic OpenAI-compatible endpoint, as the devnet provider nodes serve it on loopback:
 * {@code GET /v1/models} in OpenAI's {@code {object:"list", data:[…]}} envelope (here with
 * Together-style {@code pricing} on the embedding model), OpenAI's error shape, the chat model
 * priced in the config.
 */
class GenericOpenAiProviderTest extends OpenAiWireContract {

    static final String EMBEDDING = "sentence-transformers/all-MiniLM-L6-v2";
    static final String CHAT = "Qwen/Qwen2.5-0.5B-Instruct";
    static final TokenPrice CHAT_PRICE = new TokenPrice(Money.ofUnits(USDC, 50_000), Money.ofUnits(USDC, 150_000));

    static final String MODELS = """
            {"object":"list","data":[
              {"id":"sentence-transformers/all-MiniLM-L6-v2","object":"model","created":1760000000,"owned_by":"devnet-node-1",
               "type":"embedding","pricing":{"input":0.02,"output":0}},
              {"id":"Qwen/Qwen2.5-0.5B-Instruct","object":"model","created":1760000000,"owned_by":"devnet-node-1"}
            ]}""";

    @Override
    protected String basePath() {
        return "/v1";
    }

    @Override
    protected OpenAiCompatibleConfig preset(ApiKey key) {
        return OpenAiCompatibleConfig.openAi("devnet-node-1", "http://127.0.0.1:1/v1", key, USDC).withPrice(CHAT, CHAT_PRICE);
    }

    @Override
    protected String embeddingModel() {
        return EMBEDDING;
    }

    @Override
    protected String chatModel() {
        return CHAT;
    }

    @Override
    protected void stubModels() {
        wm.stubFor(get(urlEqualTo("/v1/models")).willReturn(json(200, MODELS)));
    }

    @Override
    protected Optional<TokenPrice> embeddingPrice() {
        return Optional.of(new TokenPrice(Money.ofUnits(USDC, 20_000), Money.zero(USDC)));
    }

    @Override
    protected Optional<TokenPrice> chatPrice() {
        return Optional.of(CHAT_PRICE);
    }

    @Override
    protected String errorBody(String message) {
        return "{\"error\":{\"message\":" + quoted(message) + ",\"type\":\"invalid_request_error\",\"param\":null,"
                + "\"code\":null}}";
    }

    private EmbeddingsAnswer honest(String model) {
        return new EmbeddingsAnswer(quoted(model), List.of(new Item(0, "[0.1,0.2,0.3]"), new Item(1, "[0.4,0.5,0.6]"),
                new Item(2, "[0.7,0.8,0.9]")), EMBEDDINGS_USAGE);
    }

    private InferenceRequest.Embeddings request() {
        return new InferenceRequest.Embeddings(EMBEDDING, INPUTS);
    }

    @Test
    void theEnvelopeListsModelsWithPricesWhereGiven() {
        List<ModelInfo> models = provider().models();

        assertThat(models).containsExactly(new ModelInfo(EMBEDDING, "embedding", embeddingPrice()),
                new ModelInfo(CHAT, "model", Optional.empty()));
    }

    @Test
    void theRequestsAreOpenAisShapes() {
        stubEmbeddings(honest(EMBEDDING));
        stubChat(new ChatAnswer(quoted(CHAT), List.of(choice(0, "4", "stop")),
                "{\"prompt_tokens\":21,\"completion_tokens\":2,\"total_tokens\":23}"));

        provider().run(request());
        provider().run(new InferenceRequest.Chat(CHAT, List.of(new InferenceRequest.Message("user", "2+2?")), OptionalInt.of(8),
                OptionalDouble.of(0.0)));

        wm.verify(postRequestedFor(urlEqualTo("/v1/embeddings")).withRequestBody(equalToJson(
                "{\"model\":\"" + EMBEDDING + "\",\"input\":[\"the quick brown fox\",\"jumps over\",\"the lazy dog\"]}")));
        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(equalToJson(
                "{\"model\":\"" + CHAT + "\",\"messages\":[{\"role\":\"user\",\"content\":\"2+2?\"}],\"max_tokens\":8,"
                        + "\"temperature\":0.0,\"stream\":false}")));
    }

    @Test
    void aToleratedPrefixIsAcceptedAndNoOtherIs() {
        stubEmbeddings(honest("accounts/devnet/models/" + EMBEDDING));
        OpenAiCompatibleConfig tolerant = config().withModelPrefix("accounts/devnet/models/");

        InferenceResult result = new OpenAiCompatibleProvider(tolerant, HTTP, Clock.systemUTC()).run(request());

        assertThat(result.model()).isEqualTo(EMBEDDING);
        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(InferenceException.class,
                e -> assertThat(e.reason()).isEqualTo(InferenceException.Reason.WRONG_MODEL));
    }

    @Test
    void withoutAConfiguredDimensionVectorsMustAgreeAcrossTheBatch() {
        OpenAiCompatibleConfig open = config().withChecks(new OpenAiCompatibleConfig.Checks(Map.of(), List.of(),
                true, true));
        stubEmbeddings(new EmbeddingsAnswer(quoted(EMBEDDING), List.of(new Item(0, "[0.1,0.2,0.3,0.4]"),
                new Item(1, "[0.5,0.6,0.7,0.8]"), new Item(2, "[0.9,1.0,1.1,1.2]")), EMBEDDINGS_USAGE));
        assertThat(new OpenAiCompatibleProvider(open, HTTP, Clock.systemUTC()).run(request()).embeddings().dimension())
                .isEqualTo(4);

        wm.resetAll();
        stubModels();
        stubEmbeddings(new EmbeddingsAnswer(quoted(EMBEDDING), List.of(new Item(0, "[0.1,0.2,0.3,0.4]"),
                new Item(1, "[0.5,0.6,0.7]"), new Item(2, "[0.9,1.0,1.1,1.2]")), EMBEDDINGS_USAGE));
        assertThatThrownBy(() -> new OpenAiCompatibleProvider(open, HTTP, Clock.systemUTC()).run(request()))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.reason()).isEqualTo(InferenceException.Reason.WRONG_DIMENSION));
    }

    @Test
    void pricesAreFetchedOnceAndAgainAfterTheirTtl() {
        stubEmbeddings(honest(EMBEDDING));
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        OpenAiCompatibleProvider provider = new OpenAiCompatibleProvider(config().withPriceTtl(Duration.ofMinutes(10)), HTTP,
                clock);

        provider.run(request());
        clock.advance(Duration.ofMinutes(9));
        provider.run(request());
        wm.verify(1, getRequestedFor(urlEqualTo("/v1/models")));

        clock.advance(Duration.ofMinutes(1));
        provider.run(request());
        wm.verify(2, getRequestedFor(urlEqualTo("/v1/models")));
    }

    @Test
    void aFailingListingStopsTheRunBeforeTheRequestIsSent() {
        wm.resetAll();
        wm.stubFor(get(urlEqualTo("/v1/models")).willReturn(json(500, errorBody("listing down"))));
        stubEmbeddings(honest(EMBEDDING));

        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(RemoteCallException.class,
                e -> assertThat(e.body()).contains("listing down"));
        assertThat(embeddingsRequests()).as("an unpriceable job is not run").isZero();
    }

    @Test
    void aFixedListingMakesNoRequestAndAnUnpricedModelCostsNothing() {
        wm.resetAll();
        stubEmbeddings(honest(EMBEDDING));
        OpenAiCompatibleConfig fixed = config().withListing(new ModelListing.Fixed(List.of(
                new ModelInfo(EMBEDDING, "embedding", Optional.empty()))));
        OpenAiCompatibleProvider provider = new OpenAiCompatibleProvider(fixed, HTTP, Clock.systemUTC());

        InferenceResult result = provider.run(request());

        assertThat(provider.models()).extracting(ModelInfo::id).containsExactly(EMBEDDING);
        assertThat(result.cost()).isEqualTo(Money.zero(USDC));
        assertThat(wm.getAllServeEvents()).hasSize(1);
    }
}
