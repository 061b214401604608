package dev.forage.tools.inference.local.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.forage.policies.Asset;
import dev.forage.tools.inference.InferenceRequest;
import dev.forage.tools.inference.local.LocalEmbeddings;
import dev.forage.tools.inference.local.LocalModel;
import dev.forage.tools.inference.local.OnnxModels;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The local models' measurement harness (not a test). {@code throughput}: texts per second of
 * {@link OnnxModels} at batch sizes 1, 8, 32 and 64, one text at a time through
 * {@link LocalEmbeddings}, LangChain4j's own model one text at a time, and a plain ONNX Runtime
 * loop over the same token ids, all in one JVM, rounds interleaved; writes
 * {@code tools/BENCHMARKS.md}. {@code cosine}: see {@link CosineMeasurements}; writes
 * {@code tools/VERIFICATION.md}. {@code all} (the default) runs both.
 *
 * <p>System properties: {@code bench.texts} (64) texts per pass, {@code bench.rounds} (3)
 * measured rounds after one warm-up round, {@code cosine.items} (1000), {@code forage.root}
 * (the repository root, to find the corpus and the reports).
 */
public final class LocalBenchmarks {

    static final String COMMAND = "./mvnw -B -q -pl tools -am -DskipNpm -DskipTests -Pbench verify";

    private static final int[] BATCH_SIZES = {1, 8, 32, 64};

    private LocalBenchmarks() {}

    /** Runs the selected measurements and writes their reports. */
    public static void main(String[] args) throws Exception {
        String what = args.length == 0 ? "all" : args[0];
        if (what.equals("all") || what.equals("throughput")) {
            write("tools/BENCHMARKS.md", throughput(Integer.getInteger("bench.texts", 64),
                    Integer.getInteger("bench.rounds", 3)));
        }
        if (what.equals("all") || what.equals("cosine")) {
            write("tools/VERIFICATION.md", CosineMeasurements.run(Integer.getInteger("cosine.items", 1000)));
        }
    }

    static void write(String relative, String markdown) throws IOException {
        Path file = Path.of(System.getProperty("forage.root", "..")).resolve(relative).toAbsolutePath().normalize();
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
        System.out.println(markdown);
        System.out.println("written to " + file);
    }

    private static String throughput(int n, int rounds) throws Exception {
        List<String> texts = Corpus.sample(n);
        OnnxModels models = OnnxModels.shared();
        LocalModel model = LocalModel.ALL_MINILM_L6_V2;
        // The plain loop gets exactly the token ids our path computes, so both do the same model work.
        List<long[]> ids = models.tokenize(model, texts);
        LocalEmbeddings provider = LocalEmbeddings.create(Asset.nativeCoin("ETH", 18, "eip155:31337"));
        AllMiniLmL6V2EmbeddingModel langchain4j = new AllMiniLmL6V2EmbeddingModel();
        double loadBefore = Machine.load();

        Map<String, Runnable> passes = new LinkedHashMap<>();
        for (int b : BATCH_SIZES) {
            passes.put("ours " + b, () -> inGroups(texts, b, group -> models.embed(model, group)));
            passes.put("plain " + b, () -> inGroups(ids, b, PlainLoop.INSTANCE::embed));
        }
        passes.put("provider 1", () -> texts.forEach(t -> provider.run(new InferenceRequest.Embeddings(model.id(), List.of(t)))));
        passes.put("langchain4j 1", () -> texts.forEach(langchain4j::embed));

        Map<String, double[]> rates = new LinkedHashMap<>();
        passes.keySet().forEach(k -> rates.put(k, new double[rounds]));
        for (int round = -1; round < rounds; round++) {
            List<String> order = new ArrayList<>(passes.keySet());
            if (round % 2 != 0) {
                // Alternate which of each ours/plain pair goes first, so drift in the machine's load
                // does not favour one side.
                java.util.Collections.reverse(order);
            }
            for (String key : order) {
                long start = System.nanoTime();
                passes.get(key).run();
                double rate = n / ((System.nanoTime() - start) / 1e9);
                if (round >= 0) {
                    rates.get(key)[round] = rate;
                }
                System.out.printf("round %d %-14s %8.1f texts/s%n", round, key, rate);
            }
        }
        double loadAfter = Machine.load();

        double avgTokens = ids.stream().mapToInt(t -> t.length).average().orElse(0);
        int maxTokens = ids.stream().mapToInt(t -> t.length).max().orElse(0);
        StringBuilder md = new StringBuilder();
        md.append("# tools benchmarks\n\n");
        md.append("Generated by `dev.forage.tools.inference.local.bench.LocalBenchmarks throughput` "
                + "(`src/test/java/.../inference/local/bench/`); rerun it rather than editing this file.\n\n");
        md.append("## Local embeddings throughput (all-MiniLM-L6-v2, CPU)\n\n");
        md.append("Command (from the repository root):\n\n```\nJAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ").append(COMMAND)
                .append(" -Dbench.args=throughput\n```\n\n");
        md.append("Machine: ").append(Machine.describe()).append("; 1-minute load average %.1f before, %.1f after"
                .formatted(loadBefore, loadAfter)).append(" (other builds share the machine: treat the figures as a floor,"
                + " the ratios as the result). Date: ").append(LocalDate.now()).append(".\n\n");
        md.append(("Workload: %d chunks of the sample corpus (spread evenly over it), %.1f tokens on average, at most %d,"
                + " [CLS] and [SEP] included. Each pass embeds all of them; one warm-up round, then %d measured rounds,"
                + " the passes interleaved within each round; the table gives the median of the rounds.\n\n")
                .formatted(n, avgTokens, maxTokens, rounds));
        md.append("- **ours**: `OnnxModels.shared().embed(model, texts)` called with `batch` consecutive texts at a time:"
                + " tokenization, padding to the longest of the batch, ONNX Runtime, mean pooling, normalisation.\n");
        md.append("- **plain**: a hand-rolled ONNX Runtime loop (`PlainLoop` in the harness) over the same token ids"
                + " and the same batches: `long[][]` tensors, `session.run`, `float[][][]` output, mean pooling and"
                + " normalisation inline; its own session, default options like ours; no tokenization.\n");
        md.append("- **provider, one at a time**: `LocalEmbeddings.run` with one text per request (request, digest and"
                + " all).\n");
        md.append("- **LangChain4j, one at a time**: LangChain4j's `AllMiniLmL6V2EmbeddingModel.embed(text)`"
                + " (its own session; it cuts texts at 128 tokens).\n\n");
        md.append("| batch | ours (texts/s) | plain ONNX Runtime loop (texts/s) | ours ÷ plain |\n|---:|---:|---:|---:|\n");
        for (int b : BATCH_SIZES) {
            double ours = median(rates.get("ours " + b));
            double plain = median(rates.get("plain " + b));
            md.append("| %d | %,.1f | %,.1f | %.2f× |\n".formatted(b, ours, plain, ours / plain));
        }
        md.append("\n| one text at a time | texts/s |\n|---|---:|\n");
        md.append("| ours, `OnnxModels.embed` with one text | %,.1f |\n".formatted(median(rates.get("ours 1"))));
        md.append("| ours, `LocalEmbeddings.run` with one text | %,.1f |\n".formatted(median(rates.get("provider 1"))));
        md.append("| LangChain4j `AllMiniLmL6V2EmbeddingModel.embed` | %,.1f |\n".formatted(median(rates.get("langchain4j 1"))));
        md.append("\nTarget: ours ≥ 0.9× the plain loop at every batch size.\n\nEvery round's figures:\n\n");
        md.append("| pass | ").append(String.join(" | ", java.util.stream.IntStream.range(0, rounds).mapToObj(r -> "round " + (r + 1))
                .toList())).append(" |\n|---|").append("---:|".repeat(rounds)).append('\n');
        rates.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(String.join(" | ", Arrays.stream(v)
                .mapToObj(x -> "%,.1f".formatted(x)).toList())).append(" |\n"));
        return md.toString();
    }

    private static <T> void inGroups(List<T> items, int size, Consumer<List<T>> action) {
        for (int from = 0; from < items.size(); from += size) {
            action.accept(items.subList(from, Math.min(items.size(), from + size)));
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    /**
     * The baseline: the shortest correct ONNX Runtime code for a batch, as one would write it
     * without any abstraction.
     */
    static final class PlainLoop {

        static final PlainLoop INSTANCE = new PlainLoop(new OrtSession.SessionOptions());

        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession session;

        PlainLoop(OrtSession.SessionOptions options) {
            try (InputStream in = PlainLoop.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
                session = env.createSession(in.readAllBytes(), options);
            } catch (IOException | OrtException e) {
                throw new IllegalStateException(e);
            }
        }

        float[][] embed(List<long[]> batch) {
            int len = batch.stream().mapToInt(t -> t.length).max().orElseThrow();
            long[][] inputIds = new long[batch.size()][len];
            long[][] mask = new long[batch.size()][len];
            long[][] types = new long[batch.size()][len];
            for (int i = 0; i < batch.size(); i++) {
                System.arraycopy(batch.get(i), 0, inputIds[i], 0, batch.get(i).length);
                Arrays.fill(mask[i], 0, batch.get(i).length, 1L);
            }
            try (OnnxTensor a = OnnxTensor.createTensor(env, inputIds);
                    OnnxTensor m = OnnxTensor.createTensor(env, mask);
                    OnnxTensor t = OnnxTensor.createTensor(env, types);
                    OrtSession.Result r = session.run(Map.of("input_ids", a, "attention_mask", m, "token_type_ids", t))) {
                float[][][] hidden = (float[][][]) r.get(0).getValue();
                float[][] out = new float[batch.size()][384];
                for (int i = 0; i < batch.size(); i++) {
                    int n = batch.get(i).length;
                    for (int j = 0; j < n; j++) {
                        for (int k = 0; k < 384; k++) {
                            out[i][k] += hidden[i][j][k] / n;
                        }
                    }
                    float norm = 0;
                    for (float x : out[i]) {
                        norm += x * x;
                    }
                    norm = (float) Math.sqrt(norm);
                    for (int k = 0; k < 384; k++) {
                        out[i][k] /= norm;
                    }
                }
                return out;
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
