/**
 * Implementations behind the public API: the YAML reader and policy compiler, the CEL
 * environment and rule index, the policy engine, the ledger state machine and its stores,
 * the in-memory approval inbox. Not for use outside this module; types here may change.
 */
package dev.forage.policies.internal;
