/**
 * Extension points: {@link dev.forage.policies.spi.LedgerStore}, where the budget ledger makes
 * its reservations durable (in memory and SQLite here; PostgreSQL later).
 */
package dev.forage.policies.spi;
