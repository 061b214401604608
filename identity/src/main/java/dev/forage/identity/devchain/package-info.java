/**
 * A local development chain: finds the Anvil binary, runs it on a free loopback port, funds
 * throw-away accounts and stops it without leaving processes behind. Used by the tests and
 * by {@code forage devnet}.
 */
package dev.forage.identity.devchain;
