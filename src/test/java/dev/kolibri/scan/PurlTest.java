package dev.kolibri.scan;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PurlTest {

    @Test
    void direct_readsCanonicalDebAndRpmPurls() throws Exception {
        for (String s : new String[] {
                "pkg:deb/debian/bin00001@9.3-2?arch=amd64&distro=debian-12&upstream=src01234",
                "pkg:deb/debian/libfoo1@1.0-1%2Bb1?arch=amd64&distro=debian-12&upstream=foo%401.0-1",
                "pkg:deb/debian/vim@2%3A9.0.1378-2?arch=amd64",
                "pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm",
                "pkg:deb/debian/tzdata@2024a-0~deb12u1"}) {
            Purl p = Purl.direct(s);
            assertThat(p).as(s).isNotNull();
            assertSameAsPackageUrl(s, p);
        }
        assertThat(Purl.direct("pkg:deb/debian/libfoo1@1.0-1%2Bb1?upstream=foo%401.0-1").qualifier("upstream")).isEqualTo("foo@1.0-1");
    }

    @Test
    void direct_leavesOtherShapesToPackageUrl() throws Exception {
        for (String s : new String[] {
                "pkg:deb/debian/vim@2:9.0.1378-2?arch=amd64",          // unescaped colon: canonical form differs
                "pkg:deb/debian/a@1?distro=debian-12&arch=amd64",     // keys out of order
                "pkg:DEB/Debian/Foo@1.0?Arch=amd64",                  // case folding
                "pkg:deb/debian/a@1?arch=",                           // empty value
                "pkg:deb/debian/a@1#sub/path",                        // subpath
                "pkg:deb/debian/libstdc++6@12.2.0-14",                // unescaped plus
                "pkg:deb/debian/a@1%2b1",                             // lower-case escape
                "pkg:pypi/requests@2.31.0"}) {
            assertThat(Purl.direct(s)).as(s).isNull();
            assertThat(Purl.parse(s).canonical()).as(s).isEqualTo(new PackageURL(s).canonicalize());
        }
    }

    /** Seeded property: whatever the direct path accepts, packageurl-java reads to the same parts and canonical form. */
    @Test
    void randomPurls_directAgreesWithPackageUrl() throws Exception {
        long seed = Long.getLong("kolibri.seed", new Random().nextLong());
        Random rnd = new Random(seed);
        String[] atoms = {"a", "b", "z", "0", "9", "A", "Z", ".", "-", "_", "~", "+", ":", "@", "/", "?", "&", "=", "#", " ",
                "%2B", "%3A", "%40", "%2F", "%20", "%7E", "%2b", "%41", "%25", "%"};
        String[] keys = {"arch", "distro", "upstream", "epoch", "a", "Arch", "x.y", "k-1", "k_2", "1a"};
        int accepted = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "pkg:deb/" : "pkg:rpm/");
            sb.append(rnd.nextInt(8) == 0 ? "Debian" : "debian").append('/').append(word(rnd, atoms, 1 + rnd.nextInt(6)));
            sb.append('@').append(word(rnd, atoms, 1 + rnd.nextInt(8)));
            for (int q = 0, nq = rnd.nextInt(4); q < nq; q++) {
                sb.append(q == 0 ? '?' : '&').append(keys[rnd.nextInt(keys.length)]).append('=').append(word(rnd, atoms, rnd.nextInt(6)));
            }
            String s = sb.toString();
            Purl p = Purl.direct(s);
            if (p == null) continue;
            accepted++;
            assertSameAsPackageUrl(s + " (seed " + seed + ", rerun with -Dkolibri.seed=" + seed + ")", p);
        }
        assertThat(accepted).as("seed %d", seed).isGreaterThan(100);
    }

    private static String word(Random rnd, String[] atoms, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(atoms[rnd.nextInt(rnd.nextInt(3) == 0 ? atoms.length : 7)]);
        return sb.toString();
    }

    private static void assertSameAsPackageUrl(String what, Purl p) {
        PackageURL u;
        try {
            u = new PackageURL(p.canonical());
        } catch (MalformedPackageURLException e) {
            throw new AssertionError(what + ": packageurl-java rejects what the direct path read: " + e.getMessage());
        }
        assertThat(Purl.of(u)).as(what).isEqualTo(p);
    }
}
