/**
 * Buying GPU time: the {@link dev.forage.tools.compute.ComputeMarket} SPI every market adapter
 * implements (Akash, io.net, Hyperbolic, the devnet nodes), with the values it speaks in:
 * what is wanted ({@link dev.forage.tools.compute.ComputeSpec}), what is offered
 * ({@link dev.forage.tools.compute.Offer}), what was taken ({@link dev.forage.tools.compute.Lease}).
 * Prices are {@link dev.forage.policies.Money} in the agent's billing asset, converted from each
 * market's own units exactly, rounding up (see {@link dev.forage.tools.compute.Prices}).
 */
package dev.forage.tools.compute;
