package dev.forage.tools.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A synchronous JSON-over-HTTP client for one provider's API, for use on virtual threads:
 * the base URL, the API key header read from an environment variable by name, a timeout per
 * request and a cap on the response size. Every HTTP failure becomes a
 * {@link RemoteCallException} (retriable or not, with the provider's error body); unknown
 * fields in answers are kept, never an error. Thread-safe.
 */
public final class JsonApi {

    /**
     * The JSON mapper adapters share: lenient on unknown fields, strict on duplicates and nesting
     * depth; fractional numbers are read as exact {@link java.math.BigDecimal}s.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // Prices arrive as JSON numbers ("total_cost_usdc": 2.71): keep their decimal digits
            // exactly instead of rounding them through a double.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // ... as written: "4.40" stays 4.40, so details and audit entries show the provider's digits.
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
    }

    /** Default cap on a response body: 8 MiB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

    /**
     * How the key is sent.
     *
     * @param header the header name, e.g. {@code Authorization}, {@code x-api-key}
     * @param prefix what comes before the key, e.g. {@code "Bearer "}; empty for none
     */
    public record Auth(String header, String prefix) {
        public Auth {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(prefix, "prefix");
        }

        /** {@code Authorization: Bearer <key>}. */
        public static Auth bearer() {
            return new Auth("Authorization", "Bearer ");
        }

        /** The key alone in header {@code name}, e.g. {@code x-api-key}. */
        public static Auth header(String name) {
            return new Auth(name, "");
        }
    }

    /**
     * One provider's API.
     *
     * @param provider the provider id for messages and errors, e.g. {@code akash}
     * @param baseUrl the base URL; request paths are resolved against it (keep its trailing '/')
     * @param key the API key, by environment variable name
     * @param auth how the key is sent
     * @param timeout the limit for one request, connection to last byte
     * @param maxResponseBytes the largest body accepted
     */
    public record Config(String provider, URI baseUrl, ApiKey key, Auth auth, Duration timeout, int maxResponseBytes) {
        public Config {
            if (provider == null || !provider.matches("[a-z0-9][a-z0-9.-]{0,63}")) {
                throw new IllegalArgumentException("provider id '" + provider + "' must be lower-case letters, digits, '.', '-'");
            }
            Objects.requireNonNull(baseUrl, "baseUrl");
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException(provider + " base URL " + baseUrl + " must be http or https");
            }
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(auth, "auth");
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(provider + " timeout " + timeout + " must be positive");
            }
            if (maxResponseBytes < 1024) {
                throw new IllegalArgumentException(provider + " maxResponseBytes " + maxResponseBytes + " must be at least 1024");
            }
        }

        /** A config with a 30 s timeout and the default response cap. */
        public static Config of(String provider, String baseUrl, ApiKey key, Auth auth) {
            String withSlash = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
            return new Config(provider, URI.create(withSlash), key, auth, Duration.ofSeconds(30), DEFAULT_MAX_RESPONSE_BYTES);
        }

        /** This config with another timeout. */
        public Config withTimeout(Duration t) {
            return new Config(provider, baseUrl, key, auth, t, maxResponseBytes);
        }

        /** This config with another response cap. */
        public Config withMaxResponseBytes(int max) {
            return new Config(provider, baseUrl, key, auth, timeout, max);
        }
    }

    /**
     * A parsed answer.
     *
     * @param status the HTTP status (2xx)
     * @param json the parsed body; a JSON {@code null} node for an empty body
     * @param raw the body's bytes exactly as received (for digests)
     * @param headers the response headers, names case-insensitive
     */
    public record Response(int status, JsonNode json, byte[] raw, Map<String, List<String>> headers) {}

    /**
     * An answer whose body is not parsed.
     *
     * @param status the HTTP status (2xx)
     * @param raw the body's bytes exactly as received
     * @param headers the response headers
     */
    public record RawResponse(int status, byte[] raw, Map<String, List<String>> headers) {}

    private final Config config;
    private final HttpClient http;
    private final Clock clock;

    /**
     * @param http the JDK client (share one per process)
     * @param clock for {@code Retry-After} dates
     */
    public JsonApi(Config config, HttpClient http, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The provider's config. */
    public Config config() {
        return config;
    }

    /** A query string builder: pairs of name and value; a name may repeat. */
    public static List<Map.Entry<String, String>> query(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("query needs name/value pairs, got " + namesAndValues.length + " strings");
        }
        List<Map.Entry<String, String>> q = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            q.add(Map.entry(namesAndValues[i], namesAndValues[i + 1]));
        }
        return q;
    }

    /** {@code GET path?query}. */
    public Response get(String path, List<Map.Entry<String, String>> query) {
        return send("GET", path, query, Optional.empty(), Map.of());
    }

    /** {@code POST path} with a JSON body. */
    public Response post(String path, JsonNode body) {
        return send("POST", path, List.of(), Optional.of(body), Map.of());
    }

    /** {@code DELETE path}. */
    public Response delete(String path) {
        return send("DELETE", path, List.of(), Optional.empty(), Map.of());
    }

    /**
     * Sends one request.
     *
     * @param method the HTTP method
     * @param path relative to the base URL, without a leading '/'
     * @param query query parameters, encoded here
     * @param body a JSON body, if any
     * @param headers extra headers
     * @throws RemoteCallException for every failure, classified retriable or not
     * @throws IllegalArgumentException when {@code path} starts with '/'
     */
    public Response send(String method, String path, List<Map.Entry<String, String>> query, Optional<JsonNode> body,
            Map<String, String> headers) {
        RawResponse answer = sendRaw(method, path, query, body, headers);
        return new Response(answer.status(), parse(answer.raw(), method + " /" + path), answer.raw(), answer.headers());
    }

    /**
     * Sends one request like {@link #send} but leaves the 2xx body unparsed, for adapters that
     * must parse it themselves (an inference adapter reads {@code NaN} tokens to report them as
     * non-finite values rather than as broken JSON). Status, size cap, key and error mapping are
     * those of {@link #send}.
     *
     * @throws RemoteCallException for every failure, classified retriable or not
     */
    public RawResponse sendRaw(String method, String path, List<Map.Entry<String, String>> query, Optional<JsonNode> body,
            Map<String, String> headers) {
        if (path.startsWith("/")) {
            // A leading '/' would resolve against the host and silently drop the base URL's path.
            throw new IllegalArgumentException(config.provider() + " request path '" + path
                    + "' must be relative to the base URL: drop the leading '/'");
        }
        String operation = method + " /" + path;
        URI uri = config.baseUrl().resolve(path + encode(query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.timeout()).header("Accept", "application/json");
        if (config.key().present()) {
            String key = config.key().value(config.provider());
            // The JDK's message for an invalid header value quotes the value: check first, so a
            // key with a stray control character never ends up in an exception or a log line.
            if (!validHeaderValue(key)) {
                throw new RemoteCallException(config.provider(), RemoteCallException.Kind.NOT_CONFIGURED, 0, "", null,
                        config.provider() + " API key in environment variable " + config.key().variable().orElse("?")
                                + " contains characters not allowed in an HTTP header (a line break?): set it to the bare key",
                        false, null);
            }
            request.header(config.auth().header(), config.auth().prefix() + key);
        }
        headers.forEach(request::header);
        if (body.isPresent()) {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body.get())));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<InputStream> response;
        byte[] raw;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                raw = in.readNBytes(config.maxResponseBytes() + 1);
            }
        } catch (HttpTimeoutException e) {
            throw new RemoteCallException(config.provider(), RemoteCallException.Kind.TIMEOUT, 0, "", null,
                    config.provider() + " " + operation + " did not answer within " + config.timeout().toMillis()
                            + " ms; retrying may succeed", true, e);
        } catch (IOException e) {
            throw new RemoteCallException(config.provider(), RemoteCallException.Kind.CONNECTION, 0, "", null,
                    config.provider() + " " + operation + " failed: " + e.getMessage() + "; retrying may succeed", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteCallException(config.provider(), RemoteCallException.Kind.CONNECTION, 0, "", null,
                    "interrupted during " + config.provider() + " " + operation, false, e);
        }
        int status = response.statusCode();
        // An error status is classified by its status even when its body is over the cap (a proxy's
        // 502 page must stay retriable); only the first maxResponseBytes of it are kept.
        if (status >= 400) {
            int kept = Math.min(raw.length, config.maxResponseBytes());
            throw RemoteCallException.ofStatus(config.provider(), operation, status,
                    new String(raw, 0, kept, StandardCharsets.UTF_8), retryAfter(response));
        }
        if (raw.length > config.maxResponseBytes()) {
            throw new RemoteCallException(config.provider(), RemoteCallException.Kind.RESPONSE_TOO_LARGE,
                    status, "", null, config.provider() + " " + operation + " answered more than "
                    + config.maxResponseBytes() + " bytes; refused (raise maxResponseBytes if this is expected)", false, null);
        }
        Map<String, List<String>> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        responseHeaders.putAll(response.headers().map());
        if (status < 200 || status >= 300) {
            throw RemoteCallException.malformed(config.provider(), operation, "HTTP " + status + " (expected 2xx)");
        }
        return new RawResponse(status, raw, Collections.unmodifiableMap(responseHeaders));
    }

    private JsonNode parse(byte[] raw, String operation) {
        if (raw.length == 0) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        try {
            return MAPPER.readTree(raw);
        } catch (IOException e) {
            throw RemoteCallException.malformed(config.provider(), operation, "a body that is not JSON ("
                    + (e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage()) + ")");
        }
    }

    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String v = header.get().strip();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /**
     * {@code value} percent-encoded as one path segment (RFC 3986: everything but unreserved
     * characters is escaped, so an id with '/', '?', '#' or ' ' cannot change the request's path).
     */
    public static String pathSegment(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a path segment must not be empty");
        }
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static boolean validHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }

    private static String encode(List<Map.Entry<String, String>> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("?");
        for (Map.Entry<String, String> e : query) {
            if (out.length() > 1) {
                out.append('&');
            }
            out.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "JsonApi[" + config.provider() + " " + config.baseUrl() + ", key " + config.key() + "]";
    }
}
