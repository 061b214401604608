package dev.forage.policies.internal;

import dev.forage.policies.Asset;
import dev.forage.policies.Assets;
import dev.forage.policies.InvalidValueException;
import dev.forage.policies.Money;
import dev.forage.policies.PolicyProblem;
import dev.forage.policies.PolicySource;
import dev.forage.policies.internal.PolicyModel.Budget;
import dev.forage.policies.internal.PolicyModel.Document;
import dev.forage.policies.internal.PolicyModel.Effect;
import dev.forage.policies.internal.PolicyModel.NamedList;
import dev.forage.policies.internal.PolicyModel.Rule;
import dev.forage.policies.internal.PolicyModel.Scope;
import dev.forage.policies.internal.PolicyModel.Split;
import dev.forage.policies.internal.YamlTree.Entry;
import dev.forage.policies.internal.YamlTree.ListNode;
import dev.forage.policies.internal.YamlTree.Loc;
import dev.forage.policies.internal.YamlTree.MapNode;
import dev.forage.policies.internal.YamlTree.Node;
import dev.forage.policies.internal.YamlTree.Scalar;
import dev.forage.policies.ledger.BudgetWindow;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * YAML policy documents to {@link PolicyModel}, reporting every problem with its location
 * instead of stopping at the first. Unknown keys are errors, so a typo never silently
 * disables a limit.
 */
final class PolicyParser {

    static final String API_VERSION = "forage.dev/v1";
    static final String KIND = "SpendingPolicy";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.\\-]{0,61}[a-z0-9])?");
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]+)(ms|s|m|h|d|w)");

    private final List<PolicyProblem> problems = new ArrayList<>();

    /** Problems found so far. */
    List<PolicyProblem> problems() {
        return problems;
    }

    /** A source's YAML documents, or none after reporting a syntax error. */
    List<MapNode> read(PolicySource source) {
        List<Node> docs;
        try {
            docs = YamlTree.parse(source.yaml());
        } catch (YamlTree.SyntaxError e) {
            problem(source.name(), e.loc(), "", "YAML syntax error: " + e.getMessage());
            return List.of();
        }
        List<MapNode> out = new ArrayList<>();
        for (Node doc : docs) {
            if (doc instanceof MapNode map) {
                out.add(map);
            } else if (!(doc instanceof Scalar s && s.isNull())) {
                problem(source.name(), doc.loc(), "", "a policy document must be a mapping with apiVersion, kind, metadata"
                        + " and spec, found " + doc.kind());
            }
        }
        if (out.isEmpty() && problems.isEmpty()) {
            problem(source.name(), new Loc(1, 1), "", "no policy document in this source: add one with apiVersion: "
                    + API_VERSION + " and kind: " + KIND);
        }
        return out;
    }

    /** The assets a document declares under {@code spec.assets}. */
    List<Asset> assets(String source, MapNode doc) {
        List<Asset> out = new ArrayList<>();
        Node spec = child(doc, "spec");
        if (!(spec instanceof MapNode specMap)) {
            return out;
        }
        Node assets = child(specMap, "assets");
        if (assets == null) {
            return out;
        }
        if (!(assets instanceof ListNode list)) {
            problem(source, assets.loc(), "", "spec.assets must be a list of {symbol, decimals, chain, token}");
            return out;
        }
        for (Node item : list.items()) {
            Fields f = fields(source, item, "", "an asset", Set.of("symbol", "decimals", "chain", "token"));
            if (f == null) {
                continue;
            }
            String symbol = f.string("symbol", true);
            String decimals = f.string("decimals", true);
            String chain = f.string("chain", true);
            String token = f.string("token", true);
            if (symbol == null || decimals == null || chain == null || token == null) {
                continue;
            }
            try {
                out.add(new Asset(symbol, Integer.parseInt(decimals), chain, token));
            } catch (NumberFormatException e) {
                problem(source, f.loc("decimals"), "", "asset " + symbol + ": decimals '" + decimals + "' is not a whole number");
            } catch (InvalidValueException e) {
                problem(source, item.loc(), "", e.getMessage());
            }
        }
        return out;
    }

    /** One document, parsed with every asset known. */
    Optional<Document> document(String source, MapNode doc, Assets assets) {
        Fields top = fields(source, doc, "", "a policy document", Set.of("apiVersion", "kind", "metadata", "spec"));
        String apiVersion = top.string("apiVersion", true);
        if (apiVersion != null && !apiVersion.equals(API_VERSION)) {
            problem(source, top.loc("apiVersion"), "", "apiVersion '" + apiVersion + "' is not supported: use " + API_VERSION);
        }
        String kind = top.string("kind", true);
        if (kind != null && !kind.equals(KIND)) {
            problem(source, top.loc("kind"), "", "kind '" + kind + "' is not a spending policy: use " + KIND);
        }
        String name = "";
        Fields metadata = top.mapping("metadata", true, Set.of("name", "description", "labels"));
        if (metadata != null) {
            String n = metadata.string("name", true);
            if (n != null) {
                if (!NAME.matcher(n).matches()) {
                    problem(source, metadata.loc("name"), "", "metadata.name '" + n
                            + "' must be lower-case letters, digits, '-' or '.', like a Kubernetes name");
                }
                name = n;
            }
            metadata.string("description", false);
            metadata.mapping("labels", false, null);
        }
        Fields spec = top.mapping("spec", true, Set.of("agents", "assets", "lists", "budgets", "rules"));
        if (spec == null) {
            return Optional.empty();
        }
        Set<String> agents = new LinkedHashSet<>(spec.strings("agents"));
        List<NamedList> lists = new ArrayList<>();
        Fields listFields = spec.mapping("lists", false, null);
        if (listFields != null) {
            for (Entry e : listFields.node.entries().values()) {
                if (!IDENTIFIER.matcher(e.key()).matches()) {
                    problem(source, e.keyLoc(), "", "list name '" + e.key()
                            + "' must be an identifier (letters, digits, '_'), so rules can write lists." + e.key());
                }
                lists.add(new NamedList(source, e.keyLoc(), e.key(), stringList(source, e.value(), "", "list " + e.key())));
            }
        }
        List<Budget> budgets = new ArrayList<>();
        for (Node item : spec.items("budgets")) {
            budget(source, name, agents, item, assets).ifPresent(budgets::add);
        }
        List<Rule> rules = new ArrayList<>();
        for (Node item : spec.items("rules")) {
            rule(source, name, agents, item).ifPresent(rules::add);
        }
        return Optional.of(new Document(source, doc.loc(), name, agents, budgets, lists, rules));
    }

    private Optional<Budget> budget(String source, String document, Set<String> agents, Node item, Assets assets) {
        Fields f = fields(source, item, "", "a budget", Set.of("id", "description", "limit", "window", "per", "scope"));
        if (f == null) {
            return Optional.empty();
        }
        String id = f.string("id", true);
        if (id == null) {
            return Optional.empty();
        }
        f.ruleId = id;
        boolean ok = true;
        if (!IDENTIFIER.matcher(id).matches()) {
            problem(source, f.loc("id"), id, "budget id must be an identifier (letters, digits, '_'), so rules can write"
                    + " budgets." + id.replaceAll("[^A-Za-z0-9_]", "_"));
            ok = false;
        }
        Money limit = null;
        String limitText = f.string("limit", true);
        if (limitText != null) {
            try {
                limit = Money.parse(limitText, assets);
            } catch (InvalidValueException e) {
                problem(source, f.loc("limit"), id, "limit: " + e.getMessage());
            }
        }
        BudgetWindow window = new BudgetWindow.Lifetime();
        Fields w = f.mapping("window", false, Set.of("rolling", "calendar", "zone"));
        if (w != null) {
            window = window(source, id, w);
            ok &= window != null;
        }
        Split per = null;
        String perText = f.string("per", false);
        if (perText != null) {
            per = switch (perText) {
                case "counterparty" -> Split.COUNTERPARTY;
                case "action" -> Split.ACTION;
                case "market" -> Split.MARKET;
                default -> {
                    problem(source, f.loc("per"), id, "per '" + perText + "' is not counterparty, action or market");
                    yield null;
                }
            };
            ok &= per != null;
        }
        Scope scope = Scope.ALL;
        Fields s = f.mapping("scope", false, Set.of("agents", "actions", "counterparties", "markets"));
        if (s != null) {
            scope = new Scope(s.strings("agents"), s.strings("actions"), s.strings("counterparties"), s.strings("markets"));
        }
        String description = Optional.ofNullable(f.string("description", false)).orElse("");
        if (!ok || limit == null) {
            return Optional.empty();
        }
        return Optional.of(new Budget(source, item.loc(), document, agents, id, limit, window, per, scope, description));
    }

    private BudgetWindow window(String source, String id, Fields w) {
        String rolling = w.string("rolling", false);
        String calendar = w.string("calendar", false);
        String zone = w.string("zone", false);
        if ((rolling == null) == (calendar == null)) {
            problem(source, w.node.loc(), id, "window needs exactly one of rolling (e.g. 24h) or calendar"
                    + " (hour, day, week, month)");
            return null;
        }
        if (rolling != null) {
            if (zone != null) {
                problem(source, w.loc("zone"), id, "a rolling window has no time zone: remove zone");
                return null;
            }
            Optional<Duration> d = duration(rolling);
            if (d.isEmpty() || d.get().isZero() || d.get().isNegative()) {
                problem(source, w.loc("rolling"), id, "rolling '" + rolling
                        + "' is not a positive duration: write 90s, 30m, 24h, 7d, 1w or ISO-8601 like PT36H");
                return null;
            }
            return new BudgetWindow.Rolling(d.get());
        }
        BudgetWindow.Period period;
        try {
            period = BudgetWindow.Period.valueOf(calendar.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problem(source, w.loc("calendar"), id, "calendar '" + calendar + "' is not hour, day, week or month");
            return null;
        }
        ZoneId zoneId = ZoneId.of("UTC");
        if (zone != null) {
            try {
                zoneId = ZoneId.of(zone);
            } catch (DateTimeException e) {
                problem(source, w.loc("zone"), id, "zone '" + zone + "' is not a time zone: use an IANA name like Europe/Berlin");
                return null;
            }
        }
        return new BudgetWindow.Calendar(period, zoneId);
    }

    /** {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}, {@code 1w}, {@code 250ms}, or ISO-8601. */
    static Optional<Duration> duration(String text) {
        Matcher m = SHORT_DURATION.matcher(text.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            });
        }
        try {
            return Optional.of(Duration.parse(text.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private Optional<Rule> rule(String source, String document, Set<String> agents, Node item) {
        Fields f = fields(source, item, "", "a rule", Set.of("id", "effect", "when", "reason", "description"));
        if (f == null) {
            return Optional.empty();
        }
        String id = f.string("id", true);
        if (id == null) {
            return Optional.empty();
        }
        f.ruleId = id;
        boolean ok = true;
        if (!RULE_ID.matcher(id).matches()) {
            problem(source, f.loc("id"), id, "rule id must be letters, digits, '_', '.' or '-', at most 64");
            ok = false;
        }
        String effectText = f.string("effect", true);
        Effect effect = null;
        if (effectText != null) {
            for (Effect e : Effect.values()) {
                if (e.yaml.equals(effectText)) {
                    effect = e;
                }
            }
            if (effect == null) {
                problem(source, f.loc("effect"), id, "effect '" + effectText + "' is not allow, deny or require_approval");
            }
        }
        String when = f.string("when", true);
        if (when != null && when.isBlank()) {
            problem(source, f.loc("when"), id, "when is empty: write a CEL condition, or \"true\" to always match");
            when = null;
        }
        String reason = Optional.ofNullable(f.string("reason", false)).orElse("");
        String description = Optional.ofNullable(f.string("description", false)).orElse("");
        if (!ok || effect == null || when == null) {
            return Optional.empty();
        }
        return Optional.of(
                new Rule(source, item.loc(), document, agents, id, effect, when, f.loc("when"), f.style("when"), reason,
                        description));
    }

    private List<String> stringList(String source, Node node, String ruleId, String what) {
        List<String> out = new ArrayList<>();
        if (!(node instanceof ListNode list)) {
            problem(source, node.loc(), ruleId, what + " must be a list of strings, found " + node.kind());
            return out;
        }
        for (Node item : list.items()) {
            if (item instanceof Scalar s && !s.isNull() && !s.text().isBlank()) {
                out.add(s.text());
            } else {
                problem(source, item.loc(), ruleId, what + " must hold non-blank strings, found " + item.kind());
            }
        }
        return out;
    }

    private static Node child(MapNode map, String key) {
        Entry e = map.entries().get(key);
        return e == null ? null : e.value();
    }

    private Fields fields(String source, Node node, String ruleId, String what, Set<String> allowed) {
        if (!(node instanceof MapNode map)) {
            problem(source, node.loc(), ruleId, what + " must be a mapping, found " + node.kind());
            return null;
        }
        // Name the budget or rule in every problem, including unknown keys found before its id.
        String id = ruleId;
        if (id.isEmpty() && map.entries().get("id") instanceof Entry e && e.value() instanceof Scalar s && !s.isNull()) {
            id = s.text();
        }
        Fields f = new Fields(source, map, id);
        f.checkKeys(what, allowed);
        return f;
    }

    private void problem(String source, Loc loc, String ruleId, String message) {
        problems.add(new PolicyProblem(source, loc.line(), loc.column(), ruleId, message));
    }

    /** Typed access to one mapping, reporting problems against its source and rule. */
    private final class Fields {
        final String source;
        final MapNode node;
        String ruleId;

        Fields(String source, MapNode node, String ruleId) {
            this.source = source;
            this.node = node;
            this.ruleId = ruleId;
        }

        void checkKeys(String what, Set<String> allowed) {
            if (allowed == null) {
                return;
            }
            for (Entry e : node.entries().values()) {
                if (!allowed.contains(e.key())) {
                    problem(source, e.keyLoc(), ruleId, "unknown key '" + e.key() + "' in " + what + ": allowed keys are "
                            + allowed.stream().sorted().toList());
                }
            }
        }

        char style(String key) {
            Entry e = node.entries().get(key);
            return e != null && e.value() instanceof Scalar s ? s.style() : ' ';
        }

        Loc loc(String key) {
            Entry e = node.entries().get(key);
            return e == null ? node.loc() : e.value().loc();
        }

        String string(String key, boolean required) {
            Entry e = node.entries().get(key);
            if (e == null || (e.value() instanceof Scalar s && s.isNull())) {
                if (required) {
                    problem(source, e == null ? node.loc() : e.keyLoc(), ruleId, "missing required key '" + key + "'");
                }
                return null;
            }
            if (e.value() instanceof Scalar s) {
                return s.text();
            }
            problem(source, e.value().loc(), ruleId, "'" + key + "' must be a single value, found " + e.value().kind());
            return null;
        }

        Fields mapping(String key, boolean required, Set<String> allowed) {
            Entry e = node.entries().get(key);
            if (e == null) {
                if (required) {
                    problem(source, node.loc(), ruleId, "missing required key '" + key + "'");
                }
                return null;
            }
            if (!(e.value() instanceof MapNode map)) {
                if (e.value() instanceof Scalar s && s.isNull() && !required) {
                    return null;
                }
                problem(source, e.value().loc(), ruleId, "'" + key + "' must be a mapping, found " + e.value().kind());
                return null;
            }
            Fields f = new Fields(source, map, ruleId);
            f.checkKeys("'" + key + "'", allowed);
            return f;
        }

        List<Node> items(String key) {
            Entry e = node.entries().get(key);
            if (e == null || (e.value() instanceof Scalar s && s.isNull())) {
                return List.of();
            }
            if (e.value() instanceof ListNode list) {
                return list.items();
            }
            problem(source, e.value().loc(), ruleId, "'" + key + "' must be a list, found " + e.value().kind());
            return List.of();
        }

        List<String> strings(String key) {
            Entry e = node.entries().get(key);
            if (e == null || (e.value() instanceof Scalar s && s.isNull())) {
                return List.of();
            }
            return stringList(source, e.value(), ruleId, "'" + key + "'");
        }
    }
}
