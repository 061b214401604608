/**
 * EIP-712 typed structured data: the JSON form wallets exchange, its encoding and hashing
 * exactly as the specification defines them, and signature recovery.
 */
package dev.forage.identity.eip712;
