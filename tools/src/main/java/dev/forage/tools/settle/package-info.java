/**
 * Settlement on an EVM chain: the devnet stablecoin ({@link dev.forage.tools.settle.TestUsdc},
 * EIP-2612 and EIP-3009), the compute escrow with owner-set caps and cumulative vouchers
 * ({@link dev.forage.tools.settle.ComputeEscrow}), and exactly-once payments under an
 * idempotency key ({@link dev.forage.tools.settle.PaymentExecutor},
 * {@link dev.forage.tools.settle.SettlementClient}). Every signature that can move money is
 * put to a {@link dev.forage.tools.settle.spi.PaymentGuard} first.
 */
package dev.forage.tools.settle;
