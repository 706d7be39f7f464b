package dev.kolibri.cli;

import dev.kolibri.Kolibri;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.spec.ImageSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "lock", description = "Resolve a definition and write its lockfile (<name>.lock.json beside it).")
final class LockCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Parameters(paramLabel = "SPEC", description = "the image definition (YAML)")
    Path specFile;

    @Option(names = "--variant", paramLabel = "V", description = "lock a variant of the definition")
    String variant;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Option(names = "--update", description = "with --db: report the findings the new lock removes and those that remain")
    boolean update;

    @Option(names = "--db", paramLabel = "DB", description = "vulnerability database for --update (as for `kolibri scan`)")
    Path db;

    @Option(names = "--distro", paramLabel = "D", description = "with --update: the OS to scan as, instead of the repositories' suites")
    String distro;

    @Option(names = {"-q", "--quiet"}, description = "only warnings and errors")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = cmd.commandLine().getErr();
        if (update != (db != null)) {
            throw new picocli.CommandLine.ParameterException(cmd.commandLine(), update ? "--update needs --db DB (the vulnerability database)"
                    : "--db is for --update; to scan a lock use `kolibri scan LOCK --db DB`");
        }
        ImageSpec spec = Kolibri.load(specFile, variant);
        Lockfile before = update ? LockUpdateReport.previous(Lockfile.pathFor(spec)) : null;
        Lockfile lock = Kolibri.defaults(new Events(err, quiet || json)).lock(spec);
        PrintWriter out = cmd.commandLine().getOut();
        if (update) {
            LockUpdateReport.print(out, Lockfile.pathFor(spec), before, lock, db, distro, json);
            return 0;
        }
        if (json) {
            Map<String, Object> r = new TreeMap<>();
            r.put("lockfile", Lockfile.pathFor(spec).toString());
            r.put("specDigest", lock.specDigest());
            Map<String, Integer> counts = new TreeMap<>();
            lock.packages().forEach((a, l) -> counts.put(a, l.size()));
            r.put("packages", counts);
            Output.json(out, r);
        } else {
            for (Map.Entry<String, List<LockedPackage>> e : lock.packages().entrySet()) {
                long bytes = e.getValue().stream().mapToLong(LockedPackage::size).sum();
                out.printf("%s: %d packages, %s to download%n", e.getKey(), e.getValue().size(), Output.size(bytes));
            }
        }
        return 0;
    }
}
