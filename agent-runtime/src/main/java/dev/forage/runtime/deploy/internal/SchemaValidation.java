package dev.forage.runtime.deploy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.forage.runtime.deploy.DeploymentLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates a document against the shipped JSON Schema and turns each error (a JSON Pointer, a
 * keyword and its arguments) into a problem a person can act on: the field path as written
 * ({@code spec.markets[1].apiKeyEnv}), the line and column from the YAML, and a message that
 * says what to write, including the condition of an {@code if}/{@code then} ("required for kind
 * akash"), the closest allowed name for an unknown field, and what the named {@code $defs}
 * shapes mean ("a CAIP-2 chain id like eip155:8453").
 */
final class SchemaValidation {

    /** The schema document, for tests and tools that read it. */
    static final JsonNode SCHEMA_NODE = readSchema();

    private static final Schema SCHEMA =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(SCHEMA_NODE);

    /** What each named shape in {@code $defs} means, for messages. */
    static final Map<String, String> SHAPES = Map.ofEntries(
            Map.entry("dnsLabel", "a DNS label (1 to 63 lower-case letters, digits and '-', starting and ending with a letter or digit)"),
            Map.entry("envName", "the name of an environment variable (letters, digits and '_', not starting with a digit), not its value"),
            Map.entry("path", "a file path"),
            Map.entry("url", "an http or https URL"),
            Map.entry("rpcUrl", "an http, https, ws or wss URL"),
            Map.entry("caip2", "a CAIP-2 chain id like eip155:8453"),
            Map.entry("address", "an EVM address (0x and 40 hex digits)"),
            Map.entry("money", "an amount and an asset symbol like '3.00 USDC'"),
            Map.entry("duration", "a positive ISO-8601 duration like PT10M, PT1H30M or P1D"),
            Map.entry("ratio", "a number from 0 to 1"),
            Map.entry("name", "a non-empty string"));

    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,9})\\s*(s|m|h|d|w|sec|min|hr|hour|hours|day|days)");

    private SchemaValidation() {}

    static void validate(LocatedYaml yaml, Problems problems) {
        List<Error> errors = new ArrayList<>(SCHEMA.validate(yaml.root()));
        // Errors that block a field (unknown, not allowed) go first, so nothing is said inside it.
        errors.sort(Comparator.comparingInt(e -> blocking(e) ? 0 : 1));
        for (Error e : errors) {
            translate(e, yaml, problems);
        }
    }

    private static boolean blocking(Error e) {
        return "additionalProperties".equals(e.getKeyword()) || "false".equals(e.getKeyword());
    }

    private static void translate(Error e, LocatedYaml yaml, Problems problems) {
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        List<Object> schemaPath = segments(e.getSchemaLocation().getFragment());
        if (!schemaPath.isEmpty() && keyword.equals(String.valueOf(schemaPath.get(schemaPath.size() - 1)))) {
            schemaPath = schemaPath.subList(0, schemaPath.size() - 1);
        }
        if (insideAlternative(schemaPath)) {
            return; // the oneOf's own error says it better than each branch's
        }
        Pointer at = new Pointer(segments(e.getInstanceLocation()));
        JsonNode instance = at(yaml.root(), at.segments()).orElse(null);
        JsonNode schemaNode = e.getSchemaNode();
        String shape = shapeName(schemaPath);
        switch (keyword) {
            case "required" -> {
                Pointer missing = at.child(property(e));
                problems.add(missing, yaml.nodeLoc(at), "required" + condition(schemaPath, at, yaml.root()));
            }
            case "additionalProperties" -> {
                String name = property(e);
                Pointer unknown = at.child(name);
                List<String> allowed = new ArrayList<>();
                at(SCHEMA_NODE, schemaPath).map(s -> s.get("properties")).ifPresent(p -> p.fieldNames().forEachRemaining(allowed::add));
                String hint = Suggestions.closest(name, allowed).map(s -> "; did you mean '" + s + "'?")
                        .orElse("; allowed here: " + String.join(", ", allowed));
                problems.addBlocking(unknown, yaml.fieldLoc(unknown), "unknown field" + hint);
            }
            case "false" -> problems.addBlocking(at, yaml.fieldLoc(at), "not allowed" + condition(schemaPath, at, yaml.root()));
            case "const" -> problems.add(at, yaml.fieldLoc(at), "must be " + schemaNode.asText() + ", got " + show(instance, at, yaml));
            case "enum" -> {
                List<String> values = new ArrayList<>();
                schemaNode.forEach(v -> values.add(v.asText()));
                String hint = instance != null && instance.isTextual()
                        ? Suggestions.closest(instance.textValue(), values).map(s -> "; did you mean '" + s + "'?").orElse("")
                        : "";
                problems.add(at, yaml.fieldLoc(at), "must be one of " + String.join(", ", values) + ", got "
                        + show(instance, at, yaml) + hint);
            }
            case "type" -> problems.add(at, yaml.fieldLoc(at), typeMessage(schemaNode, shape, instance, at, yaml));
            case "pattern" -> problems.add(at, yaml.fieldLoc(at), patternMessage(shape, schemaNode.asText(), instance, at, yaml));
            case "minimum" -> problems.add(at, yaml.fieldLoc(at), "must be at least " + schemaNode.asText() + ", got " + show(instance, at, yaml));
            case "maximum" -> problems.add(at, yaml.fieldLoc(at), "must be at most " + schemaNode.asText() + ", got " + show(instance, at, yaml));
            case "exclusiveMinimum" -> problems.add(at, yaml.fieldLoc(at), "must be more than " + schemaNode.asText() + ", got " + show(instance, at, yaml));
            case "exclusiveMaximum" -> problems.add(at, yaml.fieldLoc(at), "must be less than " + schemaNode.asText() + ", got " + show(instance, at, yaml));
            case "minLength" -> problems.add(at, yaml.fieldLoc(at), "must not be empty");
            case "minItems" -> problems.add(at, yaml.fieldLoc(at), schemaNode.asInt() <= 1
                    ? "must not be empty: list at least one"
                    : "must list at least " + schemaNode.asText() + " items");
            case "uniqueItems" -> repeated(at, instance, yaml, problems);
            case "oneOf" -> problems.add(at, yaml.nodeLoc(at), oneOfMessage(schemaNode, e.getArguments(), instance));
            default -> problems.add(at, yaml.fieldLoc(at), e.getMessage());
        }
    }

    /** The property a required or additionalProperties error is about. */
    private static String property(Error e) {
        if (e.getProperty() != null) {
            return e.getProperty();
        }
        Object[] arguments = e.getArguments();
        return arguments != null && arguments.length > 0 ? String.valueOf(arguments[0]) : "?";
    }

    /** Whether the keyword is inside one branch of a oneOf, anyOf or not. */
    private static boolean insideAlternative(List<Object> schemaPath) {
        for (int i = 0; i < schemaPath.size(); i++) {
            Object s = schemaPath.get(i);
            if ("not".equals(s)) {
                return true;
            }
            if (("oneOf".equals(s) || "anyOf".equals(s)) && i + 1 < schemaPath.size() && isIndex(schemaPath.get(i + 1))) {
                return true;
            }
        }
        return false;
    }

    /** The {@code $defs} shape a keyword belongs to directly ({@code #/$defs/caip2/pattern}), or "". */
    private static String shapeName(List<Object> schemaPath) {
        return schemaPath.size() == 2 && "$defs".equals(schemaPath.get(0)) ? String.valueOf(schemaPath.get(1)) : "";
    }

    /**
     * " for kind akash", " when register is true", " unless devnet is true", " with rolling": the
     * condition of the {@code if} whose {@code then} or {@code else} holds the keyword.
     *
     * @param at the instance the keyword was evaluated on
     */
    private static String condition(List<Object> schemaPath, Pointer at, JsonNode root) {
        int branch = Math.max(schemaPath.lastIndexOf("then"), schemaPath.lastIndexOf("else"));
        if (branch < 0) {
            return "";
        }
        // The if was evaluated on the object the branch applies to: one level up per
        // properties/items step taken inside the branch.
        int depth = 0;
        for (int i = branch + 1; i < schemaPath.size(); i++) {
            Object s = schemaPath.get(i);
            if ("properties".equals(s) || "patternProperties".equals(s)) {
                depth++;
                i++;
            } else if ("items".equals(s) || "additionalProperties".equals(s)) {
                depth++;
            }
        }
        Pointer object = at.up(depth);
        boolean then = "then".equals(schemaPath.get(branch));
        Optional<JsonNode> iff = at(SCHEMA_NODE, schemaPath.subList(0, branch)).map(n -> n.get("if"));
        if (iff.isEmpty() || iff.get() == null) {
            return "";
        }
        JsonNode properties = iff.get().get("properties");
        if (properties != null && properties.isObject() && properties.size() > 0) {
            String name = properties.fieldNames().next();
            JsonNode test = properties.get(name);
            Optional<JsonNode> actual = at(root, object.segments()).map(o -> o.get(name));
            if (then && actual.isPresent() && actual.get() != null) {
                JsonNode v = actual.get();
                return v.isTextual() ? " for " + name + " " + v.textValue() : " when " + name + " is " + v.asText();
            }
            if (test.has("const")) {
                return (then ? " when " : " unless ") + name + " is " + test.get("const").asText();
            }
            return "";
        }
        JsonNode required = iff.get().get("required");
        if (required != null && required.isArray() && required.size() == 1) {
            return (then ? " with " : " without ") + required.get(0).asText();
        }
        return "";
    }

    private static String typeMessage(JsonNode expected, String shape, JsonNode instance, Pointer at, LocatedYaml yaml) {
        List<String> types = new ArrayList<>();
        if (expected.isArray()) {
            expected.forEach(t -> types.add(t.asText()));
        } else {
            types.add(expected.asText());
        }
        String got = describe(instance, at, yaml, !shape.equals("envName"));
        boolean plainString = types.equals(List.of("string")) && (shape.isEmpty() || shape.equals("name") || shape.equals("path"));
        String want = SHAPES.containsKey(shape) && !plainString ? SHAPES.get(shape) : typeNames(types);
        String hint = "";
        Optional<String> written = yaml.scalarText(at);
        if (plainString && instance != null && (instance.isNumber() || instance.isBoolean()) && written.isPresent()) {
            hint = "; quote it if you mean the text: '" + written.get() + "'";
        } else if ((types.contains("integer") || types.contains("number")) && instance != null && instance.isTextual()
                && instance.textValue().strip().matches("-?[0-9]+(\\.[0-9]+)?")) {
            hint = "; write it without quotes";
        }
        return "must be " + want + ", got " + got + hint;
    }

    private static String typeNames(List<String> types) {
        List<String> names = types.stream().map(t -> switch (t) {
            case "string" -> "a string";
            case "integer" -> "a whole number";
            case "number" -> "a number";
            case "boolean" -> types.size() == 1 ? "true or false" : "a boolean";
            case "object" -> "a mapping";
            case "array" -> "a list";
            default -> t;
        }).toList();
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static String patternMessage(String shape, String pattern, JsonNode instance, Pointer at, LocatedYaml yaml) {
        if (shape.equals("envName")) {
            return "must be " + SHAPES.get(shape) + " (the value is not shown)";
        }
        String want = SHAPES.getOrDefault(shape, "text matching " + pattern);
        String text = instance != null && instance.isTextual() ? instance.textValue() : "";
        String hint = "";
        if (shape.equals("duration")) {
            Matcher m = SHORT_DURATION.matcher(text.strip().toLowerCase(java.util.Locale.ROOT));
            if (m.matches()) {
                String n = m.group(1);
                hint = "; did you mean " + switch (m.group(2)) {
                    case "s", "sec" -> "PT" + n + "S";
                    case "m", "min" -> "PT" + n + "M";
                    case "h", "hr", "hour", "hours" -> "PT" + n + "H";
                    case "w" -> "P" + (Long.parseLong(n) * 7) + "D";
                    default -> "P" + n + "D";
                } + "?";
            }
        } else if (shape.equals("caip2") && text.matches("[0-9]{1,20}")) {
            hint = "; did you mean eip155:" + text + "?";
        } else if (shape.equals("money") && text.strip().matches("[0-9]+(\\.[0-9]+)?")) {
            hint = "; add the asset symbol, e.g. '" + text.strip() + " USDC'";
        }
        return "must be " + want + ", got " + show(instance, at, yaml) + hint;
    }

    private static String oneOfMessage(JsonNode branches, Object[] arguments, JsonNode instance) {
        List<String> names = new ArrayList<>();
        for (JsonNode branch : branches) {
            JsonNode required = branch.get("required");
            if (branch.size() != 1 || required == null || required.size() != 1) {
                return "must match exactly one of the shapes the schema allows here";
            }
            names.add(required.get(0).asText());
        }
        String alternatives = String.join(" or ", names);
        int valid = 0;
        if (arguments != null && arguments.length > 0) {
            try {
                valid = Integer.parseInt(String.valueOf(arguments[0]).strip());
            } catch (NumberFormatException e) {
                valid = 0;
            }
        }
        if (valid == 0) {
            return "needs one of " + alternatives;
        }
        return "takes one of " + alternatives + ", not " + (names.size() == 2 ? "both" : "several");
    }

    private static void repeated(Pointer at, JsonNode list, LocatedYaml yaml, Problems problems) {
        if (list == null || !list.isArray()) {
            return;
        }
        for (int j = 1; j < list.size(); j++) {
            for (int i = 0; i < j; i++) {
                if (list.get(i).equals(list.get(j))) {
                    Pointer item = at.child(j);
                    problems.add(item, yaml.fieldLoc(item), "repeats " + show(list.get(j), item, yaml) + " (first at line "
                            + yaml.fieldLoc(at.child(i)).line() + "): list it once");
                    break;
                }
            }
        }
    }

    /** A value for a message: quoted text, never a value that looks like a secret. */
    static String show(JsonNode value, Pointer at, LocatedYaml yaml) {
        if (value == null || value.isNull()) {
            return "nothing";
        }
        if (value.isTextual()) {
            String text = value.textValue();
            if (!Secrets.showable(text)) {
                return "a value that looks like a secret (not shown)";
            }
            String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
            return "'" + shown.replace("\n", "\\n") + "'";
        }
        if (value.isContainerNode()) {
            return value.isObject() ? "a mapping" : "a list";
        }
        return yaml.scalarText(at).orElse(value.asText());
    }

    /** What a value is, for a type error: "a string", "the number 8453", "a mapping". */
    private static String describe(JsonNode value, Pointer at, LocatedYaml yaml, boolean showScalars) {
        if (value == null || value.isNull()) {
            return "nothing";
        }
        String written = yaml.scalarText(at).orElse(value.asText());
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isNumber()) {
            return showScalars ? "the number " + written : "a number";
        }
        if (value.isBoolean()) {
            return showScalars ? "the boolean " + written : "a boolean";
        }
        return value.isObject() ? "a mapping" : "a list";
    }

    static List<Object> segments(NodePath path) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            out.add(element instanceof Number n ? (Object) n.intValue() : String.valueOf(element));
        }
        return out;
    }

    private static boolean isIndex(Object segment) {
        return segment instanceof Integer || (segment instanceof String s && s.matches("[0-9]+"));
    }

    /** The node at {@code path} below {@code node}, if there is one. */
    static Optional<JsonNode> at(JsonNode node, List<Object> path) {
        JsonNode current = node;
        for (Object s : path) {
            if (current == null) {
                return Optional.empty();
            }
            if (current.isArray() && isIndex(s)) {
                current = current.get(Integer.parseInt(s.toString()));
            } else if (current.isObject()) {
                current = current.get(s.toString());
            } else {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(current);
    }

    private static JsonNode readSchema() {
        try (InputStream in = SchemaValidation.class.getClassLoader().getResourceAsStream(DeploymentLoader.SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the deployment schema " + DeploymentLoader.SCHEMA_RESOURCE
                        + " is missing from the class path: the agent-runtime jar is incomplete");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the deployment schema " + DeploymentLoader.SCHEMA_RESOURCE, e);
        }
    }
}
