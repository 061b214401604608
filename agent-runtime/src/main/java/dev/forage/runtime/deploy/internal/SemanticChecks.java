package dev.forage.runtime.deploy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forage.policies.Asset;
import dev.forage.policies.Assets;
import dev.forage.policies.InvalidValueException;
import dev.forage.policies.Money;
import dev.forage.runtime.deploy.Amount;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * What the schema cannot say: durations that parse and are positive, time zones that exist,
 * URLs with a host, paths the platform accepts, unique job ids, policy files that exist, jobs
 * that have a market to lease from, and amounts in the chain's assets. Runs on any tree, valid
 * or not, and looks only at nodes of the expected type (the schema reports the others).
 */
final class SemanticChecks {

    private final LocatedYaml yaml;
    private final Problems problems;
    private final Path base;
    private final Optional<Assets> assets;

    private SemanticChecks(LocatedYaml yaml, Problems problems, Path base, Optional<Assets> assets) {
        this.yaml = yaml;
        this.problems = problems;
        this.base = base;
        this.assets = assets;
    }

    static void check(LocatedYaml yaml, Problems problems, Path base, Optional<Assets> assets) {
        new SemanticChecks(yaml, problems, base, assets).run();
    }

    private void run() {
        Pointer spec = Pointer.of("spec");
        Pointer identity = spec.child("identity");
        path(identity.child("keystore"));
        path(identity.child("passwordFile"));
        url(spec.child("chain").child("rpcUrl"));
        Pointer model = spec.child("planner").child("model");
        url(model.child("baseUrl"));
        duration(model.child("timeout"));
        eachItem(spec.child("markets"), (item, node) -> {
            url(item.child("baseUrl"));
            duration(item.child("offerTtl"));
            money(item.child("maxPricePerHour"));
        });
        eachItem(spec.child("inference"), (item, node) -> url(item.child("baseUrl")));
        eachItem(spec.child("policies"), (item, node) -> policyFile(item));
        Pointer budget = spec.child("budget");
        money(budget.child("limit"));
        duration(budget.child("window").child("rolling"));
        zone(budget.child("window").child("zone"));
        Map<String, Pointer> ids = new HashMap<>();
        eachItem(spec.child("jobs"), (item, node) -> {
            path(item.child("corpus"));
            duration(item.child("gpu").child("duration"));
            text(item.child("id")).ifPresent(id -> {
                Pointer first = ids.putIfAbsent(id, item);
                if (first != null) {
                    Pointer at = item.child("id");
                    problems.add(at, yaml.fieldLoc(at), "'" + id + "' is already the id of " + first.display()
                            + ": give each job its own id");
                }
            });
        });
        JsonNode jobs = node(spec.child("jobs"));
        JsonNode markets = node(spec.child("markets"));
        if (jobs != null && jobs.isArray() && !jobs.isEmpty() && (markets == null || (markets.isArray() && markets.isEmpty()))) {
            Pointer at = spec.child("jobs");
            problems.add(at, yaml.fieldLoc(at), "jobs lease GPUs, but spec.markets names no compute market: add one");
        }
    }

    private JsonNode node(Pointer p) {
        return SchemaValidation.at(yaml.root(), p.segments()).orElse(null);
    }

    private Optional<String> text(Pointer p) {
        JsonNode n = node(p);
        return n != null && n.isTextual() ? Optional.of(n.textValue()) : Optional.empty();
    }

    private void eachItem(Pointer list, BiConsumer<Pointer, JsonNode> check) {
        JsonNode n = node(list);
        if (n != null && n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                check.accept(list.child(i), n.get(i));
            }
        }
    }

    private void duration(Pointer p) {
        text(p).filter(t -> t.matches("P[0-9DTHMS.]+")).ifPresent(t -> {
            try {
                Duration d = Duration.parse(t);
                if (d.isZero() || d.isNegative()) {
                    problems.add(p, yaml.fieldLoc(p), "must be a positive duration, got '" + t + "'");
                }
            } catch (DateTimeParseException | ArithmeticException e) {
                // The schema's pattern reports the shape; this only guards what slips past it.
                problems.add(p, yaml.fieldLoc(p), "must be " + SchemaValidation.SHAPES.get("duration") + ", got '" + t + "'");
            }
        });
    }

    private void zone(Pointer p) {
        text(p).filter(t -> !t.isEmpty()).ifPresent(t -> {
            try {
                ZoneId.of(t);
            } catch (DateTimeException e) {
                problems.add(p, yaml.fieldLoc(p), "'" + t + "' is not a time zone: use an IANA name like Europe/Berlin, or UTC");
            }
        });
    }

    private void url(Pointer p) {
        text(p).filter(t -> t.matches("(?s)[a-z]+://.*")).ifPresent(t -> {
            String problem;
            try {
                URI uri = new URI(t);
                problem = uri.getHost() == null ? "has no host name" : null;
            } catch (URISyntaxException e) {
                problem = "is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")";
            }
            if (problem != null) {
                problems.add(p, yaml.fieldLoc(p), SchemaValidation.show(node(p), p, yaml) + " " + problem);
            }
        });
    }

    /** The path the text names, resolved against the deployment's folder; reports one the platform rejects. */
    private Optional<Path> path(Pointer p) {
        Optional<String> t = text(p).filter(s -> !s.isEmpty());
        if (t.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(base.resolve(t.get()).normalize());
        } catch (InvalidPathException e) {
            problems.add(p, yaml.fieldLoc(p), "is not a valid file path (" + e.getReason() + ")");
            return Optional.empty();
        }
    }

    private void policyFile(Pointer p) {
        path(p).ifPresent(file -> {
            if (Files.isDirectory(file)) {
                problems.add(p, yaml.fieldLoc(p), file + " is a folder, not a policy file");
            } else if (!Files.isRegularFile(file)) {
                problems.add(p, yaml.fieldLoc(p), "no such policy file: " + file + " (paths are relative to the deployment file)");
            } else if (!Files.isReadable(file)) {
                problems.add(p, yaml.fieldLoc(p), "cannot read the policy file " + file + ": check its permissions");
            }
        });
    }

    private void money(Pointer p) {
        if (assets.isEmpty()) {
            return;
        }
        text(p).ifPresent(t -> {
            Amount amount;
            try {
                amount = Amount.parse(t);
            } catch (IllegalArgumentException e) {
                return; // the schema's pattern reports the shape
            }
            Optional<Asset> asset = assets.get().find(amount.symbol());
            if (asset.isEmpty()) {
                List<String> known = assets.get().all().stream().map(Asset::symbol).sorted().toList();
                problems.add(p, yaml.fieldLoc(p), "asset " + amount.symbol() + " is not known on this chain: use one of " + known);
                return;
            }
            try {
                Money.parse(t, assets.get());
            } catch (InvalidValueException e) {
                problems.add(p, yaml.fieldLoc(p), e.getMessage());
            }
        });
    }
}
