package dev.forage.tools.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonApiTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String VARIABLE = "FORAGE_TEST_JSONAPI_KEY";
    /** Not a real key: a value the tests look for in headers and must never find in messages. */
    private static final String KEY = "k-test-value-0123";
    private static final Instant NOW = Instant.parse("2026-03-01T07:27:30Z");

    private WireMockServer wm;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void start() {
        wm = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        env.put(VARIABLE, KEY);
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    private JsonApi api(JsonApi.Auth auth) {
        return api(JsonApi.Config.of("test", wm.baseUrl() + "/base", ApiKey.fromEnv(VARIABLE, env::get), auth));
    }

    private JsonApi api(JsonApi.Config config) {
        return new JsonApi(config, HTTP, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private JsonApi api() {
        return api(JsonApi.Auth.bearer());
    }

    private void stubOk(String body) {
        wm.stubFor(get(urlPathEqualTo("/base/v1/thing")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private void stubStatus(int status, String body, String... headers) {
        var response = aResponse().withStatus(status).withBody(body);
        for (int i = 0; i < headers.length; i += 2) {
            response = response.withHeader(headers[i], headers[i + 1]);
        }
        wm.stubFor(get(urlPathEqualTo("/base/v1/thing")).willReturn(response));
    }

    private RemoteCallException failure() {
        try {
            api().get("v1/thing", List.of());
        } catch (RemoteCallException e) {
            return e;
        }
        throw new AssertionError("expected a RemoteCallException");
    }

    @Test
    void eachAuthStyleSendsTheKeyInItsHeader() {
        stubOk("{}");

        api(JsonApi.Auth.bearer()).get("v1/thing", List.of());
        api(JsonApi.Auth.header("x-api-key")).get("v1/thing", List.of());
        api(new JsonApi.Auth("token", "Token ")).get("v1/thing", List.of());
        api(JsonApi.Config.of("test", wm.baseUrl() + "/base", ApiKey.none(), JsonApi.Auth.bearer())).get("v1/thing", List.of());

        var requests = wm.getAllServeEvents().reversed();
        assertThat(requests).hasSize(4);
        assertThat(requests.get(0).getRequest().getHeader("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(requests.get(1).getRequest().getHeader("x-api-key")).isEqualTo(KEY);
        assertThat(requests.get(1).getRequest().containsHeader("Authorization")).isFalse();
        assertThat(requests.get(2).getRequest().getHeader("token")).isEqualTo("Token " + KEY);
        assertThat(requests.get(3).getRequest().containsHeader("Authorization")).isFalse();
        wm.verify(4, getRequestedFor(urlPathEqualTo("/base/v1/thing")).withHeader("Accept", equalTo("application/json")));
    }

    @Test
    void theKeyIsReadFromTheVariableAtEachRequest() {
        stubOk("{}");
        JsonApi api = api();

        api.get("v1/thing", List.of());
        env.put(VARIABLE, "  rotated-key-value\n");
        api.get("v1/thing", List.of());

        wm.verify(1, getRequestedFor(urlPathEqualTo("/base/v1/thing")).withHeader("Authorization", equalTo("Bearer " + KEY)));
        wm.verify(1, getRequestedFor(urlPathEqualTo("/base/v1/thing"))
                .withHeader("Authorization", equalTo("Bearer rotated-key-value")));
    }

    @Test
    void aMissingOrBlankKeyFailsNotConfiguredBeforeAnyRequest() {
        stubOk("{}");
        for (String value : new String[] {null, "", "   "}) {
            if (value == null) {
                env.remove(VARIABLE);
            } else {
                env.put(VARIABLE, value);
            }
            RemoteCallException e = failure();
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.NOT_CONFIGURED);
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains(VARIABLE);
        }
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void aKeyThatIsNotAValidHeaderValueFailsWithoutQuotingIt() {
        stubOk("{}");
        env.put(VARIABLE, "secret-part\r\nX-Injected: 1");

        RemoteCallException e = failure();

        assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.NOT_CONFIGURED);
        assertThat(e.getMessage()).contains(VARIABLE).doesNotContain("secret-part");
        assertThat(e.getCause()).isNull();
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void httpStatusesAreRetriableExactlyForTimeoutsRateLimitsAndServerErrors() {
        Map<Integer, Boolean> table = new java.util.LinkedHashMap<>();
        table.put(400, false);
        table.put(401, false);
        table.put(403, false);
        table.put(404, false);
        table.put(408, true);
        table.put(409, false);
        table.put(422, false);
        table.put(425, true);
        table.put(429, true);
        table.put(500, true);
        table.put(502, true);
        table.put(503, true);
        table.forEach((status, retriable) -> {
            wm.resetAll();
            stubStatus(status, "{\"error\":\"E" + status + "\"}");

            RemoteCallException e = failure();

            assertThat(e.kind()).as("HTTP %d", status).isEqualTo(RemoteCallException.Kind.HTTP_STATUS);
            assertThat(e.status()).as("HTTP %d", status).hasValue(status);
            assertThat(e.retriable()).as("HTTP %d retriable", status).isEqualTo(retriable);
            assertThat(e.body()).as("HTTP %d", status).isEqualTo("{\"error\":\"E" + status + "\"}");
            assertThat(e.provider()).isEqualTo("test");
            assertThat(e.getMessage()).as("HTTP %d", status).contains("GET /v1/thing", "HTTP " + status, "E" + status)
                    .doesNotContain(KEY);
        });
    }

    @Test
    void aRedirectIsNotFollowedAndIsAMalformedAnswer() {
        stubStatus(302, "", "Location", "http://127.0.0.1:1/elsewhere");

        RemoteCallException e = failure();

        assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 302");
    }

    @Test
    void retryAfterIsReadInSecondsAndAsAnHttpDate() {
        stubStatus(429, "{}", "Retry-After", "7");
        assertThat(failure().retryAfter()).contains(Duration.ofSeconds(7));

        wm.resetAll();
        stubStatus(503, "{}", "Retry-After", "Sun, 01 Mar 2026 07:28:00 GMT");
        assertThat(failure().retryAfter()).as("30 s after the fixed clock").contains(Duration.ofSeconds(30));

        wm.resetAll();
        stubStatus(429, "{}", "Retry-After", "Sun, 01 Mar 2026 07:00:00 GMT");
        assertThat(failure().retryAfter()).as("a date in the past means now").contains(Duration.ZERO);

        wm.resetAll();
        stubStatus(429, "{}", "Retry-After", "-5");
        assertThat(failure().retryAfter()).contains(Duration.ZERO);

        wm.resetAll();
        stubStatus(429, "{}", "Retry-After", "soon");
        assertThat(failure().retryAfter()).isEmpty();

        wm.resetAll();
        stubStatus(429, "{}");
        assertThat(failure().retryAfter()).isEmpty();
    }

    @Test
    void aBodyOverTheCapIsRefusedAsTooLarge() {
        stubOk("{\"pad\":\"" + "x".repeat(2000) + "\"}");
        JsonApi api = api(JsonApi.Config.of("test", wm.baseUrl() + "/base", ApiKey.fromEnv(VARIABLE, env::get),
                JsonApi.Auth.bearer()).withMaxResponseBytes(1024));

        assertThatThrownBy(() -> api.get("v1/thing", List.of())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.RESPONSE_TOO_LARGE);
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains("1024");
        });
        // Exactly at the cap is accepted.
        wm.resetAll();
        stubOk("\"" + "y".repeat(1022) + "\"");
        assertThat(api.get("v1/thing", List.of()).raw()).hasSize(1024);
    }

    @Test
    void anErrorStatusWithABodyOverTheCapKeepsItsStatusAndRetriability() {
        stubStatus(502, "<html>" + "bad gateway ".repeat(200) + "</html>");
        JsonApi api = api(JsonApi.Config.of("test", wm.baseUrl() + "/base", ApiKey.fromEnv(VARIABLE, env::get),
                JsonApi.Auth.bearer()).withMaxResponseBytes(1024));

        assertThatThrownBy(() -> api.get("v1/thing", List.of())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.HTTP_STATUS);
            assertThat(e.status()).hasValue(502);
            assertThat(e.retriable()).isTrue();
            assertThat(e.body()).startsWith("<html>bad gateway").hasSizeLessThanOrEqualTo(1024);
        });
    }

    @Test
    void aBodyThatIsNotJsonIsMalformed() {
        stubOk("<html>maintenance</html>");

        RemoteCallException e = failure();

        assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("not JSON");
    }

    @Test
    void duplicateKeysAreMalformed() {
        stubOk("{\"a\":1,\"a\":2}");

        assertThat(failure().kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE);
    }

    @Test
    void aSlowAnswerIsARetriableTimeout() {
        wm.stubFor(get(urlPathEqualTo("/base/v1/thing")).willReturn(aResponse().withStatus(200).withBody("{}")
                .withFixedDelay(1500)));
        JsonApi api = api(JsonApi.Config.of("test", wm.baseUrl() + "/base", ApiKey.fromEnv(VARIABLE, env::get),
                JsonApi.Auth.bearer()).withTimeout(Duration.ofMillis(300)));

        assertThatThrownBy(() -> api.get("v1/thing", List.of())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.TIMEOUT);
            assertThat(e.retriable()).isTrue();
            assertThat(e.getMessage()).contains("300 ms");
        });
    }

    @Test
    void aRefusedConnectionIsRetriable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        JsonApi api = api(JsonApi.Config.of("test", "http://127.0.0.1:" + port + "/base", ApiKey.fromEnv(VARIABLE, env::get),
                JsonApi.Auth.bearer()));

        assertThatThrownBy(() -> api.get("v1/thing", List.of())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.CONNECTION);
            assertThat(e.retriable()).isTrue();
            assertThat(e.status()).isEmpty();
            assertThat(e.getMessage()).doesNotContain(KEY);
        });
    }

    @Test
    void unknownFieldsAreKeptAndDecimalsAreExact() {
        stubOk("{\"known\":1,\"price\":0.1000000000000000055511151231257827,\"added_later\":{\"nested\":[1,2]}}");

        JsonApi.Response r = api().get("v1/thing", List.of());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("added_later").get("nested").get(1).asInt()).isEqualTo(2);
        assertThat(r.json().get("price").decimalValue()).isEqualTo(new BigDecimal("0.1000000000000000055511151231257827"));
        assertThat(new String(r.raw(), java.nio.charset.StandardCharsets.UTF_8)).startsWith("{\"known\":1");
    }

    @Test
    void responseHeadersAreCaseInsensitive() {
        stubStatus(200, "{}", "X-Request-Id", "abc");

        JsonApi.Response r = api().get("v1/thing", List.of());

        assertThat(r.headers().get("x-request-id")).containsExactly("abc");
        assertThat(r.headers().get("X-REQUEST-ID")).containsExactly("abc");
    }

    @Test
    void anEmptyBodyIsAJsonNull() {
        stubOk("");

        assertThat(api().get("v1/thing", List.of()).json()).isEqualTo(NullNode.getInstance());
    }

    @Test
    void anErrorBodyIsTruncatedInTheExceptionAndAbbreviatedInTheMessage() {
        String big = "{\"detail\":\"" + "e".repeat(5000) + "\"}";
        stubStatus(400, big);

        RemoteCallException e = failure();

        assertThat(e.body()).hasSize(RemoteCallException.MAX_BODY_CHARS + 3).endsWith("...")
                .startsWith("{\"detail\":\"eee");
        assertThat(e.getMessage().length()).isLessThan(500);
    }

    @Test
    void queriesAreEncodedAndMayRepeatANameAndBodiesAreJson() {
        stubOk("{}");
        wm.stubFor(post(urlPathEqualTo("/base/v1/things")).willReturn(aResponse().withStatus(200).withBody("{\"ok\":true}")));

        api().get("v1/thing", JsonApi.query("gpu", "H100 80GB", "family", "a&b", "family", "c/d"));
        JsonNode body = JsonApi.MAPPER.createObjectNode().put("n", 1).put("s", "x\"y");
        JsonApi.Response r = api().post("v1/things", body);

        var request = wm.getAllServeEvents().reversed().get(0).getRequest();
        assertThat(request.getUrl()).isEqualTo("/base/v1/thing?gpu=H100+80GB&family=a%26b&family=c%2Fd");
        assertThat(request.queryParameter("family").values()).containsExactly("a&b", "c/d");
        wm.verify(postRequestedFor(urlPathEqualTo("/base/v1/things"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"n\":1,\"s\":\"x\\\"y\"}")));
        assertThat(r.json().get("ok").asBoolean()).isTrue();
        assertThatThrownBy(() -> JsonApi.query("odd")).hasMessageContaining("pairs");
    }

    @Test
    void aPathWithALeadingSlashIsRefusedAndPathSegmentsAreEscaped() {
        assertThatThrownBy(() -> api().get("/v1/thing", List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leading '/'");
        assertThat(JsonApi.pathSegment("3fa85f64-5717_4562.b3fc~x")).isEqualTo("3fa85f64-5717_4562.b3fc~x");
        assertThat(JsonApi.pathSegment("a/b?c#d e%")).isEqualTo("a%2Fb%3Fc%23d%20e%25");
        assertThat(JsonApi.pathSegment("é")).isEqualTo("%C3%A9");
        assertThatThrownBy(() -> JsonApi.pathSegment("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void configsAreValidated() {
        ApiKey key = ApiKey.fromEnv(VARIABLE, env::get);
        assertThatThrownBy(() -> JsonApi.Config.of("Bad Id", "https://x.example", key, JsonApi.Auth.bearer()))
                .hasMessageContaining("provider id");
        assertThatThrownBy(() -> JsonApi.Config.of("p", "ftp://x.example", key, JsonApi.Auth.bearer()))
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> JsonApi.Config.of("p", "https://x.example", key, JsonApi.Auth.bearer())
                .withTimeout(Duration.ZERO)).hasMessageContaining("timeout");
        assertThatThrownBy(() -> JsonApi.Config.of("p", "https://x.example", key, JsonApi.Auth.bearer())
                .withMaxResponseBytes(10)).hasMessageContaining("maxResponseBytes");
        assertThatThrownBy(() -> ApiKey.fromEnv("sk-live-abc.def")).hasMessageContaining("not an environment variable name");
        assertThat(JsonApi.Config.of("p", "https://x.example/api", key, JsonApi.Auth.bearer()).baseUrl().toString())
                .isEqualTo("https://x.example/api/");
        assertThat(key.toString()).isEqualTo("ApiKey[env " + VARIABLE + "]").doesNotContain(KEY);
        assertThat(api().toString()).doesNotContain(KEY);
        assertThat(ApiKey.none().variable()).isEqualTo(Optional.empty());
    }

    @Test
    void noAuthHeaderWithoutAKey() {
        stubOk("{}");

        api(JsonApi.Config.of("test", wm.baseUrl() + "/base", ApiKey.none(), JsonApi.Auth.header("x-api-key")))
                .get("v1/thing", List.of());

        wm.verify(getRequestedFor(urlPathEqualTo("/base/v1/thing")).withHeader("x-api-key", absent()));
    }
}
