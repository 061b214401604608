/**
 * Keys at rest and in memory: Ethereum V3 keystore files (scrypt) behind a
 * {@link dev.forage.identity.Signer}, passwords read from a file or a named environment
 * variable, and throw-away in-memory keys for tests and the devnet.
 */
package dev.forage.identity.keys;
