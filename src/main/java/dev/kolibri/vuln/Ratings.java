package dev.kolibri.vuln;

/** Picks a record's severity: a CVSS v3 score (highest), else a vendor label beside a CVSS v4 vector or alone. */
final class Ratings {
    private Ratings() {}

    static Finding.Rating of(OsvRecord r, OsvRecord.Affected affected) {
        return of(r, affected, new java.util.HashMap<>());
    }

    /**
     * As {@link #of(OsvRecord, OsvRecord.Affected)}, scoring each CVSS v3 vector once per {@code scores} (a scan
     * sees the same few vectors thousands of times); a vector that does not score maps to null.
     */
    static Finding.Rating of(OsvRecord r, OsvRecord.Affected affected, java.util.Map<String, Cvss.Score> scores) {
        Finding.Rating best = null;
        String v4 = null;
        String ubuntu = null;
        for (OsvRecord.SeverityEntry s : r.severity()) {
            switch (s.type()) {
                case "CVSS_V3" -> {
                    Cvss.Score score = scores.computeIfAbsent(s.score(), Ratings::scoreOrNull);
                    if (score == null) continue; // a broken vector in a feed does not stop a scan; the label below still counts
                    if (score.score() != null && (best == null || score.score() > best.score())) {
                        best = new Finding.Rating(score.severity(), score.score(), s.score(), "CVSS_V3");
                    }
                }
                case "CVSS_V4" -> v4 = s.score();
                case "Ubuntu" -> ubuntu = s.score();
                default -> { }
            }
        }
        if (best != null) return best;
        String label = affected != null && affected.severity() != null ? affected.severity() : r.databaseSeverity();
        Severity fromLabel = Severity.ofLabel(label);
        if (v4 != null && fromLabel != Severity.UNKNOWN) return new Finding.Rating(fromLabel, null, v4, "CVSS_V4");
        if (ubuntu != null && Severity.ofLabel(ubuntu) != Severity.UNKNOWN) {
            return new Finding.Rating(Severity.ofLabel(ubuntu), null, ubuntu, "Ubuntu");
        }
        if (fromLabel != Severity.UNKNOWN) return new Finding.Rating(fromLabel, null, label, "database_specific");
        return Finding.Rating.UNKNOWN;
    }

    private static Cvss.Score scoreOrNull(String vector) {
        try {
            return Cvss.score(vector);
        } catch (VulnException e) {
            return null;
        }
    }
}
