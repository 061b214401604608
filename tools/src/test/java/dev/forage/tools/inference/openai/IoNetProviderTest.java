package dev.forage.tools.inference.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.Money;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.http.RemoteCallException;
import dev.forage.tools.inference.ModelInfo;
import dev.forage.tools.inference.TokenPrice;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * io.net IO Intelligence: {@code GET /api/v1/models?page=&page_size=} answers
 * {@code {data:[…], pagination:{total, page, page_size, total_pages, has_next, has_previous}}}
 * (io.net/docs/reference/ai-models/get-models-list, {@code PaginatedModelResponse}); errors are
 * FastAPI's {@code {"detail": …}}.
 */
class IoNetProviderTest extends OpenAiWireContract {

    static final String EMBEDDING = "BAAI/bge-multilingual-gemma2";
    static final String CHAT = "meta-llama/Llama-3.3-70B-Instruct";

    static String model(String name, String status, boolean embeddings, boolean chat, String input, String output) {
        return """
                {"model_id":"3c90c3cc-0d44-4b50-8888-8dd25736052a","name":"%s","status":"%s",
                 "chat_daily_quota_tier_1":1000000,"api_completions_daily_quota_tier_1":500000,
                 "embeddings_daily_quota_tier_1":500000,
                 "metadata":{"tags":"New","developer":"x","enable_api_chat_completions":%s,"enable_api_embeddings":%s,
                   "enable_chat_ui":true,"license":"apache-2.0","tool_support":"no","max_tokens":4096,"context_window":8192,
                   "supports_images_input":false,"input_token_price":%s,"output_token_price":%s,"precision":"fp8"},
                 "created_at":"2025-01-07T05:31:56Z","updated_at":"2025-06-07T05:31:56Z","description":"..."}"""
                .formatted(name, status, chat, embeddings, input, output);
    }

    static String page(int page, int totalPages, boolean hasNext, String... models) {
        return "{\"data\":[" + String.join(",", models) + "],\"pagination\":{\"total\":3,\"page\":" + page
                + ",\"page_size\":2,\"total_pages\":" + totalPages + ",\"has_next\":" + hasNext + ",\"has_previous\":"
                + (page > 1) + "}}";
    }

    void stubPage(int page, String body) {
        wm.stubFor(get(urlPathEqualTo("/api/v1/models")).withQueryParam("page", equalTo(Integer.toString(page)))
                .withQueryParam("page_size", equalTo("2")).willReturn(json(200, body)));
    }

    @Override
    protected String basePath() {
        return "/api/v1";
    }

    @Override
    protected OpenAiCompatibleConfig preset(ApiKey key) {
        return OpenAiCompatibleConfig.ioNet(key, USDC);
    }

    @Override
    protected OpenAiCompatibleConfig adjust(OpenAiCompatibleConfig config) {
        return config.withListing(new ModelListing.Paginated("models", 2, 5, 1_000_000));
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
        stubPage(1, page(1, 2, true, model(EMBEDDING, "active", true, false, "\"0.02\"", "null"),
                model("mistralai/Mistral-Nemo-Instruct-2407", "inactive", false, true, "\"0.02\"", "\"0.04\"")));
        stubPage(2, page(2, 2, false, model(CHAT, "active", false, true, "\"0.13\"", "\"0.38\"")));
    }

    @Override
    protected Optional<TokenPrice> embeddingPrice() {
        return Optional.of(new TokenPrice(Money.ofUnits(USDC, 20_000), Money.zero(USDC)));
    }

    @Override
    protected Optional<TokenPrice> chatPrice() {
        return Optional.of(new TokenPrice(Money.ofUnits(USDC, 130_000), Money.ofUnits(USDC, 380_000)));
    }

    @Override
    protected String errorBody(String message) {
        return "{\"detail\":" + quoted(message) + "}";
    }

    @Test
    void thePresetIsIoNetsEndpointWithPagesOfAHundred() {
        OpenAiCompatibleConfig preset = OpenAiCompatibleConfig.ioNet(ApiKey.fromEnv("IOINTELLIGENCE_API_KEY"), USDC);

        assertThat(preset.id()).isEqualTo("ionet");
        assertThat(preset.api().baseUrl()).isEqualTo(URI.create("https://api.intelligence.io.solutions/api/v1/"));
        assertThat(preset.listing()).isEqualTo(new ModelListing.Paginated("models", 100, 20, 1_000_000));
        assertThat(preset.checks().embeddingsUsage()).isTrue();
    }

    @Test
    void modelsWalkEveryPageAndLeaveOutInactiveOnes() {
        List<ModelInfo> models = provider().models();

        assertThat(models).extracting(ModelInfo::id).containsExactly(EMBEDDING, CHAT);
        assertThat(models).extracting(ModelInfo::kind).containsExactly("embedding", "chat");
        assertThat(models.get(0).price()).isEqualTo(embeddingPrice());
        assertThat(models.get(1).price()).isEqualTo(chatPrice());
        wm.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/models")).withQueryParam("page", equalTo("1")));
        wm.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/models")).withQueryParam("page", equalTo("2")));
    }

    @Test
    void anEndlessListingIsRefusedAtThePageCap() {
        wm.resetAll();
        wm.stubFor(get(urlPathEqualTo("/api/v1/models")).willReturn(json(200,
                page(1, 99, true, model(EMBEDDING, "active", true, false, "\"0.02\"", "null")))));

        assertThatThrownBy(() -> provider().models()).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE);
            assertThat(e.getMessage()).contains("more than 5 pages");
        });
        assertThat(wm.countRequestsMatching(getRequestedFor(urlPathEqualTo("/api/v1/models")).build()).getCount())
                .isEqualTo(5);
    }

    @Test
    void pricesPerTokenAreConvertedToPerMillionWhenConfigured() {
        wm.resetAll();
        stubPage(1, page(1, 1, false, model(CHAT, "active", false, true, "\"0.00000013\"", "\"0.00000038\"")));
        OpenAiCompatibleConfig perToken = config().withListing(new ModelListing.Paginated("models", 2, 5, 1));

        List<ModelInfo> models = new OpenAiCompatibleProvider(perToken, HTTP, Clock.systemUTC()).models();

        assertThat(models.get(0).price()).isEqualTo(chatPrice());
    }

    @Test
    void aPriceThatIsNotANumberIsAMalformedListing() {
        wm.resetAll();
        stubPage(1, page(1, 1, false, model(CHAT, "active", false, true, "\"<string>\"", "\"0.38\"")));

        assertThatThrownBy(() -> provider().models()).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE);
            assertThat(e.getMessage()).contains(CHAT).contains("<string>");
        });
    }

    @Test
    void theOpenAiEnvelopeIsNotIoNetsListing() {
        wm.resetAll();
        wm.stubFor(get(urlPathEqualTo("/api/v1/models")).willReturn(json(200, "[{\"id\":\"x\",\"object\":\"model\"}]")));

        assertThatThrownBy(() -> provider().models()).isInstanceOfSatisfying(RemoteCallException.class,
                e -> assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE));
    }
}
