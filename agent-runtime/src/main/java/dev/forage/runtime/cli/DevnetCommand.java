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
            "Starts a local Anvil chain, deploys the ERC-8004 registries, creates (or reuses) a keystore",
            "for a sample agent, registers it with a registration file and prints what it set up.",
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

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Devnet.Config config = new Devnet.Config(dataDir, agentName, Optional.ofNullable(passwordEnv), chainId);
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
        out.println("Devnet running. Press Ctrl+C to stop.");
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
        row(out, "agent wallet", info.agentWallet());
        row(out, "agent keystore", info.keystore().toString());
        row(out, "registration file", info.registrationFile().toString());
        row(out, "agent ERC-8004 id", info.agentId().toString());
        out.println();
        out.flush();
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf("  %-20s %s%n", label, value);
    }
}
