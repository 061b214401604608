package dev.forage.tools.inference.local;

import dev.forage.tools.ToolException;

/**
 * The local models could not embed the texts given. Never retriable: the same texts, model and
 * files give the same failure.
 */
public final class LocalModelException extends ToolException {

    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Reason {
        /** No model has the id asked for. */
        UNKNOWN_MODEL,
        /** No texts, or a text that is empty, blank, or has no token the model knows. */
        EMPTY_INPUT,
        /** A text longer than {@link OnnxModels#MAX_TEXT_CHARS} characters. */
        INPUT_TOO_LARGE,
        /** More than {@link OnnxModels#MAX_INPUTS} texts in one call. */
        TOO_MANY_INPUTS,
        /** The ONNX file or the tokenizer could not be read from the class path or loaded. */
        LOAD_FAILED,
        /** ONNX Runtime failed to run the model. */
        RUN_FAILED
    }

    private final Reason reason;

    /**
     * @param reason what was wrong
     * @param message what was wrong, with the offending value, and what to do
     */
    public LocalModelException(Reason reason, String message) {
        super(message, false);
        this.reason = reason;
    }

    /**
     * @param reason what was wrong
     * @param message what was wrong, with the offending value, and what to do
     * @param cause the underlying failure
     */
    public LocalModelException(Reason reason, String message, Throwable cause) {
        super(message, false, cause);
        this.reason = reason;
    }

    /** What was wrong. */
    public Reason reason() {
        return reason;
    }
}
