package dev.forage.runtime.deploy;

import java.util.Objects;

/**
 * How the agent checks what it bought, and whether verdicts become ERC-8004 feedback.
 *
 * @param method how results are checked
 * @param feedback where verdicts are published
 */
public record Verification(Method method, Feedback feedback) {

    public Verification {
        Objects.requireNonNull(method, "verification.method");
        Objects.requireNonNull(feedback, "verification.feedback");
    }

    /** How results are checked. */
    public sealed interface Method {

        /** The name a deployment writes: {@code re-execution}, {@code quorum} or {@code none}. */
        String yamlName();
    }

    /**
     * A sample of results is computed again by a trusted provider and compared.
     *
     * @param sampleRate the share of results re-executed, 0 to 1
     * @param threshold the least cosine similarity a result must reach against the re-execution, 0 to 1
     */
    public record ReExecution(double sampleRate, double threshold) implements Method {
        public ReExecution {
            requireRatio("verification.sampleRate", sampleRate);
            requireRatio("verification.threshold", threshold);
        }

        @Override
        public String yamlName() {
            return "re-execution";
        }
    }

    /**
     * The same request goes to {@code k} providers, which must agree.
     *
     * @param k how many providers, 2 to 16
     * @param tolerance the largest cosine distance between agreeing results, 0 to 1
     * @param sampleRate the share of requests sent to a quorum, 0 to 1 (1 when not written)
     */
    public record Quorum(int k, double tolerance, double sampleRate) implements Method {
        public Quorum {
            if (k < 2 || k > 16) {
                throw new IllegalArgumentException("verification.quorum.k " + k + " must be 2 to 16");
            }
            requireRatio("verification.quorum.tolerance", tolerance);
            requireRatio("verification.sampleRate", sampleRate);
        }

        @Override
        public String yamlName() {
            return "quorum";
        }
    }

    /** Results are not checked (the audit log still records them). */
    public record None() implements Method {
        @Override
        public String yamlName() {
            return "none";
        }
    }

    /**
     * Where verdicts are published besides the agent's own statistics.
     *
     * @param reputation post verdicts to the ERC-8004 Reputation registry
     * @param validation record checks in the ERC-8004 Validation registry
     */
    public record Feedback(boolean reputation, boolean validation) {

        /** Neither. */
        public static Feedback none() {
            return new Feedback(false, false);
        }
    }

    static double requireRatio(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " " + value + " must be a number from 0 to 1");
        }
        return value;
    }
}
