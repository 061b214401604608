/**
 * Extension points of settlement: the {@link dev.forage.tools.settle.spi.PaymentGuard} asked
 * before anything is signed (the policy engine implements it), the
 * {@link dev.forage.tools.settle.spi.PaymentStore} that keeps write-ahead payment records, and
 * the {@link dev.forage.tools.settle.spi.StepHook} that observes each step of a payment.
 */
package dev.forage.tools.settle.spi;
