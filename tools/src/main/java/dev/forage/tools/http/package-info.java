/**
 * What every adapter of a remote provider shares: a JSON-over-HTTP client with the key read
 * from an environment variable by name, a cap on response size and one mapping of HTTP
 * failures to retriable and non-retriable {@link dev.forage.tools.http.RemoteCallException}s
 * carrying the provider's error body; {@link dev.forage.tools.http.JsonFields}, which reads
 * required fields or fails MALFORMED_RESPONSE; and {@link dev.forage.tools.http.ProviderResilience},
 * the Resilience4j time limiter, retry, circuit breaker and bulkhead around each call
 * ({@code callOnce} for paid requests that must not be repeated blindly).
 */
package dev.forage.tools.http;
