package dev.forage.tools.inference.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The demo's sample corpus (examples/.../corpus/chunks.jsonl), read from the source tree. */
final class Corpus {

    static final String RELATIVE = "examples/src/main/resources/dev/forage/examples/corpus/chunks.jsonl";

    private Corpus() {}

    static Path path() {
        return Path.of(System.getProperty("forage.root", "..")).resolve(RELATIVE).toAbsolutePath().normalize();
    }

    /** All chunks' texts, in file order. */
    static List<String> texts() {
        ObjectMapper json = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(path(), StandardCharsets.UTF_8)) {
                texts.add(json.readTree(line).get("text").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the corpus at " + path() + "; run from the repository with"
                    + " -Dforage.root=<repository root>", e);
        }
        return texts;
    }

    /** {@code n} chunks spread evenly over the corpus (both sources), in corpus order. */
    static List<String> sample(int n) {
        List<String> all = texts();
        if (n >= all.size()) {
            return all;
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(all.get((int) ((long) i * all.size() / n)));
        }
        return out;
    }
}
