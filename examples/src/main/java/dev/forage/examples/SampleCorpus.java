package dev.forage.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sample corpus the devnet demo embeds: 4,853 public-domain text chunks (the Jargon File
 * 4.4.7 and The Devil's Dictionary) shipped as {@value #RESOURCE}. Its README beside it gives the
 * source packages, their licences and how the file was made.
 */
public final class SampleCorpus {

    /** The class-path resource: one JSON object a line, {@code {"id", "source", "text"}}. */
    public static final String RESOURCE = "dev/forage/examples/corpus/chunks.jsonl";

    private SampleCorpus() {}

    /**
     * One chunk.
     *
     * @param id unique, e.g. {@code jargon-00001}
     * @param source {@code jargon} or {@code devil}
     * @param text the text to embed; all but 8 chunks are under the model's 256 tokens
     */
    public record Chunk(String id, String source, String text) {
        public Chunk {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(source, "source");
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("chunk " + id + " has no text");
            }
        }
    }

    /** Every chunk, in file order. */
    public static List<Chunk> chunks() {
        ObjectMapper json = new ObjectMapper();
        List<Chunk> chunks = new ArrayList<>(4_853);
        try (InputStream in = SampleCorpus.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path; depend on forage-examples");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode row = json.readTree(line);
                chunks.add(new Chunk(row.path("id").asText(), row.path("source").asText(), row.path("text").asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return chunks;
    }
}
