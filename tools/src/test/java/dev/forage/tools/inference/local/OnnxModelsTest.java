package dev.forage.tools.inference.local;

import static dev.forage.tools.inference.local.SampleTexts.cosine;
import static dev.forage.tools.inference.local.SampleTexts.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class OnnxModelsTest {

    private static final OnnxModels MODELS = OnnxModels.shared();

    private static final List<String> TEXTS;

    static {
        List<String> texts = new ArrayList<>(SampleTexts.FIXED);
        texts.addAll(SampleTexts.random(11, 16, 40));
        TEXTS = List.copyOf(texts);
    }

    /** Each model's vectors of {@link #TEXTS}, computed once: the tests compare against them. */
    private static final float[][] FULL = MODELS.embed(LocalModel.ALL_MINILM_L6_V2, TEXTS);

    private static final float[][] QUANTIZED = MODELS.embed(LocalModel.ALL_MINILM_L6_V2_Q, TEXTS);

    private static float[][] vectors(LocalModel model) {
        return model == LocalModel.ALL_MINILM_L6_V2 ? FULL : QUANTIZED;
    }

    @Test
    void fullModelGivesLangChain4jsVectors() {
        assertSameAsLangChain4j(LocalModel.ALL_MINILM_L6_V2, new AllMiniLmL6V2EmbeddingModel());
    }

    @Test
    void quantizedModelGivesLangChain4jsVectors() {
        assertSameAsLangChain4j(LocalModel.ALL_MINILM_L6_V2_Q, new AllMiniLmL6V2QuantizedEmbeddingModel());
    }

    private static void assertSameAsLangChain4j(LocalModel model, EmbeddingModel reference) {
        float[][] ours = vectors(model);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(MODELS.tokenize(model, List.of(TEXTS.get(i))).get(0).length)
                    .as("text %d must be one LangChain4j embeds whole", i).isLessThanOrEqualTo(128);
            float[] theirs = reference.embed(TEXTS.get(i)).content().vector();
            assertThat(maxAbsDiff(ours[i], theirs)).as("%s, text %d: %s", model, i, TEXTS.get(i)).isLessThan(1e-5);
        }
    }

    @Test
    void tokenizesWithTheModelsWordPieceVocabulary() {
        List<long[]> ids = MODELS.tokenize(LocalModel.ALL_MINILM_L6_V2,
                List.of("hello world", "Héllo, naïve café!", "東京"));

        assertThat(ids.get(0)).containsExactly(101, 7592, 2088, 102);
        // Lower-cased, accents stripped, punctuation split off, "naive" in two word pieces.
        assertThat(ids.get(1)).containsExactly(101, 7592, 1010, 15743, 7668, 999, 102);
        // Each CJK character is a word of its own.
        assertThat(ids.get(2)).containsExactly(101, 1879, 1755, 102);
    }

    @Test
    void batchedEqualsOneAtATime() {
        for (LocalModel model : LocalModel.values()) {
            float[][] batched = vectors(model);
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] alone = MODELS.embed(model, List.of(TEXTS.get(i)))[0];
                assertThat(maxAbsDiff(batched[i], alone)).as("%s, text %d", model, i).isLessThan(1e-5);
            }
        }
    }

    @Test
    void orderOfTheTextsDoesNotChangeTheirVectors() {
        List<String> shuffled = new ArrayList<>(TEXTS);
        Collections.shuffle(shuffled, RandomGeneratorFactory.of("L64X128MixRandom").create(5));

        float[][] inOrder = FULL;
        float[][] inShuffle = MODELS.embed(LocalModel.ALL_MINILM_L6_V2, shuffled);

        for (int i = 0; i < shuffled.size(); i++) {
            assertThat(maxAbsDiff(inShuffle[i], inOrder[TEXTS.indexOf(shuffled.get(i))])).as("text %d", i).isLessThan(1e-5);
        }
    }

    @Test
    void sameTextsGiveTheSameBits() {
        float[][] first = FULL;
        float[][] second = MODELS.embed(LocalModel.ALL_MINILM_L6_V2, TEXTS);

        assertThat(LocalEmbeddings.digest(List.of(second))).isEqualTo(LocalEmbeddings.digest(List.of(first)));
        assertThat(second).isDeepEqualTo(first);
    }

    @Test
    void vectorsHave384DimensionsAndUnitNorm() {
        for (LocalModel model : LocalModel.values()) {
            for (float[] v : vectors(model)) {
                assertThat(v).hasSize(384);
                double norm = 0;
                for (float x : v) {
                    assertThat(Float.isFinite(x)).isTrue();
                    norm += (double) x * x;
                }
                assertThat(Math.sqrt(norm)).as(model.id()).isCloseTo(1.0, offset(1e-5));
            }
        }
    }

    @Test
    void quantizedModelDiffersFromTheFullOne() {
        float[][] full = FULL;
        float[][] quantized = QUANTIZED;

        double mean = 0;
        for (int i = 0; i < TEXTS.size(); i++) {
            double c = cosine(full[i], quantized[i]);
            // Close (the same model, int8 weights) but never bit-equal.
            assertThat(c).as("text %d", i).isGreaterThan(0.8).isLessThan(0.99999);
            assertThat(maxAbsDiff(full[i], quantized[i])).as("text %d", i).isGreaterThan(1e-3);
            mean += c / TEXTS.size();
        }
        assertThat(mean).isLessThan(0.999);
    }

    @Test
    void textsAreCutAt256Tokens() {
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            words.append("token").append(i % 10).append(' ');
        }
        String longText = words.toString();
        String longer = longText + " entirely different words at the end that the model never sees";

        OnnxModels.EmbeddingRun run = MODELS.run(LocalModel.ALL_MINILM_L6_V2, List.of(longText, longer));

        assertThat(run.tokens()).containsExactly(256, 256);
        assertThat(MODELS.tokenize(LocalModel.ALL_MINILM_L6_V2, List.of(longText)).get(0)[255]).isEqualTo(102);
        assertThat(maxAbsDiff(run.vectors()[0], run.vectors()[1])).isLessThan(1e-6);
    }

    @Test
    void countsTokensWithClsAndSep() {
        OnnxModels.EmbeddingRun run = MODELS.run(LocalModel.ALL_MINILM_L6_V2, List.of("hello world", "a"));

        assertThat(run.tokens()).containsExactly(4, 3);
        assertThat(run.totalTokens()).isEqualTo(7);
    }

    @Test
    void badInputsFailWithTypedReasons() {
        LocalModel m = LocalModel.ALL_MINILM_L6_V2;
        assertReason(() -> MODELS.embed(m, List.of()), LocalModelException.Reason.EMPTY_INPUT, "not 0");
        assertReason(() -> MODELS.embed(m, List.of("fine", "")), LocalModelException.Reason.EMPTY_INPUT, "text 1 is blank");
        assertReason(() -> MODELS.embed(m, List.of(" \t\n")), LocalModelException.Reason.EMPTY_INPUT, "text 0 is blank");
        assertReason(() -> MODELS.embed(m, Arrays.asList("fine", null)), LocalModelException.Reason.EMPTY_INPUT,
                "text 1 is null");
        assertReason(() -> MODELS.embed(m, List.of("\u0001\u0002\u0003")), LocalModelException.Reason.EMPTY_INPUT,
                "no token");
        assertReason(() -> MODELS.embed(m, List.of("x".repeat(OnnxModels.MAX_TEXT_CHARS + 1))),
                LocalModelException.Reason.INPUT_TOO_LARGE, "65537 chars");
        assertReason(() -> MODELS.embed(m, Collections.nCopies(OnnxModels.MAX_INPUTS + 1, "x")),
                LocalModelException.Reason.TOO_MANY_INPUTS, "not 2049");
        assertReason(() -> MODELS.embedTokens(m, List.of(new long[] {101, 102})), LocalModelException.Reason.EMPTY_INPUT,
                "2 token ids");
        assertReason(() -> MODELS.embedTokens(m, List.of(new long[257])), LocalModelException.Reason.INPUT_TOO_LARGE,
                "257 token ids");
        assertReason(() -> LocalModel.of("all-MiniLM-L6-v2"), LocalModelException.Reason.UNKNOWN_MODEL,
                "'all-MiniLM-L6-v2' is unknown");
    }

    @Test
    void textOfExactlyTheLimitIsAccepted() {
        float[][] v = MODELS.embed(LocalModel.ALL_MINILM_L6_V2, List.of("word ".repeat(OnnxModels.MAX_TEXT_CHARS / 5)));

        assertThat(v[0]).hasSize(384);
    }

    private static void assertReason(Runnable call, LocalModelException.Reason reason, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(LocalModelException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.retriable()).isFalse();
        }).hasMessageContaining(message);
    }

    @Test
    void eightThreadsGetTheSameVectors() throws Exception {
        // Given eight threads, half on each model, started together
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<float[][]>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                LocalModel model = t % 2 == 0 ? LocalModel.ALL_MINILM_L6_V2 : LocalModel.ALL_MINILM_L6_V2_Q;
                futures.add(pool.submit(() -> {
                    start.await();
                    return MODELS.embed(model, TEXTS);
                }));
            }
            start.countDown();

            // Then each gets the bits one thread alone got
            for (int t = 0; t < futures.size(); t++) {
                assertThat(futures.get(t).get()).as("thread %d", t).isDeepEqualTo(t % 2 == 0 ? FULL : QUANTIZED);
            }
        }
    }
}
