package dev.forage.runtime.deploy.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * One YAML document as a Jackson tree (what the JSON Schema validator reads) plus an index of
 * where each node was written, by JSON Pointer, so every problem found on the tree can name its
 * line and column. Jackson's own tree model drops locations; its streaming parser has them.
 *
 * <p>Two departures from plain YAML, both for deployments: a plain scalar starting with
 * {@code 0x} stays text (YAML 1.1 would read an EVM address as a hexadecimal integer), and
 * aliases ({@code *name}) are refused rather than silently read as the alias's name.
 */
final class LocatedYaml {

    /** A 1-based line and column. */
    record Loc(int line, int column) {
        static final Loc START = new Loc(1, 1);
    }

    /** Something wrong with the YAML that did not stop the parse (a repeated key, an alias). */
    record Issue(Pointer path, Loc loc, String message) {}

    /** The parse could not go on. */
    static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Loc loc;

        SyntaxError(String message, Loc loc) {
            super(message);
            this.loc = loc;
        }

        Loc loc() {
            return loc;
        }
    }

    /** How deep mappings and lists may nest; a deployment needs six levels. */
    static final int MAX_DEPTH = 32;

    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, Loc> keyLocs = new HashMap<>();
    private final Map<String, Loc> valueLocs = new HashMap<>();
    private final Map<String, String> scalarTexts = new HashMap<>();
    private final List<Issue> issues = new ArrayList<>();
    private final JsonNode root;

    private LocatedYaml(String text) throws SyntaxError {
        JsonNode read = null;
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                issues.add(new Issue(Pointer.ROOT, Loc.START, "the file holds no YAML document: write an AgentDeployment"));
            } else {
                read = read(p, first, Pointer.ROOT, 0);
                JsonToken next = p.nextToken();
                if (next != null) {
                    issues.add(new Issue(Pointer.ROOT, loc(p.currentTokenLocation()),
                            "a deployment file holds one document: move this second one to a file of its own"));
                }
            }
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                throw syntaxError(marked);
            }
            JsonLocation l = e.getLocation();
            throw new SyntaxError("YAML syntax error: " + e.getOriginalMessage(), l == null ? Loc.START : loc(l));
        } catch (MarkedYAMLException e) {
            throw syntaxError(e);
        } catch (YAMLException e) {
            throw new SyntaxError("YAML syntax error: " + e.getMessage(), Loc.START);
        } catch (IOException e) {
            throw new SyntaxError("cannot read the YAML: " + e.getMessage(), Loc.START);
        }
        this.root = read == null ? NODES.nullNode() : read;
    }

    /**
     * Parses the first document of {@code text}.
     *
     * @throws SyntaxError when the text is not YAML
     */
    static LocatedYaml parse(String text) throws SyntaxError {
        return new LocatedYaml(text);
    }

    JsonNode root() {
        return root;
    }

    List<Issue> issues() {
        return issues;
    }

    /** Where the node's key was written (members only). */
    Optional<Loc> keyLoc(Pointer p) {
        return Optional.ofNullable(keyLocs.get(p.json()));
    }

    /** Where the node's value starts. */
    Optional<Loc> valueLoc(Pointer p) {
        return Optional.ofNullable(valueLocs.get(p.json()));
    }

    /** Where a field starts: its key for a member, its value for an item; else the nearest enclosing node. */
    Loc fieldLoc(Pointer p) {
        for (Pointer at = p; ; at = at.parent()) {
            Loc loc = keyLocs.getOrDefault(at.json(), valueLocs.get(at.json()));
            if (loc != null) {
                return loc;
            }
            if (at.isRoot()) {
                return Loc.START;
            }
        }
    }

    /** Where a mapping or list starts; else the nearest enclosing node. */
    Loc nodeLoc(Pointer p) {
        return valueLoc(p).orElseGet(() -> fieldLoc(p));
    }

    /** A scalar exactly as written (a number's digits, a boolean's word), if the node is one. */
    Optional<String> scalarText(Pointer p) {
        return Optional.ofNullable(scalarTexts.get(p.json()));
    }

    private JsonNode read(JsonParser p, JsonToken t, Pointer at, int depth) throws IOException, SyntaxError {
        Loc where = loc(p.currentTokenLocation());
        valueLocs.put(at.json(), where);
        if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            issues.add(new Issue(at, where, "YAML aliases (*" + p.getText()
                    + ") are not supported in deployments: write the value out"));
            return NODES.nullNode();
        }
        if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && depth >= MAX_DEPTH) {
            issues.add(new Issue(at, where, "nested more than " + MAX_DEPTH + " levels deep: a deployment needs far fewer"));
            p.skipChildren();
            return NODES.nullNode();
        }
        switch (t) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Loc keyLoc = loc(p.currentTokenLocation());
                    Pointer child = at.child(key);
                    if (object.has(key)) {
                        Loc first = keyLocs.get(child.json());
                        issues.add(new Issue(child, keyLoc, "key '" + key + "' appears twice in this mapping (first at line "
                                + first.line() + "): keep one"));
                        JsonToken skipped = p.nextToken();
                        if (skipped == JsonToken.START_OBJECT || skipped == JsonToken.START_ARRAY) {
                            p.skipChildren();
                        }
                        continue;
                    }
                    keyLocs.put(child.json(), keyLoc);
                    object.set(key, read(p, p.nextToken(), child, depth + 1));
                }
                if (k != JsonToken.END_OBJECT) {
                    throw new SyntaxError("YAML syntax error: unexpected " + k + " in a mapping", loc(p.currentTokenLocation()));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                JsonToken i;
                while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (i == null) {
                        throw new SyntaxError("YAML syntax error: a list is not closed", loc(p.currentTokenLocation()));
                    }
                    array.add(read(p, i, at.child(array.size()), depth + 1));
                }
                return array;
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                scalarTexts.put(at.json(), p.getText());
                return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                String text = p.getText();
                scalarTexts.put(at.json(), text);
                return number(p, t, text);
            }
            case VALUE_EMBEDDED_OBJECT -> {
                issues.add(new Issue(at, where, "binary values (!!binary) are not supported in deployments: write text"));
                return NODES.nullNode();
            }
            default -> throw new SyntaxError("YAML syntax error: unexpected YAML token " + t, loc(p.currentTokenLocation()));
        }
    }

    private static JsonNode number(JsonParser p, JsonToken t, String text) {
        String unsigned = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
        if (unsigned.startsWith("0x") || unsigned.startsWith("0X")) {
            return NODES.textNode(text);
        }
        try {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            double d = p.getDoubleValue();
            // .inf and .nan have no JSON form; keep the text so the schema reports a wrong type.
            return Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(text);
        } catch (IOException | NumberFormatException e) {
            return NODES.textNode(text);
        }
    }

    /** SnakeYAML's problem in one line, at its mark; the context says where the construct began. */
    private static SyntaxError syntaxError(MarkedYAMLException e) {
        Mark problem = e.getProblemMark();
        Mark context = e.getContextMark();
        String message = "YAML syntax error: " + (e.getProblem() == null ? "malformed YAML" : e.getProblem().strip());
        if (e.getContext() != null && context != null) {
            message += " (" + e.getContext().strip() + " from line " + (context.getLine() + 1) + ", column "
                    + (context.getColumn() + 1) + ")";
        }
        Loc at = problem == null ? Loc.START : new Loc(problem.getLine() + 1, problem.getColumn() + 1);
        return new SyntaxError(message, at);
    }

    private static Loc loc(JsonLocation l) {
        return new Loc(Math.max(l.getLineNr(), 0), Math.max(l.getColumnNr(), 0));
    }
}
