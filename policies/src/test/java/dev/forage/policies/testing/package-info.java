/** Test helpers shared by the policies module's tests: fixtures, a hand-moved clock, property-test seeds. */
package dev.forage.policies.testing;
