package dev.forage.tools.verify;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a verifier concluded about one result: it passed or it failed, with a score, the method
 * used and the evidence for it. Settlement is gated by it: a failed verdict is not paid (or
 * only for the work the policy says may be paid).
 */
public sealed interface Verdict permits Verdict.Pass, Verdict.Fail {

    /** How well the result matched, from 0 (not at all) to 1 (exactly). */
    double score();

    /** How it was checked, lower-case: {@code re-execution}, {@code quorum}, {@code attestation}. */
    String method();

    /** What the verifier saw. */
    Evidence evidence();

    /** Whether the result may be paid for. */
    default boolean passed() {
        return this instanceof Pass;
    }

    /** The result checked out. */
    record Pass(double score, String method, Evidence evidence) implements Verdict {
        public Pass {
            requireScore(score);
            requireMethod(method);
            Objects.requireNonNull(evidence, "evidence");
        }
    }

    /**
     * The result did not check out.
     *
     * @param reason one sentence for people, e.g. "3 of 8 sampled vectors below cosine 0.99"
     */
    record Fail(double score, String method, Evidence evidence, String reason) implements Verdict {
        public Fail {
            requireScore(score);
            requireMethod(method);
            Objects.requireNonNull(evidence, "evidence");
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a failed verdict needs a reason, got '" + reason + "'");
            }
        }
    }

    /**
     * The evidence behind a verdict: a summary and named facts (sorted), e.g. the items
     * sampled and their similarities.
     *
     * @param summary one line for people
     * @param facts named values, sorted by name
     */
    record Evidence(String summary, Map<String, String> facts) {
        public Evidence {
            Objects.requireNonNull(summary, "summary");
            facts = java.util.Collections.unmodifiableMap(new TreeMap<>(facts));
        }

        /** Evidence with a summary only. */
        public static Evidence of(String summary) {
            return new Evidence(summary, Map.of());
        }
    }

    private static void requireScore(double score) {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("verdict score " + score + " must be between 0 and 1");
        }
    }

    private static void requireMethod(String method) {
        if (method == null || !method.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("verdict method '" + method + "' must be lower-case, e.g. re-execution");
        }
    }
}
