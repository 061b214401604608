package dev.forage.runtime.deploy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forage.policies.ledger.BudgetWindow;
import dev.forage.runtime.deploy.AgentDeployment;
import dev.forage.runtime.deploy.Amount;
import dev.forage.runtime.deploy.Budget;
import dev.forage.runtime.deploy.Chain;
import dev.forage.runtime.deploy.ChatModelSettings;
import dev.forage.runtime.deploy.DeploymentSpec;
import dev.forage.runtime.deploy.GpuRequest;
import dev.forage.runtime.deploy.Identity;
import dev.forage.runtime.deploy.Inference;
import dev.forage.runtime.deploy.InferenceKind;
import dev.forage.runtime.deploy.Job;
import dev.forage.runtime.deploy.Market;
import dev.forage.runtime.deploy.MarketKind;
import dev.forage.runtime.deploy.Metadata;
import dev.forage.runtime.deploy.PasswordSource;
import dev.forage.runtime.deploy.Planner;
import dev.forage.runtime.deploy.Registration;
import dev.forage.runtime.deploy.Verification;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A validated tree to the model. Runs only once the schema and the semantic checks found
 * nothing, so every field has its type and shape here; defaults are filled in as documented.
 */
final class ModelReader {

    private final Path base;
    private final LocatedYaml yaml;

    private ModelReader(Path base, LocatedYaml yaml) {
        this.base = base;
        this.yaml = yaml;
    }

    static AgentDeployment read(LocatedYaml yaml, Path base) {
        return new ModelReader(base, yaml).deployment(yaml.root());
    }

    private AgentDeployment deployment(JsonNode root) {
        JsonNode metadata = root.get("metadata");
        Map<String, String> labels = new LinkedHashMap<>();
        if (metadata.get("labels") instanceof JsonNode l) {
            l.properties().forEach(e -> labels.put(e.getKey(), e.getValue().textValue()));
        }
        return new AgentDeployment(new Metadata(metadata.get("name").textValue(), labels), spec(root.get("spec")));
    }

    private DeploymentSpec spec(JsonNode spec) {
        return new DeploymentSpec(
                identity(spec.get("identity")),
                chain(spec.get("chain")),
                planner(spec.get("planner")),
                markets(spec.get("markets")),
                list(spec.get("inference"), this::inference),
                verification(spec.get("verification")),
                list(spec.get("policies"), n -> path(n.textValue())),
                optional(spec, "budget").map(this::budget),
                list(spec.get("jobs"), this::job));
    }

    private Identity identity(JsonNode n) {
        PasswordSource password = n.has("passwordEnv")
                ? new PasswordSource.FromEnv(n.get("passwordEnv").textValue())
                : new PasswordSource.FromFile(path(n.get("passwordFile").textValue()));
        Optional<Registration> registration = optional(n, "registration").map(r -> new Registration(
                r.get("description").textValue(),
                list(r.get("services"), s -> new Registration.Service(s.get("name").textValue(), s.get("endpoint").textValue(),
                        text(s, "version")))));
        return new Identity(path(n.get("keystore").textValue()), password, bool(n, "register"), registration);
    }

    private Chain chain(JsonNode n) {
        if (bool(n, "devnet")) {
            return Chain.devnet();
        }
        return new Chain.Rpc(
                URI.create(n.get("rpcUrl").textValue()),
                n.get("chainId").textValue(),
                optional(n, "confirmations").map(JsonNode::intValue).orElse(Chain.Rpc.DEFAULT_CONFIRMATIONS),
                text(n, "token"),
                optional(n, "tokenDomain").map(d -> new Chain.TokenDomain(d.get("name").textValue(), d.get("version").textValue())));
    }

    private Planner planner(JsonNode n) {
        if (n.get("kind").textValue().equals("scripted")) {
            return new Planner.Scripted(n.get("playbook").textValue());
        }
        JsonNode m = n.get("model");
        ChatModelSettings model = new ChatModelSettings(
                URI.create(m.get("baseUrl").textValue()),
                m.get("modelName").textValue(),
                m.get("apiKeyEnv").textValue(),
                optional(m, "temperature").map(t -> OptionalDouble.of(t.doubleValue())).orElse(OptionalDouble.empty()),
                optional(m, "maxTokens").map(t -> OptionalInt.of(t.intValue())).orElse(OptionalInt.empty()),
                text(m, "timeout").map(Duration::parse));
        return new Planner.LangChain4j(model, n.get("maxSteps").intValue());
    }

    private List<Market> markets(JsonNode n) {
        List<Market> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                out.add(market(n.get(i), Pointer.of("spec", "markets", i)));
            }
        }
        return out;
    }

    private Market market(JsonNode n, Pointer at) {
        Map<String, String> options = new LinkedHashMap<>();
        if (n.get("options") instanceof JsonNode o) {
            // Numbers and booleans as written (0.10 stays 0.10), strings as they are.
            o.properties().forEach(e -> options.put(e.getKey(), e.getValue().isTextual()
                    ? e.getValue().textValue()
                    : yaml.scalarText(at.child("options").child(e.getKey())).orElse(e.getValue().asText())));
        }
        return new Market(
                MarketKind.fromYaml(n.get("kind").textValue()).orElseThrow(),
                text(n, "baseUrl").map(URI::create),
                text(n, "apiKeyEnv"),
                Amount.parse(n.get("maxPricePerHour").textValue()),
                Duration.parse(n.get("offerTtl").textValue()),
                options);
    }

    private Inference inference(JsonNode n) {
        return new Inference(
                InferenceKind.fromYaml(n.get("kind").textValue()).orElseThrow(),
                text(n, "baseUrl").map(URI::create),
                text(n, "apiKeyEnv"),
                list(n.get("models"), JsonNode::textValue));
    }

    private Verification verification(JsonNode n) {
        Verification.Method method = switch (n.get("method").textValue()) {
            case "re-execution" -> new Verification.ReExecution(n.get("sampleRate").doubleValue(), n.get("threshold").doubleValue());
            case "quorum" -> new Verification.Quorum(
                    n.get("quorum").get("k").intValue(),
                    n.get("quorum").get("tolerance").doubleValue(),
                    optional(n, "sampleRate").map(JsonNode::doubleValue).orElse(1.0));
            default -> new Verification.None();
        };
        Verification.Feedback feedback = optional(n, "feedback")
                .map(f -> new Verification.Feedback(bool(f, "reputation"), bool(f, "validation")))
                .orElse(Verification.Feedback.none());
        return new Verification(method, feedback);
    }

    private Budget budget(JsonNode n) {
        BudgetWindow window = optional(n, "window").<BudgetWindow>map(w -> {
            if (w.has("rolling")) {
                return new BudgetWindow.Rolling(Duration.parse(w.get("rolling").textValue()));
            }
            BudgetWindow.Period period = BudgetWindow.Period.valueOf(w.get("calendar").textValue().toUpperCase(Locale.ROOT));
            return new BudgetWindow.Calendar(period, ZoneId.of(text(w, "zone").orElse("UTC")));
        }).orElseGet(BudgetWindow.Lifetime::new);
        return new Budget(Amount.parse(n.get("limit").textValue()), window);
    }

    private Job job(JsonNode n) {
        Job.Input input = n.has("corpus")
                ? new Job.Corpus(path(n.get("corpus").textValue()))
                : new Job.Texts(list(n.get("texts"), JsonNode::textValue));
        JsonNode g = n.get("gpu");
        GpuRequest gpu = new GpuRequest(
                g.get("model").textValue(),
                g.get("count").intValue(),
                optional(g, "minVramGib").map(v -> OptionalInt.of(v.intValue())).orElse(OptionalInt.empty()),
                Duration.parse(g.get("duration").textValue()));
        return new Job(n.get("id").textValue(), Job.Kind.EMBEDDINGS, input, n.get("model").textValue(),
                n.get("batchSize").intValue(), gpu);
    }

    private Path path(String text) {
        return base.resolve(text).normalize();
    }

    private static Optional<JsonNode> optional(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    private static Optional<String> text(JsonNode n, String field) {
        return optional(n, field).map(JsonNode::textValue);
    }

    private static boolean bool(JsonNode n, String field) {
        return optional(n, field).map(JsonNode::booleanValue).orElse(false);
    }

    private static <T> List<T> list(JsonNode n, Function<JsonNode, T> item) {
        List<T> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(e -> out.add(item.apply(e)));
        }
        return out;
    }
}
