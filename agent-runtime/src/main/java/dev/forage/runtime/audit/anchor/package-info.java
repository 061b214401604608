/**
 * Anchors audit-log checkpoints on-chain through the ERC-8004 Validation Registry, so anyone
 * holding a checkpoint can check it was published at a given block, and records each anchor
 * transaction in the log itself.
 */
package dev.forage.runtime.audit.anchor;
