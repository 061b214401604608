package dev.forage.runtime.deploy.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean": the closest of a few known names to a misspelt one. */
final class Suggestions {

    private Suggestions() {}

    /**
     * The candidate closest to {@code given} (case-insensitive edit distance), if it is close:
     * at most two edits, and fewer than half the given name's length.
     */
    static Optional<String> closest(String given, Collection<String> candidates) {
        String g = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(g, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        if (best == null || best.equals(given) || bestDistance > 2 || bestDistance * 2 >= Math.max(given.length(), 2)) {
            return Optional.empty();
        }
        return Optional.of(best);
    }

    /** Levenshtein distance, with an adjacent swap counted as one edit; inputs are short names. */
    static int distance(String a, String b) {
        if (a.length() > 64 || b.length() > 64) {
            return Integer.MAX_VALUE;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
