/**
 * Chain access over JSON-RPC: reads, transaction sending with one concurrency-safe nonce
 * sequence per key, receipt waiting with a timeout and a confirmation depth, revert reasons
 * decoded, and failures typed retriable or not.
 */
package dev.forage.identity.chain;
