package dev.forage.runtime.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A job the agent pursues once it starts.
 *
 * @param id the job's id, a DNS label, unique in the deployment
 * @param kind what the job does
 * @param input what it works on
 * @param model the embedding model
 * @param batchSize texts per dispatched batch, 1 to 10,000
 * @param gpu the GPUs it leases
 */
public record Job(String id, Kind kind, Input input, String model, int batchSize, GpuRequest gpu) {

    public Job {
        Metadata.requireDnsLabel("job id", id);
        Objects.requireNonNull(kind, "job kind");
        Objects.requireNonNull(input, "job input");
        Objects.requireNonNull(model, "job model");
        if (model.isEmpty()) {
            throw new IllegalArgumentException("job " + id + " model is empty: name the embedding model");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("job " + id + " batchSize " + batchSize + " must be 1 to 10000");
        }
        Objects.requireNonNull(gpu, "job gpu");
    }

    /** What a job does. */
    public enum Kind {
        /** Embed every text of the input. */
        EMBEDDINGS;

        /** The name a deployment writes. */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a job works on. */
    public sealed interface Input {}

    /**
     * A JSON Lines file of texts.
     *
     * @param file the file, as loaded: resolved against the deployment file's folder (not
     *     checked to exist until the job starts)
     */
    public record Corpus(Path file) implements Input {
        public Corpus {
            Objects.requireNonNull(file, "job corpus");
        }
    }

    /**
     * Texts written in the deployment.
     *
     * @param texts at least one
     */
    public record Texts(List<String> texts) implements Input {
        public Texts {
            texts = Ordered.copy(texts, "job texts");
            if (texts.isEmpty()) {
                throw new IllegalArgumentException("job texts is empty: give at least one text, or a corpus file");
            }
        }
    }
}
