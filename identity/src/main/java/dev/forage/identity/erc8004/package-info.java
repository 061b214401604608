/**
 * ERC-8004 "Trustless Agents": clients for the Identity, Reputation and Validation registries
 * (speaking the reference deployment's ABI, so they work against any deployment), their
 * deployment on a local chain, and the registration file an agent's URI points to.
 */
package dev.forage.identity.erc8004;
