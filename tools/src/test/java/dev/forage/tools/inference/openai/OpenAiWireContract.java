package dev.forage.tools.inference.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.inference.InferenceProvider;
import dev.forage.tools.inference.InferenceProviderContract;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI wire format of {@code POST embeddings} and {@code POST chat/completions}, shared by
 * the presets' contract tests; each preset adds its base path, model listing and error shape.
 */
abstract class OpenAiWireContract extends InferenceProviderContract {

    /** One client for all tests, as in production. */
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The path of the inference base URL on the stub server, e.g. {@code /v1}. */
    protected abstract String basePath();

    /** The preset under test, with this key. */
    protected abstract OpenAiCompatibleConfig preset(ApiKey key);

    /** Preset-specific changes for the contract (a test-sized page, a listing host). */
    protected OpenAiCompatibleConfig adjust(OpenAiCompatibleConfig config) {
        return config;
    }

    /** The preset pointed at the stubs, configured as the contract requires. */
    protected OpenAiCompatibleConfig config() {
        return adjust(preset(ApiKey.fromEnv(KEY_VARIABLE, environment::get))
                .withBaseUrl(wm.baseUrl() + basePath())
                .withMaxResponseBytes(MAX_RESPONSE_BYTES)
                .withResilience(RESILIENCE)
                .withDimension(embeddingModel(), DIMENSION)
                .withUsageRequired(true, true));
    }

    @Override
    protected InferenceProvider provider() {
        return new OpenAiCompatibleProvider(config(), HTTP, Clock.systemUTC());
    }

    String embeddingsPath() {
        return basePath() + "/embeddings";
    }

    String chatPath() {
        return basePath() + "/chat/completions";
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** The OpenAI embeddings answer: {@code {object:"list", data:[{object:"embedding", index, embedding}], model, usage}}. */
    static String render(EmbeddingsAnswer answer) {
        List<String> data = new ArrayList<>();
        for (Item item : answer.items()) {
            data.add("{\"object\":\"embedding\",\"index\":" + item.index() + ",\"embedding\":" + item.vector() + "}");
        }
        StringBuilder body = new StringBuilder("{\"object\":\"list\",\"data\":[").append(String.join(",", data)).append(']');
        if (answer.model() != null) {
            body.append(",\"model\":").append(answer.model());
        }
        if (answer.usage() != null) {
            body.append(",\"usage\":").append(answer.usage());
        }
        return body.append(",\"id\":\"emb-7f3a\"}").toString();
    }

    @Override
    protected String stubEmbeddings(EmbeddingsAnswer answer) {
        String body = render(answer);
        wm.stubFor(post(urlEqualTo(embeddingsPath())).willReturn(json(200, body)));
        return body;
    }

    @Override
    protected void stubEmbeddingsBody(String body) {
        wm.stubFor(post(urlEqualTo(embeddingsPath())).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody(body)));
    }

    @Override
    protected void stubEmbeddingsWithoutVectors() {
        wm.stubFor(post(urlEqualTo(embeddingsPath())).willReturn(json(200,
                "{\"object\":\"list\",\"model\":" + quoted(embeddingModel()) + ",\"usage\":" + EMBEDDINGS_USAGE + "}")));
    }

    @Override
    protected void stubEmbeddingsError(int status, String body, Map<String, String> headers) {
        ResponseDefinitionBuilder response = json(status, body);
        headers.forEach(response::withHeader);
        wm.stubFor(post(urlEqualTo(embeddingsPath())).willReturn(response));
    }

    @Override
    protected void stubEmbeddingsFailingOnceThen(int status, EmbeddingsAnswer answer) {
        wm.stubFor(post(urlEqualTo(embeddingsPath())).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(status, errorBody("try again"))).willSetStateTo("recovered"));
        wm.stubFor(post(urlEqualTo(embeddingsPath())).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(json(200, render(answer))));
    }

    @Override
    protected void stubEmbeddingsSlow(Duration delay) {
        wm.stubFor(post(urlEqualTo(embeddingsPath())).willReturn(json(200, "{}").withFixedDelay((int) delay.toMillis())));
    }

    @Override
    protected int embeddingsRequests() {
        return wm.countRequestsMatching(postRequestedFor(urlEqualTo(embeddingsPath())).build()).getCount();
    }

    /** The OpenAI chat answer: {@code {id, object:"chat.completion", created, model, choices, usage}}. */
    static String render(ChatAnswer answer) {
        StringBuilder body = new StringBuilder("{\"id\":\"chatcmpl-9b1e\",\"object\":\"chat.completion\",\"created\":1760000000");
        if (answer.model() != null) {
            body.append(",\"model\":").append(answer.model());
        }
        body.append(",\"choices\":[").append(String.join(",", answer.choices())).append(']');
        if (answer.usage() != null) {
            body.append(",\"usage\":").append(answer.usage());
        }
        return body.append(",\"system_fingerprint\":null}").toString();
    }

    @Override
    protected String stubChat(ChatAnswer answer) {
        String body = render(answer);
        wm.stubFor(post(urlEqualTo(chatPath())).willReturn(json(200, body)));
        return body;
    }
}
