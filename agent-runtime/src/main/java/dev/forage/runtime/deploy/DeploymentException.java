package dev.forage.runtime.deploy;

import dev.forage.runtime.AgentRuntimeException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A deployment file could not be loaded: unreadable, not YAML, or not a valid
 * {@code AgentDeployment}. Carries every problem found, in file order, each with its file, line,
 * column and field path. Not retriable: the file has to change first.
 */
public final class DeploymentException extends AgentRuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<DeploymentProblem> problems;

    /**
     * @param problems every problem found, in file order; at least one
     */
    public DeploymentException(List<DeploymentProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in file order. */
    public List<DeploymentProblem> problems() {
        return problems;
    }

    @Override
    public boolean retriable() {
        return false;
    }

    private static String describe(List<DeploymentProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a DeploymentException needs at least one problem");
        }
        String source = problems.get(0).source();
        return problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in deployment " + source
                + "; fix and load again:\n"
                + problems.stream().map(DeploymentProblem::toString).collect(Collectors.joining("\n"));
    }
}
