/**
 * The seeded market simulation behind {@code tools/SIMULATION.md}: 20 providers drawn from
 * published prices and failure rates, Forage's procurement against cheapest-first, the hyperscaler
 * and an oracle, on a virtual clock. {@code SimulationReport} is the entry point ({@code -Pbench}).
 */
package dev.forage.tools.compute.procure.sim;
