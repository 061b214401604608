/**
 * RFC 6962 / RFC 9162 Merkle tree hashing: leaf and node hashes, tree heads of any size,
 * inclusion and consistency proofs, and their verification exactly as RFC 9162 sections
 * 2.1.3 and 2.1.4 define them. {@link dev.forage.runtime.audit.merkle.MerkleTree} keeps every
 * complete subtree hash in memory so that a proof costs O(log n) lookups.
 */
package dev.forage.runtime.audit.merkle;
