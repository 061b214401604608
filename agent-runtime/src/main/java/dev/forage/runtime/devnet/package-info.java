/**
 * The local devnet: a real Anvil chain with the ERC-8004 registries deployed and a sample
 * agent registered under a keystore key, everything on loopback and throw-away.
 */
package dev.forage.runtime.devnet;
