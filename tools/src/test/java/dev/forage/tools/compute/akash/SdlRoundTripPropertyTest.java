package dev.forage.tools.compute.akash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/**
 * Random SDL models full of strings that YAML likes to misread (numbers, booleans, nulls,
 * indicators, quotes, newlines, non-ASCII), written and read back: the model and the YAML tree
 * must come back equal. Seeded; a failure names the seed, the case and the YAML.
 */
class SdlRoundTripPropertyTest {

    private static final long SEED = 0x5D1_2024L;
    private static final int CASES = 400;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final String[] TRICKY = {"yes", "no", "on", "off", "y", "n", "true", "false", "True", "NULL", "null", "~", "",
        "1e3", "1E+3", "1_000", "0x1F", "0o17", "017", ".5", "5.", "-1", "+1", ".inf", "-.inf", ".nan", "2.0", "1:2", "12:30:00",
        "2024-06-01", "- item", "? key", "key: value", "#hash", "a #b", "&anchor", "*alias", "!tag", "|", ">", "%directive", "@at",
        "`tick`", "{a: 1}", "[1, 2]", "a, b", "'single'", "\"double\"", "back\\slash", "tab\there", "line\nbreak", " lead",
        "trail ", "é", "中文", "emoji \uD83D\uDE80", "=", "A=", "=B", "---", "...", "<<", "0", "00", "-0", "1.0e-7"};

    private RandomGenerator random;

    @Test
    void randomModelsRoundTripThroughYaml() {
        random = RandomGeneratorFactory.<RandomGenerator>of("L64X128MixRandom").create(SEED);
        for (int i = 0; i < CASES; i++) {
            Sdl sdl = model();
            String yaml = sdl.toYaml();
            try {
                Sdl back = Sdl.parse(yaml, "case " + i);
                assertThat(back).as("seed %d case %d:\n%s", SEED, i, yaml).isEqualTo(sdl);
                assertThat(SdlReader.readTree(yaml, "case " + i)).as("seed %d case %d tree:\n%s", SEED, i, yaml)
                        .isEqualTo(sdl.toTree());
            } catch (SdlException e) {
                throw new AssertionError("seed " + SEED + " case " + i + " does not read back: " + e.getMessage() + "\n" + yaml, e);
            }
        }
    }

    private Sdl model() {
        Map<String, Sdl.Service> services = new LinkedHashMap<>();
        Map<String, Sdl.ComputeProfile> compute = new LinkedHashMap<>();
        Map<String, Sdl.Price> pricing = new LinkedHashMap<>();
        Map<String, Map<String, Sdl.Deploy>> deployment = new LinkedHashMap<>();
        String placement = key();
        int n = 1 + random.nextInt(3);
        for (int s = 0; s < n; s++) {
            String name = key() + s;
            services.put(name, service());
            compute.put(name, new Sdl.ComputeProfile(resources(), extra()));
            pricing.put(name, new Sdl.Price(tricky() + "denom", amount(), extra()));
            deployment.put(name, Map.of(placement, new Sdl.Deploy(name, 1 + random.nextInt(9), extra())));
        }
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        attributes.put(key(), scalarNode());
        Sdl.Placement where = new Sdl.Placement(attributes, random.nextBoolean() ? Optional.of(new Sdl.SignedBy(
                List.of(Sdl.Scalar.of(tricky())), List.of(Sdl.Scalar.of(random.nextInt(100))), extra())) : Optional.empty(), pricing,
                extra());
        return new Sdl(Sdl.Scalar.of(random.nextBoolean() ? "2.0" : "2.1"), services,
                new Sdl.Profiles(compute, Map.of(placement, where), extra()), deployment, Map.of(), extra());
    }

    private Sdl.Service service() {
        List<String> env = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            env.add(tricky());
        }
        List<Sdl.Expose> expose = List.of(new Sdl.Expose(1 + random.nextInt(65535),
                random.nextBoolean() ? OptionalInt.of(80) : OptionalInt.empty(), Optional.of(tricky() + "p"), List.of(tricky()),
                List.of(new Sdl.ExposeTo(Optional.empty(), Optional.of(random.nextBoolean()), Optional.empty(), extra())), extra()));
        Optional<Sdl.Credentials> cred = random.nextBoolean() ? Optional.empty()
                : Optional.of(new Sdl.Credentials("h" + tricky(), "u" + tricky(), "p" + tricky(), Optional.of(tricky()), extra()));
        return new Sdl.Service("img" + tricky(), List.of(tricky()), List.of(tricky(), tricky()), env, expose, Optional.empty(), cred,
                extra());
    }

    private Sdl.Resources resources() {
        Sdl.Scalar cpu = random.nextBoolean() ? Sdl.Scalar.of(random.nextInt(5000) + "m")
                : Sdl.Scalar.of(new BigDecimal(random.nextInt(640) + "." + random.nextInt(10)));
        Sdl.Scalar mem = random.nextBoolean() ? Sdl.Scalar.of((1 + random.nextInt(512)) + "Mi") : Sdl.Scalar.of(random.nextLong(1, 1L << 40));
        Map<String, Sdl.Scalar> attrs = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            attrs.put("class", Sdl.Scalar.of("beta" + random.nextInt(4)));
            attrs.put(key(), Sdl.Scalar.of(tricky()));
        }
        List<Sdl.Storage> storage = List.of(new Sdl.Storage(Optional.empty(), Sdl.Scalar.of("1Gi"), attrs, extra()));
        Optional<Sdl.Gpu> gpu = random.nextBoolean() ? Optional.empty() : Optional.of(new Sdl.Gpu(1 + random.nextInt(8),
                Map.of("nvidia", random.nextBoolean() ? List.of() : List.of(new Sdl.GpuModel(Sdl.Scalar.of("m" + tricky()),
                        Optional.of(Sdl.Scalar.of("80Gi")), Optional.of(tricky() + "i"), extra()))), extra(), extra()));
        return new Sdl.Resources(new Sdl.Cpu(cpu, extra()), new Sdl.Memory(mem, extra()), storage, random.nextBoolean(), gpu,
                extra());
    }

    private Sdl.Scalar amount() {
        return switch (random.nextInt(3)) {
            case 0 -> Sdl.Scalar.of(random.nextLong(0, Long.MAX_VALUE));
            case 1 -> Sdl.Scalar.of(new BigDecimal(random.nextInt(100000) + "." + random.nextInt(1_000_000)).stripTrailingZeros()
                    .max(new BigDecimal("0.1")));
            default -> Sdl.Scalar.of(String.valueOf(random.nextInt(100000)));
        };
    }

    private Map<String, JsonNode> extra() {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            m.put("x-" + key(), tree(0));
        }
        return m;
    }

    private JsonNode tree(int depth) {
        int kind = depth > 3 ? 0 : random.nextInt(4);
        if (kind == 1) {
            ObjectNode o = F.objectNode();
            for (int i = random.nextInt(3); i > 0; i--) {
                o.set(key(), tree(depth + 1));
            }
            return o;
        }
        if (kind == 2) {
            var a = F.arrayNode();
            for (int i = random.nextInt(3); i > 0; i--) {
                a.add(tree(depth + 1));
            }
            return a;
        }
        return random.nextInt(10) == 0 ? F.nullNode() : scalarNode();
    }

    private JsonNode scalarNode() {
        return switch (random.nextInt(6)) {
            case 0 -> Sdl.Scalar.of(random.nextInt()).node();
            case 1 -> Sdl.Scalar.of(new BigInteger(100, new java.util.Random(random.nextLong()))).node();
            case 2 -> Sdl.Scalar.of(new BigDecimal(random.nextInt(1000) + "." + (1 + random.nextInt(999)))).node();
            case 3 -> Sdl.Scalar.of(random.nextBoolean()).node();
            default -> Sdl.Scalar.of(tricky()).node();
        };
    }

    private String tricky() {
        if (random.nextInt(3) == 0) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(4); i >= 0; i--) {
                b.append(TRICKY[random.nextInt(TRICKY.length)]);
            }
            return b.toString();
        }
        return TRICKY[random.nextInt(TRICKY.length)];
    }

    private String key() {
        String k = tricky();
        return k.isEmpty() ? "k" : k;
    }
}
