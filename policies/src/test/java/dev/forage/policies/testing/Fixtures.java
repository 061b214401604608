package dev.forage.policies.testing;

import dev.forage.policies.Asset;
import dev.forage.policies.Assets;
import dev.forage.policies.Money;
import dev.forage.policies.SpendIntent;
import java.time.Instant;

/** Shared test values. */
public final class Fixtures {

    public static final String BASE = "eip155:8453";
    public static final Asset USDC = Asset.erc20("USDC", 6, BASE, "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
    public static final Asset ETH = Asset.nativeCoin("ETH", 18, BASE);
    public static final Asset DEVNET_USDC =
            Asset.erc20("dUSDC", 6, "eip155:31337", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    public static final Assets ASSETS = Assets.of(USDC, ETH, DEVNET_USDC);

    private Fixtures() {}

    public static Money usdc(String decimal) {
        return Money.of(USDC, decimal);
    }

    /** A compute lease intent for 2.50 USDC to provider-a on akash. */
    public static SpendIntent.Builder intent(String id) {
        return SpendIntent.builder()
                .id(id)
                .agent("agent-1")
                .action("compute.lease")
                .counterparty("provider-a")
                .market("akash")
                .amount(usdc("2.50"))
                .unitPrice(usdc("1.25"), "gpu-hour")
                .attribute("gpu", "A100")
                .attribute("region", "eu")
                .time(Instant.parse("2026-03-02T10:00:00Z"));
    }
}
