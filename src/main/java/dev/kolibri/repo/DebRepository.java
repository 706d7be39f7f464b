package dev.kolibri.repo;

import dev.kolibri.oci.Digest;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.deb.Deb822;
import dev.kolibri.pkg.deb.DebMetadataException;
import dev.kolibri.pkg.deb.PackagesIndex;
import org.tukaani.xz.XZInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Loads a Debian repository suite the way apt does, believing nothing that is not signed:
 * <ol>
 *   <li>{@code dists/SUITE/InRelease}, clearsigned; if it does not exist, {@code Release} with {@code Release.gpg};
 *       metadata without a signature is refused.</li>
 *   <li>The Release must name the suite (as {@code Suite} or {@code Codename}) and, unless {@code allowExpired},
 *       its {@code Valid-Until} must not have passed.</li>
 *   <li>Per component, {@code COMPONENT/binary-ARCH/Packages.xz}, else {@code .gz}, else plain, whichever the
 *       Release's SHA256 list names first; through {@code by-hash/SHA256/HEX} when the Release says
 *       {@code Acquire-By-Hash: yes} (the plain path when that is missing). Size and sha256 are checked before
 *       decompressing, and the decompressed index against the Release's entry for it when there is one.</li>
 * </ol>
 */
public final class DebRepository {
    private static final List<String> COMPRESSIONS = List.of(".xz", ".gz", "");
    private static final List<DateTimeFormatter> DATES = List.of(
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss z", Locale.ROOT),
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT),
            DateTimeFormatter.RFC_1123_DATE_TIME);

    /**
     * Parsed indexes of this process, by the sha256 the signed Release gives them (and where they were read): a
     * catalog locks many definitions over the same suites, and each reads the index once. Softly held, so memory
     * pressure drops them; the InRelease is still fetched and verified every time, so a changed suite is seen.
     */
    private static final Map<String, java.lang.ref.SoftReference<List<Package>>> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    private DebRepository() {}

    /** Loads with apt's default policy: expired metadata ({@code Valid-Until} in the past) is refused. */
    public static RepoSnapshot load(DebSource src, String arch, MetadataClient client) throws RepositoryException {
        return load(src, arch, client, false);
    }

    /**
     * Loads the suite's packages for {@code arch} (a Debian arch name).
     *
     * @param allowExpired accept a Release whose {@code Valid-Until} has passed (apt's
     *                     {@code Acquire::Check-Valid-Until "false"}, or a snapshot mirror); see
     *                     {@link AptSources#allowExpired(AptSource)} for what this machine's apt does
     */
    public static RepoSnapshot load(DebSource src, String arch, MetadataClient client, boolean allowExpired)
            throws RepositoryException {
        URI dists = src.base().resolve("dists/" + src.suite() + "/");
        String id = src.base() + " " + src.suite();

        URI inReleaseUrl = dists.resolve("InRelease");
        Optional<byte[]> inRelease = client.getIfExists(inReleaseUrl);
        byte[] fetched;
        byte[] releaseText;
        String releaseName;
        if (inRelease.isPresent()) {
            fetched = inRelease.get();
            releaseName = inReleaseUrl.toString();
            releaseText = SignatureVerifier.verifyClearsigned(fetched, src.keyring(), releaseName);
        } else {
            URI releaseUrl = dists.resolve("Release");
            URI sigUrl = dists.resolve("Release.gpg");
            Optional<byte[]> release = client.getIfExists(releaseUrl);
            if (release.isEmpty()) {
                throw new RepositoryException("no repository metadata for suite '" + src.suite() + "' at " + dists
                        + " (neither InRelease nor Release exists): check the URL and suite");
            }
            Optional<byte[]> sig = client.getIfExists(sigUrl);
            if (sig.isEmpty()) {
                throw new RepositoryException("unsigned repository metadata refused: " + releaseUrl
                        + " has no InRelease and no Release.gpg signature");
            }
            fetched = release.get();
            releaseName = releaseUrl.toString();
            SignatureVerifier.verifyDetached(fetched, sig.get(), src.keyring(), sigUrl.toString());
            releaseText = fetched;
        }
        Release release = Release.parse(releaseText, releaseName);
        release.checkSuite(src.suite());
        if (!allowExpired) release.checkValidUntil(Instant.now());

        List<Package> packages = new ArrayList<>();
        for (String component : src.components()) {
            String stem = component + "/binary-" + arch + "/Packages";
            String chosen = null;
            for (String ext : COMPRESSIONS) {
                if (release.sha256.containsKey(stem + ext)) {
                    chosen = stem + ext;
                    break;
                }
            }
            if (chosen == null) {
                throw new RepositoryException(releaseName + " lists no " + stem + "(.xz|.gz) for component '" + component
                        + "' and arch '" + arch + "' (the suite has components " + release.components + ")");
            }
            Entry want = release.sha256.get(chosen);
            String key = want.sha256 + " " + src.base() + " " + id + " " + arch;
            java.lang.ref.SoftReference<List<Package>> held = PARSED.get(key);
            List<Package> known = held == null ? null : held.get();
            if (known != null) {
                packages.addAll(known);
                continue;
            }
            URI plain = dists.resolve(chosen);
            byte[] data = null;
            URI from = plain;
            if (release.byHash) {
                URI hashed = dists.resolve(chosen.substring(0, chosen.lastIndexOf('/') + 1) + "by-hash/SHA256/" + want.sha256);
                Optional<byte[]> h = client.getIfExists(hashed);
                if (h.isPresent()) {
                    data = h.get();
                    from = hashed;
                }
            }
            if (data == null) data = client.get(plain);
            check(data, want, chosen, from);
            byte[] index = decompress(data, chosen, from);
            Entry raw = release.sha256.get(stem);
            if (raw != null && !chosen.equals(stem)) check(index, raw, stem + " (decompressed)", from);
            try (InputStream in = new ByteArrayInputStream(index)) {
                List<Package> parsed = List.copyOf(PackagesIndex.parse(in, from.toString(), src.base(), id, arch));
                PARSED.put(key, new java.lang.ref.SoftReference<>(parsed));
                packages.addAll(parsed);
            } catch (DebMetadataException e) {
                throw new RepositoryException(e.getMessage(), e);
            } catch (IOException e) {
                throw new RepositoryException("cannot read " + from + ": " + e.getMessage(), e);
            }
        }
        return new RepoSnapshot(id, Digest.sha256(fetched), packages, release.identity());
    }

    private static void check(byte[] data, Entry want, String name, URI from) throws RepositoryException {
        if (data.length != want.size) {
            throw new RepositoryException(name + " from " + from + " has " + data.length + " bytes, the signed Release says "
                    + want.size + " (sha256 " + Digest.sha256(data).hex() + ", Release says " + want.sha256 + "): refused");
        }
        String got = Digest.sha256(data).hex();
        if (!got.equals(want.sha256)) {
            throw new RepositoryException(name + " from " + from + " has sha256 " + got + ", the signed Release says "
                    + want.sha256 + ": refused");
        }
    }

    private static byte[] decompress(byte[] data, String name, URI from) throws RepositoryException {
        try {
            if (name.endsWith(".xz")) {
                try (InputStream in = new XZInputStream(new ByteArrayInputStream(data))) {
                    return readBounded(in, from);
                }
            }
            if (name.endsWith(".gz")) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
                    return readBounded(in, from);
                }
            }
            return data;
        } catch (IOException e) {
            throw new RepositoryException("cannot decompress " + from + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readBounded(InputStream in, URI from) throws IOException, RepositoryException {
        byte[] out = in.readNBytes(Integer.MAX_VALUE - 8);
        if (in.read() >= 0) throw new RepositoryException("decompressed index too large: " + from);
        return out;
    }

    private record Entry(String sha256, long size) {}

    /** The parts of a Release file this loader needs. */
    private record Release(String source, String suite, String codename, String validUntil, boolean byHash,
                           List<String> components, Map<String, Entry> sha256, String origin, String label,
                           String version) {

        dev.kolibri.pkg.RepositoryRelease identity() {
            return new dev.kolibri.pkg.RepositoryRelease(origin, label, suite, codename, version);
        }

        static Release parse(byte[] text, String source) throws RepositoryException {
            List<Deb822.Paragraph> ps;
            try {
                ps = Deb822.parse(new String(text, StandardCharsets.UTF_8), source);
            } catch (DebMetadataException e) {
                throw new RepositoryException(e.getMessage(), e);
            }
            if (ps.isEmpty()) throw new RepositoryException(source + ": empty Release file");
            Deb822.Paragraph p = ps.get(0);
            Map<String, Entry> sums = new LinkedHashMap<>();
            for (String line : p.lines("SHA256")) {
                String[] f = line.split("\\s+");
                if (f.length != 3 || !f[0].matches("[0-9a-fA-F]{64}") || !f[1].matches("[0-9]{1,18}")) {
                    throw new RepositoryException(source + ": malformed SHA256 line '" + line + "'");
                }
                sums.put(f[2], new Entry(f[0].toLowerCase(Locale.ROOT), Long.parseLong(f[1])));
            }
            if (sums.isEmpty()) throw new RepositoryException(source + ": Release has no SHA256 list (MD5/SHA1 alone are not trusted)");
            String comps = p.get("Components");
            return new Release(source, p.get("Suite"), p.get("Codename"), p.get("Valid-Until"),
                    "yes".equalsIgnoreCase(String.valueOf(p.get("Acquire-By-Hash")).strip()),
                    comps == null ? List.of() : List.of(comps.strip().split("\\s+")), sums,
                    p.get("Origin"), p.get("Label"), p.get("Version"));
        }

        void checkSuite(String wanted) throws RepositoryException {
            if (wanted.equals(suite) || wanted.equals(codename)) return;
            throw new RepositoryException(source + " is for suite '" + suite + "' (codename '" + codename
                    + "'), not '" + wanted + "': refused (a mirror serving the wrong suite?)");
        }

        void checkValidUntil(Instant now) throws RepositoryException {
            if (validUntil == null) return;
            Instant until = parseDate(validUntil);
            if (until == null) throw new RepositoryException(source + ": unreadable Valid-Until '" + validUntil + "'");
            if (until.isBefore(now)) {
                throw new RepositoryException(source + " expired on " + until + " (Valid-Until): the mirror is stale or "
                        + "frozen; allow expired metadata only for a snapshot mirror you trust");
            }
        }

        private static Instant parseDate(String s) {
            for (DateTimeFormatter f : DATES) {
                try {
                    return ZonedDateTime.parse(s.strip(), f).toInstant();
                } catch (DateTimeParseException e) {
                    // try the next form
                }
            }
            return null;
        }
    }
}
