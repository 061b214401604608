/**
 * RFC 8785 JSON Canonicalization Scheme: the one canonical JSON writer of the project. Spend
 * intent digests, stored reservations and audit log leaves are all its output, so two parties
 * that hash the same JSON get the same bytes.
 */
package dev.forage.policies.canonical;
