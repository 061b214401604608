package dev.forage.tools.inference.local;

import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import dev.forage.tools.inference.InferenceException;
import dev.forage.tools.inference.InferenceProvider;
import dev.forage.tools.inference.InferenceRequest;
import dev.forage.tools.inference.InferenceResult;
import dev.forage.tools.inference.ModelInfo;
import dev.forage.tools.inference.Usage;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code local} inference provider: embeddings computed on this machine by
 * {@link OnnxModels#shared()}, for models {@code all-minilm-l6-v2} and {@code all-minilm-l6-v2-q}
 * ({@link LocalModel}). Free: the cost is zero in the billing asset. Usage counts the tokens each
 * text was embedded with, [CLS] and [SEP] included. As there is no response body, the
 * {@link InferenceResult#responseDigest() digest} is the SHA-256 of the vectors'
 * {@linkplain #canonicalBytes(List) canonical bytes}.
 *
 * <p>A request it cannot serve (a chat, an unknown model, blank, oversized or too many texts)
 * fails with {@link InferenceException} of reason {@link InferenceException.Reason#REFUSED}, whose
 * cause is the {@link LocalModelException} that names the text and the problem.
 */
public final class LocalEmbeddings implements InferenceProvider {

    /** The provider's id. */
    public static final String ID = "local";

    private final OnnxModels models;
    private final Asset billingAsset;

    private LocalEmbeddings(OnnxModels models, Asset billingAsset) {
        this.models = models;
        this.billingAsset = billingAsset;
    }

    /**
     * The provider on the shared loader.
     *
     * @param billingAsset the asset its (zero) costs are in, e.g. the deployment's USDC
     */
    public static LocalEmbeddings create(Asset billingAsset) {
        return new LocalEmbeddings(OnnxModels.shared(), Objects.requireNonNull(billingAsset, "billingAsset"));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<ModelInfo> models() {
        return Arrays.stream(LocalModel.values()).map(m -> new ModelInfo(m.id(), "embedding", Optional.empty())).toList();
    }

    @Override
    public InferenceResult run(InferenceRequest request) {
        if (!(request instanceof InferenceRequest.Embeddings embeddings)) {
            throw new InferenceException(ID, InferenceException.Reason.REFUSED, "serves embeddings only, not "
                    + request.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " for model "
                    + request.model() + "; send chats to a remote provider");
        }
        long start = System.nanoTime();
        OnnxModels.EmbeddingRun run;
        try {
            run = models.run(LocalModel.of(embeddings.model()), embeddings.inputs());
        } catch (LocalModelException e) {
            boolean refused = e.reason() != LocalModelException.Reason.LOAD_FAILED
                    && e.reason() != LocalModelException.Reason.RUN_FAILED;
            throw new InferenceException(ID, refused ? InferenceException.Reason.REFUSED : InferenceException.Reason.JOB_FAILED,
                    e.getMessage(), false, e);
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        List<float[]> vectors = List.of(run.vectors());
        return new InferenceResult(ID, embeddings.model(), new InferenceResult.Embeddings(vectors),
                new Usage(run.totalTokens(), 0), latency, digest(vectors), Money.zero(billingAsset));
    }

    /**
     * The canonical bytes of a list of vectors, which the {@code local} provider's response digest
     * hashes: the number of vectors as a 4-byte big-endian unsigned integer, the dimension likewise
     * (0 for an empty list), then every vector in order, every element in order, as its IEEE 754
     * binary32 bits ({@link Float#floatToIntBits}, so every NaN is 0x7fc00000) in 4 bytes big-endian.
     * 384-dimensional vectors take 8 + 1,536 × n bytes.
     *
     * @throws IllegalArgumentException when the vectors are not all of one dimension
     */
    public static byte[] canonicalBytes(List<float[]> vectors) {
        int dimension = vectors.isEmpty() ? 0 : vectors.get(0).length;
        ByteBuffer out = ByteBuffer.allocate(8 + Math.multiplyExact(Math.multiplyExact(vectors.size(), dimension), 4));
        out.putInt(vectors.size()).putInt(dimension);
        for (int i = 0; i < vectors.size(); i++) {
            float[] v = vectors.get(i);
            if (v.length != dimension) {
                throw new IllegalArgumentException("vector " + i + " has dimension " + v.length + ", vector 0 has "
                        + dimension + "; canonical bytes need one dimension");
            }
            for (float x : v) {
                out.putInt(Float.floatToIntBits(x));
            }
        }
        return out.array();
    }

    /** Lower-case hex SHA-256 of {@link #canonicalBytes(List)}. */
    public static String digest(List<float[]> vectors) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalBytes(vectors)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
