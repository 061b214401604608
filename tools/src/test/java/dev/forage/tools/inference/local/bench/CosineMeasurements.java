package dev.forage.tools.inference.local.bench;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.forage.tools.inference.local.LocalModel;
import dev.forage.tools.inference.local.OnnxModels;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The cosine similarity between the full model's vectors (what an honest provider returns) and
 * what an honest re-execution, and each way of cheating, returns for the same items: the data
 * the re-execution verifier's per-item threshold is chosen from.
 */
final class CosineMeasurements {

    private static final long SEED = 20261202L;
    private static final double[] PERCENTILES = {0.1, 1, 50};
    private static final String OTHER_HONEST = "honest, other implementation";

    private CosineMeasurements() {}

    static String run(int items) {
        List<String> texts = Corpus.sample(items);
        int n = texts.size();
        OnnxModels models = OnnxModels.shared();
        LocalModel full = LocalModel.ALL_MINILM_L6_V2;
        double loadBefore = Machine.load();
        long start = System.nanoTime();

        // What the honest provider returns: the whole job in one call, batched by 64.
        float[][] answer = models.embed(full, texts);
        progress("provider's answer", start);
        List<long[]> ids = models.tokenize(full, texts);

        Map<String, double[]> modes = new LinkedHashMap<>();
        // (a) The verifier recomputes each sampled item alone, with the same model and files.
        float[][] again = new float[n][];
        for (int i = 0; i < n; i++) {
            again[i] = models.embed(full, List.of(texts.get(i)))[0];
        }
        modes.put("honest re-execution", cosines(answer, again));
        progress("honest re-execution", start);
        double honestDiff = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < LocalModel.DIMENSION; k++) {
                honestDiff = Math.max(honestDiff, Math.abs(answer[i][k] - again[i][k]));
            }
        }

        // (a') Another honest implementation: the plain loop, graph optimizations off, one thread,
        // batches of 64 in corpus order: other kernels, other summation order, other padding.
        float[][] other = new float[n][];
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            options.setIntraOpNumThreads(1);
            LocalBenchmarks.PlainLoop plain = new LocalBenchmarks.PlainLoop(options);
            for (int from = 0; from < n; from += 64) {
                float[][] batch = plain.embed(ids.subList(from, Math.min(n, from + 64)));
                System.arraycopy(batch, 0, other, from, batch.length);
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        modes.put(OTHER_HONEST, cosines(answer, other));
        progress(OTHER_HONEST, start);

        modes.put("quantized model", cosines(answer, models.embed(LocalModel.ALL_MINILM_L6_V2_Q, texts)));
        progress("quantized model", start);

        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(SEED);
        float[][] noise = new float[n][LocalModel.DIMENSION];
        for (float[] v : noise) {
            double norm = 0;
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) random.nextGaussian();
                norm += v[k] * v[k];
            }
            for (int k = 0; k < v.length; k++) {
                v[k] /= (float) Math.sqrt(norm);
            }
        }
        modes.put("random unit vectors", cosines(answer, noise));

        List<long[]> halfTokens = new ArrayList<>(n);
        for (long[] t : ids) {
            int words = (t.length - 2 + 1) / 2;
            long[] cut = Arrays.copyOf(t, words + 2);
            cut[words + 1] = 102;
            halfTokens.add(cut);
        }
        modes.put("first half of the tokens", cosines(answer, models.embedTokens(full, halfTokens)));
        progress("first half of the tokens", start);

        List<String> halfTexts = texts.stream().map(CosineMeasurements::firstHalf).toList();
        modes.put("first half of the text", cosines(answer, models.embed(full, halfTexts)));
        progress("first half of the text", start);

        modes.put("last 192 dimensions zeroed", cosines(answer, zeroFrom(answer, 192)));
        modes.put("last 96 dimensions zeroed", cosines(answer, zeroFrom(answer, 288)));
        modes.put("last 24 dimensions zeroed", cosines(answer, zeroFrom(answer, 360)));

        float[][] replay = new float[n][];
        for (int i = 0; i < n; i++) {
            replay[i] = answer[(i + 1) % n];
        }
        modes.put("another item's vector (replay)", cosines(answer, replay));
        double loadAfter = Machine.load();
        return report(n, ids, modes, honestDiff, loadBefore, loadAfter, (System.nanoTime() - start) / 1e9);
    }

    private static boolean honest(String mode) {
        return mode.equals("honest re-execution") || mode.equals(OTHER_HONEST);
    }

    private static String report(int n, List<long[]> ids, Map<String, double[]> modes, double honestDiff, double loadBefore,
            double loadAfter, double seconds) {
        double honestMin = modes.entrySet().stream().filter(e -> honest(e.getKey()))
                .mapToDouble(e -> Arrays.stream(e.getValue()).min().orElseThrow()).min().orElseThrow();
        double dishonestMax = modes.entrySet().stream().filter(e -> !honest(e.getKey()))
                .mapToDouble(e -> Arrays.stream(e.getValue()).max().orElseThrow()).max().orElseThrow();
        String closest = modes.entrySet().stream().filter(e -> !honest(e.getKey()))
                .max((a, b) -> Double.compare(Arrays.stream(a.getValue()).max().orElseThrow(),
                        Arrays.stream(b.getValue()).max().orElseThrow())).orElseThrow().getKey();
        double threshold = (honestMin + dishonestMax) / 2;

        StringBuilder md = new StringBuilder();
        md.append("# Verifying local embeddings by re-execution: cosine measurements\n\n");
        md.append("Generated by `dev.forage.tools.inference.local.bench.LocalBenchmarks cosine`"
                + " (`tools/src/test/java/.../inference/local/bench/CosineMeasurements.java`); rerun it rather than"
                + " editing this file.\n\n");
        md.append("Command (from the repository root):\n\n```\nJAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ")
                .append(LocalBenchmarks.COMMAND).append(" -Dbench.args=cosine")
                .append(n == 1000 ? "" : " -Dbench.jvm.args=-Dcosine.items=" + n).append("\n```\n\n");
        md.append("Machine: ").append(Machine.describe()).append("; load average %.1f before, %.1f after; %.0f s. Date: %s.\n\n"
                .formatted(loadBefore, loadAfter, seconds, LocalDate.now()));
        md.append(("Items: %d chunks of the sample corpus (`%s`), spread evenly over it; %.1f tokens on average, %d to %d."
                + " Reference: the full model's vectors as an honest provider returns them (all items in one call,"
                + " run in batches of 64). Each row is another way of producing a vector for the same item, and the"
                + " cosine similarity of it with the reference, per item.\n\n").formatted(n, Corpus.RELATIVE,
                ids.stream().mapToInt(t -> t.length).average().orElse(0),
                ids.stream().mapToInt(t -> t.length).min().orElse(0), ids.stream().mapToInt(t -> t.length).max().orElse(0)));
        md.append("""
                What each row is:

                - **honest re-execution**: the verifier recomputes each item alone (batch of 1), with the same model \
                files on the same machine, as a sampling verifier does. Differs from the reference only by float \
                rounding (other batch shape and padding); its largest element difference here: %.2e.
                - **honest, other implementation**: the plain ONNX Runtime loop of the throughput harness with \
                graph optimizations off (`NO_OPT`) and one thread, pooling in float, batches of 64 in corpus order: \
                other kernels and summation order, a stand-in for an honest provider on other software.
                - **quantized model**: the provider substitutes `all-minilm-l6-v2-q` (int8 weights, one text at a time).
                - **random unit vectors**: 384 standard normal numbers scaled to unit length, seed %d.
                - **first half of the tokens**: the provider embeds [CLS], the first ⌈w/2⌉ of the text's w word \
                pieces and [SEP] (about half the compute).
                - **first half of the text**: the provider embeds the text cut at the last space before half its \
                characters.
                - **last k dimensions zeroed**: the reference vector with its trailing k of 384 elements set to 0 \
                (the dimension is still 384, so a dimension check does not see it).
                - **another item's vector (replay)**: the honest vector of the next item of the sample (an answer \
                for other input, replayed).

                """.formatted(honestDiff, SEED));
        md.append("### Cosine similarity with the honest provider's vector, per item\n\n");
        md.append("| how the vector was made | min | p0.1 | p1 | p50 | max |\n|---|---:|---:|---:|---:|---:|\n");
        modes.forEach((k, v) -> md.append(row(k, v, "%.6f", x -> x)));
        md.append("\nThe same as 1 − cosine (the distance the threshold cuts):\n\n");
        md.append("| how the vector was made | max | p99.9 | p99 | p50 | min |\n|---|---:|---:|---:|---:|---:|\n");
        modes.forEach((k, v) -> md.append(row(k, v, "%.3e", x -> 1 - x)));

        md.append("\n## Recommended per-item threshold\n\n");
        if (honestMin <= dishonestMax) {
            md.append("**No threshold separates them on this sample**: the lowest honest cosine %.9f is not above the highest dishonest one %.9f (%s).\n"
                    .formatted(honestMin, dishonestMax, closest));
            return md.toString();
        }
        md.append(("Accept an item when cosine(recomputed, returned) ≥ **%.4f**, else fail the verdict. This is the"
                + " midpoint between the lowest honest cosine (%.9f) and the highest cosine of any dishonest mode"
                + " (%.6f, %s), the threshold with the largest margin on both sides:\n\n").formatted(round4(threshold),
                honestMin, dishonestMax, closest));
        double t = round4(threshold);
        md.append("| mode | its cosine closest to the threshold | margin to %.4f | items caught at %.4f |\n|---|---:|---:|---:|\n"
                .formatted(t, t));
        modes.forEach((k, v) -> {
            boolean honestRow = honest(k);
            double edge = honestRow ? Arrays.stream(v).min().orElseThrow() : Arrays.stream(v).max().orElseThrow();
            long caught = Arrays.stream(v).filter(x -> x < t).count();
            md.append("| %s | %.6f (%s) | %.2e | %s |\n".formatted(k, edge, honestRow ? "min" : "max", Math.abs(edge - t),
                    honestRow ? caught + " of " + v.length + " (false positives)" : caught + " of " + v.length));
        });
        md.append(("""

                Reading it: the honest margin (%.2e in cosine) is %s the largest honest deviation seen \
                here (1 − %.9f = %.2e), which leaves room for honest re-execution on other hardware or another ONNX \
                Runtime build (different kernels, threads, or a GPU), whose rounding differs more than the batch \
                shape does on one machine; the closest dishonest mode (%s) still sits %.2e below the threshold. \
                A threshold far closer to 1 would catch the quantized model with more margin on that side but \
                would fail honest providers on other hardware; one far lower lets the quantized model through.
                """).formatted(honestMin - t, 1 - honestMin > 0 ? "%,.0f times".formatted((honestMin - t) / (1 - honestMin))
                        : "far above", honestMin, 1 - honestMin, closest,
                t - dishonestMax));
        return md.toString();
    }

    private static double round4(double x) {
        return Math.floor(x * 1e4) / 1e4;
    }

    private static String row(String name, double[] values, String format, java.util.function.DoubleUnaryOperator f) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        List<String> cells = new ArrayList<>();
        cells.add(format.formatted(f.applyAsDouble(sorted[0])));
        for (double p : PERCENTILES) {
            cells.add(format.formatted(f.applyAsDouble(percentile(sorted, p))));
        }
        cells.add(format.formatted(f.applyAsDouble(sorted[sorted.length - 1])));
        return "| " + name + " | " + String.join(" | ", cells) + " |\n";
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double[] cosines(float[][] a, float[][] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int k = 0; k < a[i].length; k++) {
                dot += (double) a[i][k] * b[i][k];
                na += (double) a[i][k] * a[i][k];
                nb += (double) b[i][k] * b[i][k];
            }
            out[i] = dot / Math.sqrt(na * nb);
        }
        return out;
    }

    private static float[][] zeroFrom(float[][] vectors, int from) {
        float[][] out = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            out[i] = vectors[i].clone();
            Arrays.fill(out[i], from, out[i].length, 0f);
        }
        return out;
    }

    private static String firstHalf(String text) {
        int cut = text.lastIndexOf(' ', text.length() / 2);
        return cut > 0 ? text.substring(0, cut) : text.substring(0, Math.max(1, text.length() / 2));
    }

    private static void progress(String step, long start) {
        System.out.printf("%s done after %.0f s%n", step, (System.nanoTime() - start) / 1e9);
    }
}
