package dev.forage.identity.devchain;

import dev.forage.identity.Address;
import dev.forage.identity.IdentityException;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.EvmChain;
import dev.forage.identity.keys.InMemorySigner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running Anvil node on a free loopback port, with funded throw-away accounts.
 *
 * <p>Anvil runs under a small shell watchdog that kills it as soon as this JVM's end of a pipe
 * closes, so the node never outlives the JVM, even when the JVM is killed. Accounts are keys
 * generated in this process (never Anvil's well-known mnemonic) and funded with
 * {@code anvil_setBalance}.
 */
public final class Anvil implements AutoCloseable {

    /** The default chain id, Anvil's own. */
    public static final long DEFAULT_CHAIN_ID = 31337;

    private static final Pattern LISTENING = Pattern.compile("Listening on ([0-9.]+):(\\d+)");
    private static final String INSTALL_HINT =
            "Install it with `npm ci` in the repository root (package.json pins @foundry-rs/anvil), "
                    + "or put Foundry's anvil on PATH (https://getfoundry.sh), or set FORAGE_ANVIL to its path.";

    private final Process process;
    private final EvmChain chain;
    private final List<Signer> accounts;
    private final Deque<String> output;
    private final Thread shutdownHook;

    private Anvil(Process process, EvmChain chain, List<Signer> accounts, Deque<String> output) {
        this.process = process;
        this.chain = chain;
        this.accounts = List.copyOf(accounts);
        this.output = output;
        this.shutdownHook = new Thread(() -> stop(process), "anvil-stop");
    }

    /**
     * Options for starting Anvil.
     *
     * @param binary an explicit path to the anvil binary; empty to search for one
     * @param chainId the chain id to run with
     * @param accounts how many funded accounts to create
     * @param balanceEth each account's balance in ether
     * @param blockTime empty for automine (a block per transaction), or a block interval
     * @param startTimeout how long to wait for the node to answer
     */
    public record Options(
            Optional<Path> binary, long chainId, int accounts, long balanceEth, Optional<Duration> blockTime, Duration startTimeout) {
        public Options {
            if (chainId <= 0) {
                throw new IllegalArgumentException("chain id must be positive, got " + chainId);
            }
            if (accounts < 0 || accounts > 1000) {
                throw new IllegalArgumentException("accounts must be 0 to 1000, got " + accounts);
            }
            if (balanceEth < 0) {
                throw new IllegalArgumentException("balance must not be negative, got " + balanceEth);
            }
        }

        /** Automine, chain id 31337, 10 accounts with 10,000 ether each, found binary. */
        public static Options defaults() {
            return new Options(Optional.empty(), DEFAULT_CHAIN_ID, 10, 10_000, Optional.empty(), Duration.ofSeconds(30));
        }

        public Options withChainId(long id) {
            return new Options(binary, id, accounts, balanceEth, blockTime, startTimeout);
        }

        public Options withAccounts(int n) {
            return new Options(binary, chainId, n, balanceEth, blockTime, startTimeout);
        }

        public Options withBinary(Path path) {
            return new Options(Optional.of(path), chainId, accounts, balanceEth, blockTime, startTimeout);
        }
    }

    /** Starts Anvil with {@link Options#defaults()}. */
    public static Anvil start() {
        return start(Options.defaults());
    }

    /**
     * Starts Anvil and waits until its JSON-RPC answers.
     *
     * @throws AnvilNotFoundException if no binary is found
     * @throws IdentityException if it does not start in time (the message carries its output)
     */
    public static Anvil start(Options options) {
        Path binary = options.binary().map(Anvil::checkExecutable).orElseGet(Anvil::locate);
        List<String> anvilArgs = new ArrayList<>(List.of(
                binary.toString(), "--host", "127.0.0.1", "--port", "0",
                "--chain-id", Long.toString(options.chainId()),
                "--accounts", "1", "--mnemonic-random", "--hardfork", "prague"));
        options.blockTime().ifPresent(t -> {
            anvilArgs.add("--block-time");
            anvilArgs.add(Long.toString(Math.max(1, t.toSeconds())));
        });
        // The watchdog: run anvil in the background, then block reading stdin; when the JVM's end
        // of the pipe closes (normal exit or kill -9), `cat` returns and the trap kills anvil.
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "\"$@\" & child=$!; trap 'kill $child 2>/dev/null' EXIT INT TERM; cat >/dev/null; kill $child 2>/dev/null; wait $child",
                "anvil-watchdog"));
        command.addAll(anvilArgs);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IdentityException("cannot start Anvil from " + binary + ": " + e.getMessage(), false, e);
        }
        Deque<String> output = new ArrayDeque<>();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread.ofVirtual().name("anvil-output").start(() -> drain(process, output, listening));
        try {
            String url = listening.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            EvmChain chain = EvmChain.connect(url);
            List<Signer> accounts = new ArrayList<>();
            BigInteger wei = BigInteger.valueOf(options.balanceEth()).multiply(BigInteger.TEN.pow(18));
            for (int i = 0; i < options.accounts(); i++) {
                InMemorySigner signer = InMemorySigner.generate();
                setBalance(chain, signer.address(), wei);
                accounts.add(signer);
            }
            Anvil anvil = new Anvil(process, chain, accounts, output);
            Runtime.getRuntime().addShutdownHook(anvil.shutdownHook);
            return anvil;
        } catch (TimeoutException | ExecutionException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            stop(process);
            String why = e instanceof TimeoutException
                    ? "did not start listening within " + options.startTimeout().toSeconds() + " s"
                    : "could not be used (" + (e instanceof ExecutionException ? e.getCause().getMessage() : e.getMessage()) + ")";
            throw new IdentityException("Anvil (" + binary + ") " + why + "; its output:\n"
                    + String.join("\n", snapshot(output)), true, e);
        }
    }

    /** The JSON-RPC URL, {@code http://127.0.0.1:<port>}. */
    public String rpcUrl() {
        return chain.rpcUrl();
    }

    /** The chain id. */
    public long chainId() {
        return chain.chainId().evmChainId();
    }

    /** The chain client for this node. */
    public EvmChain chain() {
        return chain;
    }

    /** The funded accounts, each with the configured balance. */
    public List<Signer> accounts() {
        return accounts;
    }

    /** Account {@code i}. */
    public Signer account(int i) {
        return accounts.get(i);
    }

    /** A new key funded with {@code eth} ether. */
    public Signer fundedAccount(long eth) {
        InMemorySigner signer = InMemorySigner.generate();
        setBalance(chain, signer.address(), BigInteger.valueOf(eth).multiply(BigInteger.TEN.pow(18)));
        return signer;
    }

    /** Sets {@code address}'s balance to {@code wei} (Anvil's {@code anvil_setBalance}). */
    public void setBalance(Address address, BigInteger wei) {
        setBalance(chain, address, wei);
    }

    /** Mines {@code blocks} empty blocks ({@code anvil_mine}). */
    public void mine(int blocks) {
        raw(chain, "anvil_mine", List.of("0x" + Integer.toHexString(blocks)));
    }

    /** Moves the next block's timestamp forward by {@code seconds} ({@code evm_increaseTime}) and mines it. */
    public void advanceTime(long seconds) {
        raw(chain, "evm_increaseTime", List.of(seconds));
        mine(1);
    }

    /** The process id of the watchdog running Anvil, for tests that check nothing is left behind. */
    public long pid() {
        return process.pid();
    }

    /** Whether the node process is still running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** The last lines Anvil printed, for diagnostics. */
    public List<String> recentOutput() {
        return snapshot(output);
    }

    /** Stops Anvil and waits for it to exit. */
    @Override
    public void close() {
        chain.close();
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook is running or has run.
        }
    }

    @Override
    public String toString() {
        return "Anvil[" + rpcUrl() + ", chain " + chainId() + "]";
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // Closing our end of the pipe is the watchdog's signal; destroying below is the fallback.
        }
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                descendants.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void drain(Process process, Deque<String> output, CompletableFuture<String> listening) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > 200) {
                        output.removeFirst();
                    }
                }
                Matcher m = LISTENING.matcher(line);
                if (!listening.isDone() && m.find()) {
                    listening.complete("http://" + m.group(1) + ":" + m.group(2));
                }
            }
        } catch (IOException e) {
            // The process ended; the start timeout or the caller reports it.
        }
        listening.completeExceptionally(new IOException("Anvil exited before it started listening"));
    }

    private static List<String> snapshot(Deque<String> output) {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    private static void setBalance(EvmChain chain, Address address, BigInteger wei) {
        raw(chain, "anvil_setBalance", List.of(address.value(), "0x" + wei.toString(16)));
    }

    private static void raw(EvmChain chain, String method, List<?> params) {
        chain.request(method, params);
    }

    private static Path checkExecutable(Path path) {
        if (!Files.isExecutable(path)) {
            throw new AnvilNotFoundException("Anvil binary " + path + " does not exist or is not executable. " + INSTALL_HINT);
        }
        return path;
    }

    /**
     * Finds Anvil: {@code FORAGE_ANVIL} (an explicit path), then the project's npm install
     * (searched upwards from the working directory and from {@code forage.root}), then
     * {@code PATH}.
     */
    static Path locate() {
        List<String> looked = new ArrayList<>();
        String explicit = Optional.ofNullable(System.getProperty("forage.anvil")).orElse(System.getenv("FORAGE_ANVIL"));
        if (explicit != null && !explicit.isBlank()) {
            return checkExecutable(Path.of(explicit));
        }
        String platform = npmPlatform();
        List<Path> roots = new ArrayList<>();
        Optional.ofNullable(System.getProperty("forage.root")).filter(s -> !s.isBlank()).map(Path::of).ifPresent(roots::add);
        roots.add(Path.of("").toAbsolutePath());
        for (Path start : roots) {
            for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("node_modules/@foundry-rs/anvil-" + platform + "/bin/anvil");
                looked.add(candidate.toString());
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, "anvil");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        looked.add("every folder on PATH");
        throw new AnvilNotFoundException("Anvil was not found. Looked in: " + String.join(", ", looked.subList(0, Math.min(4, looked.size())))
                + (looked.size() > 4 ? " (and " + (looked.size() - 4) + " more)" : "") + ". " + INSTALL_HINT);
    }

    private static String npmPlatform() {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(java.util.Locale.ROOT);
        String osPart = os.contains("mac") ? "darwin" : os.contains("win") ? "win32" : "linux";
        String archPart = arch.contains("aarch64") || arch.contains("arm64") ? "arm64" : "amd64";
        return osPart + "-" + archPart;
    }
}
