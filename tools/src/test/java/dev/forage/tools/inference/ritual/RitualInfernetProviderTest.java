package dev.forage.tools.inference.ritual;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.havingExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.forage.policies.Money;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.http.JsonApi;
import dev.forage.tools.http.RemoteCallException;
import dev.forage.tools.inference.InferenceException;
import dev.forage.tools.inference.InferenceException.Reason;
import dev.forage.tools.inference.InferenceProvider;
import dev.forage.tools.inference.InferenceProviderContract;
import dev.forage.tools.inference.InferenceRequest;
import dev.forage.tools.inference.InferenceResult;
import dev.forage.tools.inference.ModelInfo;
import dev.forage.tools.inference.MutableClock;
import dev.forage.tools.inference.TokenPrice;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * A Ritual Infernet node, stubbed from {@code ritual-net/infernet-node} {@code src/server/rest.py}
 * and {@code api.md}: {@code POST /api/jobs} answers {@code {id}}, {@code GET /api/jobs?id=}
 * answers {@code [{id, status, result:{container, output|error}, intermediate_results}]}, guardian
 * rejections are 405 {@code {error, params}}, enqueue failures 500
 * {@code {"error":"Could not enqueue job: …"}}, and the batch endpoint answers 200 with one entry
 * per job even when some fail. Polling runs on a {@link MutableClock} that the sleeper advances:
 * no test sleeps.
 */
class RitualInfernetProviderTest extends InferenceProviderContract {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String MODEL = "sentence-transformers/all-MiniLM-L6-v2";
    static final String CONTAINER = "embed-minilm";
    static final String JOB = "6c1c7f3e-2a44-4b0e-9a55-0d6b4e1f9c21";
    static final TokenPrice PRICE = new TokenPrice(Money.ofUnits(USDC, 10_000), Money.zero(USDC));
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration DEADLINE = Duration.ofSeconds(10);

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final List<Duration> sleeps = new ArrayList<>();

    RitualRoute route() {
        return RitualRoute.embeddings(MODEL, CONTAINER).withDimension(DIMENSION).withUsageRequired(true).withPrice(PRICE);
    }

    RitualConfig config(RitualRoute... routes) {
        RitualConfig c = RitualConfig.of("ritual", wm.baseUrl(), USDC, List.of(routes))
                .withKey(ApiKey.fromEnv(KEY_VARIABLE, environment::get), JsonApi.Auth.bearer())
                .withResilience(RESILIENCE)
                .withPolling(INTERVAL, DEADLINE);
        return c.withApi(c.api().withMaxResponseBytes(MAX_RESPONSE_BYTES));
    }

    RitualInfernetProvider ritual(RitualConfig config) {
        return new RitualInfernetProvider(config, HTTP, clock, d -> {
            sleeps.add(d);
            clock.advance(d);
        });
    }

    @Override
    protected InferenceProvider provider() {
        return ritual(config(route()));
    }

    @Override
    protected String embeddingModel() {
        return MODEL;
    }

    @Override
    protected boolean answersCarryIndexes() {
        return false;
    }

    @Override
    protected boolean servesChat() {
        return false;
    }

    static final String INFO = """
            {"version":"1.4.0","containers":[
               {"id":"embed-minilm","external":true,"image":"ritualnetwork/embeddings-minilm:1.0.0","description":"MiniLM embeddings"},
               {"id":"tokenize","external":true,"image":"ritualnetwork/tokenize:0.2.0"},
               {"id":"internal-only","external":false,"image":"ritualnetwork/postprocess:0.1.0","description":""}],
             "pending":{"offchain":2,"onchain":0},"chain":{"enabled":true,"address":"0x5fbdb2315678afecb367f032d93f642f64180aa3"}}""";

    @Override
    protected void stubModels() {
        wm.stubFor(get(urlEqualTo("/info")).willReturn(json(200, INFO)));
    }

    @Override
    protected Optional<TokenPrice> embeddingPrice() {
        return Optional.of(PRICE);
    }

    @Override
    protected String errorBody(String message) {
        return "{\"error\":" + quoted(message) + "}";
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static String output(EmbeddingsAnswer answer) {
        StringBuilder out = new StringBuilder("{");
        if (answer.model() != null) {
            out.append("\"model\":").append(answer.model()).append(',');
        }
        out.append("\"embeddings\":").append(vectorsJson(answer.items()));
        if (answer.usage() != null) {
            out.append(",\"usage\":").append(answer.usage());
        }
        return out.append('}').toString();
    }

    static String success(String id, String output) {
        return "{\"id\":\"" + id + "\",\"status\":\"success\",\"result\":{\"container\":\"" + CONTAINER + "\",\"output\":"
                + output + "},\"intermediate_results\":[]}";
    }

    static String failed(String id, String error) {
        return "{\"id\":\"" + id + "\",\"status\":\"failed\",\"result\":{\"container\":\"" + CONTAINER + "\",\"error\":"
                + quoted(error) + "},\"intermediate_results\":[]}";
    }

    static String running(String id) {
        return "{\"id\":\"" + id + "\",\"status\":\"running\",\"result\":null,\"intermediate_results\":[]}";
    }

    void stubSubmit() {
        wm.stubFor(post(urlEqualTo("/api/jobs")).willReturn(json(200, "{\"id\":\"" + JOB + "\"}")));
    }

    void stubStatus(String body) {
        wm.stubFor(get(urlPathEqualTo("/api/jobs")).withQueryParam("id", equalTo(JOB)).willReturn(json(200, body)));
    }

    @Override
    protected String stubEmbeddings(EmbeddingsAnswer answer) {
        stubSubmit();
        String body = "[" + success(JOB, output(answer)) + "]";
        stubStatus(body);
        return body;
    }

    @Override
    protected void stubEmbeddingsBody(String body) {
        stubSubmit();
        stubStatus(body);
    }

    @Override
    protected void stubEmbeddingsWithoutVectors() {
        stubSubmit();
        stubStatus("[" + success(JOB, "{\"model\":\"" + MODEL + "\",\"usage\":" + EMBEDDINGS_USAGE + "}") + "]");
    }

    @Override
    protected void stubEmbeddingsError(int status, String body, Map<String, String> headers) {
        ResponseDefinitionBuilder response = json(status, body);
        headers.forEach(response::withHeader);
        wm.stubFor(post(urlEqualTo("/api/jobs")).willReturn(response));
    }

    @Override
    protected void stubEmbeddingsFailingOnceThen(int status, EmbeddingsAnswer answer) {
        wm.stubFor(post(urlEqualTo("/api/jobs")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(status, errorBody("Could not enqueue job: queue full"))).willSetStateTo("recovered"));
        wm.stubFor(post(urlEqualTo("/api/jobs")).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(json(200, "{\"id\":\"" + JOB + "\"}")));
        stubStatus("[" + success(JOB, output(answer)) + "]");
    }

    @Override
    protected void stubEmbeddingsSlow(Duration delay) {
        wm.stubFor(post(urlEqualTo("/api/jobs")).willReturn(json(200, "{\"id\":\"" + JOB + "\"}")
                .withFixedDelay((int) delay.toMillis())));
    }

    @Override
    protected int embeddingsRequests() {
        return wm.countRequestsMatching(postRequestedFor(urlEqualTo("/api/jobs")).build()).getCount();
    }

    private static String honestOutput() {
        return "{\"model\":\"" + MODEL + "\",\"embeddings\":[[0.1,0.2,0.3],[0.4,0.5,0.6],[-0.7,0.8,-0.9]],\"usage\":"
                + EMBEDDINGS_USAGE + "}";
    }

    private static InferenceRequest.Embeddings request() {
        return new InferenceRequest.Embeddings(MODEL, INPUTS);
    }

    private int statusRequests() {
        return wm.countRequestsMatching(getRequestedFor(urlPathEqualTo("/api/jobs")).build()).getCount();
    }

    // ---- Ritual specifics

    @Test
    void theJobNamesTheRoutesContainersAndCarriesTheInputsInTheShape() {
        stubSubmit();
        stubStatus("[" + success(JOB, honestOutput()) + "]");

        provider().run(request());

        wm.verify(postRequestedFor(urlEqualTo("/api/jobs")).withRequestBody(equalToJson("{\"containers\":[\"" + CONTAINER
                + "\"],\"data\":{\"model\":\"" + MODEL + "\",\"inputs\":[\"the quick brown fox\",\"jumps over\","
                + "\"the lazy dog\"]}}")));
    }

    @Test
    void aRunningJobIsPolledAtTheIntervalUntilItSucceeds() {
        stubSubmit();
        wm.stubFor(get(urlPathEqualTo("/api/jobs")).inScenario("job").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, "[" + running(JOB) + "]")).willSetStateTo("still"));
        wm.stubFor(get(urlPathEqualTo("/api/jobs")).inScenario("job").whenScenarioStateIs("still")
                .willReturn(json(200, "[" + running(JOB) + "]")).willSetStateTo("done"));
        wm.stubFor(get(urlPathEqualTo("/api/jobs")).inScenario("job").whenScenarioStateIs("done")
                .willReturn(json(200, "[" + success(JOB, honestOutput()) + "]")));

        InferenceResult result = provider().run(request());

        assertThat(result.embeddings().vectors().get(2)).containsExactly(-0.7f, 0.8f, -0.9f);
        assertThat(result.cost()).isEqualTo(PRICE.costOf(result.usage()));
        assertThat(sleeps).containsExactly(INTERVAL, INTERVAL);
        assertThat(statusRequests()).isEqualTo(3);
    }

    @Test
    void aJobTheNodeDoesNotListYetIsWaitedFor() {
        // The node enqueues asynchronously (create_task) and keeps jobs per client IP: an empty list is "not yet".
        stubSubmit();
        wm.stubFor(get(urlPathEqualTo("/api/jobs")).inScenario("job").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, "[]")).willSetStateTo("listed"));
        wm.stubFor(get(urlPathEqualTo("/api/jobs")).inScenario("job").whenScenarioStateIs("listed")
                .willReturn(json(200, "[" + success(JOB, honestOutput()) + "]")));

        assertThat(provider().run(request()).embeddings().vectors()).hasSize(3);
        assertThat(sleeps).containsExactly(INTERVAL);
    }

    @Test
    void aJobStillRunningAtTheDeadlineTimesOutAsRetriable() {
        stubSubmit();
        stubStatus("[" + running(JOB) + "]");

        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.TIMEOUT);
            assertThat(e.retriable()).isTrue();
            assertThat(e.getMessage()).contains(JOB).contains("client IP");
        });
        assertThat(sleeps.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(DEADLINE);
        assertThat(statusRequests()).isEqualTo((int) (DEADLINE.toSeconds() / INTERVAL.toSeconds()) + 1);
        assertThat(embeddingsRequests()).as("the job is not submitted again").isEqualTo(1);
    }

    @Test
    void aFailedJobIsJobFailedWithTheContainersError() {
        stubSubmit();
        stubStatus("[" + failed(JOB, "CUDA out of memory") + "]");

        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(InferenceException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.JOB_FAILED);
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains(JOB).contains(CONTAINER).contains("CUDA out of memory");
        });
    }

    @Test
    void aGuardianRejectionIsRefusedWithItsParamsAndNotRetried() {
        stubEmbeddingsError(405, "{\"error\":\"Container not supported\",\"params\":{\"container\":\"embed-minilm\"}}",
                Map.of());

        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(InferenceException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.REFUSED);
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains("Container not supported").contains("\"container\":\"embed-minilm\"");
            assertThat(e.getCause()).isInstanceOfSatisfying(RemoteCallException.class, c -> {
                assertThat(c.status()).hasValue(405);
                assertThat(c.body()).contains("params");
            });
        });
        assertThat(embeddingsRequests()).isEqualTo(1);
    }

    @Test
    void anEnqueueFailureIsRetriableAndRetried() {
        stubEmbeddingsError(500, "{\"error\":\"Could not enqueue job: Redis connection refused\"}", Map.of());

        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.retriable()).isTrue();
            assertThat(e.body()).contains("Could not enqueue job");
        });
        assertThat(embeddingsRequests()).isEqualTo(RESILIENCE.maxAttempts());
    }

    @Test
    void aSubmissionAnswerWithoutAJobIdIsMalformed() {
        // {} is the node's answer to a delegated subscription: there is no job to poll.
        wm.stubFor(post(urlEqualTo("/api/jobs")).willReturn(json(200, "{}")));

        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(InferenceException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
        assertThat(statusRequests()).isZero();
    }

    @Test
    void anUnknownStatusOrAResultFromAnotherContainerIsMalformed() {
        stubSubmit();
        stubStatus("[{\"id\":\"" + JOB + "\",\"status\":\"queued\"}]");
        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(InferenceException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));

        wm.resetAll();
        stubSubmit();
        stubStatus("[" + success(JOB, honestOutput()).replace("\"container\":\"" + CONTAINER + "\"",
                "\"container\":\"tokenize\"") + "]");
        assertThatThrownBy(() -> provider().run(request())).isInstanceOfSatisfying(InferenceException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }

    @Test
    void chainedContainersAndAnotherShapeAreConfigurable() {
        JobShape shape = new JobShape("model_name", "texts", "vectors", "token_usage");
        RitualRoute chained = route().withContainers(List.of("tokenize", CONTAINER)).withShape(shape);
        stubSubmit();
        stubStatus("[" + success(JOB, "{\"model_name\":\"" + MODEL + "\",\"vectors\":[[1,0,0],[0,1,0],[0,0,1]],"
                + "\"token_usage\":{\"prompt_tokens\":9}}") + "]");

        InferenceResult result = ritual(config(chained)).run(request());

        assertThat(result.embeddings().vectors().get(1)).containsExactly(0f, 1f, 0f);
        assertThat(result.usage().promptTokens()).isEqualTo(9);
        wm.verify(postRequestedFor(urlEqualTo("/api/jobs")).withRequestBody(equalToJson("{\"containers\":[\"tokenize\",\""
                + CONTAINER + "\"],\"data\":{\"model_name\":\"" + MODEL + "\",\"texts\":[\"the quick brown fox\","
                + "\"jumps over\",\"the lazy dog\"]}}")));
    }

    @Test
    void aChatRequestOrAnUnroutedModelIsRejectedBeforeAnyRequest() {
        InferenceProvider provider = provider();

        assertThatThrownBy(() -> provider.run(new InferenceRequest.Chat(MODEL, List.of(new InferenceRequest.Message("user",
                "hi")), OptionalInt.empty(), OptionalDouble.empty()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embeddings");
        assertThatThrownBy(() -> provider.run(new InferenceRequest.Embeddings("other/model", List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other/model");
        assertThat(embeddingsRequests()).isZero();
    }

    @Test
    void healthInfoAndModelsDescribeTheNode() {
        wm.stubFor(get(urlEqualTo("/health")).willReturn(json(200, "{\"status\":\"healthy\"}")));
        RitualInfernetProvider ritual = ritual(config(route(), RitualRoute.embeddings("absent/model", "not-running"),
                RitualRoute.embeddings("internal/model", "internal-only"),
                RitualRoute.embeddings("chained/model", "tokenize").withContainers(List.of("tokenize", "internal-only"))));

        assertThat(ritual.healthy()).isTrue();
        NodeInfo info = ritual.info();
        assertThat(info.version()).isEqualTo("1.4.0");
        assertThat(info.containers()).extracting(NodeInfo.Container::id).containsExactly(CONTAINER, "tokenize",
                "internal-only");
        assertThat(info.containers().get(0)).isEqualTo(new NodeInfo.Container(CONTAINER, true,
                "ritualnetwork/embeddings-minilm:1.0.0", "MiniLM embeddings"));
        assertThat(info.pendingOffchain()).isEqualTo(2);
        assertThat(info.chainEnabled()).isTrue();
        assertThat(ritual.models()).as("routes whose first container is external and all run")
                .containsExactly(new ModelInfo(MODEL, "embedding", Optional.of(PRICE)),
                        new ModelInfo("chained/model", "embedding", Optional.empty()));
    }

    @Test
    void anUnhealthyOrUnreachableNodeSaysSo() {
        wm.stubFor(get(urlEqualTo("/health")).willReturn(json(200, "{\"status\":\"starting\"}")));
        assertThat(ritual(config(route())).healthy()).isFalse();

        wm.stubFor(get(urlEqualTo("/health")).willReturn(json(503, errorBody("down"))));
        assertThatThrownBy(() -> ritual(config(route())).healthy()).isInstanceOfSatisfying(RemoteCallException.class,
                e -> assertThat(e.retriable()).isTrue());
    }

    // ---- batches

    static InferenceRequest.Embeddings one(String text) {
        return new InferenceRequest.Embeddings(MODEL, List.of(text));
    }

    static String singleOutput(String vector) {
        return "{\"model\":\"" + MODEL + "\",\"embeddings\":[" + vector + "],\"usage\":{\"prompt_tokens\":3}}";
    }

    @Test
    void aBatchMapsEveryEntryToItsOwnOutcome() {
        // 200 with one entry per job: created, refused by the guardian, no job, created.
        wm.stubFor(post(urlEqualTo("/api/jobs/batch")).willReturn(json(200, "[{\"id\":\"job-a\"},"
                + "{\"error\":\"Container not allowed\",\"params\":{\"container\":\"embed-minilm\",\"ip\":\"10.0.0.9\"}},"
                + "{},{\"id\":\"job-d\"}]")));
        wm.stubFor(get(urlPathEqualTo("/api/jobs")).withQueryParam("id", havingExactly("job-a", "job-d"))
                .willReturn(json(200, "[" + success("job-a", singleOutput("[0.1,0.2,0.3]")) + ","
                        + failed("job-d", "container exited with 137") + "]")));

        List<JobOutcome> outcomes = ritual(config(route())).runBatch(List.of(one("a"), one("b"), one("c"), one("d")));

        assertThat(outcomes).hasSize(4);
        assertThat(outcomes.get(0)).isInstanceOfSatisfying(JobOutcome.Done.class, d -> {
            assertThat(d.id()).isEqualTo("job-a");
            assertThat(d.result().embeddings().vectors().get(0)).containsExactly(0.1f, 0.2f, 0.3f);
            assertThat(d.result().cost()).isEqualTo(PRICE.costOf(d.result().usage()));
        });
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(JobOutcome.Failed.class, f -> {
            assertThat(f.jobId()).isEmpty();
            assertThat(f.error()).isInstanceOfSatisfying(InferenceException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.REFUSED);
                assertThat(e.getMessage()).contains("Container not allowed").contains("10.0.0.9");
            });
        });
        assertThat(outcomes.get(2)).isInstanceOfSatisfying(JobOutcome.Failed.class, f -> assertThat(f.error())
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED)));
        assertThat(outcomes.get(3)).isInstanceOfSatisfying(JobOutcome.Failed.class, f -> {
            assertThat(f.jobId()).contains("job-d");
            assertThat(f.error()).isInstanceOfSatisfying(InferenceException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.JOB_FAILED);
                assertThat(e.getMessage()).contains("exited with 137");
            });
        });
        wm.verify(postRequestedFor(urlEqualTo("/api/jobs/batch")).withRequestBody(equalToJson("["
                + "{\"containers\":[\"embed-minilm\"],\"data\":{\"model\":\"" + MODEL + "\",\"inputs\":[\"a\"]}},"
                + "{\"containers\":[\"embed-minilm\"],\"data\":{\"model\":\"" + MODEL + "\",\"inputs\":[\"b\"]}},"
                + "{\"containers\":[\"embed-minilm\"],\"data\":{\"model\":\"" + MODEL + "\",\"inputs\":[\"c\"]}},"
                + "{\"containers\":[\"embed-minilm\"],\"data\":{\"model\":\"" + MODEL + "\",\"inputs\":[\"d\"]}}]")));
        assertThat(statusRequests()).as("the created jobs are polled together").isEqualTo(1);
    }

    @Test
    void aBatchJobWithAWrongOutputFailsAloneAndOneStillRunningTimesOut() {
        wm.stubFor(post(urlEqualTo("/api/jobs/batch")).willReturn(json(200,
                "[{\"id\":\"job-a\"},{\"id\":\"job-b\"},{\"id\":\"job-c\"}]")));
        wm.stubFor(get(urlPathEqualTo("/api/jobs")).willReturn(json(200, "[" + success("job-a", singleOutput("[0.1,0.2,0.3]"))
                + "," + success("job-b", singleOutput("[0.1,0.2]")) + "," + running("job-c") + "]")));

        List<JobOutcome> outcomes = ritual(config(route())).runBatch(List.of(one("a"), one("b"), one("c")));

        assertThat(outcomes.get(0)).isInstanceOf(JobOutcome.Done.class);
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(JobOutcome.Failed.class, f -> assertThat(f.error())
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_DIMENSION)));
        assertThat(outcomes.get(2)).isInstanceOfSatisfying(JobOutcome.Failed.class, f -> {
            assertThat(f.jobId()).contains("job-c");
            assertThat(f.error()).isInstanceOfSatisfying(RemoteCallException.class,
                    e -> assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.TIMEOUT));
        });
        // After the first poll only job-c is asked for.
        wm.verify(getRequestedFor(urlPathEqualTo("/api/jobs")).withQueryParam("id", havingExactly("job-c")));
    }

    @Test
    void aBatchAnswerWithAnotherNumberOfEntriesIsWrongCount() {
        wm.stubFor(post(urlEqualTo("/api/jobs/batch")).willReturn(json(200, "[{\"id\":\"job-a\"}]")));

        assertThatThrownBy(() -> ritual(config(route())).runBatch(List.of(one("a"), one("b"))))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_COUNT));
        assertThat(statusRequests()).isZero();
    }

    @Test
    void aBatchEnqueueFailureIsRetriable() {
        wm.stubFor(post(urlEqualTo("/api/jobs/batch")).willReturn(json(500,
                "{\"error\":\"Could not enqueue job:  Chain not enabled\"}")));

        assertThatThrownBy(() -> ritual(config(route())).runBatch(List.of(one("a"))))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.retriable()).isTrue();
                    assertThat(e.body()).contains("Could not enqueue job");
                });
    }
}
