package dev.forage.tools.inference.ritual;

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
import dev.forage.tools.inference.Usage;
import dev.forage.tools.inference.remote.Answers;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A Ritual Infernet node's REST API ({@code ritual-net/infernet-node}, {@code src/server/rest.py}):
 * embeddings as off-chain jobs. A job is submitted with {@code POST /api/jobs
 * {containers, data}} (answering {@code {id}}), then {@code GET /api/jobs?id=} is polled every
 * {@link RitualConfig#pollInterval()} until its {@code status} is {@code success} (the result is
 * {@code result.output}, read with the route's {@link JobShape}) or {@code failed}
 * ({@code result.error}), or until {@link RitualConfig#deadline()} on the injected clock.
 *
 * <p>Errors, as the node answers them: a guardian (request filter) rejection is HTTP 405
 * {@code {error, params}}, raised as a non-retriable {@link InferenceException} REFUSED whose
 * message carries the params (the full body is in the cause's
 * {@link RemoteCallException#body()}); {@code 500 {"error":"Could not enqueue job: …"}} is a
 * retriable {@link RemoteCallException}, retried by the resilience stack; a failed job is
 * JOB_FAILED with the container's error. The node keeps jobs per client IP: poll from the address
 * that submitted. Every request runs in the provider's {@link ProviderResilience}; every output
 * is checked like any other provider's answer. The digest is that of the raw status answer that
 * reported the job's success. Thread-safe.
 */
public final class RitualInfernetProvider implements InferenceProvider {

    private final RitualConfig config;
    private final JsonApi api;
    private final ProviderResilience resilience;
    private final Clock clock;
    private final Sleeper sleeper;

    /**
     * @param http the JDK client (share one per process)
     * @param clock the deadline's clock
     * @param sleeper the wait between polls
     */
    public RitualInfernetProvider(RitualConfig config, HttpClient http, Clock clock, Sleeper sleeper) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.api = new JsonApi(config.api(), http, clock);
        this.resilience = ProviderResilience.of(config.id(), config.resilience());
    }

    /** A provider on the system clock that really sleeps between polls. */
    public static RitualInfernetProvider create(RitualConfig config, HttpClient http) {
        return new RitualInfernetProvider(config, http, Clock.systemUTC(), Sleeper.system());
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
     * {@code GET /health}.
     *
     * @return whether the node says {@code {"status":"healthy"}}
     * @throws RemoteCallException when the node cannot be reached or answers an error
     */
    public boolean healthy() {
        JsonNode root = resilience.call("GET /health", () -> api.get("health", List.of())).json();
        return "healthy".equals(root.path("status").asText(""));
    }

    /**
     * {@code GET /info}: the node's version, containers and pending jobs.
     *
     * @throws RemoteCallException when the call fails or the answer is not the documented shape
     */
    public NodeInfo info() {
        JsonNode root = resilience.call("GET /info", () -> api.get("info", List.of())).json();
        JsonNode containers = root.get("containers");
        if (!root.isObject() || containers == null || !containers.isArray()) {
            throw RemoteCallException.malformed(id(), "GET /info", "no 'containers' array");
        }
        List<NodeInfo.Container> list = new ArrayList<>();
        for (JsonNode c : containers) {
            if (!c.path("id").isTextual()) {
                throw RemoteCallException.malformed(id(), "GET /info", "a container without a string 'id': "
                        + Answers.abbreviate(c));
            }
            list.add(new NodeInfo.Container(c.get("id").asText(), c.path("external").asBoolean(false),
                    c.path("image").asText(""), c.path("description").asText("")));
        }
        JsonNode pending = root.path("pending");
        JsonNode chain = root.path("chain");
        return new NodeInfo(root.path("version").asText(""), list, pending.path("offchain").asLong(0),
                pending.path("onchain").asLong(0), chain.path("enabled").asBoolean(false), chain.path("address").asText(""));
    }

    /**
     * The configured models whose containers the node runs now (per {@code GET /info}), with
     * their route prices.
     */
    @Override
    public List<ModelInfo> models() {
        NodeInfo info = info();
        return config.routes().stream()
                .filter(r -> info.serves(r.containers()))
                .map(r -> new ModelInfo(r.model(), "embedding", r.price()))
                .toList();
    }

    /**
     * Runs an embeddings request as one job and waits for it.
     *
     * @throws IllegalArgumentException for a chat request or a model without a route
     * @throws InferenceException REFUSED (the node's guardian said no), JOB_FAILED (the
     *     container failed), or a failed check of the output
     * @throws RemoteCallException for transport and HTTP failures, and a retriable TIMEOUT when the
     *     job is still running at the deadline
     */
    @Override
    public InferenceResult run(InferenceRequest request) {
        InferenceRequest.Embeddings embeddings = embeddings(request);
        RitualRoute route = route(embeddings);
        long start = System.nanoTime();
        String jobId = submit(job(route, embeddings));
        Pending pending = new Pending(0, route, embeddings, start);
        Map<String, Finished> done = await(Map.of(jobId, pending));
        Finished finished = done.get(jobId);
        if (finished == null) {
            throw stillRunning(jobId);
        }
        return decode(jobId, pending, finished);
    }

    /**
     * Runs embeddings requests as one batch ({@code POST /api/jobs/batch}) and waits for all.
     * The node answers 200 even when items fail, with one entry per request, in order:
     * {@code {id}} (a job was created), {@code {error, params}} (refused: REFUSED) or
     * {@code {}} (no job: MALFORMED); each is mapped to its own outcome.
     *
     * @param requests 1 or more embeddings requests, each for a routed model
     * @return one outcome per request, in order
     * @throws IllegalArgumentException for an empty list or a model without a route
     * @throws InferenceException WRONG_COUNT when the node answers another number of entries, and
     *     MALFORMED when the batch or status answer as a whole is not its documented shape
     * @throws RemoteCallException when the submission or a status request fails as a whole
     */
    public List<JobOutcome> runBatch(List<InferenceRequest.Embeddings> requests) {
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one request");
        }
        ArrayNode jobs = JsonApi.MAPPER.createArrayNode();
        List<RitualRoute> routes = new ArrayList<>();
        for (InferenceRequest.Embeddings r : requests) {
            RitualRoute route = route(r);
            routes.add(route);
            jobs.add(job(route, r));
        }
        long start = System.nanoTime();
        JsonNode answer = parsed(call("POST /api/jobs/batch",
                () -> api.sendRaw("POST", "api/jobs/batch", List.of(), Optional.of(jobs), Map.of())), "POST /api/jobs/batch");
        if (!answer.isArray()) {
            throw new InferenceException(id(), Reason.MALFORMED, "POST /api/jobs/batch answered " + answer.getNodeType()
                    + ", not one entry per job");
        }
        if (answer.size() != requests.size()) {
            throw new InferenceException(id(), Reason.WRONG_COUNT, "POST /api/jobs/batch answered " + answer.size()
                    + " entries for " + requests.size() + " jobs");
        }
        JobOutcome[] outcomes = new JobOutcome[requests.size()];
        Map<String, Pending> pending = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            JsonNode item = answer.get(i);
            JsonNode id = item.get("id");
            if (id != null && id.isTextual() && !id.asText().isBlank()) {
                if (pending.containsKey(id.asText())) {
                    outcomes[i] = new JobOutcome.Failed(Optional.of(id.asText()), new InferenceException(id(), Reason.MALFORMED,
                            "batch entry " + i + " repeats job id " + id.asText()));
                } else {
                    pending.put(id.asText(), new Pending(i, routes.get(i), requests.get(i), start));
                }
            } else if (item.hasNonNull("error")) {
                outcomes[i] = new JobOutcome.Failed(Optional.empty(), refusal(item, "batch entry " + i, null));
            } else {
                outcomes[i] = new JobOutcome.Failed(Optional.empty(), new InferenceException(id(), Reason.MALFORMED,
                        "batch entry " + i + " is " + Answers.abbreviate(item) + ": no job id and no error"));
            }
        }
        Map<String, Finished> done = pending.isEmpty() ? Map.of() : await(pending);
        pending.forEach((jobId, p) -> {
            Finished f = done.get(jobId);
            JobOutcome outcome;
            if (f == null) {
                outcome = new JobOutcome.Failed(Optional.of(jobId), stillRunning(jobId));
            } else {
                try {
                    outcome = new JobOutcome.Done(jobId, decode(jobId, p, f));
                } catch (InferenceException e) {
                    outcome = new JobOutcome.Failed(Optional.of(jobId), e);
                }
            }
            outcomes[p.position()] = outcome;
        });
        return List.copyOf(Arrays.asList(outcomes));
    }

    private InferenceRequest.Embeddings embeddings(InferenceRequest request) {
        return switch (request) {
            case InferenceRequest.Embeddings e -> e;
            case InferenceRequest.Chat c -> throw new IllegalArgumentException(id() + " serves embeddings jobs only; "
                    + "send chat for " + c.model() + " to an OpenAI-compatible provider");
        };
    }

    private RitualRoute route(InferenceRequest.Embeddings request) {
        return config.route(request.model()).orElseThrow(() -> new IllegalArgumentException(id() + " has no route for model "
                + request.model() + "; configure a RitualRoute naming the container that serves it (routes: "
                + config.routes().stream().map(RitualRoute::model).toList() + ")"));
    }

    private static ObjectNode job(RitualRoute route, InferenceRequest.Embeddings request) {
        ObjectNode job = JsonApi.MAPPER.createObjectNode();
        ArrayNode containers = job.putArray("containers");
        route.containers().forEach(containers::add);
        ObjectNode data = job.putObject("data");
        data.put(route.shape().modelField(), request.model());
        ArrayNode inputs = data.putArray(route.shape().inputsField());
        request.inputs().forEach(inputs::add);
        return job;
    }

    private String submit(ObjectNode job) {
        JsonNode answer;
        try {
            answer = parsed(resilience.call("POST /api/jobs",
                    () -> api.sendRaw("POST", "api/jobs", List.of(), Optional.of(job), Map.of())), "POST /api/jobs");
        } catch (RemoteCallException e) {
            if (e.status().orElse(0) == 405) {
                throw refusal(parseQuietly(e.body()), "POST /api/jobs", e);
            }
            throw Answers.translate(e);
        }
        JsonNode id = answer.get("id");
        if (!answer.isObject() || id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new InferenceException(id(), Reason.MALFORMED, "POST /api/jobs answered " + Answers.abbreviate(answer)
                    + " without a job id (a {} answer means the node took the job for a delegated subscription)");
        }
        return id.asText();
    }

    private InferenceException refusal(JsonNode body, String where, RemoteCallException cause) {
        String error = body.path("error").asText("(no error message)");
        JsonNode params = body.get("params");
        return new InferenceException(id(), Reason.REFUSED, where + " was refused by the node: " + error
                + (params == null || params.isNull() ? "" : " " + Answers.abbreviate(params))
                + "; the node's guardian filters jobs by container and caller, do not retry the same job", false, cause);
    }

    private static JsonNode parseQuietly(String body) {
        try {
            return JsonApi.MAPPER.readTree(body);
        } catch (IOException notJson) {
            return JsonApi.MAPPER.createObjectNode().put("error", body);
        }
    }

    private record Pending(int position, RitualRoute route, InferenceRequest.Embeddings request, long startNanos) {}

    private record Finished(JsonNode job, byte[] raw, long atNanos) {}

    /** Polls the pending jobs together until each succeeded or failed, or the deadline passed. */
    private Map<String, Finished> await(Map<String, Pending> pending) {
        Map<String, Finished> done = new LinkedHashMap<>();
        Instant deadline = clock.instant().plus(config.deadline());
        while (true) {
            List<String> query = new ArrayList<>();
            for (String id : pending.keySet()) {
                if (!done.containsKey(id)) {
                    query.add("id");
                    query.add(id);
                }
            }
            JsonApi.RawResponse r = call("GET /api/jobs",
                    () -> api.sendRaw("GET", "api/jobs", JsonApi.query(query.toArray(String[]::new)), Optional.empty(),
                            Map.of()));
            long at = System.nanoTime();
            JsonNode root = parsed(r, "GET /api/jobs");
            if (!root.isArray()) {
                throw new InferenceException(id(), Reason.MALFORMED, "GET /api/jobs answered " + root.getNodeType()
                        + ", not a list of job results");
            }
            for (JsonNode job : root) {
                String id = job.path("id").asText("");
                if (!pending.containsKey(id) || done.containsKey(id)) {
                    continue;
                }
                String status = job.path("status").asText("");
                switch (status) {
                    case "running" -> { }
                    case "success", "failed" -> done.put(id, new Finished(job, r.raw(), at));
                    default -> throw new InferenceException(id(), Reason.MALFORMED, "job " + id + " has status '"
                            + Answers.abbreviate(status) + "'; the node documents running, success and failed");
                }
            }
            if (done.size() == pending.size()) {
                return done;
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                return done;
            }
            Duration left = Duration.between(now, deadline);
            try {
                sleeper.sleep(left.compareTo(config.pollInterval()) < 0 ? left : config.pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RemoteCallException(id(), RemoteCallException.Kind.CONNECTION, 0, "", null, "interrupted while "
                        + "waiting for " + id() + " jobs " + pending.keySet(), false, e);
            }
        }
    }

    private InferenceResult decode(String jobId, Pending p, Finished f) {
        JsonNode result = Answers.required(id(), f.job(), "result", "job " + jobId);
        List<String> containers = p.route().containers();
        String last = containers.get(containers.size() - 1);
        if ("failed".equals(f.job().path("status").asText())) {
            throw new InferenceException(id(), Reason.JOB_FAILED, "job " + jobId + " failed in container "
                    + result.path("container").asText("?") + ": " + Answers.abbreviate(result.path("error").asText(
                            "(no error message)")));
        }
        if (result.hasNonNull("container") && !last.equals(result.get("container").asText())) {
            throw new InferenceException(id(), Reason.MALFORMED, "job " + jobId + "'s result comes from container "
                    + Answers.abbreviate(result.get("container").asText()) + ", not the last of " + containers);
        }
        JobShape shape = p.route().shape();
        JsonNode output = Answers.required(id(), result, "output", "job " + jobId + "'s result");
        if (!output.isObject()) {
            throw new InferenceException(id(), Reason.MALFORMED, "job " + jobId + "'s output is " + Answers.abbreviate(output)
                    + ", not an object");
        }
        InferenceRequest.Embeddings request = p.request();
        String model = Answers.requiredText(id(), output, shape.modelField(), "job " + jobId + "'s output");
        Answers.requireModel(id(), request.model(), model, List.of());
        JsonNode vectors = Answers.required(id(), output, shape.vectorsField(), "job " + jobId + "'s output");
        if (!vectors.isArray()) {
            throw new InferenceException(id(), Reason.MALFORMED, "job " + jobId + "'s '" + shape.vectorsField()
                    + "' must be an array of vectors, got " + Answers.abbreviate(vectors));
        }
        List<JsonNode> arrays = new ArrayList<>();
        vectors.forEach(arrays::add);
        List<float[]> checked = Answers.vectors(id(), arrays, request.inputs().size(), p.route().dimension());
        Usage usage = Answers.usage(id(), output.get(shape.usageField()), p.route().usageRequired(), false);
        Money cost = p.route().price().map(price -> price.costOf(usage)).orElse(Money.zero(config.billing()));
        return new InferenceResult(id(), request.model(), new InferenceResult.Embeddings(checked), usage,
                Duration.ofNanos(f.atNanos() - p.startNanos()), Answers.sha256(f.raw()), cost);
    }

    private RemoteCallException stillRunning(String jobId) {
        return new RemoteCallException(id(), RemoteCallException.Kind.TIMEOUT, 0, "", null, id() + " job " + jobId
                + " did not finish within " + config.deadline().toMillis() + " ms (the node keeps jobs per client IP: poll "
                + "from the address that submitted); submitting again may succeed", true, null);
    }

    private JsonApi.RawResponse call(String operation, Callable<JsonApi.RawResponse> call) {
        try {
            return resilience.call(operation, call);
        } catch (RemoteCallException e) {
            throw Answers.translate(e);
        }
    }

    private JsonNode parsed(JsonApi.RawResponse r, String operation) {
        return Answers.parse(id(), operation, r.raw());
    }
}
