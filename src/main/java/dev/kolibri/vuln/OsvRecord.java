package dev.kolibri.vuln;

import java.util.List;
import java.util.Objects;

/**
 * One OSV record (osv.dev schema), reduced to what Kolibri uses. Lists are never null.
 *
 * @param id                 e.g. {@code DSA-5764-1}, {@code DEBIAN-CVE-2024-5535}, {@code ALSA-2024:1234}
 * @param modified           RFC 3339 timestamp or null
 * @param published          RFC 3339 timestamp or null
 * @param withdrawn          RFC 3339 timestamp when withdrawn, else null
 * @param severity           {@code severity[]}: CVSS_V3, CVSS_V4, Ubuntu, ... with their score strings
 * @param databaseSeverity   {@code database_specific.severity} of the record, or null
 */
public record OsvRecord(
        String id,
        String modified,
        String published,
        String withdrawn,
        List<String> aliases,
        List<String> related,
        String summary,
        String details,
        List<SeverityEntry> severity,
        List<Affected> affected,
        String databaseSeverity) {

    public OsvRecord {
        Objects.requireNonNull(id, "id");
        aliases = List.copyOf(aliases);
        related = List.copyOf(related);
        severity = List.copyOf(severity);
        affected = List.copyOf(affected);
    }

    public boolean isWithdrawn() {
        return withdrawn != null;
    }

    /** {@code severity[]} entry: {@code type} (CVSS_V2, CVSS_V3, CVSS_V4, Ubuntu) and {@code score}. */
    public record SeverityEntry(String type, String score) {}

    /**
     * {@code affected[]} entry.
     *
     * @param severity {@code database_specific.severity} or {@code ecosystem_specific.severity} of this entry, or null
     */
    public record Affected(String ecosystem, String name, String purl, List<Range> ranges, List<String> versions, String severity) {
        public Affected {
            Objects.requireNonNull(ecosystem, "ecosystem");
            Objects.requireNonNull(name, "name");
            ranges = List.copyOf(ranges);
            versions = List.copyOf(versions);
        }
    }

    /** {@code ranges[]} entry: {@code type} ECOSYSTEM, SEMVER or GIT, and its events in document order. */
    public record Range(String type, List<Event> events) {
        public Range {
            events = List.copyOf(events);
        }
    }

    public enum EventKind { INTRODUCED, FIXED, LAST_AFFECTED, LIMIT }

    public record Event(EventKind kind, String version) {
        public Event {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(version, "version");
        }
    }
}
