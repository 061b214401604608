/** Test helpers shared by the agent runtime's tests: property-test seeds. */
package dev.forage.runtime.testing;
