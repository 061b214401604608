package dev.forage.tools.inference;

import dev.forage.tools.ToolException;

/**
 * A provider's answer is not a valid result for the request. Never paid for. Not retriable by
 * default: a provider that answers wrongly once is not trusted to answer right on a retry.
 */
public final class InferenceException extends ToolException {

    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Reason {
        /** Not the documented shape (bad JSON, a required field missing or of the wrong type). */
        MALFORMED,
        /** Larger than the configured cap. */
        TOO_LARGE,
        /** A different number of vectors than inputs. */
        WRONG_COUNT,
        /** A vector of another dimension than the model's. */
        WRONG_DIMENSION,
        /** A NaN or infinite value. */
        NOT_FINITE,
        /** No token usage where the provider documents one. */
        MISSING_USAGE,
        /** Answered by another model than the one asked for. */
        WRONG_MODEL,
        /** The job failed on the provider's side (a Ritual container error, say). */
        JOB_FAILED,
        /** The provider refused the request (a Ritual guardian rejection, say). */
        REFUSED
    }

    private final String provider;
    private final Reason reason;

    public InferenceException(String provider, Reason reason, String message) {
        super(provider + ": " + message, false);
        this.provider = provider;
        this.reason = reason;
    }

    public InferenceException(String provider, Reason reason, String message, boolean retriable, Throwable cause) {
        super(provider + ": " + message, retriable, cause);
        this.provider = provider;
        this.reason = reason;
    }

    /** The provider. */
    public String provider() {
        return provider;
    }

    /** What was wrong. */
    public Reason reason() {
        return reason;
    }
}
