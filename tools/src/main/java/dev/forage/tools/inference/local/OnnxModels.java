package dev.forage.tools.inference.local;

import ai.onnxruntime.OrtEnvironment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * The one loader of the local embedding models, shared by everything in the process that embeds
 * locally (the devnet provider nodes, the verifiers, {@link LocalEmbeddings}): one
 * {@link OrtEnvironment}, each model's ONNX session and tokenizer loaded on first use and kept for
 * the life of the process. Thread-safe; calls from many threads run concurrently on the same
 * sessions.
 *
 * <p>What a call computes is what sentence-transformers computes for all-MiniLM-L6-v2: WordPiece
 * tokens (lower-cased, accents stripped) framed by [CLS] and [SEP] and cut at
 * {@link LocalModel#MAX_TOKENS}; the model's last hidden state averaged over the real tokens; the
 * average scaled to unit length. Texts of up to 128 tokens give LangChain4j's
 * {@code AllMiniLmL6V2EmbeddingModel} vectors (to 1e-5); LangChain4j cuts at 128 tokens where the
 * model card says 256, so longer texts differ from LangChain4j's and agree with sentence-transformers.
 *
 * <p>Texts are batched: a call sorts its texts by token count, runs them in batches of up to the
 * model's {@link LocalModel#batchSize()}, each padded only to its own longest text, and returns the
 * vectors in the order of the texts. Batching changes a vector of the full model by float rounding
 * only (below 1e-5); the quantized model runs one text at a time, as batching would change its
 * vectors (see {@link LocalModel#ALL_MINILM_L6_V2_Q}).
 */
public final class OnnxModels {

    /** The most texts in one call, as in {@link dev.forage.tools.inference.InferenceRequest.Embeddings#MAX_INPUTS}. */
    public static final int MAX_INPUTS = 2048;

    /**
     * The longest text accepted, in UTF-16 chars. Only the first {@link LocalModel#MAX_TOKENS}
     * tokens count (about 1,000 characters of English), so anything far longer is refused rather
     * than tokenized in vain.
     */
    public static final int MAX_TEXT_CHARS = 65_536;

    private final OrtEnvironment env;
    private final Map<LocalModel, ModelSession> sessions = new ConcurrentHashMap<>();

    private OnnxModels(OrtEnvironment env) {
        this.env = env;
    }

    /** The process-wide loader. */
    public static OnnxModels shared() {
        return Shared.INSTANCE;
    }

    /** Loads ONNX Runtime's native library on first use of {@link #shared()}, not when the class is named. */
    private static final class Shared {
        static final OnnxModels INSTANCE = new OnnxModels(OrtEnvironment.getEnvironment());
    }

    /**
     * Loads {@code model} now rather than on its first call (a model takes a second or two to
     * load); does nothing if it is loaded.
     *
     * @throws LocalModelException ({@code LOAD_FAILED}) when its files are missing or unreadable
     */
    public void load(LocalModel model) {
        session(model);
    }

    /**
     * The embeddings of {@code texts}.
     *
     * @param model the model
     * @param texts 1 to {@link #MAX_INPUTS} texts, none blank, each at most {@link #MAX_TEXT_CHARS} chars
     * @return one unit vector of {@link LocalModel#DIMENSION} floats per text, in order; the caller owns them
     * @throws LocalModelException {@code EMPTY_INPUT}, {@code TOO_MANY_INPUTS}, {@code INPUT_TOO_LARGE}
     *     for bad texts (naming the first bad one), {@code LOAD_FAILED} or {@code RUN_FAILED}
     */
    public float[][] embed(LocalModel model, List<String> texts) {
        return run(model, texts).vectors();
    }

    /**
     * The embeddings of {@code texts} with the number of tokens each was embedded with.
     *
     * @see #embed(LocalModel, List)
     */
    public EmbeddingRun run(LocalModel model, List<String> texts) {
        List<long[]> ids = tokenize(model, texts);
        return new EmbeddingRun(embedTokens(model, ids), ids.stream().mapToInt(t -> t.length).toArray());
    }

    /**
     * The token ids the model sees for each text: 101 ([CLS]), the WordPiece ids, 102 ([SEP]),
     * at most {@link LocalModel#MAX_TOKENS} in all.
     *
     * @throws LocalModelException as {@link #embed(LocalModel, List)}
     */
    public List<long[]> tokenize(LocalModel model, List<String> texts) {
        check(texts);
        ModelSession session = session(model);
        List<long[]> ids = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            long[] t = session.tokenize(texts.get(i));
            if (t.length <= 2) {
                throw new LocalModelException(LocalModelException.Reason.EMPTY_INPUT, "text " + i
                        + " has no token the model knows (only control or unassigned characters?); drop it");
            }
            ids.add(t);
        }
        return ids;
    }

    /**
     * The embeddings of texts already tokenized by {@link #tokenize(LocalModel, List)}.
     *
     * @param ids token ids per text, each 3 to {@link LocalModel#MAX_TOKENS} long
     */
    public float[][] embedTokens(LocalModel model, List<long[]> ids) {
        if (ids.isEmpty() || ids.size() > MAX_INPUTS) {
            throw new LocalModelException(ids.isEmpty() ? LocalModelException.Reason.EMPTY_INPUT
                    : LocalModelException.Reason.TOO_MANY_INPUTS, "embed 1 to " + MAX_INPUTS + " texts in one call, not "
                    + ids.size());
        }
        for (int i = 0; i < ids.size(); i++) {
            int n = ids.get(i).length;
            if (n < 3 || n > LocalModel.MAX_TOKENS) {
                throw new LocalModelException(n < 3 ? LocalModelException.Reason.EMPTY_INPUT
                        : LocalModelException.Reason.INPUT_TOO_LARGE, "text " + i + " has " + n
                        + " token ids; it needs 3 to " + LocalModel.MAX_TOKENS + " (use tokenize)");
            }
        }
        ModelSession session = session(model);
        // Longest first, so each batch pads little and the largest allocation comes first.
        int[] order = IntStream.range(0, ids.size()).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> ids.get(i).length).reversed())
                .mapToInt(Integer::intValue).toArray();
        float[][] out = new float[ids.size()][];
        for (int from = 0; from < order.length; from += model.batchSize()) {
            int[] slice = Arrays.copyOfRange(order, from, Math.min(order.length, from + model.batchSize()));
            List<long[]> batch = new ArrayList<>(slice.length);
            for (int i : slice) {
                batch.add(ids.get(i));
            }
            float[][] vectors = session.embed(batch);
            for (int j = 0; j < slice.length; j++) {
                out[slice[j]] = vectors[j];
            }
        }
        return out;
    }

    private static void check(List<String> texts) {
        if (texts.isEmpty() || texts.size() > MAX_INPUTS) {
            throw new LocalModelException(texts.isEmpty() ? LocalModelException.Reason.EMPTY_INPUT
                    : LocalModelException.Reason.TOO_MANY_INPUTS, "embed 1 to " + MAX_INPUTS + " texts in one call, not "
                    + texts.size() + (texts.isEmpty() ? "" : "; split them"));
        }
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new LocalModelException(LocalModelException.Reason.EMPTY_INPUT, "text " + i + " is "
                        + (text == null ? "null" : "blank") + "; every text needs a word to embed");
            }
            if (text.length() > MAX_TEXT_CHARS) {
                throw new LocalModelException(LocalModelException.Reason.INPUT_TOO_LARGE, "text " + i + " has "
                        + text.length() + " chars, more than " + MAX_TEXT_CHARS + "; only the first "
                        + LocalModel.MAX_TOKENS + " tokens count, so cut or split it");
            }
        }
    }

    private ModelSession session(LocalModel model) {
        // computeIfAbsent loads each model once even when many threads ask at the same time; a
        // failed load is not stored, so a later call tries again.
        return sessions.computeIfAbsent(model, m -> ModelSession.load(env, m));
    }

    /**
     * The result of {@link OnnxModels#run}.
     *
     * @param vectors one unit vector per text, in order; owned by the caller
     * @param tokens the tokens each text was embedded with, [CLS] and [SEP] included
     */
    public record EmbeddingRun(float[][] vectors, int[] tokens) {
        public EmbeddingRun {
            if (vectors.length != tokens.length) {
                throw new IllegalArgumentException("vectors (" + vectors.length + ") and token counts (" + tokens.length
                        + ") must be as many");
            }
        }

        /** All tokens embedded. */
        public long totalTokens() {
            long sum = 0;
            for (int t : tokens) {
                sum += t;
            }
            return sum;
        }
    }
}
