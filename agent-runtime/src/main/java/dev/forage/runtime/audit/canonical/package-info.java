/**
 * Canonical bytes for audit entries: RFC 8785 JSON Canonicalization Scheme, and the redaction
 * of secret-looking fields that runs before anything is canonicalized, hashed or stored.
 */
package dev.forage.runtime.audit.canonical;
