package dev.kolibri.cli;

import dev.kolibri.Kolibri;
import dev.kolibri.build.BuildOptions;
import dev.kolibri.build.BuildResult;
import dev.kolibri.oci.Compression;
import dev.kolibri.spec.ImageSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "build", description = {"Build the OCI image layout of a definition (default out/<name>).",
        "The layout holds the SBOMs and provenance as files too, in DIR/sbom/<tag>/ (<arch>.spdx.json, <arch>.cdx.json, "
                + "provenance.intoto.json); all of it appears in one rename, or nothing does."})
final class BuildCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Parameters(paramLabel = "SPEC", description = "the image definition (YAML)")
    Path specFile;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "output layout directory (default out/<name>[-<variant>]); an existing layout is updated, "
                    + "keeping its other tags; an existing directory that is not a layout is refused")
    Path output;

    @Option(names = "--arch", split = ",", paramLabel = "A", description = "arches to build (default: the definition's)")
    List<String> archs = List.of();

    @Option(names = "--variant", paramLabel = "V", description = "build a variant of the definition")
    String variant;

    @Option(names = "--locked", description = "refuse a lock that no longer matches the definition")
    boolean locked;

    @Option(names = "--offline", description = "build from the cache alone")
    boolean offline;

    @Option(names = "--compression", paramLabel = "C", description = "layer compression: gzip (default), zstd or none")
    String compression = "gzip";

    @Option(names = "--gzip-level", paramLabel = "N", description = "gzip level 1 (fastest) to 9 (smallest); default 6")
    Integer gzipLevel;

    @Option(names = "--previous", paramLabel = "IMAGE",
            description = "the previous build (an OCI layout DIR[:TAG], or an image in a registry): keep its layer plan, so unchanged packages keep their layers")
    String previous;

    @Option(names = "--no-build-cache", description = "decode every package and compress every layer afresh (downloaded packages are still taken from the cache)")
    boolean noBuildCache;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Option(names = "--scan", paramLabel = "DB", description = "scan each arch's packages before writing (DB as for `kolibri scan`)")
    Path scanDb;

    @Option(names = "--fail-on", paramLabel = "LEVEL", description = "with --scan: refuse the build (exit 3, nothing written) when a finding at or above LEVEL has a fix")
    String failOn;

    @Option(names = {"-q", "--quiet"}, description = "only warnings and errors")
    boolean quiet;

    @Option(names = "--push", paramLabel = "REF", description = "push the built image to host[:port]/repo[:tag]")
    String push;

    @Option(names = "--sign", paramLabel = "KEY", description = "with --push: sign the pushed image with this cosign key, attest its SBOM and provenance")
    Path signKey;

    @picocli.CommandLine.Mixin RegistryFlags registry;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = cmd.commandLine().getErr();
        Integer level = gzipLevel(gzipLevel, compression);
        ImageSpec spec = Kolibri.load(specFile, variant);
        Path out = output != null ? output
                : Path.of("out", variant == null ? spec.name() : spec.name() + "-" + variant);
        List<String> normalized = archs.stream().map(this::arch).toList();
        BuildOptions opts = new BuildOptions(out, normalized, variant, locked, offline,
                compression(compression), sourceDateEpoch(), previous, level, !noBuildCache);
        if (signKey != null && push == null) {
            throw new picocli.CommandLine.ParameterException(cmd.commandLine(), "--sign needs --push REF");
        }
        Events events = new Events(err, quiet || json);
        BuildResult r;
        try (BuildScan scan = BuildScan.open(cmd.commandLine(), scanDb, failOn, events)) {
            // registry options (credentials, TLS) only when a registry may be read: --previous names one
            dev.kolibri.layer.PreviousImage.Opener opener = previous == null ? dev.kolibri.layer.PreviousImage.Opener.LAYOUTS
                    : dev.kolibri.publish.RemotePrevious.opener(registry.options());
            r = Kolibri.defaults(events).withPreviousOpener(opener)
                    .build(spec, opts, scan.check());
        } catch (dev.kolibri.scan.ScanGateException e) {
            Errors.print(e, err);
            return BuildScan.GATE_FAILED;
        }
        java.util.Map<String, Object> pushed = push == null ? null : BuildPush.run(r, push, signKey, registry, events);
        PrintWriter o = cmd.commandLine().getOut();
        if (json) {
            java.util.Map<String, Object> j = jsonOf(r);
            if (pushed != null) j.put("push", pushed);
            Output.json(o, j);
        } else {
            o.printf("%s:%s  %s%n", r.layout(), r.tag(), r.index());
            for (BuildResult.PlatformImage i : r.images()) {
                o.printf("  %-12s %s  %d packages, %d layers, %s compressed, %s unpacked%n", i.platform(), i.manifest(),
                        i.packages(), i.layers(), Output.size(i.compressedBytes()), Output.size(i.uncompressedBytes()));
            }
            if (pushed != null) o.printf("pushed %s@%s%n", pushed.get("reference"), pushed.get("digest"));
            for (String line : nextSteps(out, r.tag(), pushed != null)) o.println(line);
        }
        return 0;
    }

    /** The commands to run the image and to push it (the push one only when it was not pushed). */
    static List<String> nextSteps(Path layout, String tag, boolean pushed) {
        String image = layout + ":" + tag;
        List<String> lines = new java.util.ArrayList<>();
        lines.add("run it:  podman run --rm oci:" + image);
        if (!pushed) lines.add("push it: kolibri push " + image + " HOST/REPOSITORY[:TAG]");
        return lines;
    }

    /** Known arch names, as the --arch error lists them. */
    private static final List<String> ARCH_NAMES = List.of("amd64", "x86_64", "arm64", "aarch64", "ppc64el", "ppc64le", "s390x",
            "riscv64", "i386", "i686", "armhf", "armv7hl");

    /** One --arch value as an OCI architecture; a name Kolibri does not know is a usage error with the nearest name. */
    private String arch(String a) {
        try {
            return dev.kolibri.oci.Platform.ofArch(a).architecture();
        } catch (IllegalArgumentException e) {
            String near = dev.kolibri.spec.Hints.nearest(a, ARCH_NAMES);
            throw new UsageException(cmd.commandLine(), "--arch: unknown arch '" + a + "'; known: amd64 (x86_64), arm64 (aarch64), "
                    + "ppc64el (ppc64le), s390x, riscv64, i386 (i686), armhf (armv7hl)",
                    near == null ? "give one of the known arches" : "did you mean --arch " + near + "?");
        }
    }

    private static java.util.Map<String, Object> jsonOf(BuildResult r) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("layout", r.layout().toString());
        m.put("tag", r.tag());
        m.put("index", r.index().toString());
        List<java.util.Map<String, Object>> images = new java.util.ArrayList<>();
        for (BuildResult.PlatformImage i : r.images()) {
            java.util.Map<String, Object> im = new java.util.LinkedHashMap<>();
            im.put("platform", i.platform().toString());
            im.put("manifest", i.manifest().toString());
            im.put("packages", i.packages());
            im.put("layers", i.layers());
            im.put("compressedBytes", i.compressedBytes());
            im.put("uncompressedBytes", i.uncompressedBytes());
            images.add(im);
        }
        m.put("images", images);
        m.put("warnings", r.warnings());
        return m;
    }

    private static Compression compression(String c) {
        return switch (c) {
            case "gzip" -> Compression.GZIP;
            case "zstd" -> Compression.ZSTD;
            case "none" -> Compression.NONE;
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new BuildCommand()),
                    "--compression must be gzip, zstd or none, not '" + c + "'");
        };
    }

    private Integer gzipLevel(Integer level, String c) {
        if (level == null) return null;
        if (!c.equals("gzip")) {
            throw new picocli.CommandLine.ParameterException(cmd.commandLine(), "--gzip-level needs --compression gzip, not " + c);
        }
        if (level < 1 || level > 9) {
            throw new picocli.CommandLine.ParameterException(cmd.commandLine(), "--gzip-level must be 1 to 9, not " + level);
        }
        return level;
    }

    static Long sourceDateEpoch() {
        String s = System.getenv("SOURCE_DATE_EPOCH");
        if (s == null || s.isBlank()) return null;
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SOURCE_DATE_EPOCH must be a number of seconds, not '" + s + "'");
        }
    }
}
