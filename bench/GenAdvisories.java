// Generates benchmark input for bench/vuln-scan.sh (run with `java bench/GenAdvisories.java OUTDIR [ADVISORIES] [PACKAGES]`):
//   OUTDIR/advisories.zip  ADVISORIES (default 500,000) OSV records, mostly Debian:12, over a pool of 20,000 source
//                          package names, with ECOSYSTEM ranges (introduced/fixed/last_affected) and CVSS v3 vectors;
//                          most are fixed below the SBOM's versions, as in a maintained release
//   OUTDIR/sbom.cdx.json   a CycloneDX 1.6 SBOM of PACKAGES (default 10,000) Debian binary packages built from pool
//                          sources, with the operating-system component debian 12
// Seeded (42): the same arguments give the same bytes.
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

public class GenAdvisories {
    static final int POOL = 20_000;
    static final String[] VECTORS = {
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N",
            "CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:L/I:N/A:N",
            "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"};

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java bench/GenAdvisories.java OUTDIR [ADVISORIES] [PACKAGES]");
            System.exit(2);
        }
        Path out = Files.createDirectories(Path.of(args[0]));
        int advisories = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        int packages = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        Random rnd = new Random(42);
        writeAdvisories(out.resolve("advisories.zip"), advisories, rnd);
        writeSbom(out.resolve("sbom.cdx.json"), packages, new Random(43));
    }

    static String source(int i) {
        return "src" + String.format("%05d", i);
    }

    static String version(Random rnd) {
        return (1 + rnd.nextInt(8)) + "." + rnd.nextInt(20) + "-" + (1 + rnd.nextInt(5));
    }

    static void writeAdvisories(Path zip, int n, Random rnd) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(zip), 1 << 16))) {
            z.setLevel(1);
            for (int i = 0; i < n; i++) {
                String id = "DEBIAN-CVE-2099-" + String.format("%07d", i);
                StringBuilder sb = new StringBuilder(800);
                sb.append("{\"schema_version\":\"1.6.0\",\"id\":\"").append(id).append("\",\"modified\":\"2025-01-01T00:00:00Z\"")
                        .append(",\"published\":\"2025-01-01T00:00:00Z\",\"aliases\":[\"CVE-2099-").append(String.format("%07d", i)).append("\"]")
                        .append(",\"summary\":\"generated advisory ").append(i).append("\",\"details\":\"A generated vulnerability for benchmarking the scanner; it affects one or two source packages.\"")
                        .append(",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"").append(VECTORS[rnd.nextInt(VECTORS.length)]).append("\"}]")
                        .append(",\"affected\":[");
                int affected = 1 + (rnd.nextInt(4) == 0 ? 1 : 0);
                for (int a = 0; a < affected; a++) {
                    if (a > 0) sb.append(',');
                    String eco = rnd.nextInt(10) == 0 ? "Debian:11" : "Debian:12";
                    String name = source(rnd.nextInt(POOL));
                    sb.append("{\"package\":{\"ecosystem\":\"").append(eco).append("\",\"name\":\"").append(name)
                            .append("\",\"purl\":\"pkg:deb/debian/").append(name).append("?arch=source\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}");
                    // Like a maintained release: almost every advisory is fixed below what images carry (the SBOM has
                    // 9.x versions); 1.5% are fixed above, 1% have no fix, 0.5% are last_affected above.
                    int kind = rnd.nextInt(1000);
                    if (kind < 970) sb.append(",{\"fixed\":\"").append(version(rnd)).append("\"}");
                    else if (kind < 985) sb.append(",{\"fixed\":\"99.").append(rnd.nextInt(9)).append("-1\"}");
                    else if (kind < 995) { } // no fix yet
                    else sb.append(",{\"last_affected\":\"99.0-1\"}");
                    sb.append("]}]}");
                }
                sb.append("]}");
                z.putNextEntry(new ZipEntry("debian/" + id + ".json"));
                z.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    static void writeSbom(Path file, int n, Random rnd) throws IOException {
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            StringBuilder sb = new StringBuilder();
            sb.append("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"version\":1,\"components\":[")
                    .append("{\"type\":\"operating-system\",\"bom-ref\":\"os\",\"name\":\"debian\",\"version\":\"12\"}");
            for (int i = 0; i < n; i++) {
                String name = "bin" + String.format("%05d", i);
                String src = source(rnd.nextInt(POOL));
                String v = "9." + rnd.nextInt(20) + "-" + (1 + rnd.nextInt(5));
                String purl = "pkg:deb/debian/" + name + "@" + v + "?arch=amd64&distro=debian-12&upstream=" + src;
                sb.append(",{\"type\":\"library\",\"bom-ref\":\"").append(purl).append("\",\"name\":\"").append(name)
                        .append("\",\"version\":\"").append(v).append("\",\"purl\":\"").append(purl).append("\"}");
            }
            sb.append("]}\n");
            o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
