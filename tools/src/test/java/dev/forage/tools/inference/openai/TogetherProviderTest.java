package dev.forage.tools.inference.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.Money;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.http.JsonApi;
import dev.forage.tools.http.RemoteCallException;
import dev.forage.tools.inference.InferenceRequest;
import dev.forage.tools.inference.InferenceResult;
import dev.forage.tools.inference.ModelInfo;
import dev.forage.tools.inference.TokenPrice;
import dev.forage.tools.inference.Usage;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Together AI: {@code GET /v1/models} is a bare array with {@code pricing.input/output} in USD per
 * million tokens (docs.together.ai/reference/models); errors are
 * {@code {"error":{"message","type","param","code"}}}; the embeddings answer documents no usage.
 */
class TogetherProviderTest extends OpenAiWireContract {

    static final String EMBEDDING = "togethercomputer/m2-bert-80M-32k-retrieval";
    static final String CHAT = "meta-llama/Llama-3.3-70B-Instruct-Turbo";

    /** Three models as Together lists them (unknown fields included): priced embedding, priced chat, unpriced image. */
    static final String MODELS = """
            [
              {"id":"togethercomputer/m2-bert-80M-32k-retrieval","object":"model","created":1700000000,"type":"embedding",
               "display_name":"M2-BERT-Retrieval-32k","organization":"Together","link":"https://huggingface.co/togethercomputer",
               "license":"apache-2.0","context_length":32768,
               "pricing":{"hourly":0,"input":0.008,"output":0,"base":0,"finetune":0}},
              {"id":"meta-llama/Llama-3.3-70B-Instruct-Turbo","object":"model","created":1733443200,"type":"chat",
               "display_name":"Meta Llama 3.3 70B Instruct Turbo","organization":"Meta","license":"llama3.3",
               "context_length":131072,"config":{"chat_template":null,"stop":["<|eot_id|>"]},
               "pricing":{"hourly":0,"input":0.88,"output":0.88,"base":0,"finetune":0}},
              {"id":"black-forest-labs/FLUX.1-schnell","object":"model","created":1733000000,"type":"image",
               "display_name":"FLUX.1 [schnell]","organization":"Black Forest Labs","license":"apache-2.0"}
            ]""";

    @Override
    protected String basePath() {
        return "/v1";
    }

    @Override
    protected OpenAiCompatibleConfig preset(ApiKey key) {
        return OpenAiCompatibleConfig.together(key, USDC);
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
        return Optional.of(new TokenPrice(Money.ofUnits(USDC, 8_000), Money.zero(USDC)));
    }

    @Override
    protected Optional<TokenPrice> chatPrice() {
        return Optional.of(new TokenPrice(Money.ofUnits(USDC, 880_000), Money.ofUnits(USDC, 880_000)));
    }

    @Override
    protected String errorBody(String message) {
        return "{\"id\":\"o8rn2kq-57nAMy\",\"error\":{\"message\":" + quoted(message)
                + ",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";
    }

    @Test
    void thePresetIsTogethersEndpointWithABearerKeyAndTheBareArrayListing() {
        OpenAiCompatibleConfig preset = OpenAiCompatibleConfig.together(ApiKey.fromEnv("TOGETHER_API_KEY"), USDC);

        assertThat(preset.id()).isEqualTo("together");
        assertThat(preset.api().baseUrl()).isEqualTo(URI.create("https://api.together.ai/v1/"));
        assertThat(preset.api().auth()).isEqualTo(JsonApi.Auth.bearer());
        assertThat(preset.api().key().variable()).contains("TOGETHER_API_KEY");
        assertThat(preset.listing()).isEqualTo(new ModelListing.BareArray("models"));
        assertThat(preset.checks().embeddingsUsage()).as("Together documents no embeddings usage").isFalse();
        assertThat(preset.checks().chatUsage()).isTrue();
    }

    @Test
    void modelsAreTheBareArrayWithPricesConvertedExactly() {
        List<ModelInfo> models = provider().models();

        assertThat(models).extracting(ModelInfo::id).containsExactly(EMBEDDING, CHAT, "black-forest-labs/FLUX.1-schnell");
        assertThat(models).extracting(ModelInfo::kind).containsExactly("embedding", "chat", "image");
        assertThat(models.get(0).price()).isEqualTo(embeddingPrice());
        assertThat(models.get(1).price()).isEqualTo(chatPrice());
        assertThat(models.get(2).price()).as("no pricing object, no price").isEmpty();
    }

    @Test
    void aPriceFinerThanTheAssetRoundsUpToAWholeBaseUnit() {
        wm.stubFor(get(urlEqualTo("/v1/models")).willReturn(json(200,
                "[{\"id\":\"m\",\"object\":\"model\",\"type\":\"chat\",\"pricing\":{\"input\":0.0000001,\"output\":1.2345671}}]")));

        ModelInfo m = provider().models().get(0);

        // 0.0000001 USD = 0.1 base unit -> 1; 1.2345671 USD = 1234567.1 base units -> 1234568.
        assertThat(m.price()).contains(new TokenPrice(Money.ofUnits(USDC, 1), Money.ofUnits(USDC, 1_234_568)));
    }

    @Test
    void anEnvelopeWhereTogetherDocumentsABareArrayIsAMalformedListing() {
        wm.stubFor(get(urlEqualTo("/v1/models")).willReturn(json(200, "{\"object\":\"list\",\"data\":[]}")));

        assertThatThrownBy(() -> provider().models()).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE);
            assertThat(e.retriable()).isFalse();
        });
    }

    @Test
    void theDocumentedEmbeddingsAnswerWithoutUsageIsAcceptedByThePresetAndCostsNothing() {
        // Together's EmbeddingsResponse schema: {object, model, data}.
        wm.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(json(200, "{\"object\":\"list\",\"model\":"
                + quoted(EMBEDDING) + ",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,0.25]}]}")));
        OpenAiCompatibleConfig preset = preset(ApiKey.fromEnv(KEY_VARIABLE, environment::get))
                .withBaseUrl(wm.baseUrl() + "/v1").withResilience(RESILIENCE);

        InferenceResult result = new OpenAiCompatibleProvider(preset, HTTP, Clock.systemUTC())
                .run(new InferenceRequest.Embeddings(EMBEDDING, List.of("one")));

        assertThat(result.embeddings().vectors().get(0)).containsExactly(0.5f, 0.25f);
        assertThat(result.usage()).isEqualTo(new Usage(0, 0));
        assertThat(result.cost()).isEqualTo(Money.zero(USDC));
    }
}
