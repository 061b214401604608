/**
 * The embedded implementation of the audit log: SQLite in WAL mode with synchronous=FULL,
 * one writer thread doing group commit, an in-memory {@code MerkleTree} of every complete
 * subtree hash rebuilt from the stored leaf hashes at open. Not part of the API.
 */
package dev.forage.runtime.audit.internal;
