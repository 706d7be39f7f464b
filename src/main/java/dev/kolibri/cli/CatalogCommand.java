package dev.kolibri.cli;

import dev.kolibri.Kolibri;
import dev.kolibri.build.BuildResult;
import dev.kolibri.catalog.Catalog;
import dev.kolibri.catalog.CatalogBuild;
import dev.kolibri.catalog.CatalogTests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "catalog", description = "The whole catalog: every image definition in a directory (default images/).",
        subcommands = {CatalogCommand.Lock.class, CatalogCommand.Build.class, CatalogCommand.Test.class})
final class CatalogCommand implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(cmd.commandLine(),
                "missing subcommand: use `kolibri catalog lock|build|test [DIR]`");
    }

    /** The options every catalog verb takes. */
    static class Common {
        @Parameters(paramLabel = "DIR", arity = "0..1", description = "the catalog directory (default images/)")
        Path dir = Path.of("images");

        @Option(names = "--image", split = ",", paramLabel = "NAME", description = "only these images (default: all)")
        List<String> images = List.of();

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Option(names = {"-q", "--quiet"}, description = "only warnings and errors")
        boolean quiet;
    }

    @Command(name = "lock", description = "Lock every image, version and variant (re-resolving stale or missing locks; all with --update).")
    static final class Lock implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec cmd;
        @picocli.CommandLine.Mixin Common common = new Common();

        @Option(names = "--update", description = "re-resolve every lock, even those that still match")
        boolean update;

        @Override
        public Integer call() throws Exception {
            Events events = new Events(cmd.commandLine().getErr(), common.quiet || common.json);
            Catalog catalog = Catalog.load(common.dir);
            List<Path> locks = new CatalogBuild(Kolibri.defaults(events)).lock(catalog, Set.copyOf(common.images), update);
            PrintWriter o = cmd.commandLine().getOut();
            if (common.json) Output.json(o, Map.of("locks", locks.stream().map(Path::toString).toList()));
            else for (Path p : locks) o.println(p);
            return 0;
        }
    }

    @Command(name = "build", description = {"Build every image, version, variant and arch into OUT/<name> (one layout per image name holding all its tags).",
            "Tags derive from each stream's main package (docs/parts/catalog.md); prints a table of what was built."})
    static final class Build implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec cmd;
        @picocli.CommandLine.Mixin Common common = new Common();

        @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "the directory of the layouts (default out/)")
        Path output = Path.of("out");

        @Option(names = "--arch", split = ",", paramLabel = "A", description = "only these arches (default: each definition's)")
        List<String> archs = List.of();

        @Option(names = "--locked", description = "refuse a lock that no longer matches its definition")
        boolean locked;

        @Option(names = "--offline", description = "build from the cache alone")
        boolean offline;

        @Override
        public Integer call() throws Exception {
            Events events = new Events(cmd.commandLine().getErr(), common.quiet || common.json);
            Catalog catalog = Catalog.load(common.dir);
            List<String> archNames = archs.stream().map(a -> dev.kolibri.oci.Platform.ofArch(a).architecture()).toList();
            CatalogBuild.Options opts = new CatalogBuild.Options(output, Set.copyOf(common.images), archNames, locked, offline,
                    BuildCommand.sourceDateEpoch());
            List<CatalogBuild.Built> built = new CatalogBuild(Kolibri.defaults(events)).build(catalog, opts);
            PrintWriter o = cmd.commandLine().getOut();
            if (common.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (CatalogBuild.Built b : built) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("image", b.flavour().stream().name());
                    m.put("definition", String.valueOf(b.flavour().stream().source()));
                    m.put("variant", b.flavour().variant());
                    m.put("layout", b.result().layout().toString());
                    m.put("tags", b.tags());
                    m.put("index", b.result().index().toString());
                    List<Map<String, Object>> images = new ArrayList<>();
                    for (BuildResult.PlatformImage i : b.result().images()) {
                        images.add(Map.of("platform", i.platform().toString(), "manifest", i.manifest().toString(),
                                "packages", i.packages(), "layers", i.layers(), "compressedBytes", i.compressedBytes(),
                                "uncompressedBytes", i.uncompressedBytes()));
                    }
                    m.put("images", images);
                    rows.add(m);
                }
                Output.json(o, Map.of("built", rows));
                return 0;
            }
            o.printf("%-14s %-44s %-22s %8s %6s %11s %11s%n", "IMAGE", "TAGS", "PLATFORMS", "PACKAGES", "LAYERS", "COMPRESSED", "UNPACKED");
            for (CatalogBuild.Built b : built) {
                List<BuildResult.PlatformImage> imgs = b.result().images();
                BuildResult.PlatformImage first = imgs.get(0);
                String platforms = String.join(",", imgs.stream().map(i -> i.platform().architecture()
                        + (i.platform().variant() == null ? "" : i.platform().variant())).toList());
                o.printf("%-14s %-44s %-22s %8d %6d %11s %11s%n", b.flavour().stream().name(), String.join(" ", b.tags()),
                        platforms, first.packages(), first.layers(), Output.size(first.compressedBytes()),
                        Output.size(first.uncompressedBytes()));
            }
            o.printf("%d images in %s (sizes of the first platform of each)%n", built.size(), output);
            return 0;
        }
    }

    @Command(name = "test", description = {"Run every image's tests (tests: in its definition) under podman, on the layouts in OUT.",
            "Each flavour that allows no shell is also checked to have none. Without podman, tests are skipped with the reason."})
    static final class Test implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec cmd;
        @picocli.CommandLine.Mixin Common common = new Common();

        @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "the directory of the layouts (default out/)")
        Path output = Path.of("out");

        @Option(names = "--step-timeout", paramLabel = "SECONDS", description = "how long one step may take, and a service may take to answer (default 90)")
        long stepSeconds = 90;

        @Override
        public Integer call() throws Exception {
            Catalog catalog = Catalog.load(common.dir);
            PrintWriter o = cmd.commandLine().getOut();
            List<CatalogTests.Outcome> outcomes = CatalogTests.run(catalog,
                    new CatalogTests.Options(output, Set.copyOf(common.images), stepSeconds), r -> {
                        if (!common.json) {
                            o.printf("%-7s %-28s %-24s %s%n", r.status(), r.flavour().label(), r.test(), r.detail());
                            o.flush();
                        }
                    });
            long failed = outcomes.stream().filter(r -> r.status() == CatalogTests.Status.FAILED).count();
            long passed = outcomes.stream().filter(r -> r.status() == CatalogTests.Status.PASSED).count();
            long skipped = outcomes.size() - failed - passed;
            if (common.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (CatalogTests.Outcome r : outcomes) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("image", r.flavour().label());
                    m.put("test", r.test());
                    m.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
                    m.put("detail", r.detail());
                    rows.add(m);
                }
                Output.json(o, Map.of("tests", rows, "passed", passed, "failed", failed, "skipped", skipped));
            } else {
                o.printf("%d passed, %d failed, %d skipped%n", passed, failed, skipped);
            }
            if (failed > 0) {
                cmd.commandLine().getErr().println("error: " + failed + " of " + outcomes.size() + " catalog tests failed");
                cmd.commandLine().getErr().println("hint: the lines marked FAILED above say which step and why; rebuild with `kolibri catalog build` after a fix");
                return 1;
            }
            return 0;
        }
    }
}
