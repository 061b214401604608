package dev.forage.tools.inference.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Chutes (Bittensor SN64): inference at {@code llm.chutes.ai/v1}, OpenAI's shapes; the
 * management API lists chutes as {@code {total, page (from 0), limit, items}} with
 * {@code current_estimated_price.per_million_tokens.{input,output}.usd}; errors are
 * {@code {"detail": …}} (chutes.ai/llms.txt).
 */
class ChutesProviderTest extends OpenAiWireContract {

    static final String EMBEDDING = "Qwen/Qwen3-Embedding-8B";
    static final String CHAT = "deepseek-ai/DeepSeek-V3-0324";

    static String chute(String name, String template, String price) {
        return """
                {"chute_id":"a1b2c3d4-0000-4000-8000-000000000001","name":"%s","tagline":"","readme":"",
                 "standard_template":"%s","public":true,"invocation_count":12345,"hot":true,
                 "supported_gpus":["h100","a100"],"instances":[{"instance_id":"i-1","active":true,"verified":true,"gpu_count":2}],
                 "current_estimated_price":%s}""".formatted(name, template, price);
    }

    static String perMillion(String input, String output) {
        return "{\"per_million_tokens\":{\"input\":{\"usd\":" + input + ",\"tao\":0.00005},\"output\":{\"usd\":" + output
                + ",\"tao\":0.0001}},\"per_hour\":{\"usd\":1.5}}";
    }

    void stubPage(int page, int total, String... items) {
        wm.stubFor(get(urlPathEqualTo("/mgmt/chutes/")).withQueryParam("page", equalTo(Integer.toString(page)))
                .withQueryParam("limit", equalTo("2")).withQueryParam("include_public", equalTo("true"))
                .willReturn(json(200, "{\"total\":" + total + ",\"page\":" + page + ",\"limit\":2,\"items\":["
                        + String.join(",", items) + "]}")));
    }

    @Override
    protected String basePath() {
        return "/v1";
    }

    @Override
    protected OpenAiCompatibleConfig preset(ApiKey key) {
        return OpenAiCompatibleConfig.chutes(key, USDC);
    }

    @Override
    protected OpenAiCompatibleConfig adjust(OpenAiCompatibleConfig config) {
        return config.withListing(new ModelListing.Pages(URI.create(wm.baseUrl() + "/mgmt/"), "chutes/", 2, 4));
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
        stubPage(0, 3, chute(EMBEDDING, "embedding", perMillion("0.01", "0")),
                chute("chutes/flux-dev", "diffusion", "null"));
        stubPage(1, 3, chute(CHAT, "vllm", perMillion("0.25", "1.0")));
    }

    @Override
    protected Optional<TokenPrice> embeddingPrice() {
        return Optional.of(new TokenPrice(Money.ofUnits(USDC, 10_000), Money.zero(USDC)));
    }

    @Override
    protected Optional<TokenPrice> chatPrice() {
        return Optional.of(new TokenPrice(Money.ofUnits(USDC, 250_000), Money.ofUnits(USDC, 1_000_000)));
    }

    @Override
    protected String errorBody(String message) {
        return "{\"detail\":" + quoted(message) + "}";
    }

    @Test
    void thePresetIsChutesInferenceWithTheManagementApiForModels() {
        OpenAiCompatibleConfig preset = OpenAiCompatibleConfig.chutes(ApiKey.fromEnv("CHUTES_API_KEY"), USDC);

        assertThat(preset.id()).isEqualTo("chutes");
        assertThat(preset.api().baseUrl()).isEqualTo(URI.create("https://llm.chutes.ai/v1/"));
        assertThat(preset.listing()).isEqualTo(new ModelListing.Pages(URI.create("https://api.chutes.ai/"), "chutes/", 100, 50));
    }

    @Test
    void modelsComeFromTheManagementApisPagesWithTheSameKey() {
        List<ModelInfo> models = provider().models();

        assertThat(models).extracting(ModelInfo::id).containsExactly(EMBEDDING, "chutes/flux-dev", CHAT);
        assertThat(models).extracting(ModelInfo::kind).containsExactly("embedding", "diffusion", "chat");
        assertThat(models.get(0).price()).isEqualTo(embeddingPrice());
        assertThat(models.get(1).price()).isEmpty();
        assertThat(models.get(2).price()).isEqualTo(chatPrice());
        wm.verify(2, getRequestedFor(urlPathEqualTo("/mgmt/chutes/")).withHeader("Authorization",
                containing(KEY_VALUE)));
    }

    @Test
    void aListingThatIsNotTheDocumentedPagesIsMalformed() {
        wm.resetAll();
        wm.stubFor(get(urlPathEqualTo("/mgmt/chutes/")).willReturn(json(200, "{\"object\":\"list\",\"data\":[]}")));

        assertThatThrownBy(() -> provider().models()).isInstanceOfSatisfying(RemoteCallException.class,
                e -> assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE));
    }

    @Test
    void aListingLongerThanThePageCapIsRefused() {
        wm.resetAll();
        for (int p = 0; p < 4; p++) {
            stubPage(p, 1000, chute("m" + p + "a", "vllm", "null"), chute("m" + p + "b", "vllm", "null"));
        }

        assertThatThrownBy(() -> provider().models()).isInstanceOfSatisfying(RemoteCallException.class,
                e -> assertThat(e.getMessage()).contains("more than 4 pages"));
    }
}
