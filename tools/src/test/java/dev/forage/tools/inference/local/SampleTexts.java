package dev.forage.tools.inference.local;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/** Fixed texts for the local model tests: varied in length, script, punctuation and case. */
final class SampleTexts {

    private SampleTexts() {}

    /** Hand-picked texts, each under 128 tokens (where LangChain4j and sentence-transformers agree). */
    static final List<String> FIXED = List.of(
            "hello world",
            "The quick brown fox jumps over the lazy dog.",
            "A ledger that reserves before it pays never overspends its budget.",
            "Héllo, naïve café! Crème brûlée costs €4.50 at the Zürich Bahnhof.",
            "東京は日本の首都です。 北京 and 서울 are capitals too.",
            "Emoji 🚀🔥 and symbols ∑ ∫ √ ≠ ≤ ≥ appear here.",
            "https://example.org/path?query=1&x=y#frag user@example.com 127.0.0.1:8545",
            "UPPER CASE TEXT SHOUTS; lower case text whispers.",
            "Numbers: 3.14159, 2,718, 1e-9, 0x7fc00000, -42.",
            "def embed(texts): return [model(t) for t in texts]  # Python",
            "GPU leases on decentralized markets cost less than hyperscalers, but reliability varies.",
            "antidisestablishmentarianism floccinaucinihilipilification supercalifragilisticexpialidocious",
            "Tabs\tand\nnewlines\r\nare whitespace to the tokenizer.",
            "a",
            "?",
            "Mean pooling averages the token vectors over the attention mask, then the average is scaled to"
                    + " unit length so that a dot product is a cosine similarity. Sentence-transformers does exactly"
                    + " this for all-MiniLM-L6-v2, and the verifier recomputes a sample of items to compare them.");

    /** {@code count} pseudo-random texts of 1 to {@code maxWords} words, from {@code seed}. */
    static List<String> random(long seed, int count, int maxWords) {
        String[] words = ("agent budget chain compute lease verify sample quorum provider price token vector model"
                + " river mountain music painting harvest winter physics poem kitchen market ocean garden engine"
                + " the a of and to in is was for on with as by at from it be this that are not or an").split(" ");
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = 1 + random.nextInt(maxWords);
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < n; w++) {
                sb.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
            }
            texts.add(sb.append('.').toString());
        }
        return texts;
    }

    /** The cosine of two vectors. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** The largest absolute difference between two vectors' elements. */
    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
