/**
 * io.net IO Cloud VMaaS as a compute market: {@link dev.forage.tools.compute.ionet.IonetMarket}
 * lists hardware, prices it with io.net's own quote, deploys GPU VMs idempotently by a name
 * derived from the intent, and prices releases with {@link dev.forage.tools.compute.ionet.IonetBilling}
 * (the first hour is never refunded, the rest pro rata).
 */
package dev.forage.tools.compute.ionet;
