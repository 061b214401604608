/**
 * The redaction of secret-looking fields that runs before an audit entry is canonicalized
 * (with {@link dev.forage.policies.canonical.JsonCanonicalizer}), hashed or stored.
 */
package dev.forage.runtime.audit.canonical;
