/**
 * The Hyperbolic GPU marketplace as a compute market:
 * {@link dev.forage.tools.compute.hyperbolic.HyperbolicMarket} lists ready nodes with free GPUs
 * (anonymously if need be), rents GPUs on a node, finds the instance, and terminates it. The
 * unit of Hyperbolic's price amount (dollars per the docs, cents per one client) is a setting.
 */
package dev.forage.tools.compute.hyperbolic;
