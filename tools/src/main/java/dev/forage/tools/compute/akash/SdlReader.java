package dev.forage.tools.compute.akash;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.forage.tools.compute.akash.Sdl.SdlInvalid;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * YAML text to {@link Sdl}: first a JSON tree that remembers the line of every node (Jackson's
 * own trees do not), then the typed model, each step naming the path and line of what it cannot
 * read. Keys the model does not name stay in the tree and go into the {@code extra} maps.
 */
final class SdlReader {

    /** The largest SDL read: far above any real one (the Console caps submitted SDLs lower). */
    static final int MAX_CHARS = 1 << 20;
    /** SDLs are shallow; deeper nesting is refused before it can exhaust the stack. */
    static final int MAX_DEPTH = 64;

    static final YAMLFactory FACTORY;

    static {
        LoaderOptions loader = new LoaderOptions();
        loader.setCodePointLimit(MAX_CHARS * 2);
        loader.setMaxAliasesForCollections(0);
        loader.setAllowDuplicateKeys(true); // detected here, with the line
        loader.setNestingDepthLimit(MAX_DEPTH + 8);
        // The builder starts from no parser features, not the defaults: name the two that matter.
        // Empty values are null (a bare "nvidia:"); yes/no/on/off stay strings, as in the Go YAML
        // library the Akash node reads SDLs with (only true and false are booleans there).
        FACTORY = YAMLFactory.builder().loaderOptions(loader)
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 8)
                        .maxNumberLength(100).maxStringLength(MAX_CHARS).build())
                .build();
    }

    private final String source;
    private final Map<String, Integer> lines = new HashMap<>();

    private SdlReader(String source) {
        this.source = source;
    }

    static Sdl read(String yaml, String source) {
        SdlReader r = new SdlReader(source);
        return r.model(r.tree(yaml));
    }

    /** The YAML's data, without the model: for comparing documents. */
    static JsonNode readTree(String yaml, String source) {
        return new SdlReader(source).tree(yaml);
    }

    // --- YAML to tree ------------------------------------------------------------------------------

    private JsonNode tree(String yaml) {
        if (yaml.length() > MAX_CHARS) {
            throw new SdlException(source, 0, "", "is " + yaml.length() + " characters; an SDL may have at most " + MAX_CHARS);
        }
        try (JsonParser p = FACTORY.createParser(yaml)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new SdlException(source, 0, "", "is empty; an SDL starts with version: \"2.0\"");
            }
            JsonNode root = node(p, "", 0);
            if (p.nextToken() != null) {
                throw new SdlException(source, line(p), "", "holds more than one YAML document; give one SDL per file");
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw new SdlException(source, lineOf(e.getLocation()), "", "is beyond the reader's limits: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new SdlException(source, lineOf(e.getLocation()), "", "is not valid YAML: " + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new SdlException(source, 0, "", "cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof SdlException s) {
                throw s;
            }
            // SnakeYAML reports some malformed input (bad escapes, limits) as its own unchecked exceptions.
            throw new SdlException(source, 0, "", "is not valid YAML: " + firstLine(String.valueOf(e.getMessage())), e);
        }
    }

    private JsonNode node(JsonParser p, String path, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new SdlException(source, line(p), path, "is nested more than " + MAX_DEPTH + " levels deep");
        }
        lines.putIfAbsent(path, line(p));
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String child = child(path, name);
                    if (o.has(name)) {
                        throw new SdlException(source, line(p), child, "is given twice; give each key once");
                    }
                    lines.put(child, line(p));
                    p.nextToken();
                    o.set(name, node(p, child, depth + 1));
                }
                return o;
            }
            case START_ARRAY -> {
                var a = JsonNodeFactory.instance.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    String child = path + "[" + i++ + "]";
                    lines.put(child, line(p));
                    a.add(node(p, child, depth + 1));
                }
                return a;
            }
            case VALUE_STRING -> {
                if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                    throw new SdlException(source, line(p), path, "uses the alias *" + p.getText()
                            + "; YAML anchors and aliases are not supported in an SDL: write the value out");
                }
                return TextNode.valueOf(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> IntNode.valueOf(p.getIntValue());
                    case LONG -> LongNode.valueOf(p.getLongValue());
                    default -> {
                        BigInteger big = p.getBigIntegerValue();
                        yield big.bitLength() < 32 ? IntNode.valueOf(big.intValue())
                                : big.bitLength() < 64 ? LongNode.valueOf(big.longValue()) : BigIntegerNode.valueOf(big);
                    }
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                // Decimals stay exact: a price of 0.1 uact per block is 0.1, not 0.1000000000000000055.
                return DecimalNode.valueOf(p.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return BooleanNode.valueOf(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NullNode.getInstance();
            }
            default -> throw new SdlException(source, line(p), path, "holds a " + t + " value (e.g. !!binary), which an SDL never has");
        }
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static int line(JsonParser p) {
        return lineOf(p.currentTokenLocation());
    }

    private static int lineOf(JsonLocation l) {
        return l == null ? 0 : Math.max(0, l.getLineNr());
    }

    private static String firstLine(String s) {
        String flat = s == null ? "" : s.strip();
        int nl = flat.indexOf('\n');
        return nl < 0 ? flat : flat.substring(0, nl);
    }

    // --- tree to model ------------------------------------------------------------------------------

    private static final Set<String> TOP = Set.of("version", "services", "profiles", "deployment", "endpoints");

    private Sdl model(JsonNode root) {
        At doc = new At(root, "");
        doc.requireObject();
        Sdl.Scalar version = doc.requiredScalar("version");
        if (!Sdl.VERSIONS.contains(version.text())) {
            throw doc.at("version").fail("must be \"2.0\" or \"2.1\", got " + version + "; this reader knows SDL 2.0 and 2.1");
        }
        Map<String, Sdl.Service> services = doc.requiredMap("services", this::service);
        Sdl.Profiles profiles = doc.required("profiles").build(this::profiles);
        Map<String, Map<String, Sdl.Deploy>> deployment = doc.requiredMap("deployment",
                svc -> svc.map(d -> d.build(this::deploy)));
        Map<String, Sdl.Endpoint> endpoints = doc.optionalMap("endpoints", this::endpoint);
        return doc.build(at -> new Sdl(version, services, profiles, deployment, endpoints, at.extra(TOP)));
    }

    private static final Set<String> SERVICE = Set.of("image", "command", "args", "env", "expose", "params", "credentials");

    private Sdl.Service service(At s) {
        s.requireObject();
        String image = s.requiredText("image");
        return s.build(at -> new Sdl.Service(image, at.strings("command"), at.strings("args"), at.strings("env"),
                at.list("expose", this::expose), at.optional("params").map(p -> p.build(this::params)),
                at.optional("credentials").map(c -> c.build(this::credentials)), at.extra(SERVICE)));
    }

    private static final Set<String> EXPOSE = Set.of("port", "as", "proto", "accept", "to");

    private Sdl.Expose expose(At e) {
        e.requireObject();
        int port = e.requiredInt("port");
        OptionalInt as = e.optional("as").map(a -> OptionalInt.of(a.integer())).orElse(OptionalInt.empty());
        return e.build(at -> new Sdl.Expose(port, as, at.optionalText("proto"), at.strings("accept"), at.list("to", this::exposeTo),
                at.extra(EXPOSE)));
    }

    private static final Set<String> EXPOSE_TO = Set.of("service", "global", "ip");

    private Sdl.ExposeTo exposeTo(At t) {
        t.requireObject();
        return t.build(at -> new Sdl.ExposeTo(at.optionalText("service"), at.optionalBool("global"), at.optionalText("ip"),
                at.extra(EXPOSE_TO)));
    }

    private Sdl.Params params(At p) {
        p.requireObject();
        return p.build(at -> new Sdl.Params(at.optionalMap("storage", m -> m.build(mount -> {
            mount.requireObject();
            return new Sdl.StorageMount(mount.optionalText("mount"), mount.optionalBool("readOnly"),
                    mount.extra(Set.of("mount", "readOnly")));
        })), at.extra(Set.of("storage"))));
    }

    private Sdl.Credentials credentials(At c) {
        c.requireObject();
        return new Sdl.Credentials(c.requiredText("host"), c.requiredText("username"), c.requiredText("password"),
                c.optionalText("email"), c.extra(Set.of("host", "username", "password", "email")));
    }

    private Sdl.Profiles profiles(At p) {
        p.requireObject();
        return new Sdl.Profiles(p.requiredMap("compute", c -> c.build(this::computeProfile)),
                p.requiredMap("placement", pl -> pl.build(this::placement)), p.extra(Set.of("compute", "placement")));
    }

    private Sdl.ComputeProfile computeProfile(At c) {
        c.requireObject();
        return new Sdl.ComputeProfile(c.required("resources").build(this::resources), c.extra(Set.of("resources")));
    }

    private static final Set<String> RESOURCES = Set.of("cpu", "memory", "storage", "gpu");

    private Sdl.Resources resources(At r) {
        r.requireObject();
        Sdl.Cpu cpu = r.required("cpu").build(c -> {
            c.requireObject();
            return new Sdl.Cpu(c.requiredScalar("units"), c.extra(Set.of("units")));
        });
        Sdl.Memory memory = r.required("memory").build(m -> {
            m.requireObject();
            return new Sdl.Memory(m.requiredScalar("size"), m.extra(Set.of("size")));
        });
        At storage = r.required("storage");
        boolean asList = storage.node.isArray();
        List<Sdl.Storage> volumes = asList ? storage.elements(this::storage) : List.of(storage.build(this::storage));
        Optional<Sdl.Gpu> gpu = r.optional("gpu").map(g -> g.build(this::gpu));
        return r.build(at -> new Sdl.Resources(cpu, memory, volumes, asList, gpu, at.extra(RESOURCES)));
    }

    private Sdl.Storage storage(At s) {
        s.requireObject();
        Map<String, Sdl.Scalar> attributes = s.optionalMap("attributes", At::scalar);
        return s.build(at -> new Sdl.Storage(at.optionalText("name"), at.requiredScalar("size"), attributes,
                at.extra(Set.of("name", "size", "attributes"))));
    }

    private Sdl.Gpu gpu(At g) {
        g.requireObject();
        int units = g.requiredInt("units");
        Map<String, List<Sdl.GpuModel>> vendors = new LinkedHashMap<>();
        Map<String, JsonNode> attributesExtra = Map.of();
        Optional<At> attributes = g.optional("attributes");
        if (attributes.isPresent()) {
            At a = attributes.get();
            a.requireObject();
            vendors = a.optionalMap("vendor", v -> v.node.isNull() ? List.of() : v.elements(this::gpuModel));
            attributesExtra = a.extra(Set.of("vendor"));
        }
        Map<String, List<Sdl.GpuModel>> v = vendors;
        Map<String, JsonNode> ax = attributesExtra;
        return g.build(at -> new Sdl.Gpu(units, v, ax, at.extra(Set.of("units", "attributes"))));
    }

    private Sdl.GpuModel gpuModel(At m) {
        m.requireObject();
        return m.build(at -> new Sdl.GpuModel(at.requiredScalar("model"), at.optional("ram").map(At::scalar),
                at.optionalText("interface"), at.extra(Set.of("model", "ram", "interface"))));
    }

    private Sdl.Placement placement(At p) {
        p.requireObject();
        Map<String, JsonNode> attributes = p.optional("attributes").map(a -> {
            a.requireObject();
            return a.extra(Set.of());
        }).orElse(Map.of());
        Optional<Sdl.SignedBy> signedBy = p.optional("signedBy").map(s -> {
            s.requireObject();
            return s.build(at -> new Sdl.SignedBy(at.list("allOf", At::scalar), at.list("anyOf", At::scalar),
                    at.extra(Set.of("allOf", "anyOf"))));
        });
        Map<String, Sdl.Price> pricing = p.requiredMap("pricing", pr -> pr.build(this::price));
        return p.build(at -> new Sdl.Placement(attributes, signedBy, pricing, at.extra(Set.of("attributes", "signedBy", "pricing"))));
    }

    private Sdl.Price price(At p) {
        p.requireObject();
        return p.build(at -> new Sdl.Price(at.requiredText("denom"), at.requiredScalar("amount"), at.extra(Set.of("denom", "amount"))));
    }

    private Sdl.Deploy deploy(At d) {
        d.requireObject();
        return d.build(at -> new Sdl.Deploy(at.requiredText("profile"), at.requiredInt("count"),
                at.extra(Set.of("profile", "count"))));
    }

    private Sdl.Endpoint endpoint(At e) {
        e.requireObject();
        return e.build(at -> new Sdl.Endpoint(at.requiredText("kind"), at.extra(Set.of("kind"))));
    }

    /** A node and its path: the typed reads, each failing with path and line. */
    private final class At {
        final JsonNode node;
        final String path;

        At(JsonNode node, String path) {
            this.node = node;
            this.path = path;
        }

        At at(String field) {
            return new At(node.path(field), child(path, field));
        }

        SdlException fail(String problem) {
            return new SdlException(source, lineFor(path), path, problem);
        }

        private int lineFor(String p) {
            for (String q = p; ; ) {
                Integer l = lines.get(q);
                if (l != null) {
                    return l;
                }
                int cut = Math.max(q.lastIndexOf('.'), q.lastIndexOf('['));
                if (cut <= 0) {
                    return lines.getOrDefault("", 0);
                }
                q = q.substring(0, cut);
            }
        }

        /** Runs {@code f}, turning a record's own refusal into an error at its path. */
        <T> T build(Function<At, T> f) {
            try {
                return f.apply(this);
            } catch (SdlInvalid e) {
                // Records name paths relative to themselves (the document's own checks: from the root).
                String where = child(path, e.path());
                throw new SdlException(source, lineFor(where), where, e.problem(), e);
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
        }

        void requireObject() {
            if (!node.isObject()) {
                throw fail("must be a mapping (key: value lines), got " + describe(node));
            }
        }

        At required(String field) {
            if (!node.has(field) || node.get(field).isNull()) {
                throw new SdlException(source, lineFor(path), child(path, field), "is required");
            }
            return at(field);
        }

        Optional<At> optional(String field) {
            return node.has(field) && !node.get(field).isNull() ? Optional.of(at(field)) : Optional.empty();
        }

        Sdl.Scalar scalar() {
            if (!node.isValueNode() || node.isNull()) {
                throw fail("must be a single value (text, number or true/false), got " + describe(node));
            }
            return new Sdl.Scalar(node);
        }

        Sdl.Scalar requiredScalar(String field) {
            return required(field).scalar();
        }

        String text() {
            if (!node.isTextual()) {
                throw fail("must be text, got " + describe(node));
            }
            return node.textValue();
        }

        String requiredText(String field) {
            String t = required(field).text();
            if (t.isBlank()) {
                throw at(field).fail("must not be blank");
            }
            return t;
        }

        Optional<String> optionalText(String field) {
            return optional(field).map(At::text);
        }

        Optional<Boolean> optionalBool(String field) {
            return optional(field).map(b -> {
                if (!b.node.isBoolean()) {
                    throw b.fail("must be true or false, got " + describe(b.node));
                }
                return b.node.booleanValue();
            });
        }

        int integer() {
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw fail("must be a whole number, got " + describe(node));
            }
            return node.intValue();
        }

        int requiredInt(String field) {
            return required(field).integer();
        }

        List<String> strings(String field) {
            return list(field, At::text);
        }

        <T> List<T> list(String field, Function<At, T> element) {
            return optional(field).map(l -> l.elements(element)).orElse(List.of());
        }

        <T> List<T> elements(Function<At, T> element) {
            if (!node.isArray()) {
                throw fail("must be a list (lines starting with '- '), got " + describe(node));
            }
            List<T> out = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                out.add(element.apply(new At(node.get(i), path + "[" + i + "]")));
            }
            return out;
        }

        <T> Map<String, T> requiredMap(String field, Function<At, T> value) {
            Map<String, T> m = required(field).entries(value);
            if (m.isEmpty()) {
                throw at(field).fail("must not be empty");
            }
            return m;
        }

        <T> Map<String, T> optionalMap(String field, Function<At, T> value) {
            return optional(field).map(m -> m.entries(value)).orElse(Map.of());
        }

        <T> Map<String, T> map(Function<At, T> value) {
            return entries(value);
        }

        private <T> Map<String, T> entries(Function<At, T> value) {
            requireObject();
            Map<String, T> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), value.apply(new At(e.getValue(), child(path, e.getKey()))));
            }
            return out;
        }

        /** The keys not in {@code known}, as written. */
        Map<String, JsonNode> extra(Set<String> known) {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!known.contains(e.getKey())) {
                    out.put(e.getKey(), e.getValue());
                }
            }
            return out;
        }
    }

    private static String describe(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        String t = n.isTextual() ? "'" + n.textValue() + "'" : n.asText();
        return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    }
}
