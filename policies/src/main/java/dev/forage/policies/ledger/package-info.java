/**
 * The two-phase budget ledger: reserve an upper bound against every budget an intent falls
 * under, then post the actual amount, void it, or let it expire. Idempotent by intent id,
 * atomic across budgets, durable through a {@link dev.forage.policies.spi.LedgerStore}.
 */
package dev.forage.policies.ledger;
