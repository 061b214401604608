package dev.forage.runtime.cli;

import dev.forage.runtime.devnet.Devnet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code forage devnet}: a local chain with the ERC-8004 registries and a registered sample agent. */
@Command(name = "devnet", mixinStandardHelpOptions = true,
        description = {
            "Starts a local Anvil chain, deploys the ERC-8004 registries and TestUSDC, creates (or reuses)",
            "a keystore for a sample agent, registers it with a registration file, starts an x402",
            "facilitator and a compute provider on loopback, and lets the agent buy through the governed",
            "pipeline (policy, budget ledger, payment guard, audit log). Prints what it set up and did.",
            "Runs until interrupted, or exits at once with --once."})
final class DevnetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--once", description = "Exit after setting up instead of running until interrupted.")
    boolean once;

    @Option(names = "--data-dir", defaultValue = ".forage/devnet", paramLabel = "DIR",
            description = "Where the agent's keystore, password file and registration file live (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--agent", defaultValue = "sample-agent", paramLabel = "NAME",
            description = "The sample agent's name (default: ${DEFAULT-VALUE}).")
    String agentName;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Name of an environment variable holding the keystore password; "
                    + "without it a random password file is created in the data folder.")
    String passwordEnv;

    @Option(names = "--chain-id", defaultValue = "31337", description = "Chain id (default: ${DEFAULT-VALUE}).")
    long chainId;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "A spending policy (YAML) for the sample agent instead of the built-in devnet policy.")
    Path policy;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Devnet.Config config = new Devnet.Config(dataDir, agentName, Optional.ofNullable(passwordEnv), chainId,
                Optional.ofNullable(policy), java.time.Clock.systemUTC());
        out.println("Starting the Forage devnet ...");
        out.flush();
        Devnet devnet = Devnet.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            devnet.close();
            stopped.countDown();
        }, "devnet-stop"));
        print(out, devnet.info());
        if (once) {
            devnet.close();
            return 0;
        }
        out.println("Devnet running. Try: curl -i " + devnet.info().providerUrl()
                + "/v1/offers   (answers 402 with the x402 payment requirements)");
        out.println("Press Ctrl+C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    static void print(PrintWriter out, Devnet.Info info) {
        out.println();
        out.println("Forage devnet is up");
        row(out, "chain id", info.chainId());
        row(out, "RPC URL", info.rpcUrl());
        row(out, "IdentityRegistry", info.registries().identity().toString());
        row(out, "ReputationRegistry", info.registries().reputation().toString());
        row(out, "ValidationRegistry", info.registries().validation().toString());
        row(out, "TestUSDC", info.token());
        row(out, "x402 facilitator", info.facilitatorUrl());
        row(out, "compute provider", info.providerUrl() + "  (GET /v1/offers: 0.05 USDC over x402)");
        row(out, "agent wallet", info.agentWallet());
        row(out, "agent keystore", info.keystore().toString());
        row(out, "registration file", info.registrationFile().toString());
        row(out, "agent ERC-8004 id", info.agentId().toString());
        out.println();
        out.println("The sample agent's purchases, each through policy, budget ledger, payment guard and audit log");
        for (Devnet.Purchase p : info.purchases()) {
            row(out, p.what(), p.intent().amount() + ": " + (p.outcome().equals("done") ? "paid, tx " : p.outcome() + ", ") + p.detail());
        }
        row(out, "payment outside it", info.outsidePipeline());
        row(out, "agent balance", info.agentBalance().toString());
        row(out, "provider balance", info.providerBalance().toString());
        row(out, "audit log", info.auditLog() + " (" + info.checkpoint().checkpoint().treeSize() + " entries, signed checkpoint)");
        out.println();
        out.println("Check the audit log yourself:");
        out.println("  ./mvnw -q -Pdevnet -DskipTests verify -Dforage.args=\"audit verify " + info.auditLog()
                + " --key-file " + info.auditKey() + "\"");
        out.println();
        out.flush();
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf("  %-28s %s%n", label, value);
    }
}
