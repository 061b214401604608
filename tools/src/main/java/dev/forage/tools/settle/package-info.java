/**
 * Settlement on an EVM chain: stablecoins with EIP-2612 permits and EIP-3009 authorizations
 * ({@link dev.forage.tools.settle.Eip3009Token}: USDC and tokens like it; the devnet's own is
 * {@link dev.forage.tools.settle.TestUsdc}), the compute escrow with owner-set caps and
 * cumulative vouchers ({@link dev.forage.tools.settle.ComputeEscrow}), and exactly-once payments
 * under an idempotency key ({@link dev.forage.tools.settle.PaymentExecutor},
 * {@link dev.forage.tools.settle.SettlementClient}). Every signature that can move money is put
 * to a {@link dev.forage.tools.settle.spi.PaymentGuard} first.
 */
package dev.forage.tools.settle;
