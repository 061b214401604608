package dev.forage.tools.settle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.identity.Signer;
import dev.forage.identity.chain.TxReceipt;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.testing.AnvilExtension;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gas harness: measures gas per paid job on Anvil for a plain ERC-20 transfer, an escrow
 * lock + release, an EIP-3009 authorization settled by a facilitator, and cumulative vouchers
 * redeemed in one batch for N = 1, 10 and 100 leases; writes the table to
 * {@code target/gas-report.md} (and to the file named by system property
 * {@code forage.gas.report}, e.g. {@code tools/GAS.md}); and asserts the target: batched
 * redemption at N = 100 costs at most 25% of a plain transfer per job.
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
        // Steady state: the provider and the facilitator's payee already hold tokens.
        f.usdc.mint(f.deployer, f.provider.address(), SettlementFixture.usdc(1));
        List<Row> rows = new ArrayList<>();

        // 1. Plain ERC-20 transfer, agent -> provider (the recipient already holds tokens).
        f.usdc.transfer(f.agent, f.provider.address(), BigInteger.ONE);
        long transfer = f.usdc.transfer(f.agent, f.provider.address(), BigInteger.valueOf(1_000)).gasUsed().longValueExact();
        rows.add(new Row("plain ERC-20 `transfer` (recipient already holds tokens)", transfer, 1, "baseline"));

        // 2. Escrow lock + release, averaged over 10 leases after the first.
        Instant expiry = anvil.chain().latestBlockTime().plus(Duration.ofHours(1));
        lockAndRelease(f, expiry);
        long lockRelease = 0;
        int cycles = 10;
        for (int i = 0; i < cycles; i++) {
            lockRelease += lockAndRelease(f, expiry);
        }
        rows.add(new Row("escrow `lock` + `release` (mean of " + cycles + ")", lockRelease, cycles, "two transactions per job"));

        // 3. EIP-3009 authorization settled by a facilitator (the facilitator sends it).
        Signer facilitator = anvil.fundedAccount(10);
        BigInteger now = BigInteger.valueOf(anvil.chain().latestBlockTime().getEpochSecond());
        TransferAuthorization auth = new TransferAuthorization(f.agent.address(), f.provider.address(), BigInteger.valueOf(1_000),
                now.subtract(BigInteger.valueOf(600)), now.add(BigInteger.valueOf(600)), TransferAuthorization.nonceFor("gas-3009"));
        TxReceipt settled = anvil.chain().sender(facilitator).sendAndWait(
                f.usdc.transferWithAuthorizationRequest(auth, f.usdc.signAuthorization(f.agent, auth)));
        rows.add(new Row("EIP-3009 `transferWithAuthorization` settled by the facilitator", settled.gasUsed().longValueExact(), 1,
                "x402 `exact`"));

        // 4. Cumulative vouchers: N leases, one voucher each, redeemed in one batch.
        long lockGasPerLease = 0;
        for (int n : new int[] {1, 10, 100}) {
            List<SignedVoucher> vouchers = new ArrayList<>();
            long lockGas = 0;
            for (int i = 0; i < n; i++) {
                TxReceipt locked = anvil.chain().sender(f.agent).sendAndWait(f.escrow.lockRequest(f.provider.address(),
                        SettlementFixture.usdc(10), expiry, SettlementClient.refOf("gas-" + n + "-" + i)));
                lockGas += locked.gasUsed().longValueExact();
                Lease lease = f.escrow.leaseLocked(locked);
                // Several verified jobs per lease; only the latest cumulative voucher is redeemed.
                vouchers.add(f.escrow.signVoucher(f.agent, new Voucher(lease.leaseId(), BigInteger.valueOf(7_000 + i), BigInteger.valueOf(3))));
            }
            TxReceipt redeemed = anvil.chain().sender(f.provider).sendAndWait(f.escrow.redeemBatchRequest(vouchers));
            assertThat(f.escrow.redemptions(redeemed)).hasSize(n);
            rows.add(new Row("vouchers redeemed in one `redeemBatch`, N = " + n, redeemed.gasUsed().longValueExact(), n,
                    "per lease"));
            if (n == 100) {
                lockGasPerLease = Math.round((double) lockGas / n);
            }
        }
        rows.add(new Row("escrow `lock` of one lease (paid once per lease, before its vouchers)", lockGasPerLease, 1,
                "mean over the 100 leases"));

        Row batch100 = rows.stream().filter(r -> r.what().endsWith("N = 100")).findFirst().orElseThrow();
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

    private static String render(List<Row> rows, long transfer, double ratio) {
        StringBuilder out = new StringBuilder();
        out.append("| what | gas (total) | jobs | gas per job | vs. plain transfer | note |\n");
        out.append("|---|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %,d | %d | %,d | %.1f%% | %s |%n", r.what(), r.totalGas(), r.jobs(),
                    r.perJob(), 100.0 * r.perJob() / transfer, r.note()));
        }
        out.append(String.format(Locale.ROOT, "%nTarget: batched redemption at N = 100 ≤ 25%% of a plain transfer per job: "
                + "measured %.1f%% (%s).%n", 100 * ratio, ratio <= TARGET ? "met" : "NOT met"));
        return out.toString();
    }
}
