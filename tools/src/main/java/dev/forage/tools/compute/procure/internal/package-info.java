/**
 * The provider statistics stores behind {@link dev.forage.tools.compute.procure.ProviderStatsStore}:
 * a concurrent map, and a SQLite table opened through {@link dev.forage.policies.sqlite.SqliteFile}.
 */
package dev.forage.tools.compute.procure.internal;
