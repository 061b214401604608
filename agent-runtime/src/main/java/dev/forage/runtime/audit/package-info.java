/**
 * The tamper-evident audit log: every action an agent takes becomes an entry in an RFC 6962
 * Merkle log, periodically committed to by C2SP checkpoints signed with the log's Ed25519
 * key, so that an operator, auditor or counterparty can prove what happened and that nothing
 * was changed afterwards. Open one with {@link dev.forage.runtime.audit.AuditLog#open}; check
 * one with {@link dev.forage.runtime.audit.AuditVerifier}. Depends on nothing else in the runtime but its failure root.
 */
package dev.forage.runtime.audit;
