package dev.forage.policies;

import java.util.Objects;

/**
 * One problem found while loading a policy document.
 *
 * @param source the document's name (usually its file path)
 * @param line the 1-based line in the document, or 0 when unknown
 * @param column the 1-based column in the document, or 0 when unknown
 * @param ruleId the id of the rule or budget the problem is in, or "" when it is outside one
 * @param message what is wrong and what to do
 */
public record PolicyProblem(String source, int line, int column, String ruleId, String message) {

    public PolicyProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(message, "message");
    }

    /** Formats as {@code file:line:column: [rule id] message}, the way compilers do. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(source);
        if (line > 0) {
            out.append(':').append(line);
            if (column > 0) {
                out.append(':').append(column);
            }
        }
        out.append(": ");
        if (!ruleId.isEmpty()) {
            out.append('[').append(ruleId).append("] ");
        }
        return out.append(message).toString();
    }
}
