/**
 * The one way the project opens SQLite files: the budget ledger, the payment store, the audit
 * log and the runtime's state all get the same journal, durability and lock-wait settings.
 */
package dev.forage.policies.sqlite;
