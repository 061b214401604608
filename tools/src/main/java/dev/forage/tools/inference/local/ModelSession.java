package dev.forage.tools.inference.local;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One model loaded: its ONNX Runtime session and its tokenizer, both safe for concurrent use
 * ({@link OrtSession#run} and the Rust tokenizer behind DJL's {@link HuggingFaceTokenizer} are).
 * Lives as long as the process: {@link OnnxModels} never closes it.
 */
final class ModelSession {

    private final LocalModel model;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;

    private ModelSession(LocalModel model, OrtEnvironment env, OrtSession session, HuggingFaceTokenizer tokenizer) {
        this.model = model;
        this.env = env;
        this.session = session;
        this.tokenizer = tokenizer;
    }

    /**
     * One thread per run, no spin-waiting: the runtime embeds for many callers at once (devnet
     * nodes, verifiers, agents share the JVM), so parallelism comes from concurrent runs, and
     * ONNX Runtime's default pool of spinning threads, one per core for every run, competes with
     * itself. Measured on the 2-core build machine: one thread ran a 64 x 32-token batch in
     * 1.5 s against 3.1 s with the default pool, and 64 x 128 in 6.3 s against 15.5 s.
     * {@code -Dforage.onnx.threads=N} gives each run N threads instead.
     */
    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(Integer.getInteger("forage.onnx.threads", 1));
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.addConfigEntry("session.inter_op.allow_spinning", "0");
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return options;
    }

    static ModelSession load(OrtEnvironment env, LocalModel model) {
        byte[] onnx = resource(model, model.onnxResource());
        OrtSession session;
        try {
            session = env.createSession(onnx, options());
        } catch (OrtException e) {
            throw new LocalModelException(LocalModelException.Reason.LOAD_FAILED, "ONNX Runtime could not load "
                    + model.onnxResource() + " of " + model.id() + ": " + e.getMessage(), e);
        }
        // The tokenizer.json LangChain4j ships pads to 128 and cuts at 128; sentence-transformers
        // embeds up to 256 tokens, so both settings are overridden here, and padding is done per
        // batch below.
        Map<String, String> options = Map.of("padding", "false", "truncation", "true", "maxLength",
                Integer.toString(LocalModel.MAX_TOKENS), "addSpecialTokens", "true");
        HuggingFaceTokenizer tokenizer;
        try (InputStream in = new ByteArrayInputStream(resource(model, model.tokenizerResource()))) {
            tokenizer = HuggingFaceTokenizer.newInstance(in, options);
        } catch (IOException | RuntimeException e) {
            throw new LocalModelException(LocalModelException.Reason.LOAD_FAILED, "the tokenizer "
                    + model.tokenizerResource() + " of " + model.id() + " could not be loaded: " + e.getMessage(), e);
        }
        return new ModelSession(model, env, session, tokenizer);
    }

    private static byte[] resource(LocalModel model, String name) {
        ClassLoader loader = ModelSession.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new LocalModelException(LocalModelException.Reason.LOAD_FAILED, name + " of " + model.id()
                        + " is not on the class path; add dev.langchain4j:langchain4j-embeddings-"
                        + (model == LocalModel.ALL_MINILM_L6_V2 ? "all-minilm-l6-v2" : "all-minilm-l6-v2-q")
                        + " to the dependencies");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new LocalModelException(LocalModelException.Reason.LOAD_FAILED, "could not read " + name + " of "
                    + model.id() + ": " + e.getMessage(), e);
        }
    }

    /** The token ids of {@code text}: [CLS], the WordPiece ids, [SEP], at most {@link LocalModel#MAX_TOKENS}. */
    long[] tokenize(String text) {
        return tokenizer.encode(text, true, false).getIds();
    }

    /**
     * Embeds one batch of tokenized texts: pads to the longest with [PAD] (id 0) and attention
     * mask 0, token type ids 0, runs the model, averages the last hidden state over the real tokens
     * and scales each vector to unit length, exactly as sentence-transformers' Pooling (mean) and
     * Normalize modules do.
     *
     * @param ids token ids per text, none empty
     * @return one unit vector of {@link LocalModel#DIMENSION} per text, in order
     */
    float[][] embed(List<long[]> ids) {
        int n = ids.size();
        int len = 0;
        for (long[] t : ids) {
            len = Math.max(len, t.length);
        }
        LongBuffer input = direct(n * len);
        LongBuffer mask = direct(n * len);
        LongBuffer types = direct(n * len);
        for (long[] t : ids) {
            for (int j = 0; j < len; j++) {
                boolean real = j < t.length;
                input.put(real ? t[j] : 0L);
                mask.put(real ? 1L : 0L);
                types.put(0L);
            }
        }
        input.flip();
        mask.flip();
        types.flip();
        long[] shape = {n, len};
        FloatBuffer hidden;
        try (OnnxTensor inputTensor = OnnxTensor.createTensor(env, input, shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask, shape);
                OnnxTensor typeTensor = OnnxTensor.createTensor(env, types, shape);
                OrtSession.Result result = session.run(Map.of("input_ids", inputTensor, "attention_mask", maskTensor,
                        "token_type_ids", typeTensor))) {
            hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
        } catch (OrtException e) {
            throw new LocalModelException(LocalModelException.Reason.RUN_FAILED, "ONNX Runtime failed to run "
                    + model.id() + " on a batch of " + n + " texts of up to " + len + " tokens: " + e.getMessage(), e);
        }
        return pool(hidden, ids, len);
    }

    /** Mean over the mask, then L2 normalisation with sentence-transformers' epsilon of 1e-12. */
    static float[][] pool(FloatBuffer hidden, List<long[]> ids, int len) {
        int d = LocalModel.DIMENSION;
        float[][] out = new float[ids.size()][d];
        double[] sum = new double[d];
        for (int i = 0; i < ids.size(); i++) {
            Arrays.fill(sum, 0);
            int tokens = ids.get(i).length;
            int base = i * len * d;
            for (int t = 0; t < tokens; t++) {
                int row = base + t * d;
                for (int k = 0; k < d; k++) {
                    sum[k] += hidden.get(row + k);
                }
            }
            double norm = 0;
            for (int k = 0; k < d; k++) {
                sum[k] /= tokens;
                norm += sum[k] * sum[k];
            }
            double scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
            for (int k = 0; k < d; k++) {
                out[i][k] = (float) (sum[k] * scale);
            }
        }
        return out;
    }

    private static LongBuffer direct(int longs) {
        return ByteBuffer.allocateDirect(longs * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }
}
