package dev.forage.policies.internal;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.forage.policies.SpendIntent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of one effect, indexed by the static conditions they start from, so a decision
 * evaluates only the rules that can match.
 *
 * <p>A rule whose condition is a conjunction containing {@code intent.action == 'x'},
 * {@code intent.counterparty in ['a', 'b']} or {@code intent.market in lists.name} (for
 * agent, action, counterparty or market) cannot match an intent with another value there,
 * because in CEL {@code false && anything} is false even when {@code anything} is an error.
 * Such a rule is filed under the values it allows (the conjunct with the fewest values wins);
 * every other rule is evaluated for every intent. Skipping a rule this way never changes a
 * decision, only its cost.
 */
final class RuleIndex {

    /** An intent field rules can be indexed on. */
    enum Field {
        AGENT("agent"),
        ACTION("action"),
        COUNTERPARTY("counterparty"),
        MARKET("market");

        final String cel;

        Field(String cel) {
            this.cel = cel;
        }

        String of(SpendIntent intent) {
            return switch (this) {
                case AGENT -> intent.agent();
                case ACTION -> intent.action();
                case COUNTERPARTY -> intent.counterparty();
                case MARKET -> intent.market();
            };
        }
    }

    /** The values a rule requires of one field. */
    record Guard(Field field, Set<String> values) {}

    private final List<CompiledRule> unguarded = new ArrayList<>();
    private final EnumMap<Field, Map<String, List<CompiledRule>>> byField = new EnumMap<>(Field.class);
    private int size;

    /** Files {@code rule} under {@code guard}, or among the unguarded rules. */
    void add(CompiledRule rule, Optional<Guard> guard) {
        size++;
        if (guard.isEmpty()) {
            unguarded.add(rule);
            return;
        }
        Map<String, List<CompiledRule>> index = byField.computeIfAbsent(guard.get().field(), f -> new HashMap<>());
        for (String value : guard.get().values()) {
            index.computeIfAbsent(value, v -> new ArrayList<>()).add(rule);
        }
    }

    int size() {
        return size;
    }

    /** The rules that can match {@code intent}, in policy order. */
    List<CompiledRule> candidates(SpendIntent intent) {
        List<CompiledRule> out = null;
        boolean merged = false;
        for (Map.Entry<Field, Map<String, List<CompiledRule>>> e : byField.entrySet()) {
            List<CompiledRule> hit = e.getValue().get(e.getKey().of(intent));
            if (hit != null) {
                if (out == null) {
                    out = new ArrayList<>(unguarded.size() + hit.size());
                    out.addAll(unguarded);
                }
                out.addAll(hit);
                merged = true;
            }
        }
        if (out == null) {
            return unguarded;
        }
        if (merged) {
            out.sort(Comparator.comparingInt(CompiledRule::ordinal));
        }
        return out;
    }

    /**
     * The most selective guard in {@code expr}'s top-level conjunction, if any.
     *
     * @param lists the policy's named lists, for {@code intent.x in lists.name}
     */
    static Optional<Guard> guardOf(CelExpr expr, Map<String, List<String>> lists) {
        List<CelExpr> conjuncts = new ArrayList<>();
        flattenAnd(expr, conjuncts);
        Guard best = null;
        for (CelExpr c : conjuncts) {
            Guard g = conjunctGuard(c, lists);
            if (g != null && (best == null || g.values().size() < best.values().size())) {
                best = g;
            }
        }
        return Optional.ofNullable(best);
    }

    private static void flattenAnd(CelExpr e, List<CelExpr> out) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals("_&&_")) {
            for (CelExpr arg : e.call().args()) {
                flattenAnd(arg, out);
            }
        } else {
            out.add(e);
        }
    }

    private static Guard conjunctGuard(CelExpr c, Map<String, List<String>> lists) {
        if (c.getKind() != CelExpr.ExprKind.Kind.CALL || c.call().target().isPresent() || c.call().args().size() != 2) {
            return null;
        }
        CelExpr left = c.call().args().get(0);
        CelExpr right = c.call().args().get(1);
        switch (c.call().function()) {
            case "_==_" -> {
                Field f = intentField(left);
                String s = stringConstant(right);
                if (f == null) {
                    f = intentField(right);
                    s = stringConstant(left);
                }
                return f != null && s != null ? new Guard(f, Set.of(s)) : null;
            }
            case "@in" -> {
                Field f = intentField(left);
                if (f == null) {
                    return null;
                }
                if (right.getKind() == CelExpr.ExprKind.Kind.LIST) {
                    Set<String> values = new LinkedHashSet<>();
                    for (CelExpr element : right.list().elements()) {
                        String s = stringConstant(element);
                        if (s == null) {
                            return null;
                        }
                        values.add(s);
                    }
                    return new Guard(f, values);
                }
                if (right.getKind() == CelExpr.ExprKind.Kind.SELECT
                        && right.select().operand().getKind() == CelExpr.ExprKind.Kind.IDENT
                        && right.select().operand().ident().name().equals("lists")
                        && !right.select().testOnly()
                        && lists.containsKey(right.select().field())) {
                    return new Guard(f, new LinkedHashSet<>(lists.get(right.select().field())));
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private static Field intentField(CelExpr e) {
        if (e.getKind() != CelExpr.ExprKind.Kind.SELECT || e.select().testOnly()) {
            return null;
        }
        CelExpr operand = e.select().operand();
        if (operand.getKind() != CelExpr.ExprKind.Kind.IDENT || !operand.ident().name().equals("intent")) {
            return null;
        }
        for (Field f : Field.values()) {
            if (f.cel.equals(e.select().field())) {
                return f;
            }
        }
        return null;
    }

    private static String stringConstant(CelExpr e) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
            return e.constant().stringValue();
        }
        return null;
    }
}
