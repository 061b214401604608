/**
 * Test support shared with other modules through the identity test jar: the JUnit 5
 * extension that runs a real Anvil node for {@code *IT} tests.
 */
package dev.forage.identity.testing;
