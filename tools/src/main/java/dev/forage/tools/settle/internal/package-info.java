/**
 * Implementations behind the settlement interfaces: the in-memory and SQLite payment stores.
 * Construct them through {@link dev.forage.tools.settle.PaymentStores}.
 */
package dev.forage.tools.settle.internal;
