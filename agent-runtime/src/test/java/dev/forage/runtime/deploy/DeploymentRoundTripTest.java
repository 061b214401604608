package dev.forage.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.policies.ledger.BudgetWindow;
import dev.forage.runtime.testing.Cases;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: any deployment the model can hold, written with {@link AgentDeployment#toYaml()},
 * loads back equal, and writing it again gives the same text. Each case is a seed
 * ({@link Cases}); a failure names it and the YAML.
 */
class DeploymentRoundTripTest {

    private static final int CASES = 200;

    @TempDir
    Path dir;

    static LongStream seeds() {
        return Cases.seeds(CASES);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aDeploymentWrittenAsYamlLoadsBackEqual(long seed) throws IOException {
        Path base = Files.createDirectories(dir.resolve("case-" + Long.toHexString(seed)));
        AgentDeployment original = new Generator(Cases.random(seed), base).deployment();
        String yaml = original.toYaml();
        Cases.check(seed, () -> yaml, () -> {
            Path file = base.resolve("deployment.yaml");
            Files.writeString(file, yaml);

            AgentDeployment loaded = AgentDeployment.load(file);

            assertThat(loaded).isEqualTo(original);
            assertThat(loaded.toYaml()).isEqualTo(yaml);
        });
    }

    /** Random valid deployments: every field, every optional present or not, text that YAML finds awkward. */
    static final class Generator {

        /** Pieces of text YAML treats specially, joined into names and descriptions. */
        private static final List<String> PIECES = List.of("a", "embed", "GPU", "yes", "no", "null", "~", "true", "0x1f", "012",
                "1.5", "1e3", ".inf", "-", "- a", ": ", "#", " # c", "'", "\"", "\\", "*a", "&b", "!tag", "%", "@", "`", "{", "}", "[",
                "]", ",", "?", "|", ">", "\n", "\t", "  ", "é", "日本", "😀", "USDC", "---", "...", "<<");

        private final RandomGenerator r;
        private final Path base;

        Generator(RandomGenerator r, Path base) {
            this.r = r;
            this.base = base;
        }

        AgentDeployment deployment() throws IOException {
            Map<String, String> labels = new LinkedHashMap<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                labels.put(pick("team", "app.forage.dev/tier", "env", "owner name", "x-1", "é") + i, text());
            }
            List<Market> markets = list(3, this::market);
            List<Job> jobs = markets.isEmpty() ? List.of() : jobs();
            return new AgentDeployment(new Metadata(dnsLabel(), labels), new DeploymentSpec(identity(), chain(), planner(),
                    markets, list(3, this::inference), verification(), policies(), r.nextBoolean() ? Optional.of(budget())
                    : Optional.empty(), jobs));
        }

        private Identity identity() {
            PasswordSource password = r.nextBoolean() ? new PasswordSource.FromEnv(envName()) : new PasswordSource.FromFile(path());
            boolean register = r.nextBoolean();
            Optional<Registration> registration = register || r.nextBoolean()
                    ? Optional.of(new Registration(nonEmptyText(), list(3, () -> new Registration.Service(nonEmptyText(),
                            nonEmptyText(), r.nextBoolean() ? Optional.of(nonEmptyText()) : Optional.empty()))))
                    : Optional.empty();
            return new Identity(path(), password, register, registration);
        }

        private Chain chain() {
            if (r.nextInt(3) == 0) {
                return Chain.devnet();
            }
            String scheme = pick("http", "https", "ws", "wss");
            return new Chain.Rpc(URI.create(scheme + "://" + host() + port() + pick("", "/", "/v2/rpc", "/rpc?network=base")),
                    "eip155:" + (1 + r.nextInt(100_000)), r.nextInt(1001),
                    r.nextBoolean() ? Optional.of(address()) : Optional.empty(),
                    r.nextBoolean() ? Optional.of(new Chain.TokenDomain(nonEmptyText(), pick("1", "2", "2.0", "v3"))) : Optional.empty());
        }

        private Planner planner() {
            if (r.nextBoolean()) {
                return new Planner.Scripted(dnsLabel());
            }
            return new Planner.LangChain4j(new ChatModelSettings(url(), nonEmptyText(), envName(),
                    r.nextBoolean() ? OptionalDouble.of(r.nextInt(3) == 0 ? r.nextInt(3) : r.nextDouble(0, 2)) : OptionalDouble.empty(),
                    r.nextBoolean() ? OptionalInt.of(1 + r.nextInt(1_000_000)) : OptionalInt.empty(),
                    r.nextBoolean() ? Optional.of(duration()) : Optional.empty()), 1 + r.nextInt(1000));
        }

        private Market market() {
            MarketKind kind = MarketKind.values()[r.nextInt(MarketKind.values().length)];
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                options.put(pick("region", "min uptime", "spot", "provider.id") + i, pick(text(), "0.990", "true", "12"));
            }
            return new Market(kind, r.nextBoolean() ? Optional.of(url()) : Optional.empty(),
                    kind.needsApiKey() || r.nextBoolean() ? Optional.of(envName()) : Optional.empty(), amount(), duration(), options);
        }

        private Inference inference() {
            InferenceKind kind = InferenceKind.values()[r.nextInt(InferenceKind.values().length)];
            boolean local = kind == InferenceKind.LOCAL;
            Optional<URI> url = !local && (kind == InferenceKind.RITUAL || r.nextBoolean()) ? Optional.of(url()) : Optional.empty();
            Optional<String> key = !local && (kind.needsApiKey() || r.nextBoolean()) ? Optional.of(envName()) : Optional.empty();
            Set<String> models = new LinkedHashSet<>();
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                models.add(nonEmptyText());
            }
            return new Inference(kind, url, key, List.copyOf(models));
        }

        private Verification verification() {
            Verification.Method method = switch (r.nextInt(3)) {
                case 0 -> new Verification.ReExecution(ratio(), ratio());
                case 1 -> new Verification.Quorum(2 + r.nextInt(15), ratio(), ratio());
                default -> new Verification.None();
            };
            return new Verification(method, new Verification.Feedback(r.nextBoolean(), r.nextBoolean()));
        }

        private List<Path> policies() throws IOException {
            Set<Path> policies = new LinkedHashSet<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                // Policy files must exist, so they live apart from the other (never created) paths.
                Path p = base.resolve(pick("policies", "é ü", "a b")).resolve(pick("p", "spend limits", "x.y") + i + ".yaml");
                Files.createDirectories(p.getParent());
                Files.writeString(p, "apiVersion: forage.dev/v1\nkind: SpendingPolicy\nmetadata: {name: p}\nspec: {}\n");
                policies.add(p);
            }
            return List.copyOf(policies);
        }

        private Budget budget() {
            BudgetWindow window = switch (r.nextInt(3)) {
                case 0 -> new BudgetWindow.Lifetime();
                case 1 -> new BudgetWindow.Rolling(duration());
                default -> new BudgetWindow.Calendar(pick(BudgetWindow.Period.DAY, BudgetWindow.Period.WEEK, BudgetWindow.Period.MONTH),
                        ZoneId.of(pick("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Z")));
            };
            return new Budget(amount(), window);
        }

        private List<Job> jobs() {
            List<Job> jobs = new ArrayList<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                Job.Input input = r.nextBoolean() ? new Job.Corpus(path()) : new Job.Texts(list(3, this::text, 1));
                jobs.add(new Job(dnsLabel() + "-" + i, Job.Kind.EMBEDDINGS, input, nonEmptyText(), 1 + r.nextInt(10_000),
                        new GpuRequest(nonEmptyText(), 1 + r.nextInt(64),
                                r.nextBoolean() ? OptionalInt.of(1 + r.nextInt(1024)) : OptionalInt.empty(), duration())));
            }
            return jobs;
        }

        private String text() {
            StringBuilder out = new StringBuilder();
            for (int i = r.nextInt(5); i > 0; i--) {
                out.append(PIECES.get(r.nextInt(PIECES.size())));
            }
            return out.toString();
        }

        private String nonEmptyText() {
            String t = text();
            return t.isEmpty() ? "x" : t;
        }

        private String dnsLabel() {
            String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
            StringBuilder out = new StringBuilder();
            int length = 1 + r.nextInt(20);
            for (int i = 0; i < length; i++) {
                char c = alphabet.charAt(r.nextInt(alphabet.length()));
                out.append(i > 0 && i < length - 1 && r.nextInt(5) == 0 ? '-' : c);
            }
            return out.toString();
        }

        private String envName() {
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";
            StringBuilder out = new StringBuilder(pick("A", "_", "FORAGE_", "x"));
            for (int i = r.nextInt(16); i > 0; i--) {
                out.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            return out.toString();
        }

        private Path path() {
            StringBuilder relative = new StringBuilder();
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                relative.append(relative.isEmpty() ? "" : "/").append(pick("keys", "data", "a b", "é", "policies", "x.y")).append(r.nextInt(100));
            }
            return base.resolve(relative.toString()).toAbsolutePath().normalize();
        }

        private String host() {
            return pick("127.0.0.1", "localhost", "api.example.com", "node-1.forage.dev");
        }

        private String port() {
            return r.nextBoolean() ? "" : ":" + (1 + r.nextInt(65_535));
        }

        private URI url() {
            return URI.create(pick("http", "https") + "://" + host() + port() + pick("", "/", "/v1", "/api/v1/"));
        }

        private String address() {
            StringBuilder out = new StringBuilder("0x");
            for (int i = 0; i < 40; i++) {
                out.append("0123456789abcdefABCDEF".charAt(r.nextInt(22)));
            }
            return out.toString();
        }

        private Amount amount() {
            String decimal = r.nextInt(1_000_000) + (r.nextBoolean() ? "" : "." + "0123456789".substring(0, 1 + r.nextInt(6)));
            return new Amount(decimal, pick("USDC", "EURC", "ETH", "t.USD-1"));
        }

        private Duration duration() {
            return switch (r.nextInt(4)) {
                case 0 -> Duration.ofSeconds(1 + r.nextInt(86_400));
                case 1 -> Duration.ofMinutes(1 + r.nextInt(10_000));
                case 2 -> Duration.ofMillis(1 + r.nextInt(1_000_000));
                default -> Duration.ofNanos(1 + r.nextLong(1_000_000_000_000L));
            };
        }

        private double ratio() {
            return switch (r.nextInt(4)) {
                case 0 -> 0.0;
                case 1 -> 1.0;
                case 2 -> r.nextInt(101) / 100.0;
                default -> r.nextDouble() * Math.pow(10, -r.nextInt(8));
            };
        }

        @SafeVarargs
        private <T> T pick(T... options) {
            return options[r.nextInt(options.length)];
        }

        private <T> List<T> list(int max, Supplier<T> item) {
            return list(max, item, 0);
        }

        private <T> List<T> list(int max, Supplier<T> item, int min) {
            List<T> out = new ArrayList<>();
            for (int i = min + r.nextInt(max - min + 1); i > 0; i--) {
                out.add(item.get());
            }
            return out;
        }
    }
}
