package dev.forage.policies.internal;

import dev.forage.policies.Money;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.internal.YamlTree.Loc;
import dev.forage.policies.ledger.BudgetWindow;
import java.util.List;
import java.util.Set;

/** The parsed, not yet compiled, shape of policy documents. */
final class PolicyModel {

    private PolicyModel() {}

    /** What a rule does when its condition holds. */
    enum Effect {
        ALLOW("allow"),
        DENY("deny"),
        REQUIRE_APPROVAL("require_approval");

        final String yaml;

        Effect(String yaml) {
            this.yaml = yaml;
        }
    }

    /** The intent field a budget is split by. */
    enum Split {
        COUNTERPARTY("counterparty"),
        ACTION("action"),
        MARKET("market");

        final String yaml;

        Split(String yaml) {
            this.yaml = yaml;
        }

        String of(SpendIntent intent) {
            return switch (this) {
                case COUNTERPARTY -> intent.counterparty();
                case ACTION -> intent.action();
                case MARKET -> intent.market();
            };
        }
    }

    /** One document: {@code metadata.name} and its spec. */
    record Document(String source, Loc loc, String name, Set<String> agents, List<Budget> budgets, List<NamedList> lists,
            List<Rule> rules) {}

    /**
     * Which intents a budget covers. Each list is a set of patterns ({@code *}, {@code prefix.*}
     * or an exact value); an empty list matches everything.
     */
    record Scope(List<String> agents, List<String> actions, List<String> counterparties, List<String> markets) {
        static final Scope ALL = new Scope(List.of(), List.of(), List.of(), List.of());

        boolean matches(SpendIntent intent) {
            return any(agents, intent.agent())
                    && any(actions, intent.action())
                    && any(counterparties, intent.counterparty())
                    && any(markets, intent.market());
        }

        private static boolean any(List<String> patterns, String value) {
            if (patterns.isEmpty()) {
                return true;
            }
            for (String p : patterns) {
                if (matches(p, value)) {
                    return true;
                }
            }
            return false;
        }

        static boolean matches(String pattern, String value) {
            if (pattern.equals("*")) {
                return true;
            }
            if (pattern.endsWith(".*")) {
                return value.startsWith(pattern.substring(0, pattern.length() - 1));
            }
            return pattern.equals(value);
        }
    }

    /** A budget: limit, window, optional split, scope. */
    record Budget(String source, Loc loc, String document, Set<String> documentAgents, String id, Money limit,
            BudgetWindow window, Split per, Scope scope, String description) {}

    /** A named set of strings. */
    record NamedList(String source, Loc loc, String name, List<String> values) {}

    /** A rule before compilation. */
    record Rule(String source, Loc loc, String document, Set<String> documentAgents, String id, Effect effect,
            String when, Loc whenLoc, char whenStyle, String reason, String description) {}
}
