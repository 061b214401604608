package dev.forage.runtime.deploy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.forage.policies.ledger.BudgetWindow;
import dev.forage.runtime.deploy.AgentDeployment;
import dev.forage.runtime.deploy.Budget;
import dev.forage.runtime.deploy.Chain;
import dev.forage.runtime.deploy.DeploymentSpec;
import dev.forage.runtime.deploy.Identity;
import dev.forage.runtime.deploy.Inference;
import dev.forage.runtime.deploy.Job;
import dev.forage.runtime.deploy.Market;
import dev.forage.runtime.deploy.PasswordSource;
import dev.forage.runtime.deploy.Planner;
import dev.forage.runtime.deploy.Verification;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model back to deployment YAML, in the order the schema documents. Every string is
 * quoted, so no text is read back as a number or a boolean.
 */
public final class DeploymentWriter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLMapper MAPPER = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build());

    private DeploymentWriter() {}

    /** See {@link AgentDeployment#toYaml()}. */
    public static String write(AgentDeployment deployment) {
        ObjectNode root = NODES.objectNode();
        root.put("apiVersion", AgentDeployment.API_VERSION);
        root.put("kind", AgentDeployment.KIND);
        ObjectNode metadata = root.putObject("metadata");
        metadata.put("name", deployment.metadata().name());
        if (!deployment.metadata().labels().isEmpty()) {
            strings(metadata.putObject("labels"), deployment.metadata().labels());
        }
        spec(root.putObject("spec"), deployment.spec());
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write deployment " + deployment.name() + " as YAML", e);
        }
    }

    private static void spec(ObjectNode out, DeploymentSpec spec) {
        identity(out.putObject("identity"), spec.identity());
        chain(out.putObject("chain"), spec.chain());
        planner(out.putObject("planner"), spec.planner());
        if (!spec.markets().isEmpty()) {
            ArrayNode markets = out.putArray("markets");
            spec.markets().forEach(m -> market(markets.addObject(), m));
        }
        if (!spec.inference().isEmpty()) {
            ArrayNode inference = out.putArray("inference");
            spec.inference().forEach(i -> inference(inference.addObject(), i));
        }
        verification(out.putObject("verification"), spec.verification());
        if (!spec.policies().isEmpty()) {
            ArrayNode policies = out.putArray("policies");
            spec.policies().forEach(p -> policies.add(path(p)));
        }
        spec.budget().ifPresent(b -> budget(out.putObject("budget"), b));
        if (!spec.jobs().isEmpty()) {
            ArrayNode jobs = out.putArray("jobs");
            spec.jobs().forEach(j -> job(jobs.addObject(), j));
        }
    }

    private static void identity(ObjectNode out, Identity identity) {
        out.put("keystore", path(identity.keystore()));
        switch (identity.password()) {
            case PasswordSource.FromEnv env -> out.put("passwordEnv", env.variable());
            case PasswordSource.FromFile file -> out.put("passwordFile", path(file.file()));
        }
        out.put("register", identity.register());
        identity.registration().ifPresent(r -> {
            ObjectNode registration = out.putObject("registration");
            registration.put("description", r.description());
            if (!r.services().isEmpty()) {
                ArrayNode services = registration.putArray("services");
                r.services().forEach(s -> {
                    ObjectNode service = services.addObject();
                    service.put("name", s.name());
                    service.put("endpoint", s.endpoint());
                    s.version().ifPresent(v -> service.put("version", v));
                });
            }
        });
    }

    private static void chain(ObjectNode out, Chain chain) {
        switch (chain) {
            case Chain.Devnet d -> out.put("devnet", true);
            case Chain.Rpc rpc -> {
                out.put("rpcUrl", rpc.rpcUrl().toString());
                out.put("chainId", rpc.chainId());
                out.put("confirmations", rpc.confirmations());
                rpc.token().ifPresent(t -> out.put("token", t));
                rpc.tokenDomain().ifPresent(d -> {
                    ObjectNode domain = out.putObject("tokenDomain");
                    domain.put("name", d.name());
                    domain.put("version", d.version());
                });
            }
        }
    }

    private static void planner(ObjectNode out, Planner planner) {
        switch (planner) {
            case Planner.Scripted s -> {
                out.put("kind", "scripted");
                out.put("playbook", s.playbook());
            }
            case Planner.LangChain4j l -> {
                out.put("kind", "langchain4j");
                ObjectNode model = out.putObject("model");
                model.put("baseUrl", l.model().baseUrl().toString());
                model.put("modelName", l.model().modelName());
                model.put("apiKeyEnv", l.model().apiKeyEnv());
                l.model().temperature().ifPresent(t -> model.put("temperature", t));
                l.model().maxTokens().ifPresent(t -> model.put("maxTokens", t));
                l.model().timeout().ifPresent(t -> model.put("timeout", t.toString()));
                out.put("maxSteps", l.maxSteps());
            }
        }
    }

    private static void market(ObjectNode out, Market market) {
        out.put("kind", market.kind().yamlName());
        market.baseUrl().ifPresent(u -> out.put("baseUrl", u.toString()));
        market.apiKeyEnv().ifPresent(v -> out.put("apiKeyEnv", v));
        out.put("maxPricePerHour", market.maxPricePerHour().toString());
        out.put("offerTtl", market.offerTtl().toString());
        if (!market.options().isEmpty()) {
            strings(out.putObject("options"), market.options());
        }
    }

    private static void inference(ObjectNode out, Inference inference) {
        out.put("kind", inference.kind().yamlName());
        inference.baseUrl().ifPresent(u -> out.put("baseUrl", u.toString()));
        inference.apiKeyEnv().ifPresent(v -> out.put("apiKeyEnv", v));
        strings(out.putArray("models"), inference.models());
    }

    private static void verification(ObjectNode out, Verification verification) {
        out.put("method", verification.method().yamlName());
        switch (verification.method()) {
            case Verification.ReExecution r -> {
                out.put("sampleRate", r.sampleRate());
                out.put("threshold", r.threshold());
            }
            case Verification.Quorum q -> {
                out.put("sampleRate", q.sampleRate());
                ObjectNode quorum = out.putObject("quorum");
                quorum.put("k", q.k());
                quorum.put("tolerance", q.tolerance());
            }
            case Verification.None n -> {
                // nothing to configure
            }
        }
        ObjectNode feedback = out.putObject("feedback");
        feedback.put("reputation", verification.feedback().reputation());
        feedback.put("validation", verification.feedback().validation());
    }

    private static void budget(ObjectNode out, Budget budget) {
        out.put("limit", budget.limit().toString());
        switch (budget.window()) {
            case BudgetWindow.Calendar c -> {
                ObjectNode window = out.putObject("window");
                window.put("calendar", c.period().name().toLowerCase(Locale.ROOT));
                window.put("zone", c.zone().getId());
            }
            case BudgetWindow.Rolling r -> out.putObject("window").put("rolling", r.length().toString());
            case BudgetWindow.Lifetime l -> {
                // no window: the limit is for the agent's lifetime
            }
        }
    }

    private static void job(ObjectNode out, Job job) {
        out.put("id", job.id());
        out.put("kind", job.kind().yamlName());
        switch (job.input()) {
            case Job.Corpus c -> out.put("corpus", path(c.file()));
            case Job.Texts t -> strings(out.putArray("texts"), t.texts());
        }
        out.put("model", job.model());
        out.put("batchSize", job.batchSize());
        ObjectNode gpu = out.putObject("gpu");
        gpu.put("model", job.gpu().model());
        gpu.put("count", job.gpu().count());
        job.gpu().minVramGib().ifPresent(v -> gpu.put("minVramGib", v));
        gpu.put("duration", job.gpu().duration().toString());
    }

    private static String path(Path p) {
        return p.toString();
    }

    private static void strings(ObjectNode out, Map<String, String> values) {
        values.forEach(out::put);
    }

    private static void strings(ArrayNode out, List<String> values) {
        values.forEach(out::add);
    }
}
