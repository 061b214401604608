package dev.forage.runtime;

/**
 * The root of every failure the agent runtime raises, so a caller can catch the runtime's
 * failures in one place and ask each whether trying again can help. Expected outcomes (a
 * refused spend, a failed verification) are values, never exceptions.
 *
 * <p>Each concern keeps its own subtree: {@link dev.forage.runtime.audit.AuditException} for the
 * audit log, {@link dev.forage.runtime.deploy.DeploymentException} for deployment files. The class
 * is not sealed because Java allows a sealed hierarchy to span packages only inside a named
 * module, and the runtime is on the class path; by convention only the runtime's own packages
 * extend it.
 */
public abstract class AgentRuntimeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, with the offending value (never a secret), and what to do
     */
    protected AgentRuntimeException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, with the offending value (never a secret), and what to do
     * @param cause the underlying failure
     */
    protected AgentRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether repeating the same call unchanged may succeed later: a locked database or a full
     * disk may clear, a malformed deployment file or a tampered log never will.
     */
    public abstract boolean retriable();
}
