package dev.forage.policies.internal;

import dev.cel.bundle.Cel;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.optimizer.CelOptimizationException;
import dev.cel.optimizer.CelOptimizer;
import dev.cel.optimizer.CelOptimizerFactory;
import dev.cel.optimizer.optimizers.ConstantFoldingOptimizer;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.forage.policies.Asset;
import dev.forage.policies.Assets;
import dev.forage.policies.InvalidValueException;
import dev.forage.policies.Money;
import dev.forage.policies.PolicyInfo;
import dev.forage.policies.PolicyLoadException;
import dev.forage.policies.PolicyProblem;
import dev.forage.policies.PolicySource;
import dev.forage.policies.internal.PolicyModel.Budget;
import dev.forage.policies.internal.PolicyModel.Document;
import dev.forage.policies.internal.PolicyModel.NamedList;
import dev.forage.policies.internal.PolicyModel.Rule;
import dev.forage.policies.internal.YamlTree.Loc;
import dev.forage.policies.internal.YamlTree.MapNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Policy sources to a {@link CompiledPolicy}: parse every document, compose them (rule,
 * budget, list and document names must be unique across all of them), type-check and compile
 * every CEL condition once, resolve {@code money('…')} literals, index the rules. Reports every
 * problem at once.
 */
final class PolicyCompiler {

    private PolicyCompiler() {}

    /**
     * Compiles {@code sources}.
     *
     * @param indexRules whether to index rules by their static conditions (off only to measure
     *     what the index saves)
     * @throws PolicyLoadException listing every problem
     */
    static CompiledPolicy compile(List<PolicySource> sources, Assets engineAssets, Instant now, boolean indexRules) {
        if (sources.isEmpty()) {
            throw new PolicyLoadException(List.of(new PolicyProblem("<none>", 0, 0, "",
                    "no policy sources given: load at least one SpendingPolicy document (an empty policy denies everything)")));
        }
        PolicyParser parser = new PolicyParser();
        List<PolicyProblem> problems = parser.problems();

        // Pass 1: YAML and assets, so that any document can name an asset any other declares.
        List<Map.Entry<PolicySource, MapNode>> docs = new ArrayList<>();
        List<Asset> declared = new ArrayList<>();
        for (PolicySource source : sources) {
            for (MapNode doc : parser.read(source)) {
                docs.add(Map.entry(source, doc));
                declared.addAll(parser.assets(source.name(), doc));
            }
        }
        Assets assets = engineAssets;
        try {
            assets = engineAssets.with(declared);
        } catch (InvalidValueException e) {
            problems.add(new PolicyProblem(sources.get(0).name(), 0, 0, "", e.getMessage()));
        }

        // Pass 2: the documents.
        List<Document> documents = new ArrayList<>();
        for (Map.Entry<PolicySource, MapNode> d : docs) {
            parser.document(d.getKey().name(), d.getValue(), assets).ifPresent(documents::add);
        }

        // Composition: names are global, so reasons and budgets.<id> are unambiguous.
        Map<String, Document> docNames = new HashMap<>();
        Map<String, Rule> ruleIds = new HashMap<>();
        Map<String, Budget> budgetIds = new HashMap<>();
        Map<String, NamedList> listNames = new HashMap<>();
        List<Budget> budgets = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        Map<String, List<String>> lists = new LinkedHashMap<>();
        for (Document doc : documents) {
            Document other = docNames.putIfAbsent(doc.name(), doc);
            if (other != null && !doc.name().isEmpty()) {
                problems.add(problem(doc.source(), doc.loc(), "", "metadata.name '" + doc.name()
                        + "' is also used at " + where(other.source(), other.loc()) + ": give each document its own name"));
            }
            for (Budget b : doc.budgets()) {
                Budget first = budgetIds.putIfAbsent(b.id(), b);
                if (first != null) {
                    problems.add(problem(b.source(), b.loc(), b.id(), "budget id is also used at "
                            + where(first.source(), first.loc()) + ": budget ids are global across composed documents"));
                } else {
                    budgets.add(b);
                }
            }
            for (NamedList l : doc.lists()) {
                NamedList first = listNames.putIfAbsent(l.name(), l);
                if (first != null) {
                    problems.add(problem(l.source(), l.loc(), "", "list '" + l.name() + "' is also defined at "
                            + where(first.source(), first.loc()) + ": list names are global across composed documents"));
                } else {
                    lists.put(l.name(), l.values());
                }
            }
            for (Rule r : doc.rules()) {
                Rule first = ruleIds.putIfAbsent(r.id(), r);
                if (first != null) {
                    problems.add(problem(r.source(), r.loc(), r.id(), "rule id is also used at "
                            + where(first.source(), first.loc()) + ": rule ids are global across composed documents"));
                } else {
                    rules.add(r);
                }
            }
        }

        // CEL: one environment for the composed policy, one program per rule.
        Map<String, Long> moneyValues = new ConcurrentHashMap<>();
        Cel cel = PolicyCelEnv.create(new LinkedHashSet<>(budgetIds.keySet()), new LinkedHashSet<>(lists.keySet()),
                moneyValues);
        CelOptimizer optimizer = CelOptimizerFactory.standardCelOptimizerBuilder(cel)
                .addAstOptimizers(ConstantFoldingOptimizer.getInstance())
                .build();
        RuleIndex deny = new RuleIndex();
        RuleIndex approval = new RuleIndex();
        RuleIndex allow = new RuleIndex();
        int ordinal = 0;
        for (Rule r : rules) {
            Optional<Compiled> compiled = compileRule(cel, optimizer, r, ordinal++, assets, moneyValues, problems);
            if (compiled.isEmpty()) {
                continue;
            }
            CompiledRule rule = compiled.get().rule();
            RuleIndex target = switch (r.effect()) {
                case DENY -> deny;
                case REQUIRE_APPROVAL -> approval;
                case ALLOW -> allow;
            };
            Optional<RuleIndex.Guard> guard = Optional.empty();
            if (indexRules) {
                guard = RuleIndex.guardOf(compiled.get().expr(), lists);
                if (guard.isEmpty() && !rule.agents().isEmpty()) {
                    guard = Optional.of(new RuleIndex.Guard(RuleIndex.Field.AGENT, rule.agents()));
                }
            }
            target.add(rule, guard);
        }

        if (!problems.isEmpty()) {
            List<String> order = sources.stream().map(PolicySource::name).toList();
            List<PolicyProblem> sorted = new ArrayList<>(problems);
            sorted.sort(java.util.Comparator.<PolicyProblem>comparingInt(pr -> order.indexOf(pr.source()))
                    .thenComparingInt(PolicyProblem::line)
                    .thenComparingInt(PolicyProblem::column));
            throw new PolicyLoadException(sorted);
        }
        Map<String, Map<String, Boolean>> listValues = new LinkedHashMap<>();
        lists.forEach((name, values) -> {
            Map<String, Boolean> set = new HashMap<>();
            values.forEach(v -> set.put(v, Boolean.TRUE));
            listValues.put(name, java.util.Collections.unmodifiableMap(set));
        });
        PolicyInfo info = new PolicyInfo(
                sources.stream().map(PolicySource::name).toList(), digest(sources), documents.size(), rules.size(),
                budgets.size(), now);
        return new CompiledPolicy(info, List.copyOf(budgets), java.util.Collections.unmodifiableMap(listValues),
                deny, approval, allow);
    }

    private record Compiled(CompiledRule rule, CelExpr expr) {}

    private static Optional<Compiled> compileRule(Cel cel, CelOptimizer optimizer, Rule r, int ordinal, Assets assets,
            Map<String, Long> moneyValues, List<PolicyProblem> problems) {
        CelValidationResult result = cel.compile(r.when());
        if (result.hasError()) {
            for (CelIssue issue : result.getErrors()) {
                problems.add(celProblem(r, issue.getSourceLocation(), "CEL " + kindOf(issue) + ": " + issue.getMessage()));
            }
            return Optional.empty();
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (dev.cel.common.CelValidationException e) {
            problems.add(celProblem(r, CelSourceLocation.NONE, "CEL error: " + e.getMessage()));
            return Optional.empty();
        }
        int before = problems.size();
        resolveMoney(ast, ast.getExpr(), r, assets, moneyValues, problems);
        if (problems.size() > before) {
            return Optional.empty();
        }
        // Folding turns money('5 USDC') and other constant sub-expressions into literals, so they
        // cost nothing per decision. It is only an optimisation: on failure the checked AST runs.
        CelAbstractSyntaxTree folded = ast;
        try {
            folded = optimizer.optimize(ast);
        } catch (CelOptimizationException | RuntimeException e) {
            folded = ast;
        }
        CelRuntime.Program program;
        try {
            program = cel.createProgram(folded);
        } catch (CelEvaluationException e) {
            problems.add(celProblem(r, CelSourceLocation.NONE, "CEL program could not be built: " + e.getMessage()));
            return Optional.empty();
        }
        String reason = r.reason().isEmpty()
                ? "rule " + r.id() + " (" + r.effect().yaml + ") matched: " + r.when().strip()
                : r.reason();
        return Optional.of(new Compiled(new CompiledRule(ordinal, r.id(), r.effect(), program, reason,
                Set.copyOf(r.documentAgents()), r.source(), r.loc().line()), ast.getExpr()));
    }

    /** Checks every {@code money('…')} call has a literal the asset registry can parse, and records its units. */
    private static void resolveMoney(CelAbstractSyntaxTree ast, CelExpr root, Rule r, Assets assets,
            Map<String, Long> moneyValues, List<PolicyProblem> problems) {
        Deque<CelExpr> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            CelExpr e = todo.pop();
            switch (e.getKind()) {
                case CALL -> {
                    e.call().target().ifPresent(todo::push);
                    e.call().args().forEach(todo::push);
                    if (e.call().function().equals(PolicyCelEnv.MONEY_FUNCTION)) {
                        CelExpr arg = e.call().args().get(0);
                        CelSourceLocation at = locationOf(ast, e);
                        if (arg.getKind() != CelExpr.ExprKind.Kind.CONSTANT
                                || arg.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
                            problems.add(celProblem(r, at, "money() takes a literal like money('5 USDC'), so it is resolved at load"));
                            continue;
                        }
                        String text = arg.constant().stringValue();
                        try {
                            Money m = Money.parse(text, assets);
                            if (m.units().bitLength() >= 64) {
                                problems.add(celProblem(r, at, "money('" + text + "') does not fit CEL's 64-bit int"));
                            } else {
                                moneyValues.put(text, m.units().longValue());
                            }
                        } catch (InvalidValueException ex) {
                            problems.add(celProblem(r, at, "money('" + text + "'): " + ex.getMessage()));
                        }
                    }
                }
                case SELECT -> todo.push(e.select().operand());
                case LIST -> e.list().elements().forEach(todo::push);
                case MAP -> e.map().entries().forEach(en -> {
                    todo.push(en.key());
                    todo.push(en.value());
                });
                case STRUCT -> e.struct().entries().forEach(en -> todo.push(en.value()));
                case COMPREHENSION -> {
                    todo.push(e.comprehension().iterRange());
                    todo.push(e.comprehension().accuInit());
                    todo.push(e.comprehension().loopCondition());
                    todo.push(e.comprehension().loopStep());
                    todo.push(e.comprehension().result());
                }
                default -> { }
            }
        }
    }

    private static CelSourceLocation locationOf(CelAbstractSyntaxTree ast, CelExpr e) {
        Integer offset = ast.getSource().getPositionsMap().get(e.id());
        if (offset == null) {
            return CelSourceLocation.NONE;
        }
        return ast.getSource().getOffsetLocation(offset).orElse(CelSourceLocation.NONE);
    }

    private static String kindOf(CelIssue issue) {
        String m = issue.getMessage();
        return m.startsWith("Syntax error") || m.contains("mismatched input") || m.contains("extraneous input")
                || m.contains("token recognition error") ? "syntax error" : "error";
    }

    /**
     * A problem at a CEL position, mapped into the YAML file: a plain or quoted condition sits
     * on the {@code when:} line, shifted by the column; line N of a literal block
     * ({@code when: |}) is N lines below it; a folded block ({@code when: >}) joins its lines,
     * so only its first line is known. The message also gives the position inside the condition.
     */
    private static PolicyProblem celProblem(Rule r, CelSourceLocation at, String message) {
        Loc when = r.whenLoc();
        int line = when.line();
        int column = 0;
        String position = "";
        if (at != null && at.getLine() > 0) {
            switch (r.whenStyle()) {
                case '|' -> line = when.line() + at.getLine();
                case '>' -> line = when.line() + 1;
                case '"', '\'' -> column = at.getLine() == 1 ? when.column() + 1 + at.getColumn() : 0;
                default -> column = at.getLine() == 1 ? when.column() + at.getColumn() : 0;
            }
            position = " (at " + at.getLine() + ":" + (at.getColumn() + 1) + " of `when`)";
        }
        return new PolicyProblem(r.source(), line, column, r.id(), message + position);
    }

    private static PolicyProblem problem(String source, Loc loc, String id, String message) {
        return new PolicyProblem(source, loc.line(), loc.column(), id, message);
    }

    private static String where(String source, Loc loc) {
        return source + ":" + loc.line();
    }

    private static String digest(List<PolicySource> sources) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (PolicySource s : sources) {
                sha.update(s.name().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(s.yaml().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
