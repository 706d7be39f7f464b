package dev.kolibri.solve;

import dev.kolibri.pkg.VersionScheme;

/** Test-only version order: dot-separated numbers ({@code 1.10 > 1.9}), non-numeric parts compared as text. */
final class DottedVersions implements VersionScheme {

    static final DottedVersions INSTANCE = new DottedVersions();

    @Override
    public int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d+") && q.matches("\\d+")
                    ? new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q))
                    : p.compareTo(q);
            if (c != 0) return c;
        }
        return 0;
    }
}
