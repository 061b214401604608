/** Test helpers shared by the tools module's tests. */
package dev.forage.tools.testing;
