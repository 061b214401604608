/**
 * Who an agent is and how it proves it: addresses and CAIP/ERC-8004 identifiers, the
 * {@link dev.forage.identity.Signer} that holds a key without ever exposing it, and the
 * module's error root. Sub-packages hold keys at rest, EIP-712, chain access, the local
 * Anvil chain and the ERC-8004 registry clients.
 */
package dev.forage.identity;
