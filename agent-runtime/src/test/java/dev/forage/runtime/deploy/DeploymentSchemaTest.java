package dev.forage.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shipped schema is a valid draft 2020-12 schema, and the README's reference table is exactly
 * the table the schema yields (every field, its type, when it is required, what it means), so the
 * documentation cannot drift from what is validated.
 */
class DeploymentSchemaTest {

    static JsonNode schema() throws IOException {
        try (InputStream in = DeploymentLoader.class.getClassLoader().getResourceAsStream(DeploymentLoader.SCHEMA_RESOURCE)) {
            assertThat(in).as(DeploymentLoader.SCHEMA_RESOURCE).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void theSchemaIsAValidDraft202012Schema() throws IOException {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Schema meta = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

        List<Error> errors = meta.validate(schema());

        assertThat(errors).isEmpty();
        assertThat(schema().get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    @Test
    void theSchemaRejectsWhatItShould() throws IOException {
        // The schema alone, without the loader: a tool that validates with it gets the same verdicts.
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema());
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

        JsonNode valid = yaml.readTree(DeploymentProblemsTest.VALID);
        JsonNode akashWithoutKey = yaml.readTree(DeploymentProblemsTest.VALID.replace("      apiKeyEnv: AKASH_API_KEY\n", ""));

        assertThat(schema.validate(valid)).isEmpty();
        assertThat(schema.validate(akashWithoutKey)).extracting(Error::getKeyword, e -> e.getInstanceLocation().toString())
                .containsExactly(tuple("required", "/spec/markets/1"));
    }

    @Test
    void theReadmeTableIsTheSchemasTable() throws IOException {
        String expected = table(schema());
        // The table to paste when the schema changed.
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/deployment-schema-table.md"), expected);
        Path readme = Path.of(System.getProperty("forage.root", "..")).resolve("agent-runtime/README.md");
        String text = Files.readString(readme);
        String start = "<!-- deployment-schema:start -->\n";
        String end = "<!-- deployment-schema:end -->";
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        assertThat(from).as("README marker " + start.strip()).isNotNegative();
        assertThat(to).as("README marker " + end).isGreaterThan(from);

        assertThat(text.substring(from + start.length(), to)).as("the README table; paste agent-runtime/target/deployment-schema-table.md")
                .isEqualTo(expected);
    }

    /** The reference table: one row per field, in schema order. */
    static String table(JsonNode schema) {
        StringBuilder out = new StringBuilder("| field | type | required | meaning |\n|---|---|---|---|\n");
        rows(schema, schema, "", out, new LinkedHashSet<>());
        return out.toString();
    }

    private static void rows(JsonNode root, JsonNode object, String prefix, StringBuilder out, Set<String> seen) {
        JsonNode properties = object.get("properties");
        if (properties == null) {
            return;
        }
        Set<String> required = new LinkedHashSet<>();
        object.path("required").forEach(r -> required.add(r.asText()));
        properties.properties().forEach(p -> {
            String name = p.getKey();
            JsonNode field = p.getValue();
            JsonNode target = resolve(root, field);
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            String description = field.has("description") ? field.get("description").asText() : target.path("description").asText();
            out.append("| `").append(path).append("` | ").append(type(root, field)).append(" | ")
                    .append(required(object, name, required)).append(" | ").append(description.replace("|", "\\|")).append(" |\n");
            if (!seen.add(path)) {
                return;
            }
            if (target.path("type").asText().equals("object")) {
                rows(root, target, path, out, seen);
            } else if (target.path("type").asText().equals("array") && target.has("items")) {
                JsonNode item = resolve(root, target.get("items"));
                if (item.path("type").asText().equals("object")) {
                    rows(root, item, path + "[]", out, seen);
                }
            }
        });
    }

    private static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode n = node;
        while (n.has("$ref")) {
            n = root.at(n.get("$ref").asText().substring(1));
        }
        return n;
    }

    private static String type(JsonNode root, JsonNode field) {
        if (field.has("const")) {
            return "`" + field.get("const").asText() + "`";
        }
        if (field.has("enum")) {
            List<String> values = new ArrayList<>();
            field.get("enum").forEach(v -> values.add("`" + v.asText() + "`"));
            return String.join(" \\| ", values);
        }
        JsonNode target = resolve(root, field);
        String shape = field.has("$ref") ? field.get("$ref").asText().replace("#/$defs/", "") : "";
        String type = target.path("type").isArray() ? target.get("type").toString().replace("\"", "").replace(",", ", ")
                : target.path("type").asText();
        return switch (type) {
            case "object" -> target.has("properties") ? "mapping" : "mapping of " + resolve(root, target.path("additionalProperties"))
                    .path("type").toString().replaceAll("[\\[\\]\"]", "").replace(",", ", ");
            case "array" -> "list of " + itemType(root, target.get("items"));
            default -> shape.isEmpty() || shape.equals(type) ? type : type + " (" + shape + ")";
        };
    }

    private static String itemType(JsonNode root, JsonNode items) {
        JsonNode target = resolve(root, items);
        if (target.path("type").asText().equals("object")) {
            return "mappings";
        }
        String shape = items.has("$ref") ? items.get("$ref").asText().replace("#/$defs/", "") : "";
        return target.path("type").asText() + "s" + (shape.isEmpty() ? "" : " (" + shape + ")");
    }

    /** yes, no, or the condition under which the field is required. */
    private static String required(JsonNode object, String name, Set<String> required) {
        if (required.contains(name)) {
            return "yes";
        }
        List<String> conditions = new ArrayList<>();
        for (JsonNode rule : object.path("allOf")) {
            JsonNode iff = rule.path("if");
            if (contains(rule.path("then").path("required"), name)) {
                conditions.add(condition(iff, true));
            }
            if (contains(rule.path("else").path("required"), name)) {
                conditions.add(condition(iff, false));
            }
        }
        List<String> alternatives = new ArrayList<>();
        boolean alternative = false;
        for (JsonNode branch : object.path("oneOf")) {
            branch.path("required").forEach(r -> alternatives.add(r.asText()));
            alternative |= contains(branch.path("required"), name);
        }
        if (alternative) {
            conditions.add("one of " + String.join(", ", alternatives));
        }
        return conditions.isEmpty() ? "no" : String.join("; ", conditions);
    }

    private static String condition(JsonNode iff, boolean then) {
        var fields = iff.path("properties").properties().iterator();
        if (!fields.hasNext()) {
            return "with " + iff.path("required").path(0).asText();
        }
        var field = fields.next();
        JsonNode test = field.getValue();
        List<String> values = new ArrayList<>();
        if (test.has("const")) {
            values.add(test.get("const").asText());
        }
        test.path("enum").forEach(v -> values.add(v.asText()));
        return (then ? "when " : "unless ") + field.getKey() + " is " + String.join(", ", values);
    }

    private static boolean contains(JsonNode list, String name) {
        for (JsonNode n : list) {
            if (n.asText().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
