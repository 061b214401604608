package dev.forage.tools.http;

import dev.forage.tools.ToolException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A call to a remote provider failed. Retriable for timeouts, connection failures, HTTP 408,
 * 425, 429 (with the server's {@code Retry-After}, if any) and 5xx; not retriable for 400,
 * 401, 403, 404, 409, 422 and other 4xx, or for a response that is malformed or too large.
 * The provider's error body travels with it (truncated), so an operator sees what the
 * provider said.
 */
public final class RemoteCallException extends ToolException {

    private static final long serialVersionUID = 1L;

    /** How much of an error body is kept. */
    public static final int MAX_BODY_CHARS = 2048;

    /** How a remote call failed. */
    public enum Kind {
        /** The server answered with an HTTP error status. */
        HTTP_STATUS,
        /** No answer in time. */
        TIMEOUT,
        /** The connection failed or broke. */
        CONNECTION,
        /** The answer is not what the provider documents (bad JSON, a required field missing). */
        MALFORMED_RESPONSE,
        /** The answer is larger than the configured cap. */
        RESPONSE_TOO_LARGE,
        /** The call was not made: a required setting (an API key's environment variable) is missing. */
        NOT_CONFIGURED,
        /** The provider's circuit breaker is open or its bulkhead full: the call was not made. */
        REJECTED_LOCALLY
    }

    private final String provider;
    private final Kind kind;
    private final int status;
    private final String body;
    private final transient Duration retryAfter;

    /**
     * @param provider the provider id, e.g. {@code akash}
     * @param kind how the call failed
     * @param status the HTTP status, or 0 when there was none
     * @param body the provider's error body (truncated here), empty when none
     * @param retryAfter what the server asked to wait before retrying, or null
     * @param message what was wrong and what to do
     * @param retriable whether the same call may succeed later
     */
    public RemoteCallException(String provider, Kind kind, int status, String body, Duration retryAfter, String message,
            boolean retriable, Throwable cause) {
        super(message, retriable, cause);
        this.provider = provider;
        this.kind = kind;
        this.status = status;
        this.body = body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) + "..." : body;
        this.retryAfter = retryAfter;
    }

    /**
     * The exception for an HTTP error status, retriable or not by the rule above.
     *
     * @param operation what was attempted, e.g. {@code GET /v1/bids}
     */
    public static RemoteCallException ofStatus(String provider, String operation, int status, String body,
            Optional<Duration> retryAfter) {
        boolean retriable = status == 408 || status == 425 || status == 429 || status >= 500;
        String hint = switch (status) {
            case 401 -> "; check the API key (its environment variable) is set and valid";
            case 403 -> "; the key is valid but not allowed to do this";
            case 404 -> "; the resource does not exist (or no longer does)";
            case 429 -> "; rate limited" + retryAfter.map(d -> ", retry after " + d.toSeconds() + " s").orElse("");
            default -> retriable ? "; retrying may succeed" : "; fix the request";
        };
        return new RemoteCallException(provider, Kind.HTTP_STATUS, status, body, retryAfter.orElse(null),
                provider + " " + operation + " answered HTTP " + status + ": " + abbreviate(body) + hint, retriable, null);
    }

    /** A response that does not match the provider's documented shape. */
    public static RemoteCallException malformed(String provider, String operation, String what) {
        return new RemoteCallException(provider, Kind.MALFORMED_RESPONSE, 0, "", null,
                provider + " " + operation + " answered with " + what + "; the provider's API may have changed", false, null);
    }

    /** The provider id. */
    public String provider() {
        return provider;
    }

    /** How it failed. */
    public Kind kind() {
        return kind;
    }

    /** The HTTP status, if the server answered. */
    public OptionalInt status() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** The provider's error body, possibly truncated; empty when none. */
    public String body() {
        return body;
    }

    /** The wait the server asked for before a retry. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ").strip();
        if (flat.isEmpty()) {
            return "(empty body)";
        }
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }
}
