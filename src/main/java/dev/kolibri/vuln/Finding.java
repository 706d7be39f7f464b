package dev.kolibri.vuln;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One vulnerability in one installed package.
 *
 * @param packageName      the installed (binary) package
 * @param sourceName       its source package (what Debian advisories name)
 * @param purl             the installed package's purl, or null
 * @param installedVersion the installed (binary) version
 * @param fixedVersion     the first version with the fix, in the advisory's terms (Debian: the source version), or null
 * @param dataSource       where the finding came from: {@code osv:<ecosystem>} or {@code vex:<document id>}
 */
public record Finding(String id, List<String> aliases, String summary, Rating rating, String packageName, String sourceName,
                      String purl, String installedVersion, String fixedVersion, String dataSource) {

    public static final Comparator<Finding> ORDER = Comparator.comparing(Finding::packageName)
            .thenComparing(Finding::installedVersion).thenComparing(Finding::id);

    public Finding {
        Objects.requireNonNull(id, "id");
        aliases = List.copyOf(aliases);
        summary = summary == null ? "" : summary;
        Objects.requireNonNull(rating, "rating");
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(installedVersion, "installedVersion");
    }

    public boolean fixAvailable() {
        return fixedVersion != null;
    }

    public Severity severity() {
        return rating.severity();
    }

    /** True when {@code vulnerability} is this finding's id or one of its aliases. */
    public boolean isAbout(String vulnerability) {
        return id.equals(vulnerability) || aliases.contains(vulnerability);
    }

    public Finding withFix(String fixed, String source) {
        return new Finding(id, aliases, summary, rating, packageName, sourceName, purl, installedVersion, fixed,
                dataSource + "+" + source);
    }

    /**
     * A severity with where it came from.
     *
     * @param score  CVSS base score, or null when not computed (v4 vectors, vendor labels)
     * @param vector the CVSS vector or vendor label it was derived from, or null
     * @param source {@code CVSS_V3}, {@code CVSS_V4}, {@code Ubuntu}, {@code database_specific}, {@code csaf} or {@code none}
     */
    public record Rating(Severity severity, Double score, String vector, String source) {
        public static final Rating UNKNOWN = new Rating(Severity.UNKNOWN, null, null, "none");

        public Rating {
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(source, "source");
        }
    }
}
