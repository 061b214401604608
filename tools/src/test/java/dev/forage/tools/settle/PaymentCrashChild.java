package dev.forage.tools.settle;

import dev.forage.identity.Address;
import dev.forage.identity.chain.EvmChain;
import dev.forage.identity.keys.KeystoreSigner;
import dev.forage.identity.keys.PasswordSource;
import dev.forage.tools.settle.spi.PaymentStore;
import dev.forage.tools.settle.spi.StepHook;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The process {@link PaymentCrashIT} kills: it pays once under an idempotency key, from a key
 * in a V3 keystore, recording to a SQLite store, and halts the JVM at the named step (or at
 * none). Output: {@code RECOVERED n} then {@code PAID <tx> resumed=<bool>}.
 *
 * <p>Arguments: rpcUrl keystore passwordFile store token payee amount key crashAt
 * (SIGNED, BROADCAST, MINED or NONE).
 */
public final class PaymentCrashChild {

    /** The exit status of a deliberate crash. */
    static final int CRASHED = 77;

    private PaymentCrashChild() {}

    public static void main(String[] args) {
        if (args.length != 9) {
            System.err.println("usage: rpcUrl keystore passwordFile store token payee amount key crashAt");
            System.exit(2);
        }
        String crashAt = args[8];
        StepHook hook = (key, step) -> {
            if (step.name().equals(crashAt)) {
                System.out.println("HALT " + step);
                System.out.flush();
                Runtime.getRuntime().halt(CRASHED);
            }
        };
        try (EvmChain chain = EvmChain.connect(args[0]); PaymentStore store = PaymentStores.sqlite(Path.of(args[3]))) {
            KeystoreSigner agent = KeystoreSigner.load(Path.of(args[1]), PasswordSource.file(Path.of(args[2])));
            SettlementClient client = SettlementClient.create(SettlementClient.Config.of(chain, agent,
                    TestUsdc.at(chain, Address.parse(args[4])), Optional.empty(), PaymentGuards.allowAll(), store).withHook(hook));
            List<Payment> recovered = client.recover();
            System.out.println("RECOVERED " + recovered.size());
            Payment paid = client.transfer(args[7], Address.parse(args[5]), new BigInteger(args[6]), "crash-test");
            System.out.println("PAID " + paid.txHash() + " resumed=" + paid.resumed());
        }
    }
}
