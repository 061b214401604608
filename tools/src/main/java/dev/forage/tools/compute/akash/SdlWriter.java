package dev.forage.tools.compute.akash;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link Sdl} to a JSON tree in the SDL's layout, and that tree to YAML text. Known keys come
 * first in the order Akash's own examples use, then the kept unknown keys of each level.
 */
final class SdlWriter {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /**
     * Writes plain (unquoted) strings where that is safe and quotes the rest. Safe means: the
     * reader gives back the very same string. Jackson's own check misses strings its parser
     * reads as numbers ({@code 1e3}, {@code 1_000}), so the test here is to read it back.
     */
    private static final class ReadsBackQuoting extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || !readsBackAsItself(value);
        }

        private static boolean readsBackAsItself(String value) {
            if (value.isEmpty() || value.length() > 200 || !value.strip().equals(value) || value.chars().anyMatch(c -> c < 0x20)) {
                return false;
            }
            try (JsonParser p = SdlReader.FACTORY.createParser("k: " + value + "\n")) {
                return p.nextToken() == JsonToken.START_OBJECT && p.nextToken() == JsonToken.FIELD_NAME
                        && p.nextToken() == JsonToken.VALUE_STRING && value.equals(p.getText())
                        && p.nextToken() == JsonToken.END_OBJECT && p.nextToken() == null;
            } catch (IOException | RuntimeException unreadable) {
                return false;
            }
        }
    }

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            // Long values (an IBC denom, an env entry) stay on one line, as people write them.
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .stringQuotingChecker(new ReadsBackQuoting())
            .build());

    private SdlWriter() {}

    static String yaml(Sdl sdl) {
        return yaml(tree(sdl));
    }

    static String yaml(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an SDL tree as YAML: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode tree(Sdl sdl) {
        ObjectNode o = F.objectNode();
        o.set("version", sdl.version().node());
        o.set("services", map(sdl.services(), SdlWriter::service));
        o.set("profiles", profiles(sdl.profiles()));
        o.set("deployment", map(sdl.deployment(), byPlacement -> map(byPlacement, SdlWriter::deploy)));
        putMap(o, "endpoints", sdl.endpoints(), e -> with(F.objectNode().put("kind", e.kind()), e.extra()));
        return with(o, sdl.extra());
    }

    private static ObjectNode service(Sdl.Service s) {
        ObjectNode o = F.objectNode().put("image", s.image());
        putStrings(o, "command", s.command());
        putStrings(o, "args", s.args());
        putStrings(o, "env", s.env());
        putList(o, "expose", s.expose(), SdlWriter::expose);
        s.params().ifPresent(p -> {
            ObjectNode params = F.objectNode();
            putMap(params, "storage", p.storage(), m -> {
                ObjectNode mount = F.objectNode();
                m.mount().ifPresent(v -> mount.put("mount", v));
                m.readOnly().ifPresent(v -> mount.put("readOnly", v));
                return with(mount, m.extra());
            });
            o.set("params", with(params, p.extra()));
        });
        s.credentials().ifPresent(c -> {
            ObjectNode cred = F.objectNode().put("host", c.host()).put("username", c.username()).put("password", c.password());
            c.email().ifPresent(e -> cred.put("email", e));
            o.set("credentials", with(cred, c.extra()));
        });
        return with(o, s.extra());
    }

    private static ObjectNode expose(Sdl.Expose e) {
        ObjectNode o = F.objectNode().put("port", e.port());
        e.as().ifPresent(as -> o.put("as", as));
        e.proto().ifPresent(p -> o.put("proto", p));
        putStrings(o, "accept", e.accept());
        putList(o, "to", e.to(), t -> {
            ObjectNode to = F.objectNode();
            t.service().ifPresent(v -> to.put("service", v));
            t.global().ifPresent(v -> to.put("global", v));
            t.ip().ifPresent(v -> to.put("ip", v));
            return with(to, t.extra());
        });
        return with(o, e.extra());
    }

    private static ObjectNode profiles(Sdl.Profiles p) {
        ObjectNode o = F.objectNode();
        o.set("compute", map(p.compute(), c -> with(F.objectNode().set("resources", resources(c.resources())), c.extra())));
        o.set("placement", map(p.placement(), SdlWriter::placement));
        return with(o, p.extra());
    }

    private static ObjectNode resources(Sdl.Resources r) {
        ObjectNode o = F.objectNode();
        o.set("cpu", with(F.objectNode().set("units", r.cpu().units().node()), r.cpu().extra()));
        o.set("memory", with(F.objectNode().set("size", r.memory().size().node()), r.memory().extra()));
        if (r.storageAsList()) {
            ArrayNode a = F.arrayNode();
            r.storage().forEach(s -> a.add(storage(s)));
            o.set("storage", a);
        } else {
            o.set("storage", storage(r.storage().get(0)));
        }
        r.gpu().ifPresent(g -> o.set("gpu", gpu(g)));
        return with(o, r.extra());
    }

    private static ObjectNode storage(Sdl.Storage s) {
        ObjectNode o = F.objectNode();
        s.name().ifPresent(n -> o.put("name", n));
        o.set("size", s.size().node());
        putMap(o, "attributes", s.attributes(), Sdl.Scalar::node);
        return with(o, s.extra());
    }

    private static ObjectNode gpu(Sdl.Gpu g) {
        ObjectNode o = F.objectNode().put("units", g.units());
        if (!g.vendors().isEmpty() || !g.attributesExtra().isEmpty()) {
            ObjectNode attributes = F.objectNode();
            if (!g.vendors().isEmpty()) {
                // A vendor with no models is written bare (nvidia:), Akash's spelling of "any model".
                attributes.set("vendor", map(g.vendors(), models -> models.isEmpty() ? NullNode.getInstance() : list(models, m -> {
                    ObjectNode model = F.objectNode();
                    model.set("model", m.model().node());
                    m.ram().ifPresent(ram -> model.set("ram", ram.node()));
                    m.iface().ifPresent(i -> model.put("interface", i));
                    return with(model, m.extra());
                })));
            }
            o.set("attributes", with(attributes, g.attributesExtra()));
        }
        return with(o, g.extra());
    }

    private static ObjectNode placement(Sdl.Placement p) {
        ObjectNode o = F.objectNode();
        if (!p.attributes().isEmpty()) {
            o.set("attributes", with(F.objectNode(), p.attributes()));
        }
        p.signedBy().ifPresent(s -> {
            ObjectNode signed = F.objectNode();
            putList(signed, "allOf", s.allOf(), Sdl.Scalar::node);
            putList(signed, "anyOf", s.anyOf(), Sdl.Scalar::node);
            o.set("signedBy", with(signed, s.extra()));
        });
        o.set("pricing", map(p.pricing(), pr -> {
            ObjectNode price = F.objectNode().put("denom", pr.denom());
            price.set("amount", pr.amount().node());
            return with(price, pr.extra());
        }));
        return with(o, p.extra());
    }

    private static ObjectNode deploy(Sdl.Deploy d) {
        return with(F.objectNode().put("profile", d.profile()).put("count", d.count()), d.extra());
    }

    // --- pieces ------------------------------------------------------------------------------------

    private static ObjectNode with(ObjectNode o, Map<String, JsonNode> extra) {
        extra.forEach((k, v) -> o.set(k, v.deepCopy()));
        return o;
    }

    private static <V> ObjectNode map(Map<String, V> m, Function<V, JsonNode> value) {
        ObjectNode o = F.objectNode();
        m.forEach((k, v) -> o.set(k, value.apply(v)));
        return o;
    }

    private static <V> ArrayNode list(List<V> l, Function<V, JsonNode> element) {
        ArrayNode a = F.arrayNode();
        l.forEach(v -> a.add(element.apply(v)));
        return a;
    }

    private static <V> void putMap(ObjectNode o, String field, Map<String, V> m, Function<V, JsonNode> value) {
        if (!m.isEmpty()) {
            o.set(field, map(m, value));
        }
    }

    private static <V> void putList(ObjectNode o, String field, List<V> l, Function<V, JsonNode> element) {
        if (!l.isEmpty()) {
            o.set(field, list(l, element));
        }
    }

    private static void putStrings(ObjectNode o, String field, List<String> l) {
        putList(o, field, l, F::textNode);
    }
}
