package dev.kolibri.spec;

import java.util.Collection;

/** Suggestions for misspelt names: the nearest candidate by Damerau-Levenshtein (optimal string alignment) distance. */
public final class Hints {
    static final int MAX_DISTANCE = 3;

    private Hints() {}

    /**
     * The candidate nearest to {@code word}, if it is at most {@value #MAX_DISTANCE} edits away and fewer edits
     * than {@code word} is long (so {@code foo} suggests nothing rather than {@code cmd}); else null. Ties go to
     * the earlier candidate.
     */
    public static String nearest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return bestDistance <= MAX_DISTANCE && bestDistance < word.length() ? best : null;
    }

    /** The number of insertions, deletions, substitutions and swaps of neighbours that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int n = a.length(), m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) d[i][0] = i;
        for (int j = 0; j <= m; j++) d[0][j] = j;
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }
}
