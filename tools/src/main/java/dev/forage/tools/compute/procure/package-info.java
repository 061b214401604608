/**
 * Buying compute well, not merely cheap: per-provider statistics ({@link
 * dev.forage.tools.compute.procure.ProviderStatsStore}, in memory or SQLite, seeded from ERC-8004
 * reputation through {@link dev.forage.tools.compute.procure.ReputationPrior}), the choice of an
 * offer by expected cost per verified result with Thompson sampling, a share cap and failover
 * ({@link dev.forage.tools.compute.procure.Procurement}; the formula is on {@link
 * dev.forage.tools.compute.procure.Score}), and quote requests sent to every market at once with a
 * deadline ({@link dev.forage.tools.compute.procure.HedgedQuotes}).
 */
package dev.forage.tools.compute.procure;
