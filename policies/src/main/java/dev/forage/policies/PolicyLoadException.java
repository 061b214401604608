package dev.forage.policies;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One or more policy documents could not be loaded: YAML syntax, unknown keys, missing
 * fields, bad amounts, CEL syntax or type errors. Each problem names the file, line and rule.
 * When this is thrown by a reload, the previously loaded policy stays active.
 */
public final class PolicyLoadException extends PolicyException {

    private final List<PolicyProblem> problems;

    /**
     * @param problems every problem found, in document order; at least one
     */
    public PolicyLoadException(List<PolicyProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in document order. */
    public List<PolicyProblem> problems() {
        return problems;
    }

    @Override
    public boolean retriable() {
        return false;
    }

    private static String describe(List<PolicyProblem> problems) {
        return problems.size()
                + " problem(s) in the spending policy; fix them and load again:\n"
                + problems.stream().map(PolicyProblem::toString).collect(Collectors.joining("\n"));
    }
}
