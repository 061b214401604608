package dev.forage.policies.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each node came from, so every problem in a
 * policy can be reported with its line. Built from Jackson's streaming YAML parser, which
 * gives a {@link JsonLocation} per token; Jackson's own tree model drops them.
 */
public final class YamlTree {

    private YamlTree() {}

    /** A 1-based line and column. */
    public record Loc(int line, int column) {}

    /** A node of the tree. */
    public sealed interface Node {
        Loc loc();

        /** What the node is, for error messages. */
        String kind();
    }

    /** A mapping; keys keep their own locations. */
    public record MapNode(Loc loc, Map<String, Entry> entries) implements Node {
        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** One key of a mapping. */
    public record Entry(String key, Loc keyLoc, Node value) {}

    /** A sequence. */
    public record ListNode(Loc loc, List<Node> items) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar, as written (numbers and booleans too).
     *
     * @param text the scalar's text; "" for null
     * @param isNull whether it was an empty value or {@code null}
     * @param style how it was written: {@code '|'} literal block, {@code '>'} folded block,
     *     {@code '"'} or {@code '\''} quoted, {@code ' '} plain
     */
    public record Scalar(Loc loc, String text, boolean isNull, char style) implements Node {
        @Override
        public String kind() {
            return isNull ? "empty" : "a scalar";
        }
    }

    /** A YAML syntax error, with where it happened. */
    public static final class SyntaxError extends Exception {
        private final Loc loc;

        SyntaxError(String message, Loc loc) {
            super(message);
            this.loc = loc;
        }

        /** Where the parser stopped. */
        public Loc loc() {
            return loc;
        }
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();

    /**
     * Every document in {@code text} (documents are separated by {@code ---}).
     *
     * @throws SyntaxError on malformed YAML or a key given twice in one mapping
     */
    public static List<Node> parse(String text) throws SyntaxError {
        List<Node> documents = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                documents.add(read(p, t, text));
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new SyntaxError(e.getOriginalMessage(), l == null ? new Loc(0, 0) : loc(l));
        } catch (IOException e) {
            throw new SyntaxError(e.getMessage(), new Loc(0, 0));
        }
        return documents;
    }

    private static Node read(JsonParser p, JsonToken t, String text) throws IOException, SyntaxError {
        Loc at = loc(p.currentTokenLocation());
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Loc keyLoc = loc(p.currentTokenLocation());
                    Node value = read(p, p.nextToken(), text);
                    if (entries.putIfAbsent(key, new Entry(key, keyLoc, value)) != null) {
                        throw new SyntaxError("key '" + key + "' appears twice in one mapping (first at line "
                                + entries.get(key).keyLoc().line() + "): keep one", keyLoc);
                    }
                }
                if (k != JsonToken.END_OBJECT) {
                    throw new SyntaxError("unexpected " + k + " in a mapping", loc(p.currentTokenLocation()));
                }
                return new MapNode(at, entries);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken i;
                while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (i == null) {
                        throw new SyntaxError("unterminated list", at);
                    }
                    items.add(read(p, i, text));
                }
                return new ListNode(at, items);
            }
            case VALUE_NULL -> {
                return new Scalar(at, "", true, ' ');
            }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                long offset = p.currentTokenLocation().getCharOffset();
                char first = offset >= 0 && offset < text.length() ? text.charAt((int) offset) : ' ';
                char style = "|>\"'".indexOf(first) >= 0 ? first : ' ';
                return new Scalar(at, p.getText(), false, style);
            }
            default -> throw new SyntaxError("unsupported YAML token " + t, at);
        }
    }

    private static Loc loc(JsonLocation l) {
        return new Loc(Math.max(l.getLineNr(), 0), Math.max(l.getColumnNr(), 0));
    }
}
