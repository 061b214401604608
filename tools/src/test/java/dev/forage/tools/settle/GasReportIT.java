package dev.forage.tools.settle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.identity.Signer;
import dev.forage.identity.chain.TxReceipt;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.testing.AnvilExtension;
import dev.forage.tools.x402.ExactEvmFacilitator;
import dev.forage.tools.x402.ExactEvmPayload;
import dev.forage.tools.x402.PaymentPayload;
import dev.forage.tools.x402.PaymentRequirements;
import dev.forage.tools.x402.ResourceInfo;
import dev.forage.tools.x402.SettlementResponse;
import dev.forage.tools.x402.X402Networks;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gas harness: measures gas per paid job on Anvil for a plain ERC-20 transfer, an escrow
 * lock + release, an EIP-3009 authorization settled by the x402 facilitator, and cumulative
 * vouchers redeemed in one batch for N = 1, 10 and 100 leases; writes the report to
 * {@code target/gas-report.md} (and to the file named by the system property
 * {@code forage.gas.report}, which is how {@code tools/GAS.md} is regenerated); and asserts the
 * target: batched redemption at N = 100 costs at most 25% of a plain transfer per job.
 */
@ExtendWith(AnvilExtension.class)
class GasReportIT {

    private static final double TARGET = 0.25;

    private record Row(String what, long totalGas, int jobs, String note) {
        long perJob() {
            return Math.round((double) totalGas / jobs);
        }
    }

    @Test
    void measuresGasPerPaidJobAndMeetsTheBatchTarget(Anvil anvil) throws IOException {
        SettlementFixture f = new SettlementFixture(anvil).fundAgent(1_000_000).openAccount(1_000, 1_000_000, Duration.ofDays(1))
                .deposit(500_000);
        // Steady state: the provider already holds tokens, as it does after its first job.
        f.usdc.mint(f.deployer, f.provider.address(), SettlementFixture.usdc(1));
        List<Row> rows = new ArrayList<>();
        Instant expiry = f.inChainTime(Duration.ofHours(1));

        // 1. Plain ERC-20 transfer, agent -> provider.
        f.usdc.transfer(f.agent, f.provider.address(), BigInteger.ONE);
        long transfer = f.usdc.transfer(f.agent, f.provider.address(), BigInteger.valueOf(1_000)).gasUsed().longValueExact();
        rows.add(new Row("plain ERC-20 `transfer`, agent to provider", transfer, 1, "the baseline; the recipient already holds tokens"));

        // 2. Escrow lock + release, averaged over 10 leases after a first one.
        lockAndRelease(f, expiry);
        long lockRelease = 0;
        int cycles = 10;
        for (int i = 0; i < cycles; i++) {
            lockRelease += lockAndRelease(f, expiry);
        }
        rows.add(new Row("escrow `lock` + `release` (mean of " + cycles + " leases)", lockRelease, cycles,
                "two transactions per job, both sent by the agent"));

        // 3. EIP-3009 authorization settled by the x402 facilitator (which sends the transaction).
        ExactEvmFacilitator facilitator = new ExactEvmFacilitator(anvil.chain(), anvil.fundedAccount(10), Set.of(f.usdc.address()),
                X402Networks.defaults());
        long facilitated = 0;
        int payments = 5;
        for (int i = 0; i < payments; i++) {
            facilitated += settleThroughFacilitator(f, facilitator, "gas-x402-" + i);
        }
        rows.add(new Row("x402 `exact`: EIP-3009 `transferWithAuthorization` settled by the facilitator (mean of " + payments + ")",
                facilitated, payments, "one transaction, sent and paid for by the facilitator"));

        // 4. Cumulative vouchers: N leases of one agent, one latest voucher each, one batch.
        long lockGasPerLease = 0;
        for (int n : new int[] {1, 10, 100}) {
            List<SignedVoucher> vouchers = new ArrayList<>();
            long lockGas = 0;
            for (int i = 0; i < n; i++) {
                TxReceipt locked = anvil.chain().sender(f.agent).sendAndWait(f.escrow.lockRequest(f.provider.address(),
                        SettlementFixture.usdc(10), expiry, SettlementClient.refOf("gas-" + n + "-" + i)));
                lockGas += locked.gasUsed().longValueExact();
                Lease lease = f.escrow.leaseLocked(locked);
                vouchers.add(f.escrow.signVoucher(f.agent, new Voucher(lease.leaseId(), BigInteger.valueOf(7_000 + i), BigInteger.valueOf(3))));
            }
            TxReceipt redeemed = anvil.chain().sender(f.provider).sendAndWait(f.escrow.redeemBatchRequest(vouchers));
            assertThat(f.escrow.redemptions(redeemed)).hasSize(n);
            rows.add(new Row("vouchers redeemed in one `redeemBatch`, N = " + n + ", one agent", redeemed.gasUsed().longValueExact(),
                    n, "sent by the provider; per lease"));
            if (n == 100) {
                lockGasPerLease = Math.round((double) lockGas / n);
            }
        }

        // 5. The same batch size spread over 10 agents (10 leases each): one account update and one event per agent.
        rows.add(new Row("vouchers redeemed in one `redeemBatch`, N = 100, ten agents of 10 leases", redeemTenAgents(f, expiry), 100,
                "not the target's case; shows the per-agent cost"));
        rows.add(new Row("escrow `lock` of one lease (mean over the 100 leases above)", lockGasPerLease, 1,
                "paid once per lease, before its vouchers; a lease covers many jobs"));

        Row batch100 = rows.stream().filter(r -> r.what().contains("N = 100, one agent")).findFirst().orElseThrow();
        double ratio = (double) batch100.perJob() / transfer;
        String report = render(rows, transfer, ratio);
        Path target = Path.of("target", "gas-report.md");
        Files.createDirectories(target.getParent());
        Files.writeString(target, report, StandardCharsets.UTF_8);
        String extra = System.getProperty("forage.gas.report");
        if (extra != null && !extra.isBlank()) {
            Files.writeString(Path.of(extra), report, StandardCharsets.UTF_8);
        }

        assertThat(ratio).as("batched voucher redemption at N = 100 per job (%d gas) over a plain transfer (%d gas)%n%s",
                batch100.perJob(), transfer, report).isLessThanOrEqualTo(TARGET);
    }

    private static long lockAndRelease(SettlementFixture f, Instant expiry) {
        TxReceipt locked = f.anvil.chain().sender(f.agent).sendAndWait(f.escrow.lockRequest(f.provider.address(),
                SettlementFixture.usdc(10), expiry, SettlementClient.refOf("gas-lock-" + System.nanoTime())));
        Lease lease = f.escrow.leaseLocked(locked);
        TxReceipt released = f.anvil.chain().sender(f.agent).sendAndWait(f.escrow.releaseRequest(lease.leaseId(), BigInteger.valueOf(4_000)));
        return locked.gasUsed().longValueExact() + released.gasUsed().longValueExact();
    }

    private static long settleThroughFacilitator(SettlementFixture f, ExactEvmFacilitator facilitator, String key) {
        PaymentRequirements req = PaymentRequirements.exactV2(f.anvil.chain().chainId().toString(), BigInteger.valueOf(1_000),
                f.usdc.address().value(), f.provider.address().value(), 60, TestUsdc.EIP712_NAME, TestUsdc.EIP712_VERSION);
        long now = f.anvil.chain().latestBlockTime().getEpochSecond();
        TransferAuthorization a = new TransferAuthorization(f.agent.address(), f.provider.address(), BigInteger.valueOf(1_000),
                BigInteger.valueOf(now - 600), BigInteger.valueOf(now + 60), TransferAuthorization.nonceFor(key));
        PaymentPayload payload = new PaymentPayload(2, "exact", req.network(), Optional.of(ResourceInfo.of("http://127.0.0.1/job")),
                Optional.of(req), ExactEvmPayload.of(f.usdc.signAuthorization(f.agent, a), a), Optional.empty());
        SettlementResponse settled = facilitator.settle(payload, req);
        assertThat(settled.success()).as("settlement %s", settled).isTrue();
        return f.anvil.chain().receipt(settled.transaction()).orElseThrow().gasUsed().longValueExact();
    }

    private static long redeemTenAgents(SettlementFixture f, Instant expiry) {
        VoucherBook book = new VoucherBook(f.escrow, f.provider.address(), java.time.Clock.fixed(expiry.minusSeconds(60),
                java.time.ZoneOffset.UTC));
        for (int a = 0; a < 10; a++) {
            Signer agent = f.anvil.fundedAccount(10);
            f.usdc.mint(f.deployer, agent.address(), SettlementFixture.usdc(200));
            f.escrow.openAccount(agent, f.operator.address());
            f.escrow.setCaps(f.operator, agent.address(), new EscrowCaps(SettlementFixture.usdc(100), SettlementFixture.usdc(1_000),
                    Duration.ofDays(1)));
            f.usdc.approve(agent, f.escrow.address(), SettlementFixture.usdc(200));
            f.anvil.chain().sender(agent).sendAndWait(f.escrow.depositRequest(SettlementFixture.usdc(200)));
            for (int i = 0; i < 10; i++) {
                Lease lease = f.escrow.leaseLocked(f.anvil.chain().sender(agent).sendAndWait(f.escrow.lockRequest(f.provider.address(),
                        SettlementFixture.usdc(10), expiry, SettlementClient.refOf("gas-ten-" + a + "-" + i))));
                book.accept(f.escrow.signVoucher(agent, new Voucher(lease.leaseId(), BigInteger.valueOf(7_000 + i), BigInteger.ONE)));
            }
        }
        TxReceipt redeemed = f.anvil.chain().sender(f.provider).sendAndWait(f.escrow.redeemBatchRequest(book.latest()));
        assertThat(f.escrow.redemptions(redeemed)).hasSize(100);
        return redeemed.gasUsed().longValueExact();
    }

    private static String render(List<Row> rows, long transfer, double ratio) {
        StringBuilder out = new StringBuilder();
        out.append("# Gas per paid job\n\n");
        out.append("Measured on Anvil (`@foundry-rs/anvil` 1.7.1, hardfork prague, automine) with the contracts in\n");
        out.append("`tools/src/main/solidity` (solc 0.8.30, optimizer 200 runs, EVM cancun). Gas is each receipt's `gasUsed`,\n");
        out.append("so it includes the 21,000 base, calldata and the refunds of cleared storage. Written by `GasReportIT`:\n\n");
        out.append("```\n");
        out.append("./mvnw -B -pl tools -am verify -DskipNpm -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \\\n");
        out.append("    -Dit.test=GasReportIT -Dfailsafe.failIfNoSpecifiedTests=false -Dforage.gas.report=$PWD/tools/GAS.md\n");
        out.append("```\n\n");
        out.append("| what | gas (total) | jobs | gas per job | vs. plain transfer | note |\n");
        out.append("|---|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %,d | %d | %,d | %.1f%% | %s |%n", r.what(), r.totalGas(), r.jobs(),
                    r.perJob(), 100.0 * r.perJob() / transfer, r.note()));
        }
        out.append(String.format(Locale.ROOT, "%nTarget: batched voucher redemption at N = 100 costs at most 25%% of a plain transfer "
                + "per job. Measured: **%.1f%%** (%s). The harness fails if it is above.%n", 100 * ratio, ratio <= TARGET ? "met" : "NOT met"));
        out.append("""

                Notes:
                - One voucher per lease is the strictest case: a lease covers as many jobs as its vouchers do (each verified
                  job raises the cumulative amount), and only the latest voucher is redeemed, so with J jobs per lease the
                  redemption costs 1/J of the figure above per job.
                - A lease is locked once before its jobs (the `lock` row); the target compares redemption alone, as the
                  issue states it.
                - Why a batch is cheap: one transaction base for N leases; each lease is a 128-bit record, two per storage
                  slot, cleared on redemption (refunds, capped at a fifth of the gas); the agent's deposit is updated and
                  one event emitted once per agent in the batch, and the provider is paid with one token transfer.
                """);
        return out.toString();
    }
}
