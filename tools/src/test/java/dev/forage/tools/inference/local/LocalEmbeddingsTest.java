package dev.forage.tools.inference.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import dev.forage.tools.inference.InferenceException;
import dev.forage.tools.inference.InferenceRequest;
import dev.forage.tools.inference.InferenceResult;
import dev.forage.tools.inference.ModelInfo;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LocalEmbeddingsTest {

    private static final Asset USDC = Asset.erc20("USDC", 6, "eip155:31337", "0x5FbDB2315678afecb367f032d93F642f64180aa3");

    private final LocalEmbeddings provider = LocalEmbeddings.create(USDC);

    @Test
    void servesBothModelsUnderIdLocal() {
        assertThat(provider.id()).isEqualTo("local");
        assertThat(provider.models()).containsExactly(new ModelInfo("all-minilm-l6-v2", "embedding", Optional.empty()),
                new ModelInfo("all-minilm-l6-v2-q", "embedding", Optional.empty()));
    }

    @Test
    void embedsWithUsageZeroCostAndTheVectorsDigest() {
        List<String> texts = List.of("hello world", "verify before paying", "a");

        InferenceResult result = provider.run(new InferenceRequest.Embeddings("all-minilm-l6-v2", texts));

        assertThat(result.provider()).isEqualTo("local");
        assertThat(result.model()).isEqualTo("all-minilm-l6-v2");
        List<float[]> vectors = result.embeddings().vectors();
        assertThat(vectors).hasSize(3);
        assertThat(result.embeddings().dimension()).isEqualTo(384);
        float[][] direct = OnnxModels.shared().embed(LocalModel.ALL_MINILM_L6_V2, texts);
        for (int i = 0; i < 3; i++) {
            assertThat(vectors.get(i)).containsExactly(direct[i]);
        }
        // [CLS] hello world [SEP] + [CLS] verify before paying [SEP] + [CLS] a [SEP]
        assertThat(result.usage().promptTokens()).isEqualTo(4 + 5 + 3);
        assertThat(result.usage().completionTokens()).isZero();
        assertThat(result.cost()).isEqualTo(Money.zero(USDC));
        assertThat(result.responseDigest()).isEqualTo(LocalEmbeddings.digest(vectors));
        assertThat(result.latency()).isPositive();
    }

    @Test
    void quantizedModelAnswersUnderItsOwnName() {
        InferenceResult full = provider.run(new InferenceRequest.Embeddings("all-minilm-l6-v2", List.of("hello world")));
        InferenceResult quantized = provider.run(new InferenceRequest.Embeddings("all-minilm-l6-v2-q", List.of("hello world")));

        assertThat(quantized.model()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(quantized.responseDigest()).isNotEqualTo(full.responseDigest());
        assertThat(SampleTexts.cosine(full.embeddings().vectors().get(0), quantized.embeddings().vectors().get(0)))
                .isBetween(0.9, 0.99999);
    }

    @Test
    void canonicalBytesAreCountDimensionThenBigEndianFloatBits() {
        byte[] bytes = LocalEmbeddings.canonicalBytes(List.of(new float[] {1.0f, -0.0f}, new float[] {Float.NaN, 0.5f}));

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("00000002" + "00000002" + "3f800000" + "80000000"
                + "7fc00000" + "3f000000");
        assertThat(LocalEmbeddings.canonicalBytes(List.of())).containsExactly(0, 0, 0, 0, 0, 0, 0, 0);
        // SHA-256 of the 8 zero bytes, checked with sha256sum.
        assertThat(LocalEmbeddings.digest(List.of()))
                .isEqualTo("af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc");
    }

    @Test
    void canonicalBytesRefuseMixedDimensions() {
        assertThatThrownBy(() -> LocalEmbeddings.canonicalBytes(List.of(new float[2], new float[3])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vector 1 has dimension 3");
    }

    @Test
    void refusesChatsUnknownModelsAndBadTexts() {
        assertRefused(new InferenceRequest.Chat("all-minilm-l6-v2", List.of(new InferenceRequest.Message("user", "hi")),
                OptionalInt.empty(), OptionalDouble.empty()), "embeddings only", Optional.empty());
        assertRefused(new InferenceRequest.Embeddings("text-embedding-3-small", List.of("hi")), "unknown",
                Optional.of(LocalModelException.Reason.UNKNOWN_MODEL));
        assertRefused(new InferenceRequest.Embeddings("all-minilm-l6-v2", List.of("hi", "  ")), "text 1 is blank",
                Optional.of(LocalModelException.Reason.EMPTY_INPUT));
        assertRefused(new InferenceRequest.Embeddings("all-minilm-l6-v2", List.of("y".repeat(70_000))), "70000 chars",
                Optional.of(LocalModelException.Reason.INPUT_TOO_LARGE));
    }

    private void assertRefused(InferenceRequest request, String message, Optional<LocalModelException.Reason> cause) {
        assertThatThrownBy(() -> provider.run(request)).isInstanceOfSatisfying(InferenceException.class, e -> {
            assertThat(e.provider()).isEqualTo("local");
            assertThat(e.reason()).isEqualTo(InferenceException.Reason.REFUSED);
            assertThat(e.retriable()).isFalse();
            assertThat(Optional.ofNullable(e.getCause()).map(c -> ((LocalModelException) c).reason())).isEqualTo(cause);
        }).hasMessageContaining(message);
    }
}
